import { existsSync, mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHistory, getModel } from '../../checker/index.js';
import { UsageError } from '../../src/core/errors.js';
import type { HistoryOp } from '../../src/history/types.js';
import type { RunDeps } from '../../src/run/adapters.js';
import { resolveConfig, type RunConfigInput } from '../../src/run/config.js';
import { executeRun } from '../../src/run/execute-run.js';
import type { RunInfo, RunResults } from '../../src/store/run-files.js';
import { fakeWorld } from './fakes/fake-cluster.js';
import { runDirSchemaProblems, runDirsIn } from '../helpers/run-dir-schemas.js';

const sink = () => {
  const out: string[] = [];
  return { out, write: (s: string) => out.push(s), isTTY: false };
};

function deps(world: ReturnType<typeof fakeWorld>): RunDeps {
  return {
    getTarget: (name) => {
      if (name !== 'fake') throw new UsageError(`unknown target "${name}"`);
      return world.target;
    },
    createCluster: (o) => world.createCluster(o),
    getModel: (n) => getModel(n),
    checkHistory,
  };
}

/** Every store these tests write into: afterAll checks each run directory against schemas/. */
const stores: string[] = [];
const newStore = () => {
  const store = mkdtempSync(join(tmpdir(), 'faultline-store-'));
  stores.push(store);
  return store;
};

afterAll(() => {
  const dirs = stores.flatMap(runDirsIn);
  expect(dirs.length).toBeGreaterThan(0);
  expect(dirs.flatMap(runDirSchemaProblems)).toEqual([]);
});

function config(over: RunConfigInput = {}) {
  return resolveConfig(
    {},
    { target: 'fake', store: newStore(), timeLimit: 0.6, nemesisInterval: 0.1, quietPeriod: 0, rate: 2000, concurrency: 6, nodes: 3, seed: 42, opsPerKey: 50, ...over },
    () => 1,
  );
}

const readHistory = (dir: string) =>
  readFileSync(join(dir, 'history.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as HistoryOp);

describe('faultline run against the in-process fake cluster', () => {
  it('a linearizable fake is valid (exit 0) and every run file is written', async () => {
    const world = fakeWorld();
    const stdout = sink();
    const c = config({ workload: 'kv', nemesis: ['partition', 'pause', 'kill'] });
    const outcome = await executeRun(c, deps(world), { stdout, stderr: sink() });
    expect(outcome.results.error).toBeUndefined();
    expect(outcome.results.valid).toBe(true);
    expect(outcome.exitCode).toBe(0);

    const info = JSON.parse(readFileSync(join(outcome.runDir, 'test.json'), 'utf8')) as RunInfo;
    expect(info.seed).toBe(42);
    expect(info.command).toContain('--seed 42');
    expect(info.command).toContain('--nemesis partition,pause,kill');
    expect(info.endedAt).toBeDefined();
    const results = JSON.parse(readFileSync(join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
    expect(results.valid).toBe(true);
    expect(results.stats.ok).toBeGreaterThan(50);
    expect(results.stats.nemesisEvents).toBeGreaterThan(2);
    const junit = readFileSync(join(outcome.runDir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<property name="seed" value="42"/>');
    expect(junit).not.toMatch(/<failure|<error/);
    expect(existsSync(join(outcome.runDir, 'node-logs'))).toBe(true);
    expect(readlinkSync(join(outcome.runDir, '..', 'latest'))).toBe(outcome.runDir.split('/').pop());
    expect(stdout.out.join('')).toMatch(/verdict: +VALID/);

    // History: invoke before completion, one op in flight per process, fresh process after info,
    // nemesis ops present, final reads on every node, cluster torn down.
    const history = readHistory(outcome.runDir);
    expect(history.map((o) => o.index)).toEqual(history.map((_, i) => i));
    const inFlight = new Map<number, HistoryOp>();
    const crashed = new Set<number>();
    for (const op of history) {
      if (op.process === 'nemesis') continue;
      const p = op.process as number;
      if (op.type === 'invoke') {
        expect(inFlight.has(p)).toBe(false);
        expect(crashed.has(p)).toBe(false);
        inFlight.set(p, op);
      } else {
        expect(inFlight.get(p)?.f).toBe(op.f);
        inFlight.delete(p);
        if (op.type === 'info') crashed.add(p);
      }
    }
    expect(inFlight.size).toBe(0);
    expect(crashed.size).toBeGreaterThan(0); // pause makes clients time out -> info -> new process
    expect(history.filter((o) => o.process === 'nemesis' && o.f.startsWith('start-')).length).toBeGreaterThan(1);
    expect(history.filter((o) => o.process === 'nemesis' && o.f.startsWith('heal-') && o.type === 'info')).toHaveLength(3);
    const lastKeyRead = history.filter((o) => o.f === 'read' && o.type === 'ok').slice(-3).map((o) => o.node).sort();
    expect(lastKeyRead).toEqual(['n1', 'n2', 'n3']);
    expect(world.clusters[0].destroyed).toBe(true);
  });

  it('time 0 of the history is the first op, not the start of the (slow) cluster start-up', async () => {
    const world = fakeWorld();
    const slow: RunDeps = { ...deps(world), createCluster: async (o) => { await new Promise((r) => setTimeout(r, 500)); return world.createCluster(o); } };
    const outcome = await executeRun(config({ nemesis: [] }), slow, { stdout: sink(), stderr: sink() });
    const history = readHistory(outcome.runDir);
    expect(history[0].time).toBeLessThan(500e6);
  });

  it('a stale-read fake is caught: invalid (exit 1), junit failure names the op', async () => {
    const world = fakeWorld({ mode: 'stale' });
    const outcome = await executeRun(config({ workload: 'register', nemesis: [] }), deps(world), { stdout: sink(), stderr: sink() });
    expect(outcome.results.valid).toBe(false);
    expect(outcome.exitCode).toBe(1);
    const junit = readFileSync(join(outcome.runDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<failure message="not linearizable: read by process \d+ \(op #\d+, history.jsonl line \d+\)/);
  });

  it('kv on a stale-read fake: the check stops at the first invalid key, the rest are "not-checked" in results.json; --check-all-keys decides all', async () => {
    const world = fakeWorld({ mode: 'stale' });
    const outcome = await executeRun(config({ workload: 'kv', nemesis: [], keys: 8 }), deps(world), { stdout: sink(), stderr: sink() });
    expect(outcome.results.valid).toBe(false);
    const keys = outcome.results.linearizability.keys;
    expect(keys.filter((k) => k.valid === false)).toHaveLength(1);
    expect(keys.some((k) => k.valid === 'not-checked')).toBe(true);
    const stored = JSON.parse(readFileSync(join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
    expect(stored.linearizability.keys.map((k) => k.valid)).toEqual(keys.map((k) => k.valid));

    const all = await executeRun(config({ workload: 'kv', nemesis: [], keys: 8, checkAllKeys: true }), deps(fakeWorld({ mode: 'stale' })), { stdout: sink(), stderr: sink() });
    expect(all.results.valid).toBe(false);
    expect(all.results.linearizability.keys.some((k) => k.valid === 'not-checked')).toBe(false);
    expect(readFileSync(join(all.runDir, 'test.json'), 'utf8')).toContain('--check-all-keys');
  });

  it('set workload: valid on the correct fake, with the set check reporting no lost elements', async () => {
    const world = fakeWorld();
    const outcome = await executeRun(config({ workload: 'set', nemesis: ['kill'], rate: 500 }), deps(world), { stdout: sink(), stderr: sink() });
    expect(outcome.results.workloadChecks?.[0]).toMatchObject({ name: 'set', valid: true, details: { lost: [], phantom: [] } });
    expect(outcome.exitCode).toBe(0);
  });

  it('same seed, same op sequence (per process order aside, the invoked ops match)', async () => {
    const ops = async () => {
      const outcome = await executeRun(config({ workload: 'kv', nemesis: [], rate: 300, concurrency: 1 }), deps(fakeWorld()), { stdout: sink(), stderr: sink() });
      // Process 0 is the only worker; final reads run as later processes and depend on how far the run got.
      return readHistory(outcome.runDir).filter((o) => o.type === 'invoke' && o.process === 0).map((o) => [o.f, o.key, o.value]);
    };
    const [a, b] = [await ops(), await ops()];
    const n = Math.min(a.length, b.length) - 10;
    expect(n).toBeGreaterThan(50);
    expect(a.slice(0, n)).toEqual(b.slice(0, n));
  });

  it('a cluster that never becomes ready: UsageError with node log lines, results.json says why', async () => {
    const world = fakeWorld({ failReady: true });
    const c = config();
    await expect(executeRun(c, deps(world), { stdout: sink(), stderr: sink() })).rejects.toThrow(/never|did not become ready[\s\S]*n1: panic/);
    const latest = join(c.store, 'fake-kv-partition', 'latest');
    const results = JSON.parse(readFileSync(join(latest, 'results.json'), 'utf8')) as RunResults;
    expect(results.error).toMatch(/did not become ready/);
  });

  it('an interrupt stops the run early, still heals, tears down and keeps the history (exit 3)', async () => {
    const world = fakeWorld();
    const ac = new AbortController();
    setTimeout(() => ac.abort('SIGINT'), 250);
    const outcome = await executeRun(config({ timeLimit: 30, nemesis: ['pause'] }), deps(world), { stdout: sink(), stderr: sink(), interrupt: ac.signal });
    expect(outcome.exitCode).toBe(3);
    expect(outcome.results.error).toMatch(/interrupted/);
    expect(outcome.results.stats.durationMs).toBeLessThan(10_000);
    const history = readHistory(outcome.runDir);
    expect(history.some((o) => o.f === 'heal-pause' && o.type === 'info')).toBe(true);
    expect(world.clusters[0].destroyed).toBe(true);
    for (const n of world.clusters[0].nodes) expect(world.clusters[0].states.get(n)).toBe('running');
  });

  it('bad input is rejected before any cluster starts', async () => {
    const world = fakeWorld();
    await expect(executeRun(config({ target: 'nope' }), deps(world), { stdout: sink(), stderr: sink() })).rejects.toThrow(UsageError);
    await expect(executeRun(config({ targetOptions: { bogus: '1' } }), deps(world), { stdout: sink(), stderr: sink() })).rejects.toThrow(/bogus/);
    await expect(executeRun(config({ workload: 'set' }), deps(fakeWorld({ noAppend: true })), { stdout: sink(), stderr: sink() })).rejects.toThrow(/append/);
    expect(world.clusters).toHaveLength(0);
  });
});
