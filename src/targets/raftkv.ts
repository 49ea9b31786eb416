/**
 * raftkv, Faultline's own Raft key-value server (raftkv/), as the default target. The image is the offline
 * Node base plus the compiled server (dist/raftkv/{server,core,bugs.js}); it has no npm dependencies.
 * Bug knobs are chosen per run with `--target-opt bugs=stale-reads,no-fsync`.
 */
import { UsageError } from '../cli/errors.js';
import { BUG_KNOBS, parseBugs, UnknownBugError } from '../../raftkv/bugs.js';
import { RaftkvClient } from '../../raftkv/client.js';
import type { Cluster, ImageRecipe } from '../runtime/types.js';
import type { Endpoint, Target, TargetOptions } from './target.js';

const CLIENT_PORT = 8000;
const PEER_PORT = 7000;
const DATA_DIR = '/data';

/** --target-opt name -> the server's environment variable (validated by the server too). */
const OPTION_ENV: Record<string, string> = {
  bugs: 'RAFTKV_BUGS',
  'election-ms': 'RAFTKV_ELECTION_MS',
  'heartbeat-ms': 'RAFTKV_HEARTBEAT_MS',
  'lease-ms': 'RAFTKV_LEASE_MS',
  'snapshot-every': 'RAFTKV_SNAPSHOT_EVERY',
  'request-timeout-ms': 'RAFTKV_REQUEST_TIMEOUT_MS',
  'lazy-flush-ms': 'RAFTKV_LAZY_FLUSH_MS',
  'max-batch': 'RAFTKV_MAX_BATCH',
};

interface RaftkvStatus {
  id: string;
  role: 'leader' | 'follower' | 'candidate';
  term: number;
  leader: string | null;
}

async function status(endpoint: Endpoint, timeoutMs: number): Promise<RaftkvStatus | undefined> {
  try {
    const res = await fetch(`http://${endpoint.host}:${endpoint.port}/status`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return (await res.json()) as RaftkvStatus;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The leader of the highest term any node reports itself leading in. */
export function leaderFromStatuses(nodes: string[], statuses: (RaftkvStatus | undefined)[]): string | undefined {
  let best: { node: string; term: number } | undefined;
  statuses.forEach((s, i) => {
    if (s?.role === 'leader' && (!best || s.term > best.term)) best = { node: nodes[i]!, term: s.term };
  });
  return best?.node;
}

export const raftkvTarget: Target = {
  name: 'raftkv',
  description: "Faultline's reference Raft key-value server (TypeScript), with switchable bug knobs",
  clientPort: CLIENT_PORT,
  capabilities: { partition: true, pause: true, kill: true, clock: true },
  defaultNodes: 5,

  async imageRecipe(): Promise<ImageRecipe> {
    return {
      repository: 'faultline/raftkv',
      contextDir: 'docker/node-app',
      files: {
        'dist/raftkv/server': 'app/raftkv/server',
        'dist/raftkv/core': 'app/raftkv/core',
        'dist/raftkv/bugs.js': 'app/raftkv/bugs.js',
      },
    };
  },

  nodeSpec(node, nodes, options) {
    const env: Record<string, string> = {
      RAFTKV_ID: node,
      RAFTKV_PEERS: nodes.map((n) => `${n}=${n}:${PEER_PORT}`).join(','),
      RAFTKV_PORT: String(CLIENT_PORT),
      RAFTKV_PEER_PORT: String(PEER_PORT),
      RAFTKV_DATA: DATA_DIR,
    };
    for (const [key, value] of Object.entries(options)) env[OPTION_ENV[key]!] = value;
    return { cmd: ['node', '/app/raftkv/server/main.js'], env, dataDir: DATA_DIR };
  },

  async waitReady(cluster: Cluster, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      const statuses = await Promise.all(cluster.nodes.map((n) => status(cluster.endpoint(n), 1_000)));
      const silent = cluster.nodes.filter((_, i) => !statuses[i]);
      const leader = leaderFromStatuses(cluster.nodes, statuses);
      if (silent.length > 0) last = `no status from ${silent.join(', ')}`;
      else if (!leader) last = 'every node answers but none leads';
      else if (statuses.some((s) => s!.leader !== leader)) last = `not every node follows ${leader} yet`;
      else return;
      await sleep(100);
    }
    throw new Error(`raftkv not ready after ${timeoutMs} ms (${last})`);
  },

  async leader(cluster: Cluster): Promise<string | undefined> {
    const statuses = await Promise.all(cluster.nodes.map((n) => status(cluster.endpoint(n), 1_000)));
    return leaderFromStatuses(cluster.nodes, statuses);
  },

  client(endpoint: Endpoint) {
    return new RaftkvClient(endpoint);
  },

  validateOptions(options: TargetOptions): void {
    for (const [key, value] of Object.entries(options)) {
      if (!(key in OPTION_ENV)) {
        throw new UsageError(`raftkv has no target option "${key}"`, `known options: ${Object.keys(OPTION_ENV).join(', ')}`);
      }
      if (key === 'bugs') {
        try {
          parseBugs(value);
        } catch (err) {
          if (err instanceof UnknownBugError) {
            throw new UsageError(`unknown raftkv bug knob(s): ${err.names.join(', ')}`, `known knobs: ${Object.keys(BUG_KNOBS).join(', ')}`);
          }
          throw err;
        }
      }
    }
  },
};
