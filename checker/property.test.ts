import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from './index.js';
import { getModel } from './models/index.js';
import { injectReadAnomaly } from './testing/anomaly.js';
import { simulateHistory } from './testing/simulate.js';

const params = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  clients: fc.integer({ min: 1, max: 6 }),
  ops: fc.integer({ min: 1, max: 60 }),
  keys: fc.integer({ min: 1, max: 3 }),
  infoRate: fc.constantFrom(0, 0.05, 0.2),
  cas: fc.boolean(),
  uniqueValues: fc.boolean(),
  latency: fc.integer({ min: 1, max: 4 }),
});

describe('histories from a real sequential execution', () => {
  it('are linearizable, whatever the concurrency, timing and crashes', async () => {
    await fc.assert(
      fc.asyncProperty(params, async (p) => {
        const history = simulateHistory({ ...p, keyed: true });
        const r = await checkHistory(history, getModel('kv'), { algorithm: 'search' });
        expect(r.valid).toBe(true);
      }),
      { numRuns: 300, seed: 1 },
    );
  });
  it('stop being linearizable with one injected impossible read', async () => {
    let injected = 0;
    await fc.assert(
      fc.asyncProperty(params, fc.nat(), async (p, pick) => {
        const history = simulateHistory({ ...p, uniqueValues: true, keyed: true });
        const changed = injectReadAnomaly(history, pick);
        fc.pre(changed !== undefined);
        injected++;
        const r = await checkHistory(history, getModel('kv'), { algorithm: 'search' });
        expect(r.valid).toBe(false);
        expect(r.counterexample?.minimal.length).toBeGreaterThan(0);
      }),
      { numRuns: 300, seed: 2 },
    );
    expect(injected).toBeGreaterThan(100);
  });
});
