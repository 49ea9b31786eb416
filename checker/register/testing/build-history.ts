import type { Operation } from '../../../src/history/types.js';

/** [process, f, value, status, call, ret]: value is the write/cas input, or what an ok read returned. */
export type OpSpec = [number, 'read' | 'write' | 'cas', unknown, 'ok' | 'info' | 'fail', number, number];

/**
 * Operations from compact specs, with raw indices in time order (at equal times a call is logged before a
 * return, so touching ops count as concurrent).
 */
export function buildHistory(specs: OpSpec[]): Operation[] {
  const ops: Operation[] = specs.map(([process, f, value, status, call, ret], id) => ({
    id,
    process,
    f,
    input: f === 'read' ? null : value,
    output: status !== 'ok' ? undefined : value,
    status,
    call,
    ret: status === 'info' ? Infinity : ret,
    invokeIndex: 0,
  }));
  const events = ops.flatMap((op, i) => [
    { t: op.call, end: 0, op: i },
    { t: specs[i][5], end: 1, op: i },
  ]);
  events.sort((a, b) => a.t - b.t || a.end - b.end || a.op - b.op);
  events.forEach((e, i) => {
    if (e.end) ops[e.op].completeIndex = i;
    else ops[e.op].invokeIndex = i;
  });
  ops.sort((a, b) => a.invokeIndex - b.invokeIndex);
  ops.forEach((op, i) => (op.id = i));
  return ops;
}
