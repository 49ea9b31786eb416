/**
 * etcd 3.4.23 (Debian's etcd-server/etcd-client) as a target: static bootstrap of n1..nN on the
 * cluster network (peers advertise hostnames, never IPs), readiness through the published client ports,
 * and a client over the v3 JSON gateway. etcd is a Go program, which reads time through the vDSO and not
 * libc, so libfaketime cannot skew it: clock capability is false. Written only against the public API.
 */
import { join } from 'node:path';
import { defineTarget, pollUntil, z, type Cluster, type Endpoint } from '../../src/index.js';
import { EtcdKvClient, etcdHttp } from './client.js';

const CLIENT_PORT = 2379;
const PEER_PORT = 2380;
const DATA_DIR = '/var/lib/etcd';

const options = z.object({
  read: z.enum(['linearizable', 'serializable']).default('linearizable').describe('serializable reads may be stale (a known-invalid setting)'),
});

export interface EtcdStatus {
  memberId: string;
  leaderId: string;
  raftTerm: number;
}

/** Reads member and leader ids from a /v3/maintenance/status body (int64s arrive as strings). */
export function parseStatus(body: unknown): EtcdStatus {
  const b = body as { header?: { member_id?: string }; leader?: string; raftTerm?: string; raft_term?: string };
  return {
    memberId: String(b.header?.member_id ?? ''),
    leaderId: String(b.leader ?? '0'),
    raftTerm: Number(b.raftTerm ?? b.raft_term ?? 0),
  };
}

/** Flags of one node, after Jepsen's etcd suite; `--initial-cluster-state new` is ignored once data exists. */
export function etcdCommand(node: string, nodes: string[]): string[] {
  return [
    '/usr/bin/etcd',
    '--name', node,
    '--data-dir', DATA_DIR,
    '--listen-peer-urls', `http://0.0.0.0:${PEER_PORT}`,
    '--initial-advertise-peer-urls', `http://${node}:${PEER_PORT}`,
    '--listen-client-urls', `http://0.0.0.0:${CLIENT_PORT}`,
    '--advertise-client-urls', `http://${node}:${CLIENT_PORT}`,
    '--initial-cluster', nodes.map((n) => `${n}=http://${n}:${PEER_PORT}`).join(','),
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', 'faultline',
    '--logger', 'zap',
    '--log-outputs', 'stderr',
  ];
}

async function healthy(endpoint: Endpoint, timeoutMs: number): Promise<boolean> {
  const response = await etcdHttp(endpoint).request('GET', '/health', { timeoutMs }).catch(() => undefined);
  return response?.ok === true && (response.json as { health?: string } | undefined)?.health === 'true';
}

async function status(endpoint: Endpoint, timeoutMs: number): Promise<EtcdStatus | undefined> {
  try {
    return parseStatus(await etcdHttp(endpoint).post('/v3/maintenance/status', {}, { timeoutMs }));
  } catch {
    return undefined;
  }
}

async function leaderOf(cluster: Cluster): Promise<string | undefined> {
  const statuses = await Promise.all(cluster.nodes.map((n) => status(cluster.endpoint(n), 1_000)));
  const leaderId = statuses.find((s) => s && s.leaderId !== '0')?.leaderId;
  if (!leaderId) return undefined;
  const index = statuses.findIndex((s) => s?.memberId === leaderId);
  return index >= 0 ? cluster.nodes[index] : undefined;
}

export const etcdTarget = defineTarget({
  name: 'etcd',
  description: 'etcd 3.4.23 (Debian packages), v3 JSON gateway client',
  options,
  capabilities: { partition: true, pause: true, kill: true, clock: false },
  defaultNodes: 3,
  clientPort: CLIENT_PORT,
  image: {
    repository: 'faultline/etcd',
    contextDir: 'docker/etcd',
    async prepare({ debianPackage, sharedLibraries }) {
      const server = await debianPackage('etcd-server');
      const client = await debianPackage('etcd-client');
      const binaries = [join(server, 'usr/bin/etcd'), join(client, 'usr/bin/etcdctl')];
      const files: Record<string, string> = {
        [binaries[0]!]: 'rootfs/usr/bin/etcd',
        [binaries[1]!]: 'rootfs/usr/bin/etcdctl',
      };
      for (const lib of await sharedLibraries(binaries)) files[lib] = `rootfs${lib}`;
      return files;
    },
  },

  node: ({ node, nodes }) => ({ cmd: etcdCommand(node, nodes), env: { ETCDCTL_API: '3' }, dataDir: DATA_DIR, dataFiles: 'member/**' }),

  ready: (cluster, timeoutMs) =>
    pollUntil(
      async () => {
        const health = await Promise.all(cluster.nodes.map((n) => healthy(cluster.endpoint(n), 1_000)));
        const sick = cluster.nodes.filter((_, i) => !health[i]);
        if (sick.length > 0) return `not healthy: ${sick.join(', ')}`;
        return (await leaderOf(cluster)) ? true : 'all members healthy but no leader known';
      },
      { timeoutMs, intervalMs: 200, describe: 'etcd cluster ready' },
    ),

  leader: leaderOf,

  client: (endpoint, values) => new EtcdKvClient(endpoint, { serializableReads: values.read === 'serializable' }),
});

export default etcdTarget;
