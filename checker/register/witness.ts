import { type Bound, maxBound, minusInfinity } from './points.js';
import type { Chain, VersionBounds } from './chains.js';
import type { Versions } from './versions.js';

/**
 * Builds an explicit linearization (op indices in order) from a valid analysis: chains in the found order,
 * every version's writer at the earliest point the greedy allows, then its reads at max(x_v, call) in
 * that order. Omitted: fail ops, info reads, and info writers that never took effect.
 */
export function linearize(vs: Versions, bounds: VersionBounds, chains: Chain[], order: Int32Array): Int32Array {
  const { writer, succ, readHead, nextRead, points } = vs;
  const out: number[] = [];
  let end: Bound = minusInfinity();
  const reads: { op: number; t: number; k: number }[] = [];
  for (let i = 0; i < order.length; i++) {
    for (let v = chains[order[i]].head; v >= 0; v = succ[v]) {
      const w = writer[v];
      const lo: Bound = w >= 0 ? { t: points.callT[w], k: points.callK[w], op: w } : minusInfinity();
      const x = maxBound(end, lo);
      if (w >= 0) out.push(w);
      reads.length = 0;
      for (let r = readHead[v]; r >= 0; r = nextRead[r]) {
        const p = maxBound(x, { t: points.callT[r], k: points.callK[r], op: r });
        reads.push({ op: r, t: p.t, k: p.k });
      }
      reads.sort((a, b) => (a.t !== b.t ? (a.t < b.t ? -1 : 1) : a.k !== b.k ? (a.k < b.k ? -1 : 1) : a.op - b.op));
      for (const r of reads) out.push(r.op);
      end = maxBound(x, { t: bounds.mT[v], k: bounds.mK[v], op: bounds.mOp[v] });
    }
  }
  return Int32Array.from(out);
}
