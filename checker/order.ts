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

/** info ops return "at +infinity": they may take effect any time after their call. */
export function returnsAtInfinity(op: Operation): boolean {
  return op.status === 'info' || !Number.isFinite(op.ret);
}

export function returnPoint(op: Operation): EventPoint {
  if (returnsAtInfinity(op)) return { time: Infinity, index: undefined, isCall: false };
  return { time: op.ret, index: op.completeIndex, isCall: false };
}

export function compareEvents(a: EventPoint, b: EventPoint): number {
  return compareEventFields(a.time, a.index ?? NaN, a.isCall, b.time, b.index ?? NaN, b.isCall);
}

/**
 * compareEvents on the events' fields, an unknown index as NaN: for the search's event list, which keeps
 * its events in typed arrays (an object per event was a fifth of what checking a corpus allocated).
 */
export function compareEventFields(aTime: number, aIndex: number, aCall: boolean, bTime: number, bIndex: number, bCall: boolean): number {
  if (aTime !== bTime) return aTime < bTime ? -1 : 1;
  if (!Number.isNaN(aIndex) && !Number.isNaN(bIndex) && aIndex !== bIndex) return aIndex - bIndex;
  if (aCall !== bCall) return aCall ? -1 : 1;
  return 0;
}

/** True when `a` certainly finished before `b` began, so every linearization must put `a` first. */
export function precedes(a: Operation, b: Operation): boolean {
  return compareEvents(returnPoint(a), callPoint(b)) < 0;
}
