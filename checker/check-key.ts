import type { Operation } from '../src/history/types.js';
import { LinearizabilitySearch, type SearchResult } from './search/wgl.js';
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

/**
 * One key's search that can be run in slices (see LinearizabilitySearch.run), so a scheduler can
 * interleave keys. `run` gives the verdict; `complete` adds the counterexample to an invalid one (its code is
 * loaded only then: most checks never need it).
 */
export class KeySearch {
  private search: LinearizabilitySearch;
  /** The search runs on fingerprints first (a fraction of the memory); an invalid answer is settled exactly. */
  private exact = false;
  private ms = 0;
  private result: KeyResult | undefined;
  private found: SearchResult | undefined;

  constructor(
    private readonly model: Model,
    readonly key: string | null,
    readonly ops: Operation[],
    private readonly budget: KeyCheckBudget,
  ) {
    this.search = new LinearizabilitySearch(model, ops, { deadline: budget.deadline, maxHeapBytes: budget.maxHeapBytes, fingerprints: true, keepPartials: 0 });
  }

  get statesExplored(): number {
    return this.search.statesExplored;
  }

  /** Works until the key is decided (the result, without its counterexample) or Date.now() passes `until` (undefined). */
  run(until = Infinity): KeyResult | undefined {
    if (this.result) return this.result;
    const started = Date.now();
    let search = this.search.run(until);
    if (search?.valid === false && !this.exact) {
      // Fingerprints can only hide a linearization, never invent one: "invalid" is searched again exactly.
      this.exact = true;
      this.search = new LinearizabilitySearch(this.model, this.ops, { deadline: this.budget.deadline, maxHeapBytes: this.budget.maxHeapBytes });
      search = this.search.run(until);
    }
    this.ms += Date.now() - started;
    if (!search) return undefined;
    const result: KeyResult = {
      key: this.key,
      valid: search.valid,
      ops: this.ops.length,
      ms: this.ms,
      algorithm: 'search',
      statesExplored: search.statesExplored,
    };
    if (search.reason) result.reason = search.reason;
    this.found = search;
    this.result = result;
    return result;
  }

  /** The result of run() with the counterexample when the key is invalid (shrinking counts in its ms). */
  async complete(result: KeyResult): Promise<KeyResult> {
    if (result.valid !== false || result.counterexample || !this.found) return result;
    const started = Date.now();
    const { buildCounterexample } = await import('./counterexample.js');
    result.counterexample = buildCounterexample(this.model, this.key, this.found, { deadline: shrinkDeadline(this.budget) });
    result.ms += Date.now() - started;
    return result;
  }
}
