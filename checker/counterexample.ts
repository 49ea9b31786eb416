import type { Operation } from '../src/history/types.js';
import { coherenceFilter } from './coherence.js';
import { explainFailure, stuckOp } from './explain.js';
import { callPoint, compareEvents, returnPoint } from './order.js';
import { shrinkHistory } from './shrink.js';
import { searchLinearizable, type SearchResult } from './search/wgl.js';
import type { Counterexample, Model } from './types.js';

export interface CounterexampleBudget {
  /** Absolute Date.now() by which shrinking must stop. */
  deadline: number;
}

/**
 * Builds the counterexample for a key the search found not linearizable: the op it got stuck on, the
 * longest partial linearizations (with the state after each step), and a shrunk sub-history explained in words.
 */
export function buildCounterexample(
  model: Model,
  key: string | null,
  search: SearchResult,
  budget: CounterexampleBudget,
): Counterexample {
  const stuck = stuckOp(search) ?? search.ops[0];
  const partialLinearizations = search.longest.map((p) =>
    p.order.map((pos, j) => ({ opId: search.ops[pos].id, state: model.describeState(p.states[j]) })),
  );
  // Ops invoked after the stuck op returned must follow it, so they cannot rescue it: start from the prefix.
  const stuckReturn = returnPoint(stuck);
  const prefix = search.ops.filter((op) => compareEvents(callPoint(op), stuckReturn) < 0);
  const start = searchLinearizable(model, prefix, { deadline: budget.deadline, keepPartials: 0 }).valid === false ? prefix : search.ops;
  const shrunk = shrinkHistory(model, start, { deadline: budget.deadline, admissible: coherenceFilter(model, start) });
  const minimal: Operation[] = shrunk.ops;
  const minimalSearch = searchLinearizable(model, minimal, { keepPartials: 1, deadline: Math.max(budget.deadline, Date.now() + 1000) });
  return {
    key,
    op: stuck,
    partialLinearizations,
    minimal,
    explanation: explainFailure(model, key, minimal, minimalSearch, shrunk.minimal, search.ops),
  };
}

/** A counterexample for a key another procedure (the register or set procedure) found invalid without one. */
export function counterexampleBySearch(model: Model, key: string | null, ops: Operation[], shrinkMs = 3000): Counterexample | undefined {
  const search = searchLinearizable(model, ops, { deadline: Date.now() + shrinkMs });
  if (search.valid !== false) return undefined;
  return buildCounterexample(model, key, search, { deadline: Date.now() + shrinkMs });
}
