import type { HistoryOp, Operation, ProcessId } from '../src/history/types.js';

/** One client op as the report draws it: the checker's Operation, except that `ret` is absent (not
 *  Infinity) for info and never-completed ops, and there is no id. */
export type PairedOp = Omit<Operation, 'id' | 'ret'> & {
  /** ns; undefined for info and never-completed ops. */
  ret?: number;
};

/**
 * Pairs each client invoke with the next completion of the same process. Unlike the checker's strict
 * pairing this never throws: a report must render even a malformed or truncated history, so an orphan
 * completion is counted in `problems` and an invoke without completion becomes an unfinished `info` op.
 * Returned in invoke order.
 */
export function pairForReport(history: HistoryOp[], problems: string[]): PairedOp[] {
  const ops: PairedOp[] = [];
  const pending = new Map<ProcessId, PairedOp>();
  let orphans = 0;
  for (const raw of history) {
    if (raw.process === 'nemesis') continue;
    const time = Number.isFinite(raw.time) ? raw.time : 0;
    if (raw.type === 'invoke') {
      const op: PairedOp = { process: raw.process, f: raw.f, input: raw.value, output: undefined, status: 'info', call: time, invokeIndex: raw.index };
      if (raw.key !== undefined) op.key = raw.key;
      if (raw.node !== undefined) op.node = raw.node;
      pending.set(raw.process, op); // a second invoke leaves the first one unfinished (info)
      ops.push(op);
      continue;
    }
    const open = pending.get(raw.process);
    if (!open) {
      orphans++;
      continue;
    }
    pending.delete(raw.process);
    open.status = raw.type === 'ok' || raw.type === 'fail' ? raw.type : 'info';
    open.completeIndex = raw.index;
    if (open.status !== 'info') open.ret = Math.max(time, open.call);
    if (open.status === 'ok') open.output = raw.value;
    if (open.key === undefined && raw.key !== undefined) open.key = raw.key;
    if (raw.node !== undefined) open.node = raw.node;
    if (raw.error !== undefined) open.error = raw.error;
  }
  if (orphans > 0) problems.push(`history: ${orphans} completion(s) without an invoke were ignored`);
  return ops;
}
