/**
 * Which run exposes which raftkv bug knob, and which runs make up the false-alarm soak. A recipe is only
 * the `faultline run` configuration (workload, nemesis, schedule, target options): the checker's verdict is
 * never tuned, only how hard and where the cluster is hit.
 */
import { BUG_KNOBS, type BugName } from '../../raftkv/bugs.js';
import type { RunConfigInput } from '../../src/run/config.js';
import { DEFAULTS } from '../../src/run/defaults.js';

/** A run's fields; nemesis names stay plain strings here because resolveConfig() validates them. */
export type RecipeConfig = Omit<RunConfigInput, 'nemesis'> & { nemesis?: string[] };

export interface RunRecipe {
  /** Short label used in tables and run names. */
  label: string;
  /** What the run should show, in a sentence (why this workload and fault). */
  rationale: string;
  config: RecipeConfig;
}

export interface DetectionRecipe extends RunRecipe {
  knob: BugName;
}

function recipe(knob: BugName, rationale: string, config: RecipeConfig): DetectionRecipe {
  const targetOptions = { ...(config.targetOptions ?? {}), bugs: knob };
  return { knob, label: knob, rationale, config: { target: 'raftkv', ...config, targetOptions } };
}

/** One recipe per knob: the workload and fault that expose it (see raft-targets.md, "raftkv bug knobs"). */
export const DETECTION_RECIPES: Record<BugName, DetectionRecipe> = {
  'stale-reads': recipe('stale-reads', 'a partitioned follower answers reads from its old state', {
    workload: 'register',
    nemesis: ['partition'],
    nemesisInterval: 3,
  }),
  'lease-reads': recipe('lease-reads', "the leader is isolated and its wall clock set back 3-10 s: its Date.now() lease outlives its leadership while the majority elects a new leader and moves on", {
    workload: 'register',
    nemesis: ['clock-isolate'],
    nemesisInterval: 5,
    clockMaxOffset: 10,
    // CheckQuorum also runs on the wall clock under this knob: the skew must land before it fires, and
    // an election timeout of 1-2 s leaves the nemesis' docker exec ample time after the isolation.
    // Workers on the isolated leader block on writes until the server's timeout; 500 ms (not 2 s) and
    // 20 workers let them issue enough reads in the stale window (a 10-worker, 2 s run missed: seed 5).
    concurrency: 20,
    targetOptions: { 'election-ms': '1000-2000', 'request-timeout-ms': '500' },
  }),
  'no-fsync': recipe('no-fsync', 'every node is killed at once: entries acknowledged but still in the in-process buffer vanish', {
    workload: 'set',
    nemesis: ['kill-all'],
    nemesisInterval: 4,
    targetOptions: { 'lazy-flush-ms': '2000' },
  }),
  'vote-without-log-check': recipe('vote-without-log-check', 'a follower is cut off until it lags, then a star partition centred on it leaves it the only node that can gather a majority: correct voters refuse its stale log, buggy ones elect it and its log overwrites committed adds', {
    workload: 'set',
    nemesis: ['lagging-star'],
    nemesisInterval: 2,
    // More load: the lagging node then misses more acknowledged adds per isolation.
    concurrency: 20,
    rate: 400,
  }),
  'commit-old-term': recipe('commit-old-term', 'the Raft paper\'s Figure 8, scripted with partitions and refused client connections: an old-term entry committed by counting replicas is overwritten by a later leader after nodes applied it', {
    workload: 'set',
    nemesis: ['figure8'],
    nemesisInterval: 1,
    // X and Y must be appended after their partition is up, by writes sent during a step of 600 ms. With
    // the server's 2 s timeout every worker was still waiting on a write sent before the cut (stuck, as it
    // cannot commit) for the whole step on a loaded machine, so X was only what had reached C, D and E
    // already, and nothing bit. 500 ms frees them within the step; 20 workers put more writes there.
    concurrency: 20,
    targetOptions: { 'request-timeout-ms': '500' },
  }),
  // The stale suffix is committed only where a follower's log runs past the batch it was just sent (the
  // knob trusts leaderCommit up to its own last index): one entry per AppendEntries (max-batch=1) makes
  // every deposed leader with two or more unreplicated entries such a follower once the partition heals.
  'no-truncate': recipe('no-truncate', "the leader is isolated and keeps appending; after the heal it is sent one entry per message and commits the rest of its stale suffix up to leaderCommit", {
    workload: 'set',
    nemesis: ['partition-leader'],
    nemesisInterval: 2,
    targetOptions: { 'max-batch': '1' },
  }),
  'ack-before-commit': recipe('ack-before-commit', 'a leader cut off or killed acknowledges writes that never commit', {
    workload: 'register',
    nemesis: ['partition', 'kill'],
    // The matrix was measured with one family per cycle; composed runs are the soak's.
    nemesisMode: 'one-at-a-time',
    nemesisInterval: 3,
  }),
  'no-dedup': recipe('no-dedup', "the leader is killed while followers proxy appends to it; they re-send them to the next leader, and without sessions an append already replicated applies twice", {
    workload: 'set',
    nemesis: ['kill-leader'],
    nemesisInterval: 1.5,
    concurrency: 20,
    rate: 400,
  }),
};

export const KNOB_NAMES = Object.keys(BUG_KNOBS) as BugName[];

/**
 * What Faultline found in real systems (README, "What it found in real systems"): the run that shows each
 * finding, detected when its verdict is invalid. NATS JetStream 2.9.10 (Debian's nats-server) on 3 nodes.
 * Reads and cas are kept apart (--ops) so each row has one cause: read,write rows cannot fail by the cas race.
 */
export const FINDING_RECIPES: RunRecipe[] = [
  {
    label: 'nats direct reads',
    rationale: 'kv.get on a bucket with direct get (the default) is answered by the replica the client is connected to, which may not have applied a put already acknowledged: stale reads with no faults',
    config: { target: 'nats', nodes: 3, workload: 'register', ops: ['read', 'write'], nemesis: [] },
  },
  {
    label: 'nats leader reads partition-leader',
    rationale: 'reads served by the stream leader (allow_direct false): the isolated old leader keeps answering while the majority elects a new one and moves on',
    config: { target: 'nats', nodes: 3, workload: 'register', ops: ['read', 'write'], nemesis: ['partition-leader'], targetOptions: { read: 'leader' } },
  },
  {
    label: 'nats cas race',
    rationale: 'concurrent KV updates expecting the same revision: the leader checks Nats-Expected-Last-Subject-Sequence before proposing, not when applying, so several are accepted (nats-server issue 4320, fixed in 2.9.21)',
    config: { target: 'nats', nodes: 3, workload: 'register', ops: ['write', 'cas'], nemesis: [], targetOptions: { read: 'leader' } },
  },
];

/** `knob`'s detection recipe with the knob off, labelled by its nemesis, e.g. "raftkv figure8". */
export function controlFor(knob: BugName): RunRecipe {
  const { config } = DETECTION_RECIPES[knob];
  const { bugs: _bugs, ...targetOptions } = config.targetOptions ?? {};
  return {
    label: `raftkv ${(config.nemesis ?? []).join('+')}`,
    rationale: `correct raftkv under the ${knob} recipe (${config.workload} workload): control for ${knob}`,
    config: { ...config, targetOptions },
  };
}

/** The false-alarm soak: correct targets under every fault they support. Any invalid verdict is a bug. */
export const SOAK_RECIPES: RunRecipe[] = [
  ...(['partition', 'pause', 'kill', 'clock', 'loss'] as const).map((n) => ({
    label: `raftkv ${n}`,
    rationale: `correct raftkv under ${n}`,
    config: { target: 'raftkv', workload: 'register', nemesis: [n], nemesisInterval: 5 } as RecipeConfig,
  })),
  // etcd's clock is not affected (Go reads time through the vDSO, not libc: see clock-isolate.ts).
  ...(['partition', 'kill', 'pause', 'loss', 'lagging-star', 'figure8'] as const).map((n) => ({
    label: `etcd ${n}`,
    rationale: `correct etcd 3.4 under ${n}`,
    config: { target: 'etcd', workload: 'register', nemesis: [n], nemesisInterval: 5 } as RecipeConfig,
  })),
  // Every family at once, each on its own schedule (faults overlap): partitions while nodes restart,
  // paused leaders while clocks drift.
  {
    label: 'raftkv composed',
    rationale: 'correct raftkv under partition, kill, pause and clock together, each on its own schedule',
    config: { target: 'raftkv', workload: 'register', nemesis: ['partition', 'kill', 'pause', 'clock'], nemesisMode: 'composed', nemesisInterval: 5 } as RecipeConfig,
  },
  {
    label: 'etcd composed',
    rationale: 'correct etcd 3.4 under partition, kill, pause and clock together (clock: not affected)',
    config: { target: 'etcd', workload: 'register', nemesis: ['partition', 'kill', 'pause', 'clock'], nemesisMode: 'composed', nemesisInterval: 5 } as RecipeConfig,
  },
  // Disk faults on a minority: what each database does with a damaged data file (recovered, refused to
  // start, served, lost acknowledged writes). The set workload shows lost acknowledged adds directly;
  // etcd's client has no append, so its lost writes show as reads of overwritten values (register).
  ...([['raftkv', 'set'], ['etcd', 'register']] as const).map(([target, workload]) => ({
    label: `${target} disk`,
    rationale: `${target} under disk faults (truncate, bit flips, removed file) on a minority of nodes`,
    config: { target, workload, nemesis: ['disk'], nemesisInterval: 5 } as RecipeConfig,
  })),
  // Controls for the focused recipes: the same run with the knob off (a false alarm there would mean the
  // recipe, not the bug, produced the anomaly).
  ...(['no-fsync', 'lease-reads', 'vote-without-log-check', 'commit-old-term', 'no-truncate'] as const).map(controlFor),  // NATS JetStream where it held (see FINDING_RECIPES for where it did not): leader-served reads without
  // faults, and acknowledged adds across process kills. One set client: concurrent appends lose adds to
  // the cas race alone, with no fault at all.
  {
    label: 'nats leader reads',
    rationale: 'NATS reads served by the stream leader, no faults: the control for the direct-read finding',
    config: { target: 'nats', nodes: 3, workload: 'register', ops: ['read', 'write'], nemesis: [], targetOptions: { read: 'leader' } } as RecipeConfig,
  },
  // Disk faults on one NATS node (its message blocks: stream data and the Raft logs under _js_), one set
  // client as above: what JetStream does with a damaged block, and whether an acknowledged add is lost.
  {
    label: 'nats disk',
    rationale: 'NATS under disk faults (truncated, bit-flipped or removed message blocks) on a minority of nodes, one client',
    config: { target: 'nats', nodes: 3, workload: 'set', concurrency: 1, nemesis: ['disk'], nemesisInterval: 5, targetOptions: { read: 'leader' } } as RecipeConfig,
  },
  ...(['kill', 'kill-leader', 'kill-all'] as const).map((n) => ({
    label: `nats ${n}`,
    rationale: `NATS acknowledged adds (each a cas on the key's revision) across ${n}, one client`,
    config: { target: 'nats', nodes: 3, workload: 'set', concurrency: 1, nemesis: [n], targetOptions: { read: 'leader' } } as RecipeConfig,
  })),
];

/** Fields every bench run shares unless a recipe or the caller says otherwise. */
export const BENCH_DEFAULTS: RunConfigInput = {
  nodes: DEFAULTS.nodes,
  concurrency: DEFAULTS.concurrency,
  rate: DEFAULTS.rate,
  readyTimeout: DEFAULTS.readyTimeout,
  // Shorter than a single run's: a bench is many runs, and its verdicts come from short histories.
  quietPeriod: 3,
  checkTimeLimit: 120,
};
