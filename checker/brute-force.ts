import type { Operation } from '../src/history/types.js';
import { precedes } from './order.js';
import type { Model } from './types.js';

/**
 * The reference oracle: tries every order consistent with real time. `fail` ops are ignored; `info` ops
 * may be placed anywhere after their call or left out. Exponential: meant for small histories (about
 * 8 ops, a few more with memoisation) in agreement tests, never for real checks. Partitioning is NOT
 * applied: pass one key's ops.
 */
export function bruteForceLinearizable(model: Model, ops: Operation[]): boolean {
  const live = ops.filter((op) => op.status !== 'fail');
  if (live.length > 30) throw new Error(`bruteForceLinearizable is for small histories (got ${live.length} ops)`);
  const n = live.length;
  // mustFirst[i]: bitmask of ops that must be linearized before op i can be.
  const mustFirst = live.map((b) => live.reduce((mask, a, j) => (precedes(a, b) ? mask | (1 << j) : mask), 0));
  const okMask = live.reduce((mask, op, i) => (op.status === 'ok' ? mask | (1 << i) : mask), 0);
  // Dead ends seen so far, by (linearized set, state hash); hashes may collide, so states are compared too.
  const failed = new Map<string, unknown[]>();

  const search = (done: number, state: unknown): boolean => {
    if ((done & okMask) === okMask) return true;
    const memo = `${done}|${model.hash(state)}`;
    const seen = failed.get(memo);
    if (seen?.some((s) => model.equal(s, state))) return false;
    for (let i = 0; i < n; i++) {
      const bit = 1 << i;
      if (done & bit) continue;
      // Omitted info ops never precede anything (they return at +infinity), so only ok ops constrain.
      if ((mustFirst[i] & okMask & ~done) !== 0) continue;
      const next = model.step(state, live[i]);
      if (next !== undefined && search(done | bit, next)) return true;
    }
    if (seen) seen.push(state);
    else failed.set(memo, [state]);
    return false;
  };
  return search(0, model.init());
}
