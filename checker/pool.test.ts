import { describe, expect, it } from 'vitest';
import { pairOperations } from './history.js';
import { checkOperations } from './index.js';
import { getModel } from './models/index.js';
import { runKeyChecksInWorkers } from './pool.js';
import { injectReadAnomaly } from './testing/anomaly.js';
import { simulateHistory } from './testing/simulate.js';

describe('worker pool', () => {
  it('checks keys on worker threads (tsx loader under vitest) and agrees with in-process checking', async () => {
    const history = simulateHistory({ clients: 8, ops: 2000, keys: 20, seed: 3, uniqueValues: true, cas: true, infoRate: 0.02 });
    injectReadAnomaly(history, 5);
    const ops = pairOperations(history);
    const model = getModel('kv');
    const parts = [...model.partition!(ops)].map(([key, part]) => ({ key, ops: part }));
    const viaWorkers = await runKeyChecksInWorkers(parts, { name: 'kv', init: null }, { workers: 2 });
    expect(viaWorkers).toBeDefined();
    const inProcess = await checkOperations(ops, model, { workers: 0, algorithm: 'search' });
    expect(viaWorkers!.map((k) => [k.key, k.valid])).toEqual(inProcess.keys.map((k) => [k.key, k.valid]));
    expect(viaWorkers!.filter((k) => k.valid === false)).toHaveLength(1);
    const viaCheck = await checkOperations(ops, model, { workers: 2, algorithm: 'search' });
    expect(viaCheck.valid).toBe(false);
    expect(viaCheck.counterexample?.key).toBe(inProcess.counterexample?.key);
  });
});
