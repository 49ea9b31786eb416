import type { Operation } from '../../src/history/types.js';
import { compareEventFields, returnsAtInfinity } from '../order.js';

/**
 * One call or return event in the doubly linked list the search walks (Wing & Gong / Lowe). A call entry
 * points at its return entry (`match`); a return entry has match null. `lift` unlinks an op's pair when it
 * is linearized and `unlift` puts it back, both O(1), so backtracking never rebuilds the list.
 */
export interface Entry {
  /** Position of the op in the search's op array. */
  op: number;
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

/** Builds the list in real-time order; returns the sentinel head (op -1). */
export function buildEntries(ops: Operation[]): Entry {
  const n = ops.length;
  // Event e is the call (e even) or the return (e odd) of op e >> 1; its fields live in typed arrays.
  const time = new Float64Array(2 * n);
  const index = new Float64Array(2 * n);
  const events = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const op = ops[i];
    time[2 * i] = op.call;
    index[2 * i] = op.invokeIndex ?? NaN;
    const never = returnsAtInfinity(op);
    time[2 * i + 1] = never ? Infinity : op.ret;
    index[2 * i + 1] = never ? NaN : (op.completeIndex ?? NaN);
    events[2 * i] = 2 * i;
    events[2 * i + 1] = 2 * i + 1;
  }
  events.sort((a, b) => compareEventFields(time[a], index[a], (a & 1) === 0, time[b], index[b], (b & 1) === 0) || (a >> 1) - (b >> 1));
  const head: Entry = { op: -1, match: null, prev: null, next: null };
  const calls: Entry[] = new Array(n);
  const returns: Entry[] = new Array(n);
  let tail = head;
  for (const e of events) {
    const entry: Entry = { op: e >> 1, match: null, prev: tail, next: null };
    tail.next = entry;
    tail = entry;
    if ((e & 1) === 0) calls[e >> 1] = entry;
    else returns[e >> 1] = entry;
  }
  for (let i = 0; i < n; i++) calls[i].match = returns[i];
  return head;
}

export function lift(call: Entry): void {
  const ret = call.match as Entry;
  (call.prev as Entry).next = call.next;
  if (call.next) call.next.prev = call.prev;
  (ret.prev as Entry).next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

export function unlift(call: Entry): void {
  const ret = call.match as Entry;
  (ret.prev as Entry).next = ret;
  if (ret.next) ret.next.prev = ret;
  (call.prev as Entry).next = call;
  if (call.next) call.next.prev = call;
}
