import { Prng } from '../../src/generator/prng.js';

/**
 * The set of linearized ops as a bitset with an incremental Zobrist hash: each op has a random 32-bit
 * code and the hash is the XOR of the codes of its members, so adding or removing an op is O(1).
 */
export class LinearizedSet {
  readonly words: Uint32Array;
  hash = 0;
  /** A second, independent Zobrist hash: with `hash`, a 64-bit fingerprint of the set (FingerprintCache). */
  hash2 = 0;
  private readonly codes: Int32Array;
  private readonly codes2: Int32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
    zobrist.ensure(size);
    this.codes = zobrist.codes;
    this.codes2 = zobrist.codes2;
  }

  code(i: number): number {
    return this.codes[i];
  }

  code2(i: number): number {
    return this.codes2[i];
  }

  /** No word below this index has a zero bit except as noted by clear(); a hint for snapshotWith. */
  private firstOpen = 0;

  /** Where to start looking for the first word that is not all ones (the hint kept by clear()). */
  firstFullFrom(_extraWord: number): number {
    return this.firstOpen;
  }

  /** Records that every word below `w` is all ones (found by a scan, as snapshotWith does). */
  noteFull(w: number): void {
    this.firstOpen = w;
  }

  set(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
    this.hash ^= this.codes[i];
    this.hash2 ^= this.codes2[i];
  }

  clear(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
    if (i >>> 5 < this.firstOpen) this.firstOpen = i >>> 5;
    this.hash ^= this.codes[i];
    this.hash2 ^= this.codes2[i];
  }

  /**
   * A compact copy of this set with op `extra` added: only the words between the first word that is not
   * all ones and the last word that is not zero. The search linearizes ops roughly in call order, so a
   * set is "every op below k, plus a few", and the copy is a few words instead of n/32.
   */
  snapshotWith(extra: number): Snapshot {
    const w = this.words;
    const ew = extra >>> 5;
    const eb = (1 << (extra & 31)) >>> 0;
    const word = (i: number) => (i === ew ? (w[i] | eb) >>> 0 : w[i]);
    let lo = this.firstOpen;
    while (lo < w.length && word(lo) === 0xffffffff) lo++;
    // Words below min(lo, ew) are all ones even without `extra`.
    this.firstOpen = Math.min(lo, ew);
    let hi = w.length;
    while (hi > lo && word(hi - 1) === 0) hi--;
    const bits = new Uint32Array(hi - lo);
    for (let i = lo; i < hi; i++) bits[i - lo] = word(i);
    return { lo, bits };
  }

  /** Is `snap` equal to this set with op `extra` added (without building that set)? */
  equalsSnapshot(snap: Snapshot, extra: number): boolean {
    const w = this.words;
    const ew = extra >>> 5;
    const eb = (1 << (extra & 31)) >>> 0;
    const { lo, bits } = snap;
    const hi = lo + bits.length;
    // Words below lo must be all ones, words from hi on must be zero, the rest must match.
    for (let i = 0; i < w.length; i++) {
      const mine = i === ew ? (w[i] | eb) >>> 0 : w[i];
      const theirs = i < lo ? 0xffffffff : i < hi ? bits[i - lo] : 0;
      if (mine !== theirs) return false;
    }
    return true;
  }
}

export interface Snapshot {
  lo: number;
  bits: Uint32Array;
}

/**
 * The ops' random codes, shared by every set: op i's codes do not depend on the set's size (two seeded
 * streams, one per hash), so one table serves every search. Shrinking a counterexample runs hundreds of
 * searches, and each drew 2n fresh codes.
 */
class ZobristCodes {
  codes = new Int32Array(0);
  codes2 = new Int32Array(0);
  // Seeded, so runs are reproducible.
  private readonly first = new Prng(0x9e3779b9);
  private readonly second = new Prng(0x85ebca6b);

  ensure(size: number): void {
    const had = this.codes.length;
    if (size <= had) return;
    const length = Math.max(size, had * 2, 1024);
    const codes = new Int32Array(length);
    const codes2 = new Int32Array(length);
    codes.set(this.codes);
    codes2.set(this.codes2);
    for (let i = had; i < length; i++) codes[i] = this.first.nextU32() | 0;
    for (let i = had; i < length; i++) codes2[i] = this.second.nextU32() | 0;
    this.codes = codes;
    this.codes2 = codes2;
  }
}

const zobrist = new ZobristCodes();
