/**
 * raftkv, Faultline's own Raft key-value server (raftkv/), as the default target. The image is the offline
 * Node base plus the compiled server (dist/raftkv/{server,core,bugs.js}); it has no npm dependencies.
 * Bug knobs are chosen per run with `--target-opt bugs=stale-reads,no-fsync`.
 * Written only against Faultline's public API, like a target in your own project.
 */
import { BUG_KNOBS, parseBugs, UnknownBugError } from '../../raftkv/bugs.js';
import { RaftkvClient, type RaftkvStatus } from '../../raftkv/client.js';
import { defineTarget, pollUntil, z, type Cluster } from '../../src/index.js';

const CLIENT_PORT = 8000;
const PEER_PORT = 7000;
const DATA_DIR = '/data';

const positiveInt = z.number().int().positive();

/** --target-opt name -> schema; each becomes the server's RAFTKV_* variable (validated by the server too). */
const options = z.object({
  bugs: z
    .string()
    .superRefine((value, ctx) => {
      try {
        parseBugs(value);
      } catch (err) {
        if (!(err instanceof UnknownBugError)) throw err;
        ctx.addIssue({ code: 'custom', message: `unknown raftkv bug knob(s): ${err.names.join(', ')}; known knobs: ${Object.keys(BUG_KNOBS).join(', ')}` });
      }
    })
    .optional()
    .describe('bug knobs to switch on, comma-separated'),
  'election-ms': z.string().regex(/^\d+-\d+$/, 'expected "min-max" in milliseconds, e.g. 300-600').optional().describe('election timeout range "min-max"'),
  'heartbeat-ms': positiveInt.optional(),
  'lease-ms': positiveInt.optional(),
  'snapshot-every': positiveInt.optional(),
  'request-timeout-ms': positiveInt.optional(),
  'lazy-flush-ms': positiveInt.optional(),
  'max-batch': positiveInt.optional(),
});

const envName = (option: string) => `RAFTKV_${option.toUpperCase().replace(/-/g, '_')}`;

async function statuses(cluster: Cluster): Promise<(RaftkvStatus | undefined)[]> {
  return Promise.all(cluster.nodes.map((n) => new RaftkvClient(cluster.endpoint(n)).status({ timeoutMs: 1_000 }).catch(() => undefined)));
}

/** The leader of the highest term any node reports itself leading in. */
export function leaderFromStatuses(nodes: string[], all: (Pick<RaftkvStatus, 'role' | 'term'> | undefined)[]): string | undefined {
  let best: { node: string; term: number } | undefined;
  all.forEach((s, i) => {
    if (s?.role === 'leader' && (!best || s.term > best.term)) best = { node: nodes[i]!, term: s.term };
  });
  return best?.node;
}

export const raftkvTarget = defineTarget({
  name: 'raftkv',
  description: "Faultline's reference Raft key-value server (TypeScript), with switchable bug knobs",
  options,
  capabilities: { partition: true, pause: true, kill: true, clock: true },
  defaultNodes: 5,
  clientPort: CLIENT_PORT,
  // Relative paths are inside the Faultline package: the recipe directory and the compiled server.
  image: {
    repository: 'faultline/raftkv',
    contextDir: 'docker/node-app',
    files: {
      'dist/raftkv/server': 'app/raftkv/server',
      'dist/raftkv/core': 'app/raftkv/core',
      'dist/raftkv/bugs.js': 'app/raftkv/bugs.js',
    },
  },

  node({ node, nodes, options: values }) {
    const env: Record<string, string> = {
      RAFTKV_ID: node,
      RAFTKV_PEERS: nodes.map((n) => `${n}=${n}:${PEER_PORT}`).join(','),
      RAFTKV_PORT: String(CLIENT_PORT),
      RAFTKV_PEER_PORT: String(PEER_PORT),
      RAFTKV_DATA: DATA_DIR,
    };
    for (const [key, value] of Object.entries(values)) if (value !== undefined) env[envName(key)] = String(value);
    return { cmd: ['node', '/app/raftkv/server/main.js'], env, dataDir: DATA_DIR, dataFiles: 'wal-*.log' };
  },

  ready: (cluster, timeoutMs) =>
    pollUntil(
      async () => {
        const all = await statuses(cluster);
        const silent = cluster.nodes.filter((_, i) => !all[i]);
        const leader = leaderFromStatuses(cluster.nodes, all);
        if (silent.length > 0) return `no status from ${silent.join(', ')}`;
        if (!leader) return 'every node answers but none leads';
        if (all.some((s) => s!.leader !== leader)) return `not every node follows ${leader} yet`;
        return true;
      },
      { timeoutMs, intervalMs: 100, describe: 'raftkv cluster ready' },
    ),

  leader: async (cluster) => leaderFromStatuses(cluster.nodes, await statuses(cluster)),

  client: (endpoint) => new RaftkvClient(endpoint),
});

export default raftkvTarget;
