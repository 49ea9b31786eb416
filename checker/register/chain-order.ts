import { type Bound, isBefore } from './points.js';
import type { Chain } from './chains.js';

/**
 * Orders the chains. Placing chain j after a prefix needs every release in the prefix to be no later than
 * D_j, so a valid order exists iff no two chains X, Y have R_X > D_Y and R_Y > D_X (neither can go first)
 * and the initial chain (which must go first) has R_0 <= D_j for all j. When that holds, sorting by
 * min(R, D) is such an order: if i sorts before j with R_i > D_j, then min_i = D_i <= min_j <= D_j < R_i,
 * and R_j <= D_i (no conflict) would force R_j = D_i, impossible since a call point never equals a return
 * point. So one sort and one scan decide, and a failure at j names its partner: the prefix's latest release.
 */
export interface ChainConflict {
  kind: 'conflict';
  /** Index into chains of the chain whose release is too late (0 = the initial chain, which must go first). */
  x: number;
  /** Index into chains of the chain whose deadline is too early. */
  y: number;
}

export function orderChains(chains: Chain[]): { kind: 'order'; order: Int32Array } | ChainConflict {
  const m = chains.length;
  const key = (c: Chain): Bound => (isBefore(c.release, c.deadline) ? c.release : c.deadline);
  const keys = chains.map(key);
  const rest = new Int32Array(Math.max(0, m - 1));
  for (let i = 1; i < m; i++) rest[i - 1] = i;
  rest.sort((a, b) => {
    const ka = keys[a];
    const kb = keys[b];
    if (ka.t !== kb.t) return ka.t < kb.t ? -1 : 1;
    if (ka.k !== kb.k) return ka.k < kb.k ? -1 : 1;
    return a - b;
  });
  let latest = 0; // chain holding the latest release so far
  for (let i = 0; i < rest.length; i++) {
    const j = rest[i];
    if (isBefore(chains[j].deadline, chains[latest].release)) return { kind: 'conflict', x: latest, y: j };
    if (isBefore(chains[latest].release, chains[j].release)) latest = j;
  }
  const order = new Int32Array(m);
  order.set(rest, 1);
  return { kind: 'order', order };
}
