import { getHeapStatistics } from 'node:v8';
import type { Operation } from '../../src/history/types.js';
import type { Model, Verdict } from '../types.js';
import { LinearizedSet, type Snapshot } from './bitset.js';
import { buildEntries, lift, unlift, type Entry } from './entries.js';

export interface SearchOptions {
  /** Absolute Date.now() after which the search gives up with 'unknown'. */
  deadline?: number;
  /** Heap bytes (this isolate) above which the search gives up with 'unknown'. */
  maxHeapBytes?: number;
  /** How many longest partial linearizations to keep (default 3). */
  keepPartials?: number;
}

export interface PartialLinearization {
  /** Positions in the searched op array, in linearization order. */
  order: number[];
  /** Model state after each op of `order`. */
  states: unknown[];
}

export interface SearchResult {
  valid: Verdict;
  reason?: 'time-limit' | 'memory-limit';
  /** Distinct (linearized set, state) configurations entered into the cache. */
  statesExplored: number;
  /** The longest partial linearizations reached (only filled when valid is false or unknown). */
  longest: PartialLinearization[];
  /** The ops searched: the input without `fail` ops and without `info` read-only ops. */
  ops: Operation[];
}

interface CacheEntry {
  bits: Snapshot;
  state: unknown;
}

const TIME_CHECK_EVERY = 1 << 12;
const MEMORY_CHECK_EVERY = 1 << 16;
/** Rough heap cost of one cache entry besides its words: the entry, the snapshot, the array, the key. */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * Is this (single-key) history linearizable? Wing & Gong's search with Lowe's state cache, as Porcupine
 * does it: walk the call/return list; at a call, try to linearize the op now (lift it out of the list)
 * unless the resulting (linearized set, state) was already explored; at a return whose op is not yet
 * linearized, backtrack. `fail` ops are dropped; `info` ops return at +infinity and may also never take
 * effect, so the search succeeds as soon as every `ok` op is linearized.
 */
export function searchLinearizable(model: Model, input: Operation[], opts: SearchOptions = {}): SearchResult {
  // fail ops never happened; a read-only op with an unknown result can be left out of every order.
  const ops = input.filter((op) => op.status !== 'fail' && !(op.status === 'info' && model.isReadOnly?.(op)));
  const n = ops.length;
  const keep = opts.keepPartials ?? 3;
  let okLeft = ops.reduce((c, op) => (op.status === 'ok' ? c + 1 : c), 0);
  const result = (valid: Verdict, reason?: SearchResult['reason']): SearchResult => ({
    valid,
    reason,
    statesExplored,
    longest: valid === true ? [] : longest,
    ops,
  });

  let statesExplored = 0;
  const longest: PartialLinearization[] = [];
  let longestLen = 0;
  if (okLeft === 0) return result(true);

  // Never crash on memory: without an explicit budget, stop at 3/4 of this isolate's heap limit. The cache
  // (one bitset per explored configuration) is what grows, so its size is also tracked on every insert.
  const heapBudget = opts.maxHeapBytes ?? getHeapStatistics().heap_size_limit * 0.75;
  let cacheBytes = 0;
  const head = buildEntries(ops);
  const linearized = new LinearizedSet(n);
  const cache = new Map<string, CacheEntry[]>();
  // The backtracking stack: the call entry linearized at each depth and the state before/after it.
  const stackEntries: Entry[] = [];
  const stackBefore: unknown[] = [];
  const stackAfter: unknown[] = [];
  let state = model.init();
  let entry: Entry | null = head.next;
  let steps = 0;

  while (entry !== null) {
    if ((++steps & (TIME_CHECK_EVERY - 1)) === 0) {
      if (opts.deadline !== undefined && Date.now() > opts.deadline) return result('unknown', 'time-limit');
      if ((steps & (MEMORY_CHECK_EVERY - 1)) === 0 && getHeapStatistics().used_heap_size > heapBudget) {
        return result('unknown', 'memory-limit');
      }
    }
    if (entry.match !== null) {
      // A call: try to linearize its op here.
      const i = entry.op;
      const op = ops[i];
      const next = model.step(state, op);
      if (next !== undefined) {
        const key = `${(linearized.hash ^ linearized.code(i)) >>> 0}|${model.hash(next)}`;
        let bucket = cache.get(key);
        const seen = bucket?.some((c) => linearized.equalsSnapshot(c.bits, i) && model.equal(c.state, next)) ?? false;
        if (!seen) {
          if (!bucket) cache.set(key, (bucket = []));
          const bits = linearized.snapshotWith(i);
          bucket.push({ bits, state: next });
          statesExplored++;
          cacheBytes += bits.bits.length * 4 + ENTRY_OVERHEAD_BYTES;
          if (cacheBytes > heapBudget) return result('unknown', 'memory-limit');
          stackEntries.push(entry);
          stackBefore.push(state);
          stackAfter.push(next);
          linearized.set(i);
          lift(entry);
          if (op.status === 'ok' && --okLeft === 0) return result(true);
          state = next;
          if (stackEntries.length > longestLen || (stackEntries.length === longestLen && longest.length < keep)) {
            if (stackEntries.length > longestLen) {
              longest.length = 0;
              longestLen = stackEntries.length;
            }
            longest.push({ order: stackEntries.map((e) => e.op), states: stackAfter.slice() });
          }
          entry = head.next;
          continue;
        }
      }
      entry = entry.next;
    } else {
      // A return whose op is not linearized yet: undo the last choice and try the next call after it.
      if (stackEntries.length === 0) return result(false);
      const top = stackEntries.pop() as Entry;
      state = stackBefore.pop();
      stackAfter.pop();
      linearized.clear(top.op);
      if (ops[top.op].status === 'ok') okLeft++;
      unlift(top);
      entry = top.next;
    }
  }
  // Only info ops remain unplaced (impossible while okLeft > 0, kept for safety).
  return result(okLeft === 0);
}
