/**
 * Lowe's cache of explored configurations kept as 64-bit fingerprints only (two independent 32-bit hashes
 * of the linearized set and the model state), 8 bytes a slot in one open-addressing table, instead of the
 * set's words and the state (StateCache). On the hardest file of a Jepsen-style etcd corpus (219k
 * configurations) that is 4 MB instead of 10 MB of arrays plus a 219k-element state array.
 *
 * Two different configurations with one fingerprint make the search skip the second: it may then miss a
 * linearization that exists and answer "not linearizable", never the reverse (a "linearizable" answer is
 * a linearization the search walked). So a search with this cache is trusted when it finds a
 * linearization, and an invalid answer is settled again with the exact cache (see KeySearch).
 */
export class FingerprintCache {
  /** Slot k holds the fingerprint (table[2k], table[2k+1]); (0, 0) is an empty slot. */
  private table = new Int32Array(2 * 1024);
  private mask = 1023;
  /** 32 - log2(slots): a slot comes from the top bits of a multiplied hash (Fibonacci hashing). */
  private shift = 22;
  count = 0;

  /** Bytes held, for the memory budget. */
  get bytes(): number {
    return this.table.byteLength;
  }

  /** Adds the fingerprint (h1, h2) unless present; true when it was new. */
  addIfNew(h1: number, h2: number): boolean {
    // (0, 0) marks an empty slot: move that one fingerprint aside (it then shares a value with (0, 1)).
    if ((h1 | h2) === 0) h2 = 1;
    const table = this.table;
    const mask = this.mask;
    let slot = Math.imul(h1, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const a = table[2 * slot];
      const b = table[2 * slot + 1];
      if ((a | b) === 0) break;
      if (a === h1 && b === h2) return false;
      slot = (slot + 1) & mask;
    }
    table[2 * slot] = h1;
    table[2 * slot + 1] = h2;
    // At most 7/8 full: probes get longer only just before the table doubles, and the table is half the
    // size it would be at 3/4 for a cache that just passed a power of two.
    if (++this.count * 8 > (mask + 1) * 7) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    const table = new Int32Array(2 * slots);
    const mask = slots - 1;
    const shift = this.shift - 1;
    for (let k = 0; k < old.length; k += 2) {
      const a = old[k];
      const b = old[k + 1];
      if ((a | b) === 0) continue;
      let slot = Math.imul(a, 0x9e3779b1) >>> shift;
      while ((table[2 * slot] | table[2 * slot + 1]) !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = a;
      table[2 * slot + 1] = b;
    }
    this.table = table;
    this.mask = mask;
    this.shift = shift;
  }
}
