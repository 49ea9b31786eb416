import type { LinearizedSet } from './bitset.js';

/**
 * Lowe's cache of explored configurations (linearized set, model state), without an object per entry:
 * the sets' words live in one growing arena, each entry is a few typed-array slots, and the table is open
 * addressing over 32-bit hashes. Profiling the search showed a quarter of its time in the collector when
 * every entry was a Map bucket holding a Uint32Array and an object.
 *
 * A set is stored as the words between its first word that is not all ones and its last word that is not
 * zero: the search linearizes ops roughly in call order, so a set is "every op below k, plus a few".
 */
export class StateCache {
  private table: Int32Array;
  private mask: number;
  /** 32 - log2(table size): slots come from the top bits of a multiplied hash (Fibonacci hashing). */
  private shift: number;
  private hashes = new Int32Array(1024);
  private starts = new Int32Array(1024);
  /** First word index of each entry's stored range (words below it are all ones). */
  private los = new Int32Array(1024);
  private lens = new Int32Array(1024);
  private states: unknown[] = [];
  private words = new Uint32Array(4096);
  private used = 0;
  count = 0;

  constructor(private readonly equal: (a: unknown, b: unknown) => boolean) {
    this.table = new Int32Array(1024);
    this.mask = 1023;
    this.shift = 22;
  }

  /** Bytes held, for the memory budget (states are counted roughly, 16 bytes each). */
  get bytes(): number {
    return this.table.byteLength + this.hashes.byteLength * 4 + this.words.byteLength + this.count * 16;
  }

  /**
   * Adds (set ∪ {extra}, state) unless it is already present; true when it was new. `hash` must depend only
   * on the set and the state (equal configurations, equal hashes).
   */
  addIfNew(set: LinearizedSet, extra: number, state: unknown, hash: number): boolean {
    const table = this.table;
    let slot = Math.imul(hash, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const e = table[slot];
      if (e === 0) break;
      const i = e - 1;
      if (this.hashes[i] === hash && this.sameSet(i, set, extra) && this.equal(this.states[i], state)) return false;
      slot = (slot + 1) & this.mask;
    }
    const i = this.count++;
    if (i === this.hashes.length) this.growEntries();
    this.store(i, set, extra);
    this.hashes[i] = hash;
    this.states.push(state);
    table[slot] = i + 1;
    if (this.count * 2 > this.mask) this.growTable();
    return true;
  }

  private store(i: number, set: LinearizedSet, extra: number): void {
    const w = set.words;
    const ew = extra >>> 5;
    const eb = (1 << (extra & 31)) >>> 0;
    let lo = set.firstFullFrom(ew);
    while (lo < w.length && (lo === ew ? (w[lo] | eb) >>> 0 : w[lo]) === 0xffffffff) lo++;
    let hi = w.length;
    while (hi > lo && (hi - 1 === ew ? (w[hi - 1] | eb) >>> 0 : w[hi - 1]) === 0) hi--;
    const len = hi - lo;
    if (this.used + len > this.words.length) {
      const bigger = new Uint32Array(Math.max(this.words.length * 2, this.used + len));
      bigger.set(this.words.subarray(0, this.used));
      this.words = bigger;
    }
    const start = this.used;
    for (let k = lo; k < hi; k++) this.words[start + k - lo] = k === ew ? (w[k] | eb) >>> 0 : w[k];
    this.used += len;
    this.starts[i] = start;
    this.los[i] = lo;
    this.lens[i] = len;
    set.noteFull(Math.min(lo, ew));
  }

  private sameSet(i: number, set: LinearizedSet, extra: number): boolean {
    const w = set.words;
    const ew = extra >>> 5;
    const eb = (1 << (extra & 31)) >>> 0;
    const lo = this.los[i];
    const hi = lo + this.lens[i];
    const start = this.starts[i] - lo;
    const stored = this.words;
    for (let k = 0; k < w.length; k++) {
      const mine = k === ew ? (w[k] | eb) >>> 0 : w[k];
      const theirs = k < lo ? 0xffffffff : k < hi ? stored[start + k] : 0;
      if (mine !== theirs) return false;
    }
    return true;
  }

  private growEntries(): void {
    const n = this.hashes.length * 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes);
    this.starts = grow(this.starts);
    this.los = grow(this.los);
    this.lens = grow(this.lens);
  }

  private growTable(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    const shift = this.shift - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = Math.imul(this.hashes[i], 0x9e3779b1) >>> shift;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = i + 1;
    }
    this.table = table;
    this.mask = mask;
    this.shift = shift;
  }
}
