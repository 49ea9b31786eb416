import type { Entry, SnapshotMeta } from './types.js';

/**
 * The in-memory log: entries after the last snapshot, addressed by their Raft index (1-based).
 * Index `snap.index` is the last compacted entry; its term stays known for the consistency check.
 */
export class RaftLog {
  private entries: Entry[] = [];
  private snap: SnapshotMeta = { index: 0, term: 0 };

  constructor(snap?: SnapshotMeta, entries: Entry[] = []) {
    if (snap) this.snap = { ...snap };
    for (const e of entries) this.appendOne(e);
  }

  get snapshotMeta(): SnapshotMeta {
    return this.snap;
  }
  get firstIndex(): number {
    return this.snap.index + 1;
  }
  get lastIndex(): number {
    return this.snap.index + this.entries.length;
  }
  get lastTerm(): number {
    return this.termAt(this.lastIndex) ?? 0;
  }

  /** Term of the entry at `index`, or undefined when it is compacted away (below the snapshot) or absent. */
  termAt(index: number): number | undefined {
    if (index === this.snap.index) return this.snap.term;
    if (index < this.snap.index || index > this.lastIndex) return undefined;
    return this.entries[index - this.snap.index - 1].term;
  }

  entry(index: number): Entry | undefined {
    if (index <= this.snap.index || index > this.lastIndex) return undefined;
    return this.entries[index - this.snap.index - 1];
  }

  /** Entries in [from, to] (inclusive), clipped to what is held; at most `max` of them. */
  slice(from: number, to: number, max = Infinity): Entry[] {
    const lo = Math.max(from, this.firstIndex);
    const hi = Math.min(to, this.lastIndex, lo + max - 1);
    if (hi < lo) return [];
    return this.entries.slice(lo - this.snap.index - 1, hi - this.snap.index);
  }

  appendOne(e: Entry): void {
    if (e.index !== this.lastIndex + 1) throw new Error(`log gap: appending ${e.index} after ${this.lastIndex}`);
    this.entries.push(e);
  }

  /** Drops entries with index >= from. */
  truncateFrom(from: number): void {
    if (from <= this.snap.index) throw new Error(`cannot truncate at ${from}: compacted up to ${this.snap.index}`);
    if (from > this.lastIndex) return;
    this.entries.length = from - this.snap.index - 1;
  }

  /** Overwrites the entry at an existing index in place (only used by the no-truncate bug knob). */
  overwrite(e: Entry): void {
    this.entries[e.index - this.snap.index - 1] = e;
  }

  /** Forgets entries up to `meta.index`; keeps later ones if they agree with the snapshot, else all. */
  compact(meta: SnapshotMeta): void {
    if (meta.index <= this.snap.index) return;
    if (this.termAt(meta.index) === meta.term) {
      this.entries = this.entries.slice(meta.index - this.snap.index);
    } else {
      this.entries = [];
    }
    this.snap = { ...meta };
  }

  /** All held entries (tests and invariant checks). */
  all(): readonly Entry[] {
    return this.entries;
  }
}
