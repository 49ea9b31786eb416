/** Composed fault schedules, the interplay of faults on one node, heal order and exact replay, on the in-process fake cluster. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/generator/prng.js';
import { HistoryRecorder } from '../../src/history/recorder.js';
import type { HistoryOp } from '../../src/history/types.js';
import { createFault, describeFault, NemesisSchedule } from '../../nemesis/index.js';
import type { NemesisMode, ScheduleEntry } from '../../nemesis/schedule.js';
import { FakeCluster, fakeWorld } from '../pipeline/fakes/fake-cluster.js';

const opts = { lossProbability: 0.3, clockMaxOffsetSeconds: 10 };

function setup(names: string[], o: { seed?: number; intervalMs?: number; mode?: NemesisMode; replay?: ScheduleEntry[] } = {}) {
  const world = fakeWorld();
  const cluster = new FakeCluster(world.target, 5);
  const recorder = new HistoryRecorder(join(mkdtempSync(join(tmpdir(), 'faultline-comp-')), 'h.jsonl'));
  const faults = names.map((n) => ({ description: describeFault(n), fault: createFault(n, opts) }));
  const ctx = { cluster, target: world.target as never, rng: new Prng(o.seed ?? 1), callTimeoutMs: 1000 };
  const schedule = new NemesisSchedule(faults, ctx, recorder, { intervalMs: o.intervalMs ?? 20, opTimeoutMs: 5000, mode: o.mode, replay: o.replay });
  return { cluster, recorder, schedule, ctx, faults };
}

async function runFor(schedule: NemesisSchedule, ms: number) {
  const ac = new AbortController();
  const done = schedule.run(ac.signal);
  await new Promise((r) => setTimeout(r, ms));
  ac.abort();
  await done;
  await schedule.heal();
}

/** [family, from, to] of every start..stop pair in the history (ms). */
function activeSpans(ops: readonly HistoryOp[]): [string, number, number][] {
  const spans: [string, number, number][] = [];
  const open = new Map<string, number>();
  for (const o of ops) {
    if (o.type !== 'info') continue;
    const m = /^(start|stop|heal)-(.+)$/.exec(o.f)!;
    if (m[1] === 'start') open.set(m[2], o.time / 1e6);
    else if (open.has(m[2])) {
      spans.push([m[2], open.get(m[2])!, o.time / 1e6]);
      open.delete(m[2]);
    }
  }
  return spans;
}

function maxOverlap(spans: [string, number, number][]): number {
  let best = 0;
  for (const [, from] of spans) best = Math.max(best, spans.filter(([, a, b]) => a <= from && from < b).length);
  return best;
}

describe('composed schedule', () => {
  it('runs every family on its own lane, so two or more faults are active at once', async () => {
    const { recorder, schedule } = setup(['partition', 'kill', 'pause', 'clock'], { intervalMs: 15 });
    await runFor(schedule, 600);
    const spans = activeSpans(recorder.ops);
    expect(new Set(spans.map((s) => s[0]))).toEqual(new Set(['partition', 'kill', 'pause', 'clock']));
    expect(maxOverlap(spans)).toBeGreaterThanOrEqual(2);
    expect(schedule.applied.filter((e) => e.op === 'start').every((e) => e.lane === e.fault && e.plan)).toBe(true);
  });

  it('one-at-a-time never has two faults active at once', async () => {
    const { recorder, schedule } = setup(['partition', 'kill', 'pause', 'clock'], { intervalMs: 10, mode: 'one-at-a-time' });
    await runFor(schedule, 400);
    const spans = activeSpans(recorder.ops);
    expect(spans.length).toBeGreaterThan(3);
    expect(maxOverlap(spans)).toBe(1);
  });

  it('each lane draws from its own stream: adding a family does not change what the others do', async () => {
    const plans = async (names: string[]) => {
      const { schedule } = setup(names, { seed: 7, intervalMs: 10 });
      await runFor(schedule, 300);
      return schedule.applied.filter((e) => e.fault === 'partition' && e.op === 'start').map((e) => JSON.stringify(e.plan));
    };
    const alone = await plans(['partition']);
    const withOthers = await plans(['partition', 'kill', 'clock']);
    const n = Math.min(alone.length, withOthers.length);
    expect(n).toBeGreaterThan(2);
    expect(withOthers.slice(0, n)).toEqual(alone.slice(0, n));
  });

  it('heals at the end in the order the descriptions give: processes, then network, then clocks', async () => {
    const { recorder, schedule } = setup(['clock', 'partition', 'loss', 'pause', 'kill']);
    await schedule.heal();
    expect(recorder.ops.filter((o) => o.type === 'invoke').map((o) => o.f)).toEqual(['heal-pause', 'heal-kill', 'heal-partition', 'heal-loss', 'heal-clock']);
  });
});

describe('faults on the same node', () => {
  it('a kill of a paused node thaws it first; the pause then finds it killed and leaves it to the kill', async () => {
    const { cluster, ctx } = setup([]);
    const pause = createFault('pause', opts);
    const kill = createFault('kill', opts);
    await pause.start(ctx, { nodes: ['n2'] });
    expect(cluster.states.get('n2')).toBe('paused');
    const killed = await kill.start(ctx, { nodes: ['n2'] });
    expect(killed).toMatchObject({ nodes: ['n2'], notes: { n2: 'was paused: unpaused, then killed' } });
    expect(cluster.calls.filter((c) => c.node === 'n2').map((c) => c.method)).toEqual(['pause', 'unpause', 'kill']);
    expect(await pause.stop(ctx)).toMatchObject({ nodes: [], skipped: { n2: 'exited' } });
    expect(cluster.states.get('n2')).toBe('exited');
    expect(await kill.stop(ctx)).toMatchObject({ nodes: ['n2'] });
    expect(cluster.states.get('n2')).toBe('running');
  });

  it('a pause of a killed node is skipped and named; the kill restarts it', async () => {
    const { cluster, ctx } = setup([]);
    const pause = createFault('pause', opts);
    const kill = createFault('kill', opts);
    await kill.start(ctx, { nodes: ['n3'] });
    const paused = await pause.start(ctx, { nodes: ['n3', 'n4'] });
    expect(paused).toMatchObject({ nodes: ['n4'], skipped: { n3: 'exited' } });
    expect(paused.errors).toBeUndefined();
    await kill.stop(ctx);
    await pause.stop(ctx);
    expect([cluster.states.get('n3'), cluster.states.get('n4')]).toEqual(['running', 'running']);
  });

  it('a node thawed or restarted while a partition is active gets the partition again', async () => {
    const partition = { kind: 'halves', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']], grudge: { n1: ['n3', 'n4', 'n5'], n2: ['n3', 'n4', 'n5'], n3: ['n1', 'n2'], n4: ['n1', 'n2'], n5: ['n1', 'n2'] } };
    const replay: ScheduleEntry[] = [
      { atMs: 0, lane: 'pause', fault: 'pause', op: 'start', plan: { nodes: ['n1'] } },
      { atMs: 10, lane: 'partition', fault: 'partition', op: 'start', plan: partition },
      { atMs: 40, lane: 'pause', fault: 'pause', op: 'stop' },
    ];
    const replayed = setup(['partition', 'pause'], { replay });
    const ac = new AbortController();
    const running = replayed.schedule.run(ac.signal);
    await new Promise((r) => setTimeout(r, 120));
    // The fake refuses rules on a frozen node, like docker exec; the thaw put them back.
    const stop = replayed.recorder.ops.find((o) => o.f === 'stop-pause' && o.type === 'info')!;
    expect(stop.value).toMatchObject({ nodes: ['n1'], reapplied: { partition: { restarted: ['n1'] } } });
    expect(replayed.cluster.rules('n1', 'FAULTLINE-PART').length).toBe(3);
    ac.abort();
    await running;
    await replayed.schedule.heal();
  });
});

describe('replay', () => {
  it('redoes a recorded schedule: the same ops with the same plans and results, at the same offsets', async () => {
    const names = ['partition', 'kill', 'pause', 'clock', 'loss'];
    const first = setup(names, { seed: 3, intervalMs: 25 });
    await runFor(first.schedule, 500);
    const recorded = first.schedule.applied.filter((e) => e.op !== 'heal' && e.atMs < 450);
    expect(recorded.length).toBeGreaterThan(8);

    const again = setup(names, { seed: 999, replay: recorded });
    await runFor(again.schedule, 500);
    const replayed = again.schedule.applied.filter((e) => e.op !== 'heal');
    // Lanes run side by side: ops of different lanes a few µs apart may swap places; each lane is exact.
    for (const lane of names) {
      const was = recorded.filter((e) => e.lane === lane);
      const now = replayed.filter((e) => e.lane === lane);
      expect(now.map((e) => [e.fault, e.op, e.plan])).toEqual(was.map((e) => [e.fault, e.op, e.plan]));
      for (let i = 0; i < was.length; i++) expect(Math.abs(now[i].atMs - was[i].atMs)).toBeLessThan(50);
    }
    // The history says the same: every start's value (nodes, groups, offsets) as in the first run.
    // What was decided (nodes, groups, offsets); notes on what another fault had done to a node depend on timing.
    const decided = (v: unknown) => {
      const { notes: _n, skipped: _s, errors: _e, reapplied: _r, nodes: _d, ...rest } = v as Record<string, unknown>;
      return rest;
    };
    const starts = (ops: readonly HistoryOp[], f: string) => ops.filter((o) => o.type === 'info' && o.f === f).map((o) => decided(o.value));
    for (const f of ['start-partition', 'start-kill', 'start-pause', 'start-clock', 'start-loss']) {
      const replayedValues = starts(again.recorder.ops, f);
      expect(replayedValues.length).toBeGreaterThan(0);
      expect(replayedValues).toEqual(starts(first.recorder.ops, f).slice(0, replayedValues.length));
    }
  });
});
