import type { Operation } from '../src/history/types.js';
import { buildCounterexample } from './counterexample.js';
import { searchLinearizable } from './search/wgl.js';
import type { KeyResult, Model } from './types.js';

export interface KeyCheckBudget {
  /** Absolute Date.now() after which the search answers 'unknown'. */
  deadline?: number;
  /** Heap bytes of this isolate above which the search answers 'unknown'. */
  maxHeapBytes?: number;
  /** Milliseconds allowed for shrinking one counterexample (default 3000). */
  shrinkMs?: number;
  /**
   * Absolute Date.now() after which shrinking gets only a token budget, so a history with hundreds of
   * invalid keys does not spend seconds on each (those counterexamples may then be less than minimal).
   */
  shrinkUntil?: number;
}

const TOKEN_SHRINK_MS = 20;

function shrinkDeadline(budget: KeyCheckBudget): number {
  const now = Date.now();
  const own = now + (budget.shrinkMs ?? 3000);
  return budget.shrinkUntil === undefined ? own : Math.min(own, Math.max(budget.shrinkUntil, now + TOKEN_SHRINK_MS));
}

/** Checks one key's sub-history with the search, and builds a counterexample when it is not linearizable. */
export function checkKeyBySearch(model: Model, key: string | null, ops: Operation[], budget: KeyCheckBudget): KeyResult {
  const started = Date.now();
  const search = searchLinearizable(model, ops, { deadline: budget.deadline, maxHeapBytes: budget.maxHeapBytes });
  const result: KeyResult = {
    key,
    valid: search.valid,
    ops: ops.length,
    ms: 0,
    algorithm: 'search',
    statesExplored: search.statesExplored,
  };
  if (search.reason) result.reason = search.reason;
  if (search.valid === false) {
    result.counterexample = buildCounterexample(model, key, search, { deadline: shrinkDeadline(budget) });
  }
  result.ms = Date.now() - started;
  return result;
}

/** A counterexample for a key another procedure (the register decider) found invalid without one. */
export function counterexampleBySearch(model: Model, key: string | null, ops: Operation[], shrinkMs = 3000): KeyResult['counterexample'] {
  const search = searchLinearizable(model, ops, { deadline: Date.now() + shrinkMs });
  if (search.valid !== false) return undefined;
  return buildCounterexample(model, key, search, { deadline: Date.now() + shrinkMs });
}
