/**
 * What a workload is: a deterministic stream of client ops, how each op is carried out on a KvClient,
 * the model its history is checked with, and any extra checks of its own (set: lost/phantom elements).
 */
import type { Prng } from '../src/generator/prng.js';
import type { HistoryOp } from '../src/history/types.js';
import type { ClientCallOptions, KvClient } from '../src/targets/target.js';
import type { Verdict } from '../checker/types.js';

/** An op before it is recorded: what the invoke line will say. `key` is absent for single-object workloads. */
export interface PlannedOp {
  f: string;
  key?: string;
  value: unknown;
}

export interface WorkloadCheck {
  name: string;
  valid: Verdict;
  details: unknown;
}

/** The ops one run issues. Same seed, same sequence of `next()` results. */
export interface OpStream {
  next(): PlannedOp;
  /** Reads issued on every node after heal and the quiet period (recorded like any other op). */
  finalReads(): PlannedOp[];
}

export interface WorkloadOptions {
  /** kv: keys written at the same time. */
  activeKeys: number;
  /** kv: ops a key sees before it is retired for a fresh one (Jepsen's independent keys). */
  opsPerKey: number;
}

export interface Workload {
  name: string;
  /** Checker model name, as checker/models getModel() knows it. */
  model: string;
  description: string;
  /** The client method the workload cannot do without (set needs append). */
  requires?: 'append';
  stream(rng: Prng, options: WorkloadOptions): OpStream;
  /** Carries out `op` and resolves with the completion's value; throws ClientError (or anything) on error. */
  apply(client: KvClient, op: PlannedOp, call: ClientCallOptions): Promise<unknown>;
  /** Workload checks run in addition to linearizability. `finalPhaseIndex`: first history index of the final reads. */
  check?(history: readonly HistoryOp[], context: { finalPhaseIndex: number }): WorkloadCheck[];
}
