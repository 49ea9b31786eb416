/**
 * A workload: a deterministic stream of client ops, how each op is carried out on a client, the model its
 * history is checked with, and any checks of its own. `verbs` are the client methods it calls; a run
 * refuses a target whose client lacks one before anything starts.
 */
import type { CallOptions, Client } from './client.js';
import { assertShape } from './describe.js';
import type { HistoryOp, Verdict } from './history.js';

/** The seeded random source a workload draws from (same seed, same ops). */
export interface Random {
  /** Uniform float in [0, 1). */
  float(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream derived from this one and `label`. */
  fork(label: string): Random;
}

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
  /** register, kv: the op kinds issued (default read, write, cas); e.g. write,cas for a control without reads. */
  ops?: readonly ('read' | 'write' | 'cas')[];
}

export interface Workload<C extends Client = Client> {
  name: string;
  /** Checker model name. */
  model: string;
  description: string;
  /** The client verbs `apply` calls (read, write, cas, append, or any other method name). */
  verbs: readonly string[];
  stream(rng: Random, options: WorkloadOptions): OpStream;
  /** Carries out `op` and resolves with the completion's value; throws ClientError (or anything) on error. */
  apply(client: C, op: PlannedOp, call: CallOptions): Promise<unknown>;
  /** Checks run in addition to linearizability. `finalPhaseIndex`: first history index of the final reads. */
  check?(history: readonly HistoryOp[], context: { finalPhaseIndex: number }): WorkloadCheck[];
}

/** Checks a workload description; a UsageError lists what is wrong. */
export function defineWorkload<C extends Client = Client>(workload: Workload<C>): Workload<C> {
  return assertShape('workload', workload, {
    name: 'string',
    model: 'string',
    description: 'string',
    verbs: 'string[]',
    stream: 'function',
    apply: 'function',
    check: 'function?',
  });
}
