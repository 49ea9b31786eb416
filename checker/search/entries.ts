import type { Operation } from '../../src/history/types.js';
import { callPoint, compareEvents, returnPoint, type EventPoint } from '../order.js';

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
  const events: { point: EventPoint; op: number; call: boolean }[] = [];
  ops.forEach((op, i) => {
    events.push({ point: callPoint(op), op: i, call: true });
    events.push({ point: returnPoint(op), op: i, call: false });
  });
  events.sort((a, b) => compareEvents(a.point, b.point) || a.op - b.op);
  const head: Entry = { op: -1, match: null, prev: null, next: null };
  const calls: Entry[] = new Array(ops.length);
  const returns: Entry[] = new Array(ops.length);
  let tail = head;
  for (const e of events) {
    const entry: Entry = { op: e.op, match: null, prev: tail, next: null };
    tail.next = entry;
    tail = entry;
    if (e.call) calls[e.op] = entry;
    else returns[e.op] = entry;
  }
  for (let i = 0; i < ops.length; i++) calls[i].match = returns[i];
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
