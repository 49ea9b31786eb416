import { describe, expect, it } from 'vitest';
import { Prng } from '../src/generator/prng.js';
import type { HistoryOp, OpType } from '../src/history/types.js';
import { checkSetHistory, setWorkload, type VanishedExplanation } from './set.js';

/** Builds a history line by line; `index` and `time` follow the order of the calls (real-time order). */
class H {
  readonly ops: HistoryOp[] = [];
  private push(type: OpType, process: number | 'nemesis', f: string, value: unknown, node?: string): this {
    const i = this.ops.length;
    this.ops.push({ index: i, type, process, f, value, time: i * 1000, ...(node ? { node } : {}) });
    return this;
  }
  addInvoke(p: number, e: number) {
    return this.push('invoke', p, 'add', e);
  }
  addDone(p: number, e: number, type: 'ok' | 'fail' | 'info' = 'ok') {
    return this.push(type, p, 'add', e);
  }
  readInvoke(p: number, node = 'n1') {
    return this.push('invoke', p, 'read', null, node);
  }
  readOk(p: number, elements: number[], node = 'n1') {
    return this.push('ok', p, 'read', elements, node);
  }
  /** Index the next pushed op will get (for finalReadFrom). */
  get next(): number {
    return this.ops.length;
  }
  nemesis(f: string) {
    return this.push('info', 'nemesis', f, null);
  }
}

interface Details {
  vanished?: number[];
  vanishedExplained?: VanishedExplanation[];
  lost?: number[];
  reason?: string;
}

const details = (r: ReturnType<typeof checkSetHistory>) => r.details as Details;

describe('checkSetHistory: vanished elements', () => {
  it('(i) a clean history with mid-run reads is valid', () => {
    const h = new H()
      .addInvoke(0, 1).addDone(0, 1)
      .readInvoke(1).readOk(1, [1])
      .addInvoke(0, 2)
      .readInvoke(1).readOk(1, [1]) // concurrent with add 2: may lack it
      .addDone(0, 2)
      .nemesis('start-partition')
      .readInvoke(1, 'n2').readOk(1, [2, 1], 'n2');
    const from = h.next;
    h.readInvoke(2, 'n1').readOk(2, [1, 2], 'n1').readInvoke(3, 'n2').readOk(3, [2, 1], 'n2');
    const r = checkSetHistory(h.ops, from);
    expect(r.valid).toBe(true);
    expect(details(r)).toMatchObject({ vanished: [], vanishedExplained: [], lost: [], reads: 5, finalReads: 2 });
  });

  it('(ii) an element seen in a read and absent from a later, non-overlapping read has vanished', () => {
    // 7's add ended in info (unknown), so only the read makes it known.
    const h = new H()
      .addInvoke(0, 7).addDone(0, 7, 'info')
      .readInvoke(1, 'n1').readOk(1, [7], 'n1') // index 3: 7 known present from here
      .readInvoke(2, 'n3').readOk(2, [], 'n3'); // invoked at 4 > 3: 7 vanished
    const from = h.next;
    h.readInvoke(3).readOk(3, [7]);
    const r = checkSetHistory(h.ops, from);
    expect(r.valid).toBe(false);
    expect(details(r).vanished).toEqual([7]);
    expect(details(r).lost).toEqual([]);
    expect(details(r).vanishedExplained).toEqual([
      { element: 7, seenAt: 3, seenBy: 'read', missingInvokedAt: 4, missingAt: 5, missingNode: 'n3' },
    ]);
  });

  it('(iii) the same two reads overlapping is not an anomaly', () => {
    const h = new H()
      .addInvoke(0, 7).addDone(0, 7, 'info')
      .readInvoke(1, 'n1')
      .readInvoke(2, 'n3') // invoked before the read that shows 7 completed
      .readOk(1, [7], 'n1')
      .readOk(2, [], 'n3');
    const from = h.next;
    h.readInvoke(3).readOk(3, [7]);
    const r = checkSetHistory(h.ops, from);
    expect(details(r).vanished).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('(iv) an acknowledged add missing from a later read has vanished, even if the final read has it', () => {
    const h = new H()
      .addInvoke(0, 1).addDone(0, 1) // index 1
      .addInvoke(0, 2).addDone(0, 2) // index 3
      .readInvoke(1, 'n2').readOk(1, [1], 'n2'); // invoked at 4: 2 vanished
    const from = h.next;
    h.readInvoke(2).readOk(2, [1, 2]);
    const r = checkSetHistory(h.ops, from);
    expect(r.valid).toBe(false);
    expect(details(r).vanished).toEqual([2]);
    expect(details(r).lost).toEqual([]);
    expect(details(r).vanishedExplained).toEqual([
      { element: 2, seenAt: 3, seenBy: 'add', missingInvokedAt: 4, missingAt: 5, missingNode: 'n2' },
    ]);
  });

  it('an acknowledged add missing from the final read is both lost and vanished', () => {
    const h = new H().addInvoke(0, 1).addDone(0, 1).addInvoke(0, 2).addDone(0, 2);
    const from = h.next;
    h.readInvoke(1).readOk(1, [1]);
    const r = checkSetHistory(h.ops, from);
    expect(r.valid).toBe(false);
    expect(details(r)).toMatchObject({ lost: [2], vanished: [2] });
  });

  it('vanishing is invalid even when no final read succeeded', () => {
    const h = new H().addInvoke(0, 1).addDone(0, 1).readInvoke(1).readOk(1, []);
    const r = checkSetHistory(h.ops, h.next);
    expect(r.valid).toBe(false);
    expect(details(r)).toMatchObject({ reason: 'no final read succeeded', vanished: [1] });
    // Without the vanishing read it stays unknown, as before.
    const clean = new H().addInvoke(0, 1).addDone(0, 1);
    expect(checkSetHistory(clean.ops, clean.next).valid).toBe('unknown');
  });

  it('(v) a read concurrent with an in-flight add may lack it', () => {
    const h = new H()
      .addInvoke(0, 1)
      .readInvoke(1).readOk(1, []) // the add has not completed yet
      .readInvoke(1)
      .addDone(0, 1)
      .readOk(1, []) // invoked before the add completed, returned after: still concurrent
      .readInvoke(1).readOk(1, [1]);
    const from = h.next;
    h.readInvoke(2).readOk(2, [1]);
    const r = checkSetHistory(h.ops, from);
    expect(r.valid).toBe(true);
    expect(details(r).vanished).toEqual([]);
  });

  it('a read invoked just before the add completes may lack it; one invoked just after may not', () => {
    const base = () => new H().addInvoke(0, 1);
    const before = base().readInvoke(1).addDone(0, 1).readOk(1, []);
    expect(details(checkSetHistory(before.ops, before.next)).vanished).toEqual([]);
    const after = base().addDone(0, 1).readInvoke(1).readOk(1, []);
    expect(details(checkSetHistory(after.ops, after.next)).vanished).toEqual([1]);
  });

  it('explains at most five vanished elements, earliest first, and lists them all sorted', () => {
    const h = new H();
    for (let e = 1; e <= 8; e++) h.addInvoke(0, e).addDone(0, e);
    h.readInvoke(1).readOk(1, [1, 2, 3, 4, 5, 6]); // 7 and 8 vanish here (index 17)
    h.readInvoke(1).readOk(1, [7, 8]); // 1..6 vanish here (index 19); 7, 8 already reported
    const r = checkSetHistory(h.ops, h.next);
    expect(details(r).vanished).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const ex = details(r).vanishedExplained!;
    expect(ex.map((x) => [x.element, x.missingAt])).toEqual([[7, 17], [8, 17], [1, 19], [2, 19], [3, 19]]);
  });

  it('ignores nemesis ops, failed reads and reads with unknown outcome', () => {
    const h = new H().addInvoke(0, 1).addDone(0, 1).nemesis('kill');
    h.readInvoke(1);
    h.ops.push({ index: h.next, type: 'fail', process: 1, f: 'read', value: null, time: 0, error: 'timeout' });
    h.readInvoke(2);
    h.ops.push({ index: h.next, type: 'info', process: 2, f: 'read', value: null, time: 0, error: 'timeout' });
    const from = h.next;
    h.readInvoke(3).readOk(3, [1]);
    expect(checkSetHistory(h.ops, from).valid).toBe(true);
  });
});

describe('setWorkload.stream', () => {
  const take = (seed: number, n: number) => {
    const stream = setWorkload.stream(new Prng(seed), { activeKeys: 1, opsPerKey: 1 });
    return Array.from({ length: n }, () => stream.next());
  };

  it('(vi) mixes in whole-set reads about 1 in 10, adds strictly increasing unique integers, deterministically', () => {
    const ops = take(42, 10_000);
    const reads = ops.filter((o) => o.f === 'read');
    const adds = ops.filter((o) => o.f === 'add');
    expect(reads.length + adds.length).toBe(ops.length);
    expect(reads.every((o) => o.value === null)).toBe(true);
    expect(reads.length).toBeGreaterThan(800);
    expect(reads.length).toBeLessThan(1200);
    // The counter is not consumed by reads: adds are exactly 1, 2, 3, ...
    expect(adds.map((o) => o.value)).toEqual(Array.from({ length: adds.length }, (_, i) => i + 1));
    expect(take(42, 10_000)).toEqual(ops);
    expect(take(43, 200)).not.toEqual(ops.slice(0, 200));
  });

  it('final reads are still one whole-set read', () => {
    const stream = setWorkload.stream(new Prng(1), { activeKeys: 1, opsPerKey: 1 });
    expect(stream.finalReads()).toEqual([{ f: 'read', value: null }]);
  });
});
