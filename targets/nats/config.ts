/**
 * What a NATS node runs: its config file (rendered here, written into the container by the start command)
 * and the command line. Every node knows every route by hostname; the cluster network resolves n1..nN.
 * Pure functions, so the rendered files are unit-tested without Docker.
 */

export const CLIENT_PORT = 4222;
export const CLUSTER_PORT = 6222;
export const MONITOR_PORT = 8222;
/** On the node's volume: JetStream keeps its streams under `<store_dir>/jetstream`. */
export const DATA_DIR = '/data';
export const CONFIG_PATH = '/etc/nats/nats.conf';
export const SERVER_BINARY = '/usr/sbin/nats-server';
/** Environment variable carrying the rendered config into the container. */
export const CONFIG_ENV = 'NATS_CONFIG';

/**
 * One node's config file. `server_name` is the node name, so a server name in any JetStream answer (a
 * stream's `cluster.leader`) is directly a Faultline node name.
 */
export function natsConfig(node: string, nodes: readonly string[]): string {
  if (!nodes.includes(node)) throw new Error(`node ${node} is not one of ${nodes.join(', ')}`);
  const routes = nodes.map((n) => `nats-route://${n}:${CLUSTER_PORT}`).join(', ');
  return [
    `# NATS node ${node} of ${nodes.length}, written by Faultline`,
    `server_name: ${node}`,
    `listen: 0.0.0.0:${CLIENT_PORT}`,
    `http: 0.0.0.0:${MONITOR_PORT}`,
    // Explicit limits: each node otherwise sizes itself from the whole machine's memory and disk.
    `jetstream { store_dir: "${DATA_DIR}", max_memory_store: 256MB, max_file_store: 4GB }`,
    `cluster {`,
    `  name: faultline`,
    `  listen: 0.0.0.0:${CLUSTER_PORT}`,
    `  routes: [${routes}]`,
    `}`,
    '',
  ].join('\n');
}

/**
 * The container's command: write the config carried in `$NATS_CONFIG` and exec the server (so the server
 * is the container's main process and receives the nemesis' signals). Re-run on every restart.
 */
export function natsCommand(): string[] {
  const dir = CONFIG_PATH.slice(0, CONFIG_PATH.lastIndexOf('/'));
  return ['/bin/sh', '-c', `mkdir -p ${dir} && printf '%s' "$${CONFIG_ENV}" > ${CONFIG_PATH} && exec ${SERVER_BINARY} -c ${CONFIG_PATH}`];
}
