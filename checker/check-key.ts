import type { Operation } from '../src/history/types.js';
import { buildCounterexample } from './counterexample.js';
import { LinearizabilitySearch, searchLinearizable } from './search/wgl.js';
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
  return new KeySearch(model, key, ops, budget).run() as KeyResult;
}

/**
 * One key's search that can be run in slices (see LinearizabilitySearch.run), so a scheduler can
 * interleave keys; the counterexample is built in the slice that finds the key invalid.
 */
export class KeySearch {
  private readonly search: LinearizabilitySearch;
  private ms = 0;
  private result: KeyResult | undefined;

  constructor(
    private readonly model: Model,
    readonly key: string | null,
    readonly ops: Operation[],
    private readonly budget: KeyCheckBudget,
  ) {
    this.search = new LinearizabilitySearch(model, ops, { deadline: budget.deadline, maxHeapBytes: budget.maxHeapBytes });
  }

  get statesExplored(): number {
    return this.search.statesExplored;
  }

  /** Works until the key is decided (the result) or Date.now() passes `until` (undefined). */
  run(until = Infinity): KeyResult | undefined {
    if (this.result) return this.result;
    const started = Date.now();
    const search = this.search.run(until);
    if (!search) {
      this.ms += Date.now() - started;
      return undefined;
    }
    const result: KeyResult = {
      key: this.key,
      valid: search.valid,
      ops: this.ops.length,
      ms: 0,
      algorithm: 'search',
      statesExplored: search.statesExplored,
    };
    if (search.reason) result.reason = search.reason;
    if (search.valid === false) {
      result.counterexample = buildCounterexample(this.model, this.key, search, { deadline: shrinkDeadline(this.budget) });
    }
    result.ms = this.ms + Date.now() - started;
    this.result = result;
    return result;
  }
}

/** A counterexample for a key another procedure (the register decider) found invalid without one. */
export function counterexampleBySearch(model: Model, key: string | null, ops: Operation[], shrinkMs = 3000): KeyResult['counterexample'] {
  const search = searchLinearizable(model, ops, { deadline: Date.now() + shrinkMs });
  if (search.valid !== false) return undefined;
  return buildCounterexample(model, key, search, { deadline: Date.now() + shrinkMs });
}
