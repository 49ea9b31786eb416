/**
 * The one table of defaults and limits every command uses: `run` (flags, run.json, its --help), `cluster
 * up`, `bench` and the runtime's own checks. A number here is the number everywhere; change it here.
 */

/** Defaults of a plain `faultline run` (and of `cluster up` where the two overlap). */
export const DEFAULTS = {
  target: 'raftkv',
  workload: 'kv',
  nemesis: ['partition'] as string[],
  nodes: 5,
  concurrency: 10,
  /** client ops/s over all workers; 0 = unlimited */
  rate: 200,
  /** seconds of traffic and faults */
  timeLimit: 60,
  /** seconds between nemesis actions */
  nemesisInterval: 10,
  store: 'store',
  /** ms */
  opTimeout: 5000,
  /** seconds between heal and the final reads */
  quietPeriod: 5,
  keys: 8,
  opsPerKey: 200,
  lossProbability: 0.2,
  /** seconds */
  clockMaxOffset: 30,
  /** seconds the cluster may take to become ready */
  readyTimeout: 120,
  /** seconds the checker may take before answering unknown */
  checkTimeLimit: 300,
} as const;

/** Hard limits, checked before anything is written or started. */
export const LIMITS = {
  /** Nodes per cluster: the runtime names n1..n9 and publishes one port each. */
  nodes: { min: 1, max: 9 },
  concurrency: { min: 1, max: 1000 },
  seed: { min: 0, max: 0xffffffff },
} as const;

/** What `--nemesis` takes for "no faults" (an empty value is refused: it is more often a bug than a wish). */
export const NO_FAULTS = 'none';
