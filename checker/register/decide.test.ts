import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/history/types.js';
import { bruteForceLinearizable } from '../brute-force.js';
import { searchLinearizable } from '../search/wgl.js';
import { getModel } from '../models/index.js';
import type { Model } from '../types.js';
import { dependentsOf } from './dependencies.js';
import { decideRegister } from './decide.js';
import { arbitraryHistory } from './testing/arbitrary-history.js';
import { buildHistory, type OpSpec } from './testing/build-history.js';
import { Prng } from '../../src/generator/prng.js';
import { sequentialHistory } from './testing/sequential-history.js';

const cas = getModel('cas-register');
const reg = getModel('register');

function decide(ops: Operation[], model: Model = cas) {
  const r = decideRegister(ops, model, null, {}, model !== reg);
  if (!r) throw new Error('fell back');
  return r;
}

/** Minimal over read-from-closed sub-histories: dropping any op with what observed it is linearizable. */
function expectMinimal(model: Model, minimal: Operation[]) {
  expect(bruteForceLinearizable(model, minimal)).toBe(false);
  for (const op of minimal) {
    const drop = dependentsOf(minimal, op);
    const rest = minimal.filter((o) => !drop.has(o));
    expect(bruteForceLinearizable(model, rest), `without ${model.describeOp(op)}`).toBe(true);
  }
}

function expectInvalid(specs: OpSpec[], expectedOp: number, words: RegExp, model: Model = cas) {
  const ops = buildHistory(specs);
  const r = decide(ops, model);
  expect(r.algorithm).toBe('register');
  expect(r.valid).toBe(false);
  const ce = r.counterexample!;
  expect(ce.op).toBe(ops.find((o) => o.call === specs[expectedOp][4] && o.process === specs[expectedOp][0]));
  expect(ce.explanation).toMatch(words);
  expectMinimal(model, ce.minimal);
  return ce;
}

describe('decideRegister catches every kind of anomaly', () => {
  it('a stale read', () => {
    const ce = expectInvalid(
      [
        [1, 'write', 17, 'ok', 0, 1],
        [2, 'write', 23, 'ok', 2, 3],
        [7, 'read', 17, 'ok', 4, 5],
        [3, 'read', 23, 'ok', 6, 7],
      ],
      2,
      /read -> 17 \(p7\) returned 17, but 17 was overwritten by write 23 \(p2\), which completed at t=3, before that read began at t=4/,
    );
    expect(ce.minimal.map((o) => o.process).sort()).toEqual([1, 2, 7]);
    expect(ce.partialLinearizations[0].map((s) => s.state)).toEqual(['17', '23']);
  });

  it('a stale read of the initial value', () => {
    expectInvalid(
      [
        [1, 'write', 5, 'ok', 0, 1],
        [2, 'read', null, 'ok', 2, 3],
      ],
      1,
      /returned the initial value null, but 5 had already replaced it/,
    );
  });

  it('a lost write (a later read sees the older value)', () => {
    expectInvalid(
      [
        [1, 'write', 1, 'ok', 0, 2],
        [2, 'write', 2, 'ok', 3, 4],
        [3, 'read', 2, 'ok', 5, 6],
        [4, 'read', 1, 'ok', 7, 8],
      ],
      3,
      /returned 1, but 1 was overwritten/,
    );
  });

  it('a read of a value never written', () => {
    expectInvalid([[1, 'write', 1, 'ok', 0, 1], [2, 'read', 9, 'ok', 2, 3]], 1, /no operation wrote 9/);
  });

  it('a read of a value only a failed op wrote', () => {
    expectInvalid(
      [
        [1, 'write', 4, 'fail', 0, 1],
        [2, 'read', 4, 'ok', 2, 3],
      ],
      1,
      /the only op that wrote 4 is write 4 \(p1\) \[fail\], which failed/,
    );
  });

  it('a value that comes back after being overwritten', () => {
    expectInvalid(
      [
        [1, 'write', 1, 'ok', 0, 10],
        [2, 'write', 2, 'ok', 0, 10],
        [3, 'read', 1, 'ok', 11, 12],
        [4, 'read', 2, 'ok', 13, 14],
        [5, 'read', 1, 'ok', 15, 16],
      ],
      4,
      /1 was overwritten/,
    );
  });

  it('a broken cas chain (a cas from a value already replaced)', () => {
    expectInvalid(
      [
        [1, 'write', 1, 'ok', 0, 1],
        [2, 'cas', [1, 2], 'ok', 2, 3],
        [3, 'cas', [1, 3], 'ok', 4, 5],
      ],
      2,
      /both took effect and both replaced 1/,
    );
  });

  it('a read of a value a cas had already replaced', () => {
    expectInvalid(
      [
        [1, 'write', 1, 'ok', 0, 1],
        [2, 'cas', [1, 2], 'ok', 2, 3],
        [3, 'read', 1, 'ok', 4, 5],
      ],
      2,
      /returned 1, but 1 had already been replaced by cas 1->2 \(p2\)/,
    );
  });

  it('a read that sees a write before that write was invoked', () => {
    expectInvalid(
      [
        [1, 'read', 8, 'ok', 0, 1],
        [2, 'write', 8, 'ok', 2, 3],
      ],
      0,
      /completed at t=1, before write 8 \(p2\), the only op that writes that value, was invoked at t=2/,
    );
  });

  it('a cas that succeeded from a value nobody wrote', () => {
    expectInvalid([[1, 'cas', [3, 4], 'ok', 0, 1]], 0, /succeeded, so the register held 3, but no operation wrote 3/);
  });

  it('an indeterminate write that was read must have happened, and in time', () => {
    expectInvalid(
      [
        [1, 'write', 1, 'info', 5, 6],
        [2, 'read', 1, 'ok', 0, 2],
      ],
      1,
      /the only op that writes that value/,
    );
    expect(decide(buildHistory([[1, 'write', 1, 'info', 0, 1], [2, 'read', 1, 'ok', 50, 60]])).valid).toBe(true);
  });

  it('accepts unobserved indeterminate writes and ignores failed ones', () => {
    const ops = buildHistory([
      [1, 'write', 1, 'ok', 0, 1],
      [2, 'write', 2, 'info', 2, 3],
      [3, 'cas', [1, 3], 'fail', 4, 5],
      [4, 'read', 1, 'ok', 6, 7],
    ]);
    expect(decide(ops).valid).toBe(true);
  });
});

describe('decideRegister falls back where the structure does not hold', () => {
  it('a value written twice', () => {
    const ops = buildHistory([[1, 'write', 1, 'ok', 0, 1], [2, 'write', 1, 'ok', 2, 3]]);
    expect(decideRegister(ops, cas, null, {})).toBeUndefined();
  });
  it('a write of the initial value', () => {
    expect(decideRegister(buildHistory([[1, 'write', null, 'ok', 0, 1]]), cas, null, {})).toBeUndefined();
  });
  it('a cas on the plain register model, and other models', async () => {
    const ops = buildHistory([[1, 'cas', [null, 1], 'ok', 0, 1]]);
    expect(await reg.decide!(ops, null, {})).toBeUndefined();
    expect(getModel('mutex').decide).toBeUndefined();
  });
});

describe('decideRegister agrees with the oracle and gives minimal counterexamples', () => {
  it('on random arbitrary and near-valid histories (register, search, brute force)', () => {
    let invalid = 0;
    for (let seed = 1; seed <= 2500; seed++) {
      const rng = new Prng(seed * 104729);
      const withCas = seed % 4 !== 0;
      const model = withCas ? cas : reg;
      const ops =
        seed % 2 === 0
          ? arbitraryHistory(rng, rng.between(1, 8), withCas)
          : corrupt(rng, sequentialHistory(rng, { clients: rng.between(1, 4), ops: rng.between(2, 8), infoRate: 0.3, writeFailRate: 0.2, withCas, latency: [1, 6] }));
      const r = decide(ops, model);
      expect(r.valid, `seed ${seed}`).toBe(bruteForceLinearizable(model, ops));
      expect(searchLinearizable(model, ops).valid, `search, seed ${seed}`).toBe(r.valid);
      if (r.valid === false) {
        invalid++;
        expectMinimal(model, r.counterexample!.minimal);
        expect(r.counterexample!.minimal).toContain(r.counterexample!.op);
      }
    }
    expect(invalid).toBeGreaterThan(500);
  });
});

/** Replaces one ok read's result with a value from the history (possibly making it stale). */
function corrupt(rng: Prng, ops: Operation[]): Operation[] {
  const reads = ops.filter((o) => o.f === 'read' && o.status === 'ok');
  const writes = ops.filter((o) => o.f === 'write');
  if (reads.length === 0 || writes.length === 0 || rng.chance(0.3)) return ops;
  rng.pick(reads).output = rng.chance(0.2) ? null : rng.pick(writes).input;
  return ops;
}
