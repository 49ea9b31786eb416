import type { Operation } from '../../src/history/types.js';

/**
 * Event points as (time, tie) pairs, ordered lexicographically. This reproduces checker/order.ts exactly
 * (equal times are decided by the raw history index when both events have one, and otherwise a call sorts
 * before a return), but as a total order on numbers, so maxima of calls and minima of returns are well
 * defined: a return `r` comes before a call `c` iff (r.time, r.tie) < (c.time, c.tie). A call without an
 * index gets tie -1 and a return without one +Infinity, which is the "ties are concurrent" reading.
 */
export interface OpPoints {
  callT: Float64Array;
  callK: Float64Array;
  retT: Float64Array;
  retK: Float64Array;
}

export function opPoints(ops: readonly Operation[]): OpPoints {
  const n = ops.length;
  const p: OpPoints = {
    callT: new Float64Array(n),
    callK: new Float64Array(n),
    retT: new Float64Array(n),
    retK: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const op = ops[i];
    p.callT[i] = op.call;
    p.callK[i] = op.invokeIndex ?? -1;
    if (op.status === 'info' || !Number.isFinite(op.ret)) {
      // info ops return "at +infinity": they may take effect any time after their call.
      p.retT[i] = Infinity;
      p.retK[i] = Infinity;
    } else {
      p.retT[i] = op.ret;
      p.retK[i] = op.completeIndex ?? Infinity;
    }
  }
  return p;
}

/** (aT, aK) < (bT, bK) lexicographically. */
export function before(aT: number, aK: number, bT: number, bK: number): boolean {
  return aT < bT || (aT === bT && aK < bK);
}

/** A point with the op that fixed it (-1 for the -infinity / +infinity sentinels). */
export interface Bound {
  t: number;
  k: number;
  op: number;
}

export const minusInfinity = (): Bound => ({ t: -Infinity, k: -Infinity, op: -1 });
export const plusInfinity = (): Bound => ({ t: Infinity, k: Infinity, op: -1 });

export function isBefore(a: Bound, b: Bound): boolean {
  return before(a.t, a.k, b.t, b.k);
}

export function maxBound(a: Bound, b: Bound): Bound {
  return isBefore(a, b) ? b : a;
}

export function minBound(a: Bound, b: Bound): Bound {
  return isBefore(b, a) ? b : a;
}
