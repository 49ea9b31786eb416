import { type Bound, isBefore, maxBound, minBound, minusInfinity, plusInfinity } from './points.js';
import type { Versions } from './versions.js';

/**
 * A chain is a run of versions whose order is fixed by successful cas ops: a head (the initial value or a
 * write) followed by the versions each cas built on its predecessor. Versions own disjoint time spans in
 * version order (Gibbons & Korach's zones): version v starts at its writer's point x_v, which lies in the
 * writer's interval and before every read of v returns, and lasts until every read of v has been invoked.
 * Placing a chain after everything before it has ended at time t, its spans are forced greedily:
 * x_1 = max(t, c_1), x_{i+1} = max(x_i, lo_{i+1}, M_i). So the whole chain reduces to two numbers:
 *   release R: it ends at max(t, R) (the latest call that must happen while the chain is current), and
 *   deadline D: it fits only if t is not after D (the earliest return that must see the chain started).
 * plus an internal check c_i <= hi_i that does not depend on t.
 */
export interface Chain {
  head: number;
  release: Bound;
  deadline: Bound;
}

/** Inside one chain, an op that must come after another began only after the other had returned. */
export interface InternalContradiction {
  kind: 'internal';
  /** The op whose invocation is too late (a writer of an earlier or the same version, or a read of an earlier one). */
  late: number;
  /** The op whose return is too early (the writer or a read of a later or the same version). */
  early: number;
}

/** Per version: lo = writer call, hi = earliest return in its cluster, m = latest read call. */
export interface VersionBounds {
  hiT: Float64Array;
  hiK: Float64Array;
  hiOp: Int32Array;
  mT: Float64Array;
  mK: Float64Array;
  mOp: Int32Array;
}

export function versionBounds(vs: Versions): VersionBounds {
  const { count, writer, readHead, nextRead, points } = vs;
  const b: VersionBounds = {
    hiT: new Float64Array(count).fill(Infinity),
    hiK: new Float64Array(count).fill(Infinity),
    hiOp: new Int32Array(count).fill(-1),
    mT: new Float64Array(count).fill(-Infinity),
    mK: new Float64Array(count).fill(-Infinity),
    mOp: new Int32Array(count).fill(-1),
  };
  for (let v = 0; v < count; v++) {
    const w = writer[v];
    if (w >= 0) {
      b.hiT[v] = points.retT[w];
      b.hiK[v] = points.retK[w];
      b.hiOp[v] = w;
    }
    for (let r = readHead[v]; r >= 0; r = nextRead[r]) {
      const rt = points.retT[r];
      const rk = points.retK[r];
      if (rt < b.hiT[v] || (rt === b.hiT[v] && rk < b.hiK[v])) {
        b.hiT[v] = rt;
        b.hiK[v] = rk;
        b.hiOp[v] = r;
      }
      const ct = points.callT[r];
      const ck = points.callK[r];
      if (ct > b.mT[v] || (ct === b.mT[v] && ck > b.mK[v])) {
        b.mT[v] = ct;
        b.mK[v] = ck;
        b.mOp[v] = r;
      }
    }
  }
  return b;
}

const hiOf = (b: VersionBounds, v: number): Bound => ({ t: b.hiT[v], k: b.hiK[v], op: b.hiOp[v] });
const mOf = (b: VersionBounds, v: number): Bound => ({ t: b.mT[v], k: b.mK[v], op: b.mOp[v] });

/**
 * Walks every chain from its head. Returns the chains (the initial chain first) and the heads-visited mask,
 * or the first internal contradiction.
 */
export function buildChains(
  vs: Versions,
  bounds: VersionBounds,
): { chains: Chain[]; visited: Uint8Array } | InternalContradiction {
  const { count, writer, effective, succ, ops, points } = vs;
  const visited = new Uint8Array(count);
  const chains: Chain[] = [];
  for (let head = 0; head < count; head++) {
    if (!effective[head]) continue;
    if (head !== 0 && ops[writer[head]].f !== 'write') continue;
    let c: Bound = minusInfinity();
    let deadline: Bound = plusInfinity();
    let prevM: Bound = minusInfinity();
    for (let v = head; v >= 0; v = succ[v]) {
      visited[v] = 1;
      const w = writer[v];
      // c_v: the earliest x_v can be, given only this chain.
      const lo: Bound = w >= 0 ? { t: points.callT[w], k: points.callK[w], op: w } : minusInfinity();
      c = maxBound(maxBound(c, lo), prevM);
      const hi = hiOf(bounds, v);
      if (v !== 0) {
        if (isBefore(hi, c)) return { kind: 'internal', late: c.op, early: hi.op };
        deadline = minBound(deadline, hi);
      }
      prevM = mOf(bounds, v);
    }
    chains.push({ head, release: maxBound(c, prevM), deadline });
  }
  return { chains, visited };
}
