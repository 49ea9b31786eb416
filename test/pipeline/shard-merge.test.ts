/**
 * A campaign split with --shard i/n and joined with `store merge` gives the table the unsharded campaign
 * gives with the same seeds (in-process fakes; the fake is deterministic enough for verdicts: it is
 * linearizable, so every run is valid, and the stale fake always is caught).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBench, type BenchOptions } from '../../bench/detection/run-bench.js';
import { summarize } from '../../bench/detection/summary.js';
import { checkHistory, getModel } from '../../checker/index.js';
import type { RunDeps } from '../../src/run/adapters.js';
import { parseShard } from '../../src/run/shard.js';
import { mergeStores } from '../../src/store/merge.js';
import { runDirSchemaProblems, runDirsIn } from '../helpers/run-dir-schemas.js';
import { fakeWorld } from './fakes/fake-cluster.js';

/** A fresh fake database per run (a register left over from the previous run would not start at null). */
function deps(): RunDeps {
  let world = fakeWorld();
  return {
    getTarget: () => {
      world = fakeWorld();
      // Recipes name raftkv and its options: the in-process fake stands in for it.
      return { ...world.target, parseOptions: (o: Record<string, string>) => o } as typeof world.target;
    },
    createCluster: (o) => world.createCluster(o),
    getModel: (n) => getModel(n),
    checkHistory,
  };
}

const options = (store: string, shard?: string): BenchOptions => ({
  part: 'soak',
  only: ['raftkv partition', 'raftkv pause', 'raftkv kill'],
  runs: 3,
  timeLimit: 0.3,
  baseSeed: 7,
  store,
  overrides: { nodes: 3, quietPeriod: 0, nemesisInterval: 0.1, rate: 2000, concurrency: 4 },
  command: `faultline bench soak --runs 3${shard ? ` --shard ${shard} --store s` : ''}`,
  log: () => undefined,
  shard: parseShard(shard),
});

/** What the table is made of, without what differs between any two runs (paths, times, op counts). */
const table = (runs: Parameters<typeof summarize>[0]) =>
  summarize(runs).map(({ label, setup, runs: n, invalid, valid, unknown, notInvalidSeeds }) => ({ label, setup, n, invalid, valid, unknown, notInvalidSeeds }));

describe('a campaign in 4 shards, merged', () => {
  it('runs every (recipe, seed) once over the shards and merges into the unsharded table', async () => {
    const whole = await runBench(options(mkdtempSync(join(tmpdir(), 'fl-whole-'))), deps());
    expect(whole.runs).toHaveLength(9);

    const shardStores = [1, 2, 3, 4].map(() => mkdtempSync(join(tmpdir(), 'fl-shard-')));
    const shardRuns = [];
    for (let i = 0; i < 4; i++) shardRuns.push((await runBench(options(shardStores[i], `${i + 1}/4`), deps())).runs);
    expect(shardRuns.map((r) => r.length)).toEqual([3, 2, 2, 2]);
    const seen = shardRuns.flat().map((r) => `${r.label}#${r.seed}`).sort();
    expect(seen).toEqual(whole.runs.map((r) => `${r.label}#${r.seed}`).sort());

    const out = join(mkdtempSync(join(tmpdir(), 'fl-merged-')), 'merged');
    const indexed: string[] = [];
    const merged = await mergeStores(shardStores, out, (dir) => indexed.push(dir));
    expect(merged.parts).toHaveLength(1);
    const part = merged.parts[0];
    expect(part.missingShards).toEqual([]);
    expect(part.runs.map((r) => `${r.label}#${r.seed}`)).toEqual(whole.runs.map((r) => `${r.label}#${r.seed}`));
    expect(table(part.runs)).toEqual(table(whole.runs));
    const md = readFileSync(join(part.dir, 'results.md'), 'utf8');
    expect(md).toContain('regenerate with `faultline bench soak --runs 3`');
    expect(indexed).toEqual([out]);
    // Every run directory came along, each still valid against the published schemas.
    const dirs = runDirsIn(out);
    expect(dirs).toHaveLength(9);
    expect(part.runs.every((r) => dirs.includes(r.runDir))).toBe(true);
    expect(dirs.flatMap(runDirSchemaProblems)).toEqual([]);
  });

  it('a missing shard is reported', async () => {
    const stores = [1, 2].map(() => mkdtempSync(join(tmpdir(), 'fl-shard-')));
    await runBench({ ...options(stores[0], '1/3'), runs: 1 }, deps());
    await runBench({ ...options(stores[1], '3/3'), runs: 1 }, deps());
    const merged = await mergeStores(stores, join(mkdtempSync(join(tmpdir(), 'fl-merged-')), 'm'));
    expect(merged.parts[0].missingShards).toEqual([2]);
  });
});
