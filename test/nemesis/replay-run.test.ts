/** `faultline run` writes the applied schedule, and `--faults-from` replays it on a new (fake) cluster. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistory, getModel } from '../../checker/index.js';
import type { HistoryOp } from '../../src/history/types.js';
import type { RunDeps } from '../../src/run/adapters.js';
import { replayedRunConfig, resolveConfig, type RunConfigInput } from '../../src/run/config.js';
import { executeRun } from '../../src/run/execute-run.js';
import type { ScheduleFile } from '../../nemesis/schedule-file.js';
import { fakeWorld } from '../pipeline/fakes/fake-cluster.js';

const quiet = { write: () => true, isTTY: false };
const deps = (world: ReturnType<typeof fakeWorld>): RunDeps => ({
  getTarget: () => world.target,
  createCluster: (o) => world.createCluster(o),
  getModel: (n) => getModel(n),
  checkHistory,
});
const config = (over: RunConfigInput, file: RunConfigInput = {}) =>
  resolveConfig(file, { target: 'fake', store: mkdtempSync(join(tmpdir(), 'faultline-replay-')), timeLimit: 1.2, nemesisInterval: 0.1, quietPeriod: 0, rate: 500, concurrency: 4, nodes: 3, seed: 42, ...over }, () => 1);
const history = (dir: string) => readFileSync(join(dir, 'history.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as HistoryOp);
const faultInvokes = (dir: string) => history(dir).filter((o) => o.process === 'nemesis' && o.type === 'invoke' && !o.f.startsWith('heal-'));

describe('schedule.json and --faults-from', () => {
  it('a run writes what it applied; a replay of its directory redoes the same ops at the same offsets', async () => {
    const first = await executeRun(config({ nemesis: ['partition', 'kill', 'pause'] }), deps(fakeWorld()), { stdout: quiet, stderr: quiet });
    const schedule = JSON.parse(readFileSync(join(first.runDir, 'schedule.json'), 'utf8')) as ScheduleFile;
    expect(schedule).toMatchObject({ format: 'faultline-schedule/1', mode: 'composed', nodes: ['n1', 'n2', 'n3'] });
    expect(new Set(schedule.entries.map((e) => e.lane))).toEqual(new Set(['partition', 'kill', 'pause', 'all']));

    // The replayed run's own settings come from its test.json, its seed (the clients' ops) included.
    const settings = replayedRunConfig(first.runDir);
    expect(settings).toMatchObject({ target: 'fake', nodes: 3, timeLimit: 1.2, seed: 42 });
    const again = await executeRun(config({ faultsFrom: first.runDir, seed: 7, nemesis: undefined }, settings), deps(fakeWorld()), { stdout: quiet, stderr: quiet });
    expect(again.info.config).toMatchObject({ faultsFrom: first.runDir });
    expect(new Set(again.info.config.nemesis)).toEqual(new Set(['partition', 'kill', 'pause']));
    const was = faultInvokes(first.runDir);
    const now = faultInvokes(again.runDir);
    expect(now.length).toBeGreaterThan(5);
    for (const f of new Set(was.map((o) => o.f))) {
      const a = was.filter((o) => o.f === f);
      const b = now.filter((o) => o.f === f);
      expect(b.length).toBeGreaterThanOrEqual(a.length - 1); // the last may fall after the time limit
      for (let i = 0; i < b.length; i++) expect(Math.abs(b[i].time - a[i].time) / 1e6).toBeLessThan(100);
    }
    const replayed = JSON.parse(readFileSync(join(again.runDir, 'schedule.json'), 'utf8')) as ScheduleFile;
    expect(replayed.mode).toBe('replay');
    // Per lane (lanes interleave by microseconds): every start with the plan it had.
    const plans = (s: ScheduleFile, lane: string) => s.entries.filter((e) => e.op === 'start' && e.lane === lane).map((e) => JSON.stringify(e.plan));
    for (const lane of ['partition', 'kill', 'pause']) {
      const replayedPlans = plans(replayed, lane);
      expect(replayedPlans.length).toBeGreaterThan(0);
      expect(replayedPlans).toEqual(plans(schedule, lane).slice(0, replayedPlans.length));
    }
  });

  it('a hand-written schedule with a mistake is refused before any cluster starts, naming the entry', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'faultline-sched-')), 'mine.json');
    writeFileSync(file, JSON.stringify({ format: 'faultline-schedule/1', entries: [{ atMs: 100, fault: 'kill', op: 'start', plan: { nodes: ['n1'] } }, { atMs: 200, fault: 'pause', op: 'start', plan: { nodes: 'n2' } }] }));
    expect(() => config({ faultsFrom: file, nemesis: undefined })).toThrow(/schedule .*mine\.json: entries\[1\]\.plan\.nodes: /);
    writeFileSync(file, JSON.stringify({ format: 'faultline-schedule/1', entries: [{ atMs: 100, fault: 'kill', op: 'start', plan: { nodes: ['n9'] } }] }));
    const world = fakeWorld();
    await expect(executeRun(config({ faultsFrom: file, nemesis: undefined }), deps(world), { stdout: quiet, stderr: quiet })).rejects.toThrow(/entries\[0\]\.plan names node\(s\) n9, but the cluster has n1, n2, n3/);
    expect(world.clusters).toHaveLength(0);
    expect(() => config({ faultsFrom: file, nemesis: ['partition'] })).toThrow(/--nemesis partition differs from the faults of the schedule/);
  });
});
