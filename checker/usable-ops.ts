import type { NilReadMeaning } from '../src/history/nil-read.js';
import type { Operation } from '../src/history/types.js';
import type { Model, UnusedOps } from './types.js';

export interface SelectedOps {
  /** The ops to check: all of them, except ok nil reads under the unconstrained meaning. Ids are kept. */
  ops: Operation[];
  unused: Omit<UnusedOps, 'nemesis'>;
  neverCompleted: number;
  /** The meaning applied; undefined when the model has no nil reads to interpret. */
  nilRead?: NilReadMeaning;
}

/**
 * Applies the nil-read meaning and counts what the check will not use. Under 'unconstrained' (Knossos) an
 * ok read of nil is legal in every state and changes nothing, so leaving it out cannot change the verdict
 * (any linearization of the rest takes it at any point of its interval) and saves the search the work.
 * Failed ops and reads with an unknown result are counted but kept: the procedures drop them themselves.
 */
export function selectOps(ops: Operation[], model: Model, nilRead: NilReadMeaning = 'strict'): SelectedOps {
  const unused = { failed: 0, infoReads: 0, nilReads: 0 };
  let neverCompleted = 0;
  const dropNil = nilRead === 'unconstrained' && model.isNilRead !== undefined;
  const kept: Operation[] = [];
  for (const op of ops) {
    if (op.completeIndex === undefined) neverCompleted++;
    if (op.status === 'fail') unused.failed++;
    else if (op.status === 'info' && model.isReadOnly?.(op)) unused.infoReads++;
    if (dropNil && model.isNilRead!(op)) {
      unused.nilReads++;
      continue;
    }
    kept.push(op);
  }
  const selected: SelectedOps = { ops: dropNil && unused.nilReads > 0 ? kept : ops, unused, neverCompleted };
  if (model.isNilRead) selected.nilRead = nilRead;
  return selected;
}

/** The CheckResult fields that say what was used: the meaning applied and the counts (nemesis filled in by the caller). */
export function selectionSummary(s: SelectedOps): { nilRead?: NilReadMeaning; unused: UnusedOps; neverCompleted: number } {
  return { ...(s.nilRead ? { nilRead: s.nilRead } : {}), unused: { nemesis: 0, ...s.unused }, neverCompleted: s.neverCompleted };
}
