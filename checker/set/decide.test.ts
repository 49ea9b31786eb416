import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/history/types.js';
import { bruteForceLinearizable } from '../brute-force.js';
import { checkOperations, pairOperations } from '../index.js';
import { getModel } from '../models/index.js';
import { op } from '../testing/ops.js';
import type { KeyResult, Model } from '../types.js';
import type { Violation } from './analyze.js';
import { buildSetCounterexample } from './counterexample.js';
import { decideSet } from './decide.js';
import { simulateSetHistory } from './testing/simulate-set.js';

const set = getModel('set');

/** Set ops for tests: times double as raw indices, so give every call and return a distinct integer. */
class SetOps {
  readonly ops: Operation[] = [];
  add(p: number, e: unknown, call: number, ret?: number, status?: Operation['status']) {
    this.ops.push(op(this.ops.length, p, 'add', e, e, call, ret, status ?? (ret === undefined ? 'info' : 'ok')));
    return this;
  }
  read(p: number, elements: unknown[] | undefined, call: number, ret?: number, status?: Operation['status']) {
    this.ops.push(op(this.ops.length, p, 'read', null, elements, call, ret, status ?? (ret === undefined ? 'info' : 'ok')));
    return this;
  }
}

function decide(h: SetOps, model: Model = set): KeyResult {
  const r = decideSet(h.ops, model, null, {});
  if (!r) throw new Error('the set procedure did not apply');
  expect(r.algorithm).toBe('set');
  return r;
}

/** Valid per the decider, and the brute-force oracle agrees. */
function expectValid(h: SetOps, model: Model = set) {
  expect(bruteForceLinearizable(model, h.ops)).toBe(true);
  const r = decide(h, model);
  expect(r.valid).toBe(true);
  expect(r.counterexample).toBeUndefined();
}

/**
 * Invalid per the decider, the oracle agrees, the explanation matches, and the counterexample's minimal
 * sub-history is really not linearizable and made of the history's ops (outputs possibly restricted).
 */
function expectInvalid(h: SetOps, words: RegExp, model: Model = set) {
  expect(bruteForceLinearizable(model, h.ops)).toBe(false);
  const r = decide(h, model);
  expect(r.valid).toBe(false);
  expect(r.note).toBeUndefined();
  const ce = r.counterexample!;
  expect(ce).toBeDefined();
  expect(ce.explanation).toMatch(words);
  expect(ce.minimal.length).toBeGreaterThan(0);
  expect(bruteForceLinearizable(model, ce.minimal)).toBe(false);
  for (const m of ce.minimal) {
    const orig = h.ops.find((o) => o.id === m.id)!;
    expect([orig.f, orig.call, orig.ret, orig.status]).toEqual([m.f, m.call, m.ret, m.status]);
  }
  return ce;
}

describe('decideSet: valid histories', () => {
  it('a read after an add sees it', () => {
    expectValid(new SetOps().add(1, 1, 0, 1).read(2, [1], 2, 3));
  });

  it('info adds may appear late, or never', () => {
    expectValid(
      new SetOps()
        .add(1, 1, 0)
        .add(2, 2, 1)
        .read(3, [], 5, 6)
        .read(3, [], 7, 8)
        .read(4, [1], 100, 101)
        .read(4, [1], 102, 103),
    );
  });

  it('a read concurrent with an in-flight add may lack it, a later one may see it', () => {
    expectValid(new SetOps().add(1, 1, 0, 10).read(2, [], 2, 3).read(2, [1], 4, 5).read(3, [], 1, 6));
  });

  it('reads with duplicates and any order, and failed or info reads, are fine', () => {
    expectValid(
      new SetOps()
        .add(1, 2, 0, 1)
        .add(1, 1, 2, 3)
        .read(2, [1, 2, 1], 4, 5)
        .read(3, [9], 6, 7, 'fail')
        .read(4, undefined, 8),
    );
  });

  it('a failed add that no read shows', () => {
    expectValid(new SetOps().add(1, 1, 0, 1, 'fail').read(2, [], 2, 3));
  });

  it('initial elements are there from the start, and adding one again changes nothing', () => {
    const m = getModel('set', [7, { a: 1 }]);
    expectValid(new SetOps().read(1, [{ a: 1 }, 7], 0, 1).add(2, 7, 2, 3).add(3, 7, 4, 5).add(2, 1, 6, 7).read(1, [7, 1, { a: 1 }], 8, 9), m);
  });

  it('no reads at all', () => {
    expectValid(new SetOps().add(1, 1, 0, 1).add(2, 2, 2, 3));
  });
});

describe('decideSet: every kind of anomaly', () => {
  it('a phantom element nobody added', () => {
    const ce = expectInvalid(new SetOps().add(1, 1, 0, 1).read(2, [1, 9], 2, 3), /returned 9, but no operation added 9/);
    // Only the read and the element 9 are needed.
    expect(ce.minimal.map((o) => o.f)).toEqual(['read']);
    expect(ce.minimal[0].output).toEqual([9]);
  });

  it('an element only a failed add added', () => {
    expectInvalid(
      new SetOps().add(1, 4, 0, 1, 'fail').read(2, [4], 2, 3),
      /read \(p2\) of 1 element returned 4, but the only add of 4, add 4 \(p1\), failed/,
    );
  });

  it('incomparable reads', () => {
    const ce = expectInvalid(
      new SetOps().add(1, 1, 0, 20).add(2, 2, 0, 20).add(5, 3, 0, 1).read(3, [1, 3], 2, 10).read(4, [3, 2], 2, 10),
      /returned 1 but not 2, and .* returned 2 but not 1/,
    );
    expect(ce.minimal).toHaveLength(4);
  });

  it('incomparable reads in real-time order', () => {
    expectInvalid(
      new SetOps().add(1, 1, 0, 20).add(2, 2, 0, 20).read(3, [1], 1, 2).read(4, [2], 3, 4),
      /The first completed at t=2, before the second was invoked at t=3, and the set never shrinks, so the second must hold 1 too/,
    );
  });

  it('a read that would have to take effect after it returned (it saw an add invoked later)', () => {
    expectInvalid(
      new SetOps().read(1, [5], 0, 3).add(2, 5, 4, 5),
      /returned 5, but it completed at t=3, before add 5 \(p2\), the only add of 5, was invoked at t=4/,
    );
  });

  it('a read that would have to take effect after it returned (a later read lacks what it saw)', () => {
    // rB holds 2, so it follows add 2, which follows rA (rA lacks 2); rA began after rB returned.
    expectInvalid(
      new SetOps().add(1, 2, 0, 100).read(2, [2], 1, 5).read(3, [], 10, 20),
      /returned 2 and completed at t=5, before read \(p3\) of 0 elements was invoked at t=10, yet that later read lacks 2/,
    );
  });

  it('an info add seen, then missing', () => {
    expectInvalid(new SetOps().add(1, 2, 0).read(2, [2], 1, 5).read(3, [], 10, 20), /lacks 2: the set never shrinks/);
  });

  it('an ok add missing from a read invoked after the add returned', () => {
    expectInvalid(
      new SetOps().add(1, 1, 0, 1).read(2, [], 2, 3).read(2, [1], 4, 5),
      /add 1 \(p1\) completed at t=1, before read \(p2\) of 0 elements was invoked at t=2, yet that read lacks 1/,
    );
  });

  it('an ok add that no read ever shows, though a read began after it returned', () => {
    expectInvalid(new SetOps().add(1, 1, 0, 1).read(2, [], 2, 3), /yet that read lacks 1/);
  });

  it('adds in real-time order seen out of order', () => {
    const ce = expectInvalid(
      new SetOps().add(1, 1, 0, 1).add(1, 2, 2, 3).read(2, [2], 0, 10).read(2, [1, 2], 11, 12),
      /add 1 \(p1\) completed at t=1, before add 2 \(p1\) was invoked at t=2, yet read \(p2\) of 1 element holds 2 but not 1/,
    );
    expect(ce.minimal).toHaveLength(3);
  });

  it('a read lacking an initial element', () => {
    const m = getModel('set', [7]);
    expectInvalid(new SetOps().add(1, 1, 0, 1).read(2, [1], 2, 3), /lacks 7, an initial element/, m);
  });

  it('the counterexample keeps the initial elements in what reads returned', () => {
    const m = getModel('set', [7]);
    const ce = expectInvalid(new SetOps().add(1, 1, 0, 1).read(2, [7, 3], 2, 3).add(3, 3, 0, 1), /yet that read lacks 1/, m);
    expect(ce.minimal.map((o) => [o.f, o.output])).toEqual([['add', 1], ['read', [7]]]);
    expect(ce.explanation).toMatch(/keeps only element 1 \(and the initial elements\)/);
  });

  it('elements compare by canonical value: 1 and "1" differ, key order in objects does not matter', () => {
    expectInvalid(new SetOps().add(1, 1, 0, 1).read(2, ['1'], 2, 3), /no operation added "1"/);
    expectValid(new SetOps().add(1, { a: 1, b: 2 }, 0, 1).read(2, [{ b: 2, a: 1 }], 2, 3));
  });
});

describe('decideSet: real-time ties follow the raw history order, as in the search', () => {
  /** Two ops at the same time: the raw indices decide which came first. */
  const tie = (addRet: number, readCall: number) => {
    const add: Operation = { ...op(0, 1, 'add', 1, 1, 0, 5), completeIndex: addRet };
    const read: Operation = { ...op(1, 2, 'read', null, [], 5, 9), invokeIndex: readCall };
    add.invokeIndex = 0;
    read.completeIndex = 9;
    return [add, read];
  };
  it('add completion logged before the read invoke: the read must see it', () => {
    const ops = tie(3, 4);
    expect(bruteForceLinearizable(set, ops)).toBe(false);
    expect(decideSet(ops, set, null, {})?.valid).toBe(false);
  });
  it('read invoke logged first: concurrent', () => {
    const ops = tie(4, 3);
    expect(bruteForceLinearizable(set, ops)).toBe(true);
    expect(decideSet(ops, set, null, {})?.valid).toBe(true);
  });
});

describe('decideSet applies only where it is exact', () => {
  it('falls back on an element added twice, another model, or an unknown op', async () => {
    expect(decideSet(new SetOps().add(1, 1, 0, 1).add(2, 1, 2, 3).ops, set, null, {})).toBeUndefined();
    expect((await getModel('register').decide!(new SetOps().add(1, 1, 0, 1).ops, null, {}))?.algorithm).not.toBe('set');
    const odd = new SetOps().add(1, 1, 0, 1).ops;
    odd.push(op(1, 2, 'remove', 1, 1, 2, 3));
    expect(decideSet(odd, set, null, {})).toBeUndefined();
  });

  it('an element added twice where one add failed is still decided', () => {
    expectValid(new SetOps().add(1, 1, 0, 1, 'fail').add(2, 1, 2, 3).read(3, [1], 4, 5));
  });

  it('never flips its verdict when the search does not confirm the projection', () => {
    // A made-up violation on a valid history: the search finds the projection linearizable.
    const h = new SetOps().add(1, 1, 0, 1).read(2, [1], 2, 3);
    const fake: Violation = { kind: 'read-before-add', read: h.ops[1], add: h.ops[0], element: { key: '1', value: 1 } };
    const built = buildSetCounterexample(set, null, h.ops, fake, [], 1000);
    expect(built.counterexample).toBeUndefined();
    expect(built.note).toMatch(/did not confirm/);
  });
});

describe('checkOperations uses the set procedure', () => {
  const h = new SetOps().add(1, 1, 0, 1).read(2, [], 2, 3);
  it('by default', async () => {
    const r = await checkOperations(h.ops, set);
    expect(r.valid).toBe(false);
    expect(r.keys[0].algorithm).toBe('set');
    expect(r.counterexample?.explanation).toMatch(/yet that read lacks 1/);
  });
  it('not with --algorithm search', async () => {
    const r = await checkOperations(h.ops, set, { algorithm: 'search' });
    expect(r.valid).toBe(false);
    expect(r.keys[0].algorithm).toBe('search');
  });
  it('with --algorithm register, saying so', async () => {
    const r = await checkOperations(h.ops, set, { algorithm: 'register' });
    expect(r.keys[0].algorithm).toBe('set');
    expect(r.keys[0].note).toMatch(/register does not apply to the set model/);
  });
  it('and falls back to the search when an element is added twice', async () => {
    const r = await checkOperations(new SetOps().add(1, 1, 0, 1).add(2, 1, 2, 3).read(3, [1], 4, 5).ops, set);
    expect(r.valid).toBe(true);
    expect(r.keys[0].algorithm).toBe('search');
  });
});

describe('large histories', () => {
  it('a 20k-op history with thousands of info adds is decided, and an injected anomaly gives a tiny counterexample', () => {
    const raw = simulateSetHistory({ clients: 30, ops: 20_000, seed: 5, readRate: 0.1, infoRate: 0.15, failRate: 0.05, latency: 3 });
    const ops = pairOperations(raw);
    expect(ops.filter((o) => o.f === 'add' && o.status === 'info').length).toBeGreaterThan(1000);
    const t0 = performance.now();
    const r = decideSet(ops, set, null, {})!;
    const ms = performance.now() - t0;
    expect(r.valid).toBe(true);
    expect(ms).toBeLessThan(5000);
    // Drop from a late read an element acknowledged long before it began.
    const reads = ops.filter((o) => o.f === 'read' && o.status === 'ok');
    const late = reads[reads.length - 1];
    const acked = ops.find((o) => o.f === 'add' && o.status === 'ok' && o.ret < late.call)!;
    const changed = ops.map((o) => (o === late ? { ...o, output: (o.output as unknown[]).filter((x) => x !== acked.input) } : o));
    const bad = decideSet(changed, set, null, {})!;
    expect(bad.valid).toBe(false);
    const ce = bad.counterexample!;
    expect(ce.minimal.length).toBeLessThanOrEqual(3);
    expect(bruteForceLinearizable(set, ce.minimal)).toBe(false);
  });
});
