import { describe, expect, it } from 'vitest';
import { pairOperations } from '../src/history/pair.js';
import { checkOperations } from './index.js';
import { getModel } from './models/index.js';
import { searchInWorkers } from './pool.js';
import type { SearchJob } from './schedule.js';
import { injectReadAnomaly } from './testing/anomaly.js';
import { counterModel } from './testing/counter-model.js';
import { simulateHistory } from './testing/simulate.js';
import type { KeyResult } from './types.js';

describe('worker pool', () => {
  const history = simulateHistory({ clients: 8, ops: 2000, keys: 20, seed: 3, uniqueValues: true, cas: true, infoRate: 0.02 });
  injectReadAnomaly(history, 5);
  const ops = pairOperations(history);
  const model = getModel('kv');
  const jobs: SearchJob[] = [...model.partition!(ops)].map(([key, part], index) => ({ index, key, ops: part }));

  it('rebuilds the model from its own recipe on worker threads (tsx loader under vitest) and agrees with in-process checking', async () => {
    const viaWorkers: KeyResult[] = [];
    const run = searchInWorkers(jobs, model.worker!, { workers: 2, allKeys: true }, (job, r) => {
      viaWorkers[job.index] = r;
      return false;
    });
    expect(await run.done).toEqual([]);
    const inProcess = await checkOperations(ops, model, { workers: 0, algorithm: 'search', allKeys: true });
    expect(viaWorkers.map((k) => [k.key, k.valid])).toEqual(inProcess.keys.map((k) => [k.key, k.valid]));
    expect(viaWorkers.filter((k) => k.valid === false)).toHaveLength(1);
    const viaCheck = await checkOperations(ops, model, { workers: 2, algorithm: 'search', allKeys: true });
    expect(viaCheck.valid).toBe(false);
    expect(viaCheck.counterexample?.key).toBe(inProcess.counterexample?.key);
  });

  it('stops at the first invalid key and reports the rest as not checked', async () => {
    const r = await checkOperations(ops, model, { workers: 2, algorithm: 'search' });
    expect(r.valid).toBe(false);
    expect(r.keys.filter((k) => k.valid === false)).toHaveLength(1);
    expect(r.keys.every((k) => k.valid !== 'unknown')).toBe(true);
  });

  it('runs a model defined outside the checker (defineModel, text hash) on workers from its own recipe', async () => {
    const user = counterModel();
    const raw = [];
    // Per key: two concurrent adds of 1 and 2, then reads; key "bad" reads a total nobody reached.
    for (const [k, key] of ['a', 'b', 'c', 'bad'].entries()) {
      const t = k * 100;
      raw.push(
        { time: t, type: 'invoke', process: 10 * k, f: 'add', key, value: 1 },
        { time: t + 1, type: 'invoke', process: 10 * k + 1, f: 'add', key, value: 2 },
        { time: t + 2, type: 'ok', process: 10 * k, f: 'add', key, value: 1 },
        { time: t + 3, type: 'ok', process: 10 * k + 1, f: 'add', key, value: 2 },
        { time: t + 4, type: 'invoke', process: 10 * k, f: 'read', key, value: null },
        { time: t + 5, type: 'ok', process: 10 * k, f: 'read', key, value: key === 'bad' ? 4 : 3 },
      );
    }
    const userOps = pairOperations(raw.map((h, index) => ({ index, ...h }) as never));
    const userJobs: SearchJob[] = [...user.partition!(userOps)].map(([key, part], index) => ({ index, key, ops: part }));
    const results: KeyResult[] = [];
    const run = searchInWorkers(userJobs, user.worker!, { workers: 2, allKeys: true }, (job, r) => {
      results[job.index] = r;
      return false;
    });
    expect(await run.done).toEqual([]);
    expect(results.map((r) => [r.key, r.valid])).toEqual([['a', true], ['b', true], ['c', true], ['bad', false]]);
    expect(results[3].counterexample?.op.output).toBe(4);
  });

  it('gives back every job when the model cannot be rebuilt there (the caller checks them in-process)', async () => {
    const run = searchInWorkers(jobs.slice(0, 3), { module: model.worker!.module, export: 'noSuchModel' }, { workers: 2, allKeys: true }, () => false);
    expect((await run.done).map((j) => j.index).sort()).toEqual([0, 1, 2]);
  });
});
