/** A min-heap of timed callbacks; ties run in insertion order so a run is deterministic. */
export class EventQueue {
  private heap: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  now = 0;

  at(time: number, fn: () => void): void {
    this.push({ at: Math.max(time, this.now), seq: this.seq++, fn });
  }
  after(delay: number, fn: () => void): void {
    this.at(this.now + delay, fn);
  }
  get size(): number {
    return this.heap.length;
  }
  /** Runs the next event; false when none is due at or before `until`. */
  runNext(until: number): boolean {
    const top = this.heap[0];
    if (!top || top.at > until) return false;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    this.now = top.at;
    top.fn();
    return true;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a], y = this.heap[b];
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
  private push(e: { at: number; seq: number; fn: () => void }): void {
    this.heap.push(e);
    let i = this.heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      [this.heap[i], this.heap[p]] = [this.heap[p], this.heap[i]];
      i = p;
    }
  }
  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      [this.heap[i], this.heap[m]] = [this.heap[m], this.heap[i]];
      i = m;
    }
  }
}
