import { getHeapStatistics } from 'node:v8';
import type { Operation } from '../../src/history/types.js';
import type { Model, Verdict } from '../types.js';
import { LinearizedSet } from './bitset.js';
import { FingerprintCache } from './fingerprint-cache.js';
import { StateCache } from './state-cache.js';
import { stateHash } from './state-hash.js';
import { buildEntries, lift, unlift, type Entry } from './entries.js';

export interface SearchOptions {
  /** Absolute Date.now() after which the search gives up with 'unknown'. */
  deadline?: number;
  /** Heap bytes (this isolate) above which the search gives up with 'unknown'. */
  maxHeapBytes?: number;
  /** How many longest partial linearizations to keep (default 3). */
  keepPartials?: number;
  /**
   * Keep explored configurations as 64-bit fingerprints (FingerprintCache: a fraction of the memory). Only
   * a `true` verdict is then certain; `false` must be settled by a search without fingerprints.
   */
  fingerprints?: boolean;
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

const TIME_CHECK_EVERY = 1 << 12;

/** The JS heap in use plus memory outside it (the cache's typed arrays). */
export function heapInUse(): number {
  const h = getHeapStatistics() as ReturnType<typeof getHeapStatistics> & { external_memory?: number };
  return h.used_heap_size + (h.external_memory ?? 0);
}
const MEMORY_CHECK_EVERY = 1 << 16;

/**
 * Is this (single-key) history linearizable? Wing & Gong's search with Lowe's state cache, as Porcupine
 * does it: walk the call/return list; at a call, try to linearize the op now (lift it out of the list)
 * unless the resulting (linearized set, state) was already explored; at a return whose op is not yet
 * linearized, backtrack. `fail` ops are dropped; `info` ops return at +infinity and may also never take
 * effect, so the search succeeds as soon as every `ok` op is linearized.
 */
export function searchLinearizable(model: Model, input: Operation[], opts: SearchOptions = {}): SearchResult {
  return new LinearizabilitySearch(model, input, opts).run() as SearchResult;
}

/**
 * The search as a resumable object: `run(until)` works until it has an answer or until Date.now() passes
 * `until`, and then returns undefined with all its progress kept, so a scheduler can interleave the keys
 * of a history and stop at the first invalid one without a hard key starving an easy one.
 */
export class LinearizabilitySearch {
  /** The ops searched: the input without `fail` ops and without `info` read-only ops. */
  readonly ops: Operation[];
  private readonly keep: number;
  private okLeft: number;
  /**
   * The longest partial linearizations so far, as op positions only: their states are recomputed from
   * them when the search ends without success (stepping the model is pure), since keeping a copy of the
   * states at every new longest depth was most of what the search allocated on a valid history.
   */
  private readonly longest: Int32Array[] = [];
  private longestLen = 0;
  /**
   * The stack as it stands is one of the longest partial linearizations and is copied into `longest` only
   * when it is about to change (a pop) or the search ends unsuccessfully: copying it at every new depth
   * was quadratic in the history's length.
   */
  private pending = false;
  private readonly heapBudget: number;
  private readonly head: Entry;
  private readonly linearized: LinearizedSet;
  /** Exactly one of the two caches: the exact one, or fingerprints when asked for. */
  private readonly cache: StateCache | undefined;
  private readonly fingerprints: FingerprintCache | undefined;
  // The backtracking stack: the call entry linearized at each depth and the state before it.
  private readonly stackEntries: Entry[] = [];
  private readonly stackBefore: unknown[] = [];
  private state: unknown;
  private entry: Entry | null;
  private steps = 0;
  private answer: SearchResult | undefined;

  constructor(
    private readonly model: Model,
    input: Operation[],
    private readonly opts: SearchOptions = {},
  ) {
    // fail ops never happened; a read-only op with an unknown result can be left out of every order.
    this.ops = input.filter((op) => op.status !== 'fail' && !(op.status === 'info' && model.isReadOnly?.(op)));
    this.keep = opts.keepPartials ?? 3;
    this.okLeft = this.ops.reduce((c, op) => (op.status === 'ok' ? c + 1 : c), 0);
    // Never crash on memory: without an explicit budget, stop at 3/4 of this isolate's heap limit. The cache
    // (one bitset per explored configuration) is what grows, so its size is also checked as it grows.
    this.heapBudget = opts.maxHeapBytes ?? getHeapStatistics().heap_size_limit * 0.75;
    this.head = buildEntries(this.ops);
    this.linearized = new LinearizedSet(this.ops.length);
    if (opts.fingerprints) this.fingerprints = new FingerprintCache();
    else this.cache = new StateCache(model.equal as (a: unknown, b: unknown) => boolean);
    this.state = model.init();
    this.entry = this.head.next;
    if (this.okLeft === 0) this.answer = this.result(true);
  }

  get statesExplored(): number {
    return (this.cache ?? (this.fingerprints as FingerprintCache)).count;
  }

  private result(valid: Verdict, reason?: SearchResult['reason']): SearchResult {
    return { valid, reason, statesExplored: this.statesExplored, longest: valid === true ? [] : this.longest.map((order) => this.replay(order)), ops: this.ops };
  }

  /** Copies the stack, one of the longest partial linearizations, into `longest` (op positions only). */
  private keepStack(): void {
    this.pending = false;
    const entries = this.stackEntries;
    const order = new Int32Array(entries.length);
    for (let k = 0; k < order.length; k++) order[k] = entries[k].op;
    this.longest.push(order);
  }

  /** A kept partial linearization with the model state after each of its ops, as the search had them. */
  private replay(positions: Int32Array): PartialLinearization {
    const order = Array.from(positions);
    const states: unknown[] = [];
    let state = this.model.init();
    for (const i of order) {
      state = this.model.step(state, this.ops[i]);
      states.push(state);
    }
    return { order, states };
  }

  /** Searches until the answer is known (returned) or Date.now() passes `until` (undefined: call again). */
  run(until = Infinity): SearchResult | undefined {
    if (this.answer) return this.answer;
    const { model, ops, linearized, cache, fingerprints, stackEntries, stackBefore, head, opts } = this;
    const held = (cache ?? fingerprints) as { count: number; bytes: number };
    const hashState = stateHash(model);
    let { state, entry, steps } = this;
    const suspend = (): undefined => {
      this.state = state;
      this.entry = entry;
      this.steps = steps;
      return undefined;
    };
    const finish = (valid: Verdict, reason?: SearchResult['reason']): SearchResult => {
      if (valid !== true && this.pending) this.keepStack();
      this.answer = this.result(valid, reason);
      return this.answer;
    };
    while (entry !== null) {
      if ((++steps & (TIME_CHECK_EVERY - 1)) === 0) {
        const now = Date.now();
        if (opts.deadline !== undefined && now > opts.deadline) return finish('unknown', 'time-limit');
        // The cache's arrays are outside the JS heap: count external memory too.
        if ((steps & (MEMORY_CHECK_EVERY - 1)) === 0 && heapInUse() > this.heapBudget) return finish('unknown', 'memory-limit');
        if (now >= until) return suspend();
      }
      if (entry.match !== null) {
        // A call: try to linearize its op here.
        const i = entry.op;
        const op = ops[i];
        const next = model.step(state, op);
        if (next !== undefined) {
          const nextHash = hashState(next);
          const hash = (linearized.hash ^ linearized.code(i) ^ Math.imul(nextHash, 0x9e3779b1)) | 0;
          const isNew =
            cache !== undefined
              ? cache.addIfNew(linearized, i, next, hash)
              : (fingerprints as FingerprintCache).addIfNew(hash, (linearized.hash2 ^ linearized.code2(i) ^ Math.imul(nextHash, 0x85ebca6b)) | 0);
          if (isNew) {
            if ((held.count & 1023) === 0 && held.bytes > this.heapBudget) return finish('unknown', 'memory-limit');
            stackEntries.push(entry);
            stackBefore.push(state);
            linearized.set(i);
            lift(entry);
            if (op.status === 'ok' && --this.okLeft === 0) return finish(true);
            state = next;
            const depth = stackEntries.length;
            if (depth > this.longestLen) {
              this.longest.length = 0;
              this.longestLen = depth;
              this.pending = this.keep > 0;
            } else if (depth === this.longestLen && this.longest.length < this.keep) {
              this.pending = true;
            }
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        // A return whose op is not linearized yet: undo the last choice and try the next call after it.
        if (stackEntries.length === 0) return finish(false);
        if (this.pending) this.keepStack();
        const top = stackEntries.pop() as Entry;
        state = stackBefore.pop();
        linearized.clear(top.op);
        if (ops[top.op].status === 'ok') this.okLeft++;
        unlift(top);
        entry = top.next;
      }
    }
    // Only info ops remain unplaced (impossible while okLeft > 0, kept for safety).
    return finish(this.okLeft === 0);
  }
}
