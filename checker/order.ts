import type { Operation } from '../src/history/types.js';

/**
 * Real-time order of call/return events. Times decide first; on equal times the raw history index decides
 * (the log order is the true order of events, invokes are journaled before dispatch and completions after),
 * and without indices a call sorts before a return, so ties count as concurrent (the lenient reading).
 * Both the search and the brute-force oracle use this one definition, so they agree on every tie.
 */
export interface EventPoint {
  time: number;
  index: number | undefined;
  isCall: boolean;
}

export function callPoint(op: Operation): EventPoint {
  return { time: op.call, index: op.invokeIndex, isCall: true };
}

export function returnPoint(op: Operation): EventPoint {
  // info ops return "at +infinity": they may take effect any time after their call.
  if (op.status === 'info' || !Number.isFinite(op.ret)) return { time: Infinity, index: undefined, isCall: false };
  return { time: op.ret, index: op.completeIndex, isCall: false };
}

export function compareEvents(a: EventPoint, b: EventPoint): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.index !== undefined && b.index !== undefined && a.index !== b.index) return a.index - b.index;
  if (a.isCall !== b.isCall) return a.isCall ? -1 : 1;
  return 0;
}

/** True when `a` certainly finished before `b` began, so every linearization must put `a` first. */
export function precedes(a: Operation, b: Operation): boolean {
  return compareEvents(returnPoint(a), callPoint(b)) < 0;
}
