import { describe, expect, it } from 'vitest';
import { bruteForceLinearizable } from '../brute-force.js';
import { getModel } from '../models/index.js';
import { analyzeRegister } from './analyze.js';
import { linearize } from './witness.js';
import { arbitraryHistory } from './testing/arbitrary-history.js';
import { Prng } from '../../src/generator/prng.js';
import { sequentialHistory } from './testing/sequential-history.js';
import { verifyLinearization } from './testing/verify-linearization.js';
import type { Operation } from '../../src/history/types.js';

const casModel = getModel('cas-register');
const regModel = getModel('register');

function agree(ops: Operation[], withCas: boolean, label: string) {
  const model = withCas ? casModel : regModel;
  const a = analyzeRegister(ops, null, withCas);
  expect(a.kind, label).not.toBe('fallback');
  const expected = bruteForceLinearizable(model, ops);
  expect(a.kind === 'valid', `${label}: ${JSON.stringify(ops)}`).toBe(expected);
  if (a.kind === 'valid') {
    const order = linearize(a.versions, a.bounds, a.chains, a.order);
    expect(verifyLinearization(model, ops, order), label).toBeUndefined();
  }
}

describe('analyzeRegister agrees with the brute-force oracle', () => {
  it('on sequential executions with random timing, info and failed ops', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const rng = new Prng(seed);
      const withCas = seed % 3 !== 0;
      const ops = sequentialHistory(rng, {
        clients: rng.between(1, 5),
        ops: rng.between(1, 9),
        infoRate: rng.pick([0, 0.2, 0.5]),
        writeFailRate: 0.2,
        withCas,
        latency: [1, rng.between(1, 8)],
        think: [0, 3],
      });
      agree(ops, withCas, `sequential seed ${seed}`);
      // The generator's executions are linearizable by construction.
      expect(bruteForceLinearizable(withCas ? casModel : regModel, ops), `seed ${seed}`).toBe(true);
    }
  });

  it('on arbitrary small histories (mostly not linearizable)', () => {
    let valid = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const rng = new Prng(seed * 7919);
      const withCas = seed % 4 !== 0;
      const ops = arbitraryHistory(rng, rng.between(1, 8), withCas);
      agree(ops, withCas, `arbitrary seed ${seed}`);
      if (bruteForceLinearizable(withCas ? casModel : regModel, ops)) valid++;
    }
    // Both verdicts must be well represented for the agreement to mean something.
    expect(valid).toBeGreaterThan(300);
    expect(valid).toBeLessThan(2700);
  });

  it('produces a verified linearization for large valid sequential histories', () => {
    const rng = new Prng(42);
    const ops = sequentialHistory(rng, { clients: 20, ops: 20000, infoRate: 0.05, writeFailRate: 0.05 });
    const a = analyzeRegister(ops, null, true);
    expect(a.kind).toBe('valid');
    if (a.kind !== 'valid') return;
    expect(verifyLinearization(casModel, ops, linearize(a.versions, a.bounds, a.chains, a.order))).toBeUndefined();
  });
});
