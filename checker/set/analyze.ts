import type { Operation } from '../../src/history/types.js';
import { callPoint, compareEvents, precedes } from '../order.js';
import { valueKey } from '../models/value.js';

/**
 * Exact, polynomial linearizability decision for a grow-only set (model `set`) whose elements are each
 * added by at most one (non-failed) add.
 *
 * Why it is exact. Pick for every op a point in its interval [call, return], events compared as in
 * order.ts (time, then raw index), so "a returned before b was invoked" is exactly `precedes` (an info add
 * returns at +infinity; leaving it out is the same as putting it there; failed ops and reads without a
 * result constrain nothing). Ordering ops by point, ties broken by the read
 * chain below, respects real time, and every order that respects real time arises this way (take
 * p(x) = the latest call among x and the ops ordered before it). So the history is linearizable iff there are
 * points with: p(add e) <= p(r) for every ok read r whose set holds e, and p(r) <= p(add e) for every read
 * lacking e. States only grow, so the reads' sets must form a chain under inclusion (equal sets form a
 * group); an element first seen in group i must be added after every read of the earlier groups and before
 * every read of group i. All constraints are lower bounds ("x <= y") plus the return times as upper bounds,
 * so the least solution, computed group by group, is feasible iff any solution is. Every lower bound is, in
 * the end, some op's call, so each violated upper bound is a pair "op A returned before op B was invoked"
 * plus the elements linking them: the witness (see Violation).
 *
 * Complexity: O(total read sizes + n log n); element values are interned once per distinct primitive.
 */

/** An element, by its canonical key (valueKey) and one value that has it, for words and filtering. */
export interface Element {
  key: string;
  value: unknown;
}

export type Violation =
  /** `read` holds `element`, which is not initial and which no op (or only failed ops) added. */
  | { kind: 'phantom'; read: Operation; element: Element; failedAdds: Operation[] }
  /** `read` lacks the initial element `element`. */
  | { kind: 'missing-init'; read: Operation; element: Element }
  /** Neither read's set contains the other's: `a` holds `onlyA` and lacks `onlyB`, `b` the other way round. */
  | { kind: 'incomparable'; a: Operation; b: Operation; onlyA: Element; onlyB: Element }
  /** `read` holds `element`, but `add` (its only add) was invoked after `read` returned. */
  | { kind: 'read-before-add'; read: Operation; add: Operation; element: Element }
  /** `first` holds `element` and returned before `second`, which lacks it, was invoked. */
  | { kind: 'read-shrank'; first: Operation; second: Operation; add: Operation; element: Element }
  /** The ok `add` returned before `read`, which lacks its element, was invoked. */
  | { kind: 'add-not-seen'; add: Operation; read: Operation; element: Element }
  /**
   * The ok `add` returned before `laterAdd` was invoked, yet `read` holds laterAdd's element and lacks
   * add's element.
   */
  | { kind: 'add-order'; add: Operation; laterAdd: Operation; read: Operation; element: Element; laterElement: Element };

export type SetAnalysis =
  | { kind: 'valid' }
  | { kind: 'invalid'; violation: Violation }
  /** The procedure does not apply (an element added twice, an op it does not know): use the search. */
  | { kind: 'fallback'; reason: string };

/** Small non-negative integers (the usual set elements) are interned through an array, not a Map. */
const DENSE_LIMIT = 1 << 22;

/** Interns element values to dense ids, by valueKey (so 1 and "1" differ, as in the model). */
class Interner {
  readonly keys: string[] = [];
  readonly values: unknown[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly byPrimitive = new Map<unknown, number>();
  private dense = new Int32Array(1024).fill(-1);

  id(v: unknown): number {
    if (typeof v === 'number' && v >= 0 && v < DENSE_LIMIT && Number.isInteger(v)) {
      if (v < this.dense.length) {
        const known = this.dense[v];
        if (known >= 0) return known;
      } else {
        const grown = new Int32Array(Math.min(DENSE_LIMIT, Math.max(v + 1, this.dense.length * 2))).fill(-1);
        grown.set(this.dense);
        this.dense = grown;
      }
      const id = this.byValueKey(v);
      this.dense[v] = id;
      return id;
    }
    // Objects (rare as elements) are keyed afresh each time; caching them by identity could grow without bound.
    if (v !== null && typeof v === 'object') return this.byValueKey(v);
    const known = this.byPrimitive.get(v);
    if (known !== undefined) return known;
    const id = this.byValueKey(v);
    this.byPrimitive.set(v, id);
    return id;
  }

  idOfKey(key: string, value: unknown): number {
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.byKey.set(key, id);
      this.keys.push(key);
      this.values.push(value);
    }
    return id;
  }

  element(id: number): Element {
    return { key: this.keys[id], value: this.values[id] };
  }

  private byValueKey(v: unknown): number {
    return this.idOfKey(valueKey(v), v);
  }
}

/** An op's call point is later than another's (real-time order of invocations, ties by raw index). */
const callsLater = (a: Operation, b: Operation) => compareEvents(callPoint(a), callPoint(b)) > 0;

/**
 * Where a lower bound on linearization points comes from: the call of `op`, which is either a read (of an
 * earlier group, so it lacks every element first seen later) or an add whose element `seenBy` (a read)
 * holds.
 */
interface Source {
  op: Operation;
  seenBy?: Operation;
}

const later = (a: Source | undefined, b: Source | undefined): Source | undefined =>
  a === undefined ? b : b === undefined ? a : callsLater(b.op, a.op) ? b : a;

/**
 * Decides one key's set history. `init` is the model's initial state (sorted canonical element keys).
 * Failed ops are ignored, as are reads without a result (info, or ok without output).
 */
export function analyzeSet(ops: readonly Operation[], init: readonly string[]): SetAnalysis {
  const interner = new Interner();
  const initIds = init.map((k) => interner.idOfKey(k, JSON.parse(k) as unknown));
  const addOf: (Operation | undefined)[] = [];
  const failedAdds = new Map<number, Operation[]>();
  const reads: Operation[] = [];

  for (const op of ops) {
    if (op.f === 'add') {
      const id = interner.id(op.input);
      if (op.status === 'fail') {
        const list = failedAdds.get(id);
        if (list) list.push(op);
        else failedAdds.set(id, [op]);
        continue;
      }
      const previous = addOf[id];
      // Adding an initial element changes nothing, wherever it goes.
      if (previous && id >= initIds.length) return { kind: 'fallback', reason: `element ${interner.keys[id]} is added more than once` };
      addOf[id] = op;
    } else if (op.f === 'read') {
      if (op.status !== 'ok' || op.output === undefined) continue;
      if (!Array.isArray(op.output)) return { kind: 'fallback', reason: 'a read returned something other than an array' };
      reads.push(op);
    } else if (op.status !== 'fail') {
      return { kind: 'fallback', reason: `operation ${op.f} is not add or read` };
    }
  }

  // Each read's set as distinct element ids, checking phantoms and initial elements on the way.
  let stamp = new Int32Array(Math.max(16, interner.keys.length)).fill(-1);
  let mark = 0;
  const sets: Int32Array[] = new Array(reads.length);
  const initCount = initIds.length;
  for (let r = 0; r < reads.length; r++) {
    const out = reads[r].output as unknown[];
    const ids = new Int32Array(out.length);
    let n = 0;
    let initSeen = 0;
    const m = ++mark;
    for (let j = 0; j < out.length; j++) {
      const id = interner.id(out[j]);
      if (id >= stamp.length) {
        const grown = new Int32Array(Math.max(id + 1, stamp.length * 2)).fill(-1);
        grown.set(stamp);
        stamp = grown;
      }
      if (stamp[id] === m) continue;
      stamp[id] = m;
      if (id < initCount) initSeen++;
      else if (addOf[id] === undefined) {
        return {
          kind: 'invalid',
          violation: { kind: 'phantom', read: reads[r], element: interner.element(id), failedAdds: failedAdds.get(id) ?? [] },
        };
      }
      ids[n++] = id;
    }
    if (initSeen < initCount) {
      const missing = initIds.find((id) => stamp[id] !== m) as number;
      return { kind: 'invalid', violation: { kind: 'missing-init', read: reads[r], element: interner.element(missing) } };
    }
    sets[r] = n === ids.length ? ids : ids.slice(0, n);
  }
  // The reads' sets must form a chain: sort by size; each must be contained in the next.
  const order = reads.map((_, i) => i);
  order.sort((a, b) => sets[a].length - sets[b].length || reads[a].invokeIndex - reads[b].invokeIndex);
  /** Groups of reads with equal sets, in chain order. */
  const groups: number[][] = order.length > 0 ? [[order[0]]] : [];
  for (let k = 0; k + 1 < order.length; k++) {
    const a = order[k];
    const b = order[k + 1];
    const mb = ++mark;
    for (const id of sets[b]) stamp[id] = mb;
    let outside = -1;
    for (const id of sets[a]) {
      if (stamp[id] !== mb) {
        outside = id;
        break;
      }
    }
    if (outside >= 0) {
      // |a| <= |b| and a is not inside b, so b is not inside a either.
      const ma = ++mark;
      for (const id of sets[a]) stamp[id] = ma;
      const onlyB = sets[b].find((id) => stamp[id] !== ma) as number;
      return {
        kind: 'invalid',
        violation: {
          kind: 'incomparable', a: reads[a], b: reads[b], onlyA: interner.element(outside), onlyB: interner.element(onlyB),
        },
      };
    }
    // a is inside b: equal when the sizes are.
    if (sets[a].length === sets[b].length) groups[groups.length - 1].push(b);
    else groups.push([b]);
  }

  // Walk the chain keeping the latest lower bound P (its source) on the points chosen so far.
  const seen = new Uint8Array(interner.keys.length);
  for (const id of initIds) seen[id] = 1;
  let P: Source | undefined;
  for (const group of groups) {
    const first = reads[group[0]];
    const fresh: number[] = [];
    for (const id of sets[group[0]]) {
      if (seen[id]) continue;
      seen[id] = 1;
      fresh.push(id);
    }
    // Every earlier read lacks a fresh element, so its add must be able to go after all of them...
    let base: Source | undefined;
    for (const id of fresh) {
      const add = addOf[id] as Operation;
      if (P && precedes(add, P.op) && add !== P.op) return { kind: 'invalid', violation: addTooEarly(add, id, P, interner) };
      base = later(base, { op: add, seenBy: first });
    }
    if (fresh.length > 0) base = later(base, P);
    // ...and before every read of this group, each of which goes no earlier than its own call.
    let top = base;
    for (const r of group) {
      const read = reads[r];
      if (base && base.op !== read && precedes(read, base.op)) {
        return { kind: 'invalid', violation: readTooEarly(read, base, fresh[0], addOf, interner) };
      }
      top = later(top, { op: read });
    }
    P = later(P, top);
  }

  // An ok add that no read shows goes after every read.
  if (P) {
    for (let id = initCount; id < addOf.length; id++) {
      const add = addOf[id];
      if (!add || seen[id] || add.status !== 'ok') continue;
      if (precedes(add, P.op) && add !== P.op) return { kind: 'invalid', violation: addTooEarly(add, id, P, interner) };
    }
  }
  return { kind: 'valid' };
}

/** The ok `add` of element `id` returned before the call that bounds it from below (`P`, an earlier point). */
function addTooEarly(add: Operation, id: number, P: Source, interner: Interner): Violation {
  const element = interner.element(id);
  if (P.op.f === 'read') return { kind: 'add-not-seen', add, read: P.op, element };
  return {
    kind: 'add-order',
    add,
    laterAdd: P.op,
    read: P.seenBy as Operation,
    element,
    laterElement: { key: valueKey(P.op.input), value: P.op.input },
  };
}

/** `read` returned before the call that bounds its point from below. */
function readTooEarly(read: Operation, base: Source, freshId: number, addOf: (Operation | undefined)[], interner: Interner): Violation {
  if (base.op.f === 'add') {
    return { kind: 'read-before-add', read, add: base.op, element: { key: valueKey(base.op.input), value: base.op.input } };
  }
  // The bound is an earlier group's read, which lacks every fresh element of this group.
  return { kind: 'read-shrank', first: read, second: base.op, add: addOf[freshId] as Operation, element: interner.element(freshId) };
}
