import { OperationPairer } from '../src/history/pair.js';
import type { HistoryOp, Operation } from '../src/history/types.js';

/** One client op as the report draws it: the checker's Operation, except that `ret` is absent (not
 *  Infinity) for info and never-completed ops, and there is no id. */
export type PairedOp = Omit<Operation, 'id' | 'ret'> & {
  /** ns; undefined for info and never-completed ops. */
  ret?: number;
};

/**
 * Pairs each client invoke with the next completion of the same process, with the one pairer in its lenient
 * mode: a report must render even a malformed or truncated history, so an orphan completion is counted in
 * `problems` and an invoke without completion becomes an unfinished `info` op. Returned in invoke order.
 */
export function pairForReport(history: HistoryOp[], problems: string[]): PairedOp[] {
  const pairer = new OperationPairer({ onProblem: (p) => problems.push(p) });
  for (const raw of history) pairer.add(raw);
  return pairer.finish().map(({ id: _id, ret, ...op }) => (Number.isFinite(ret) ? { ...op, ret } : op));
}
