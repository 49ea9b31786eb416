import { getHeapStatistics } from 'node:v8';
import type { Operation } from '../../src/history/types.js';
import type { Model, Verdict } from '../types.js';
import { LinearizedSet } from './bitset.js';
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
  private readonly longest: PartialLinearization[] = [];
  private longestLen = 0;
  /**
   * The stack as it stands is one of the longest partial linearizations and is copied into `longest` only
   * when it is about to change (a pop) or the search ends unsuccessfully: copying it at every new depth
   * was quadratic in the history's length, and most of what a valid history's search allocated.
   */
  private pending = false;
  private readonly heapBudget: number;
  private readonly head: Entry;
  private readonly linearized: LinearizedSet;
  private readonly cache: StateCache;
  // The backtracking stack: the call entry linearized at each depth and the state before/after it.
  private readonly stackEntries: Entry[] = [];
  private readonly stackBefore: unknown[] = [];
  private readonly stackAfter: unknown[] = [];
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
    this.cache = new StateCache(model.equal as (a: unknown, b: unknown) => boolean);
    this.state = model.init();
    this.entry = this.head.next;
    if (this.okLeft === 0) this.answer = this.result(true);
  }

  get statesExplored(): number {
    return this.cache.count;
  }

  private result(valid: Verdict, reason?: SearchResult['reason']): SearchResult {
    return { valid, reason, statesExplored: this.cache.count, longest: valid === true ? [] : this.longest, ops: this.ops };
  }

  /** Copies the stack, one of the longest partial linearizations, into `longest`. */
  private keepStack(): void {
    this.pending = false;
    this.longest.push({ order: this.stackEntries.map((e) => e.op), states: this.stackAfter.slice() });
  }

  /** Searches until the answer is known (returned) or Date.now() passes `until` (undefined: call again). */
  run(until = Infinity): SearchResult | undefined {
    if (this.answer) return this.answer;
    const { model, ops, linearized, cache, stackEntries, stackBefore, stackAfter, head, opts } = this;
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
          const hash = (linearized.hash ^ linearized.code(i) ^ Math.imul(hashState(next), 0x9e3779b1)) | 0;
          if (cache.addIfNew(linearized, i, next, hash)) {
            if ((cache.count & 1023) === 0 && cache.bytes > this.heapBudget) return finish('unknown', 'memory-limit');
            stackEntries.push(entry);
            stackBefore.push(state);
            stackAfter.push(next);
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
        stackAfter.pop();
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
