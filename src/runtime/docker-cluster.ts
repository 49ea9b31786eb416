/**
 * The `Cluster` interface over dockerode: N containers n1..nN on a run's own labelled bridge network,
 * each with a named data volume, its client port published on 127.0.0.1 (a remote engine: see
 * engine-address.ts) at a port Docker chooses, and
 * its logs followed into `<logDir>/<node>.log`. Every fault tool runs outside the node's image: iptables
 * in the node's tools sidecar, libfaketime from the tools volume (see tools/sidecar.ts), so a node
 * container needs no shell, no iptables and no NET_ADMIN.
 *
 * Docker picks a new host port when a container restarts, so `endpoint(node)` returns a live object whose
 * `port` always reads the current mapping: clients built before a kill/start keep working.
 */
import type Docker from 'dockerode';
import { mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Endpoint } from '../core/client.js';
import type { Target } from '../core/target.js';
import { nodeSpecOf, type AnyTarget } from './target-shape.js';
import { CALL_TIMEOUT_MS, docker, dockerStatus, withTimeout } from './docker-client.js';
import { engineAddress } from './engine-address.js';
import { execIn } from './exec.js';
import { tarStream } from './images/tar-pack.js';
import { LABEL, names, runLabels } from './labels.js';
import { LogFollower } from './log-follower.js';
import { sweepRun } from './sweep.js';
import { runOnDataVolume, type DataVolumeSpec } from './data-volume.js';
import { containerLibc } from './tools/image-libc.js';
import { FAKETIME_ENV, nodeToolsMount, Sidecar, sidecarCreateOptions, TOOLS_MOUNT } from './tools/sidecar.js';
import type { Cluster, ExecResult } from './types.js';

export { FAKETIME_ENV } from './tools/sidecar.js';

/** The iptables chain Faultline owns in each node; jumped to from INPUT and OUTPUT. Heal = flush it. */
export const FAULTLINE_CHAIN = 'FAULTLINE';

/** Only plain tokens reach the shell: chain names, addresses, flags, numbers. */
const SHELL_SAFE = /^[A-Za-z0-9._:/=-]+$/;

/**
 * One shell script that makes `chain` (jumped to from INPUT) hold exactly `rules`: create the chain and
 * the jump when missing, then replace the chain's contents in one iptables-restore commit. Atomic on
 * purpose: flushing and re-appending left a moment with no rules at all, long enough for a heartbeat or a
 * vote to cross a partition that a scripted nemesis (figure8) was only re-drawing. Every call waits for
 * the xtables lock (`-w`); the script stops at the first failing command.
 */
export function chainRulesScript(chain: string, rules: readonly (readonly string[])[]): string {
  for (const token of [chain, ...rules.flat()]) {
    if (!SHELL_SAFE.test(token)) throw new Error(`unsafe iptables token ${JSON.stringify(token)}`);
  }
  const restoreLines = ['*filter', `:${chain} - [0:0]`, ...rules.map((rule) => `-A ${chain} ${rule.join(' ')}`), 'COMMIT'];
  return [
    `{ iptables -w -N ${chain} 2>/dev/null || true; }`,
    `{ iptables -w -C INPUT -j ${chain} 2>/dev/null || iptables -w -I INPUT 1 -j ${chain}; }`,
    `printf '%s\\n' ${restoreLines.map((l) => `'${l}'`).join(' ')} | iptables-restore -w --noflush`,
  ].join(' && ');
}

export interface DockerClusterSpec {
  runId: string;
  target: AnyTarget;
  nodes: string[];
  image: string;
  /** The image of every node's sidecar (iptables, libfaketime, a shell): Faultline's base image. */
  toolsImage: string;
  logDir: string;
  /** The target's options, already parsed (see target-shape.ts). */
  options: unknown;
  origin: string;
  /** The target file's absolute path, when the target came from a file (recorded as a label). */
  targetSource?: string;
  /**
   * Preload libfaketime into the nodes (only when the run has clock faults: a preloaded library is a
   * change to the program under test). Refused with a clear error on an image without glibc.
   */
  clockFaults?: boolean;
}

/** Refuses a clock fault on an image libfaketime cannot work in, before any node starts. */
async function assertFaketimeWorks(container: Docker.Container, image: string): Promise<void> {
  const { libc, evidence } = await containerLibc(container);
  if (libc === 'glibc') return;
  const why =
    libc === 'musl'
      ? `it is a musl image (${evidence}), and libfaketime is a glibc library: preloading it would stop the program at startup`
      : 'it has no glibc dynamic loader (/lib64/ld-linux-x86-64.so.2): a static program never loads libfaketime';
  throw new UsageError(
    `clock faults cannot work on image ${image}: ${why}`,
    'run without clock faults (drop clock and clock-isolate from --nemesis), or declare the target\'s clock capability false so clock is reported as "not affected"',
  );
}

interface NodeState {
  container: Docker.Container;
  sidecar: Sidecar;
  port: number;
  /** IP on the cluster network, read together with the port after every start. */
  address?: string;
  logs?: LogFollower;
  chainReady: boolean;
}

export class DockerCluster implements Cluster {
  private readonly nodeStates = new Map<string, NodeState>();
  /** Per node: how a disk fault's helper container mounts its data volume (known only to launch()). */
  private readonly dataMounts = new Map<string, Omit<DataVolumeSpec, 'name'>>();

  private constructor(
    readonly runId: string,
    readonly target: Target,
    readonly nodes: string[],
    readonly logDir: string,
  ) {}

  /** Creates network, volumes and containers, starts them and begins following logs. Not readiness. */
  static async launch(spec: DockerClusterSpec, signal?: AbortSignal): Promise<DockerCluster> {
    const d = docker();
    const cluster = new DockerCluster(spec.runId, spec.target as Target, spec.nodes, spec.logDir);
    mkdirSync(spec.logDir, { recursive: true });
    const labels = runLabels(spec.runId, spec.target.name, spec.origin, spec.targetSource);
    const network = names.network(spec.runId);
    await withTimeout(d.createNetwork({ Name: network, Driver: 'bridge', CheckDuplicate: true, Labels: labels }), CALL_TIMEOUT_MS, `create network ${network}`);
    const portKey = `${spec.target.clientPort}/tcp`;
    await Promise.all(
      spec.nodes.map(async (node) => {
        signal?.throwIfAborted();
        const nodeLabels = { ...labels, [LABEL.node]: node };
        const volume = names.volume(spec.runId, node);
        const toolsVolume = names.toolsVolume(spec.runId, node);
        await withTimeout(d.createVolume({ Name: volume, Labels: nodeLabels }), CALL_TIMEOUT_MS, `create volume ${volume}`);
        await withTimeout(d.createVolume({ Name: toolsVolume, Labels: nodeLabels }), CALL_TIMEOUT_MS, `create volume ${toolsVolume}`);
        const nodeSpec = nodeSpecOf(spec.target, node, spec.nodes, spec.options);
        const env = { ...(spec.clockFaults ? FAKETIME_ENV : {}), ...nodeSpec.env };
        const container = await withTimeout(
          d.createContainer({
            name: names.container(spec.runId, node),
            Image: spec.image,
            Hostname: node,
            Cmd: nodeSpec.cmd.length > 0 ? nodeSpec.cmd : undefined, // none given: the image's own CMD
            Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
            Labels: nodeLabels,
            ExposedPorts: { [portKey]: {} },
            HostConfig: {
              NetworkMode: network,
              Init: true,
              Binds: [`${volume}:${nodeSpec.dataDir}`],
              Mounts: [nodeToolsMount(toolsVolume)],
              PortBindings: { [portKey]: [{ HostIp: engineAddress().publishOn, HostPort: '' }] },
            },
            NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [node] } } },
          }),
          CALL_TIMEOUT_MS,
          `create container for ${node}`,
        );
        if (spec.clockFaults && node === spec.nodes[0]) await assertFaketimeWorks(container, spec.image);
        const sidecar = await withTimeout(
          d.createContainer(
            sidecarCreateOptions({
              name: names.sidecar(spec.runId, node),
              toolsImage: spec.toolsImage,
              nodeContainerId: container.id,
              toolsVolume,
              labels: { ...labels, [LABEL.sidecar]: node },
            }),
          ),
          CALL_TIMEOUT_MS,
          `create tools sidecar for ${node}`,
        );
        cluster.nodeStates.set(node, { container, sidecar: new Sidecar(node, sidecar), port: 0, chainReady: false });
        cluster.dataMounts.set(node, { toolsImage: spec.toolsImage, volume, mountPath: nodeSpec.dataDir, labels: nodeLabels });
      }),
    );
    signal?.throwIfAborted();
    await Promise.all(spec.nodes.map((node) => cluster.start(node)));
    return cluster;
  }

  /** A handle on a cluster that already runs (for `cluster status|down`), found by its run id label. */
  static async attach(runId: string, targetFor: (name: string) => Target): Promise<DockerCluster> {
    const d = docker();
    const filters = JSON.stringify({ label: [`${LABEL.run}=${runId}`] });
    const list = await withTimeout(d.listContainers({ all: true, filters }), CALL_TIMEOUT_MS, 'list containers');
    if (list.length === 0) throw new UsageError(`no cluster with run id ${runId}`, 'see `faultline cluster status` for running clusters');
    const targetName = list[0]!.Labels[LABEL.target] ?? '';
    const nodes = list.map((c) => c.Labels[LABEL.node] ?? '').filter(Boolean).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const cluster = new DockerCluster(runId, targetFor(targetName), nodes, '');
    const sidecars = new Map(list.filter((c) => c.Labels[LABEL.sidecar]).map((c) => [c.Labels[LABEL.sidecar]!, d.getContainer(c.Id)]));
    for (const c of list) {
      const node = c.Labels[LABEL.node];
      if (!node) continue;
      // A sidecar missing from an old cluster (made before sidecars existed) fails at its first use only.
      const sidecar = new Sidecar(node, sidecars.get(node) ?? d.getContainer(names.sidecar(runId, node)));
      cluster.nodeStates.set(node, { container: d.getContainer(c.Id), sidecar, port: 0, chainReady: false });
      await cluster.refreshPort(node).catch(() => undefined);
      if (c.State === 'running') sidecar.assumeJoined();
    }
    return cluster;
  }

  private node(node: string): NodeState {
    const s = this.nodeStates.get(node);
    if (!s) throw new Error(`no node ${node} in cluster ${this.runId} (nodes: ${this.nodes.join(', ')})`);
    return s;
  }

  private async refreshPort(node: string): Promise<void> {
    const s = this.node(node);
    const info = await withTimeout(s.container.inspect(), CALL_TIMEOUT_MS, `inspect ${node}`);
    const publishOn = engineAddress().publishOn;
    const binding = info.NetworkSettings.Ports?.[`${this.target.clientPort}/tcp`]?.find((b) => b.HostIp === publishOn || b.HostIp === '' || b.HostIp === '0.0.0.0');
    if (binding) s.port = Number(binding.HostPort);
    const address = info.NetworkSettings.Networks?.[names.network(this.runId)]?.IPAddress;
    s.address = address ? address : undefined;
  }

  endpoint(node: string): Endpoint {
    const s = this.node(node);
    return {
      node,
      host: engineAddress().connectTo,
      get port() {
        return s.port;
      },
    };
  }

  async kill(node: string): Promise<void> {
    const s = this.node(node);
    s.chainReady = false;
    s.address = undefined;
    s.sidecar.nodeStopped();
    await withTimeout(s.container.kill({ signal: 'SIGKILL' }), CALL_TIMEOUT_MS, `kill ${node}`).catch((err: unknown) => {
      if (dockerStatus(err) !== 409) throw err; // 409: not running, which is what kill wants
    });
  }

  async start(node: string): Promise<void> {
    const s = this.node(node);
    s.chainReady = false;
    s.address = undefined;
    try {
      await withTimeout(s.container.start(), CALL_TIMEOUT_MS, `start ${node}`);
    } catch (err) {
      if (dockerStatus(err) === 304) {
        // Already running; its sidecar may still sit in a namespace of an earlier run of the node.
        if (!s.sidecar.isJoined()) await s.sidecar.follow();
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      if (/port is already allocated|address already in use/i.test(message)) {
        throw new UsageError(`cannot start ${node}: a host port is already in use (${message.split('\n')[0]})`, 'stop whatever holds the port, or run `faultline clean` to remove old clusters');
      }
      throw err;
    }
    await s.sidecar.follow();
    await this.refreshPort(node);
    if (this.logDir) {
      s.logs ??= new LogFollower(s.container, this.logPath(node));
      await s.logs.attach();
    }
  }

  async pause(node: string): Promise<void> {
    await withTimeout(this.node(node).container.pause(), CALL_TIMEOUT_MS, `pause ${node}`);
  }

  async unpause(node: string): Promise<void> {
    await withTimeout(this.node(node).container.unpause(), CALL_TIMEOUT_MS, `unpause ${node}`);
  }

  async signal(node: string, signal: string): Promise<void> {
    await withTimeout(this.node(node).container.kill({ signal }), CALL_TIMEOUT_MS, `signal ${signal} to ${node}`);
  }

  exec(node: string, cmd: string[], opts?: { timeoutMs?: number }): Promise<ExecResult> {
    return execIn(this.node(node).container, cmd, opts?.timeoutMs ?? 20_000);
  }

  /** Runs a command with Faultline's tools (iptables, sh) in the node's network namespace. */
  private inNodeNetwork(node: string, cmd: string[]): Promise<ExecResult> {
    return this.node(node).sidecar.execInNodeNetwork(cmd);
  }

  /** Creates the FAULTLINE chain and its jumps once per container start (a restart gets a fresh netns). */
  private async ensureChain(node: string): Promise<void> {
    const s = this.node(node);
    if (s.chainReady) return;
    const script = [
      `iptables -w -N ${FAULTLINE_CHAIN} 2>/dev/null || true`,
      `iptables -w -C INPUT -j ${FAULTLINE_CHAIN} 2>/dev/null || iptables -w -I INPUT -j ${FAULTLINE_CHAIN}`,
      `iptables -w -C OUTPUT -j ${FAULTLINE_CHAIN} 2>/dev/null || iptables -w -I OUTPUT -j ${FAULTLINE_CHAIN}`,
    ].join(' && ');
    const r = await this.inNodeNetwork(node, ['/bin/sh', '-c', script]);
    if (r.exitCode !== 0) throw new Error(`iptables setup in ${node} failed: ${r.stderr.trim()}`);
    s.chainReady = true;
  }

  async iptables(node: string, args: string[]): Promise<void> {
    await this.ensureChain(node);
    const r = await this.inNodeNetwork(node, ['iptables', '-w', ...args]);
    if (r.exitCode !== 0) throw new Error(`iptables ${args.join(' ')} in ${node} failed (${r.exitCode}): ${r.stderr.trim()}`);
  }

  peerHost(node: string): string {
    this.node(node);
    return node;
  }

  async peerAddress(node: string): Promise<string> {
    const s = this.node(node);
    if (!s.address) await this.refreshPort(node);
    if (!s.address) throw new Error(`${node} has no address on network ${names.network(this.runId)} (is it running?)`);
    return s.address;
  }

  async setChainRules(node: string, chain: string, rules: string[][]): Promise<void> {
    const r = await this.inNodeNetwork(node, ['/bin/sh', '-c', chainRulesScript(chain, rules)]);
    if (r.exitCode !== 0) throw new Error(`iptables chain ${chain} in ${node} failed (${r.exitCode}): ${r.stderr.trim().split('\n')[0]}`);
  }

  /**
   * Replaces the file atomically (a temporary name, then rename): libfaketime re-reads its timestamp file
   * on every clock call, and extracting an archive over it leaves a moment with no file, i.e. no offset.
   * Files under /faultline (the tools volume, e.g. the faketime file) are written by the sidecar, so the
   * node's image needs no shell and the write works while the node is down; any other path goes through
   * the archive API plus an `mv` inside the node.
   */
  async writeFile(node: string, path: string, content: string): Promise<void> {
    if (path.startsWith(`${TOOLS_MOUNT}/`)) return this.node(node).sidecar.writeFile(path, content);
    const temporary = `.${posix.basename(path)}.${process.pid}-${Date.now().toString(36)}.tmp`;
    const archive = tarStream([{ type: 'file', path: temporary, content, mode: 0o666 }]);
    await withTimeout(this.node(node).container.putArchive(archive, { path: posix.dirname(path) }), CALL_TIMEOUT_MS, `write ${path} in ${node}`);
    const moved = await this.exec(node, ['mv', '-f', posix.join(posix.dirname(path), temporary), path], { timeoutMs: CALL_TIMEOUT_MS });
    if (moved.exitCode !== 0) throw new Error(`could not write ${path} in ${node}: ${moved.stderr.trim()}`);
  }

  async dataVolume(node: string, cmd: string[], opts?: { timeoutMs?: number }): Promise<ExecResult> {
    const mount = this.dataMounts.get(node);
    if (!mount) throw new Error(`the data volume of ${node} is unknown to this handle (only a cluster launched by this process has it)`);
    const name = `${names.container(this.runId, node)}-disk-${Date.now().toString(36)}`;
    return runOnDataVolume({ ...mount, name }, cmd, opts?.timeoutMs);
  }

  async state(node: string): Promise<'running' | 'paused' | 'exited' | 'missing'> {
    try {
      const info = await withTimeout(this.node(node).container.inspect(), CALL_TIMEOUT_MS, `inspect ${node}`);
      if (info.State.Paused) return 'paused';
      return info.State.Running ? 'running' : 'exited';
    } catch (err) {
      if (dockerStatus(err) === 404) return 'missing';
      throw err;
    }
  }

  logPath(node: string): string {
    return join(this.logDir, `${node}.log`);
  }

  /** Stops following logs (so the process can exit) without touching the containers. */
  async detachLogs(): Promise<void> {
    await Promise.all([...this.nodeStates.values()].map((s) => s.logs?.close()));
    for (const s of this.nodeStates.values()) s.logs = undefined;
  }

  async destroy(): Promise<void> {
    await this.detachLogs();
    await sweepRun(this.runId);
  }
}
