/**
 * etcd 3.4.23 (Debian's etcd-server/etcd-client) as a target: static bootstrap of n1..nN on the
 * cluster network (peers advertise hostnames, never IPs), readiness through the published client ports,
 * and a KvClient over the v3 JSON gateway. etcd is a Go program, which reads time through the vDSO and
 * not libc, so libfaketime cannot skew it: clock capability is false.
 */
import { join } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { unpackedPackage } from '../runtime/images/debian-packages.js';
import { sharedLibraries } from '../runtime/images/ldd.js';
import type { Cluster, ImageRecipe } from '../runtime/types.js';
import { EtcdKvClient, etcdPost } from './etcd-client.js';
import type { Endpoint, Target, TargetOptions } from './target.js';

const CLIENT_PORT = 2379;
const PEER_PORT = 2380;
const DATA_DIR = '/var/lib/etcd';

/** Target options: name -> allowed values. */
const OPTIONS: Record<string, string[]> = { read: ['linearizable', 'serializable'] };

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
  try {
    const res = await fetch(`http://${endpoint.host}:${endpoint.port}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json()) as { health?: string };
    return res.ok && body.health === 'true';
  } catch {
    return false;
  }
}

async function status(endpoint: Endpoint, timeoutMs: number): Promise<EtcdStatus | undefined> {
  try {
    return parseStatus(await etcdPost(endpoint, '/v3/maintenance/status', {}, timeoutMs));
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const etcdTarget: Target = {
  name: 'etcd',
  description: 'etcd 3.4.23 (Debian packages), v3 JSON gateway client',
  clientPort: CLIENT_PORT,
  capabilities: { partition: true, pause: true, kill: true, clock: false },
  defaultNodes: 3,

  async imageRecipe(): Promise<ImageRecipe> {
    return {
      repository: 'faultline/etcd',
      contextDir: 'docker/etcd',
      async prepare({ cacheDir, log }) {
        const server = await unpackedPackage('etcd-server', cacheDir, log);
        const client = await unpackedPackage('etcd-client', cacheDir, log);
        const binaries = [join(server, 'usr/bin/etcd'), join(client, 'usr/bin/etcdctl')];
        const files: Record<string, string> = {
          [binaries[0]!]: 'rootfs/usr/bin/etcd',
          [binaries[1]!]: 'rootfs/usr/bin/etcdctl',
        };
        for (const lib of await sharedLibraries(binaries)) files[lib] = `rootfs${lib}`;
        return files;
      },
    };
  },

  nodeSpec(node, nodes) {
    return { cmd: etcdCommand(node, nodes), env: { ETCDCTL_API: '3' }, dataDir: DATA_DIR };
  },

  async waitReady(cluster: Cluster, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      const endpoints = cluster.nodes.map((n) => cluster.endpoint(n));
      const health = await Promise.all(endpoints.map((e) => healthy(e, 1_000)));
      const sick = cluster.nodes.filter((_, i) => !health[i]);
      if (sick.length === 0) {
        const leader = await this.leader(cluster);
        if (leader) return;
        last = 'all members healthy but no leader known';
      } else {
        last = `not healthy: ${sick.join(', ')}`;
      }
      await sleep(200);
    }
    throw new Error(`etcd not ready after ${timeoutMs} ms (${last})`);
  },

  async leader(cluster: Cluster): Promise<string | undefined> {
    const statuses = await Promise.all(cluster.nodes.map((n) => status(cluster.endpoint(n), 1_000)));
    const leaderId = statuses.find((s) => s && s.leaderId !== '0')?.leaderId;
    if (!leaderId) return undefined;
    const index = statuses.findIndex((s) => s?.memberId === leaderId);
    return index >= 0 ? cluster.nodes[index] : undefined;
  },

  client(endpoint: Endpoint, options: TargetOptions) {
    return new EtcdKvClient(endpoint, { serializableReads: options.read === 'serializable' });
  },

  validateOptions(options: TargetOptions): void {
    for (const [key, value] of Object.entries(options)) {
      const allowed = OPTIONS[key];
      if (!allowed) {
        throw new UsageError(`etcd has no target option "${key}"`, `known options: ${Object.keys(OPTIONS).map((k) => `${k}=${OPTIONS[k]!.join('|')}`).join(', ')}`);
      }
      if (!allowed.includes(value)) {
        throw new UsageError(`etcd option ${key}=${value} is not one of ${allowed.join(', ')}`, `use --target-opt ${key}=${allowed[0]}`);
      }
    }
  },
};
