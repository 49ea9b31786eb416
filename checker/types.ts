import type { Model as CoreModel } from '../src/core/model.js';
import type { NilReadMeaning } from '../src/history/nil-read.js';
import type { Truncation } from '../src/history/truncation.js';
import type { Operation } from '../src/history/types.js';

/**
 * A sequential specification, Porcupine-style: a plain record of functions, nothing to inherit.
 * `step` returns the next state when `op` (with its observed output) is legal in `state`, else undefined.
 * States must be treated as immutable values. This is the public Model of src/core (what a user's
 * `defineModel` describes: name, init, step, hash, equal, describeOp/State, partition, checkOp, isReadOnly)
 * with the abilities the checker reads besides.
 */
export interface Model<S = unknown> extends Omit<CoreModel<S>, 'hash'> {
  /**
   * A cheap hash used by the search's state cache; equal states must hash equally. A 32-bit integer is
   * fastest (the built-ins return one); text is hashed by the search.
   */
  hash(state: S): number | string;
  /**
   * When present, true for an `ok` read that returned nil (null), which Knossos's register models accept in
   * any state and Porcupine's read as "absent". CheckOptions.nilRead chooses; under 'unconstrained' these
   * ops are left out of the check. A model without it has no nil read to interpret.
   */
  isNilRead?(op: Operation): boolean;
  /**
   * The values an op observes (a read's result, a cas's expected value) and produces (a write, a cas's new
   * value, an add), as canonical text (valueKey): lets counterexamples keep a write next to the read that
   * saw it and say where a value came from. Undefined for an op with no such values.
   */
  flow?(op: Operation): ValueFlow | undefined;
  /**
   * An exact decision procedure for one key's sub-history (the register and set procedures), tried before
   * the search: a proof either way, or undefined when the history lacks the structure it needs. It may be
   * async, so a model can load its procedure only when a check needs it (start-up).
   */
  decide?(ops: Operation[], key: string | null, opts: CheckOptions): KeyResult | undefined | Promise<KeyResult | undefined>;
  /**
   * How a worker thread rebuilds this model (functions do not cross threads): the worker imports `module`
   * (a file URL) and calls its export `export` with `args` (structured-clone data), or takes that export as
   * the model itself when it is one (a user's model file). Without it the model's keys are checked in the
   * main thread.
   */
  worker?: ModelRecipe;
}

/** See Model.flow. */
export interface ValueFlow {
  observed: string[];
  produced: string[];
}

/** See Model.worker. */
export interface ModelRecipe {
  module: string;
  export: string;
  args?: unknown[];
}

export type Verdict = true | false | 'unknown';

/** Which procedure decided a (sub-)history. */
export type Algorithm = 'search' | 'register' | 'set' | 'brute-force';

export interface PartialLinearizationStep {
  opId: number;
  /** Model state after this op, described in words. */
  state: string;
}

export interface Counterexample {
  /** The key whose sub-history is not linearizable (null for unkeyed models). */
  key: string | null;
  /** The op that cannot be placed in any order consistent with the others. */
  op: Operation;
  /** Longest partial linearizations found (op ids in linearization order, with the state after each). */
  partialLinearizations: PartialLinearizationStep[][];
  /** A minimal sub-history that is still not linearizable (every op in it is needed). */
  minimal: Operation[];
  /** Plain-language explanation, e.g. "read by p7 returned 17, but write 17 was overwritten by ...". */
  explanation: string;
}

/**
 * A key's verdict; 'not-checked' when the check stopped before deciding it because another key had already
 * made the history invalid (CheckOptions.allKeys checks every key to the end).
 */
export type KeyVerdict = Verdict | 'not-checked';

export interface KeyResult {
  key: string | null;
  valid: KeyVerdict;
  ops: number;
  ms: number;
  algorithm: Algorithm;
  statesExplored?: number;
  /** Why the result is unknown: 'time-limit' | 'memory-limit'. */
  reason?: string;
  counterexample?: Counterexample;
  /** A remark on how the key was decided, e.g. why a forced algorithm fell back to the search. */
  note?: string;
}

export interface CheckResult {
  valid: Verdict;
  model: string;
  /** Client operations checked (invoke/completion pairs, including fail and info). */
  ops: number;
  ms: number;
  /** Per-key results (a single entry with key null for unkeyed models). */
  keys: KeyResult[];
  /** The first invalid key's counterexample, for convenience. */
  counterexample?: Counterexample;
  reason?: string;
  /** What an ok read of nil meant in this check; absent when the model has no such reads. */
  nilRead?: NilReadMeaning;
  /** Ops the checker did not use, by why (see UnusedOps). */
  unused?: UnusedOps;
  /** Client invokes that never completed: checked as indeterminate (they may have taken effect). */
  neverCompleted?: number;
  /** Set when the input was cut off and only its complete ops were checked. */
  truncated?: Truncation;
}

/**
 * Ops the checker does not use. Client ops count once per invoke/completion pair; nemesis ops once per
 * record. Failed ops certainly did not happen; a read whose result is unknown constrains nothing; an ok read
 * of nil constrains nothing under the unconstrained (Knossos) meaning.
 */
export interface UnusedOps {
  nemesis: number;
  failed: number;
  infoReads: number;
  nilReads: number;
}

export interface CheckOptions {
  /** Seconds; the result becomes 'unknown' (never a guess) when it is hit. */
  timeLimit?: number;
  /** Bytes of heap the search may use before giving up with 'unknown'. */
  maxMemory?: number;
  algorithm?: 'auto' | 'search' | 'register';
  /** Worker threads for per-key checking; 0 = in-process. */
  workers?: number;
  /**
   * Decide every key even after one is invalid (for the per-key table); by default the check ends at the
   * first invalid key and the keys not yet decided are 'not-checked'.
   */
  allKeys?: boolean;
  /** What an ok read of nil means (default 'strict'); see src/history/nil-read.ts. */
  nilRead?: NilReadMeaning;
}
