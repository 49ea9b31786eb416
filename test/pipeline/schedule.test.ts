import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/generator/prng.js';
import { HistoryRecorder } from '../../src/history/recorder.js';
import { createFault, type Fault, NemesisSchedule } from '../../nemesis/index.js';
import { PARTITION_CHAIN, LOSS_CHAIN } from '../../nemesis/iptables.js';
import { FAKETIME_FILE } from '../../nemesis/clock.js';
import { FakeCluster, fakeWorld } from './fakes/fake-cluster.js';

const opts = { lossProbability: 0.3, clockMaxOffsetSeconds: 10 };

function setup(names: string[], seed = 1, capabilities = {}, intervalMs = 5, mode: 'composed' | 'one-at-a-time' = 'one-at-a-time') {
  const world = fakeWorld({ capabilities });
  const cluster = new FakeCluster(world.target, 5);
  const recorder = new HistoryRecorder(join(mkdtempSync(join(tmpdir(), 'faultline-nem-')), 'h.jsonl'));
  const schedule = new NemesisSchedule(
    names.map((n) => createFault(n, opts)),
    { cluster, target: world.target, rng: new Prng(seed), callTimeoutMs: 1000 },
    recorder,
    { intervalMs, opTimeoutMs: 5000, mode },
  );
  return { cluster, recorder, schedule };
}

async function runFor(schedule: NemesisSchedule, ms: number) {
  const ac = new AbortController();
  const done = schedule.run(ac.signal);
  await new Promise((r) => setTimeout(r, ms));
  ac.abort();
  await done;
  await schedule.heal();
}

describe('nemesis schedule', () => {
  it('records every start/stop/heal as a nemesis invoke + info pair and heals everything at the end', async () => {
    const { cluster, recorder, schedule } = setup(['partition', 'pause', 'kill', 'clock', 'loss']);
    await runFor(schedule, 300);
    const ops = recorder.ops;
    expect(ops.every((o) => o.process === 'nemesis')).toBe(true);
    // Each invoke is followed (later: heal may interleave with an op that was in flight) by its info.
    const open = new Map<string, number>();
    for (const o of ops) {
      if (o.type === 'invoke') {
        expect(open.get(o.f) ?? 0).toBe(0);
        open.set(o.f, 1);
      } else {
        expect(o.type).toBe('info');
        expect(open.get(o.f)).toBe(1);
        open.set(o.f, 0);
      }
    }
    expect([...open.values()].every((v) => v === 0)).toBe(true);
    const fs = ops.filter((o) => o.type === 'invoke').map((o) => o.f);
    expect(fs.some((f) => f.startsWith('start-'))).toBe(true);
    expect(fs.some((f) => f.startsWith('stop-'))).toBe(true);
    expect(fs.slice(-5).sort()).toEqual(['heal-clock', 'heal-kill', 'heal-loss', 'heal-partition', 'heal-pause']);
    expect(ops.filter((o) => o.error)).toEqual([]);
    for (const n of cluster.nodes) {
      expect(cluster.states.get(n)).toBe('running');
      expect(cluster.rules(n, PARTITION_CHAIN)).toEqual([]);
      expect(cluster.rules(n, LOSS_CHAIN)).toEqual([]);
    }
    expect(schedule.activeFaults()).toEqual([]);
  });

  it('a partition start installs DROP rules matching its grudge, by the peers\' resolved addresses', async () => {
    const { cluster, recorder, schedule } = setup(['partition'], 3);
    const ac = new AbortController();
    const done = schedule.run(ac.signal);
    while (!recorder.ops.some((o) => o.f === 'start-partition' && o.type === 'info')) await new Promise((r) => setTimeout(r, 1));
    ac.abort();
    await done;
    const started = recorder.ops.find((o) => o.f === 'start-partition' && o.type === 'info')!;
    const grudge = (started.value as { grudge: Record<string, string[]> }).grudge;
    expect(recorder.ops.some((o) => o.f === 'stop-partition')).toBe(false);
    expect(Object.values(grudge).flat().length).toBeGreaterThan(0);
    for (const n of cluster.nodes) {
      const sources = cluster.rules(n, PARTITION_CHAIN).map((r) => r[1]).sort();
      expect(sources).toEqual(grudge[n].map((p) => `10.0.0.${cluster.nodes.indexOf(p) + 2}`).sort());
      if (grudge[n].length > 0) expect(cluster.rules(n, 'INPUT')).toContainEqual(['-j', PARTITION_CHAIN]);
    }
    await schedule.heal();
    for (const n of cluster.nodes) expect(cluster.rules(n, PARTITION_CHAIN)).toEqual([]);
  });

  it('heals even what an interrupted fault left behind (paused and killed nodes)', async () => {
    const { cluster, schedule } = setup(['pause', 'kill']);
    await cluster.pause('n2');
    await cluster.kill('n4');
    await schedule.heal();
    expect(cluster.states.get('n2')).toBe('running');
    expect(cluster.states.get('n4')).toBe('running');
  });

  it('the same seed gives the same fault schedule', async () => {
    const decisions = async (seed: number) => {
      const { recorder, schedule } = setup(['partition', 'pause', 'kill'], seed);
      await runFor(schedule, 150);
      return recorder.ops
        .filter((o) => o.type === 'info' && o.f.startsWith('start-'))
        .map((o) => JSON.stringify([o.f, o.value]));
    };
    const a = await decisions(11);
    const b = await decisions(11);
    const n = Math.min(a.length, b.length);
    expect(n).toBeGreaterThan(2);
    expect(a.slice(0, n)).toEqual(b.slice(0, n));
    const c = await decisions(12);
    expect(c.slice(0, n)).not.toEqual(a.slice(0, n));
  });

  it('clock faults on a target that cannot feel them are recorded as not affected and touch nothing', async () => {
    const { cluster, recorder, schedule } = setup(['clock'], 1, { clock: false });
    await runFor(schedule, 60);
    const start = recorder.ops.find((o) => o.f === 'start-clock' && o.type === 'info');
    expect(start?.value).toMatchObject({ notAffected: true });
    expect(cluster.calls.filter((c) => c.method === 'writeFile')).toEqual([]);
  });

  it('clock bump writes the libfaketime file and heal resets it to +0s', async () => {
    const { cluster, recorder, schedule } = setup(['clock'], 2);
    const ac = new AbortController();
    const done = schedule.run(ac.signal);
    while (!recorder.ops.some((o) => o.f === 'start-clock' && o.type === 'info')) await new Promise((r) => setTimeout(r, 1));
    ac.abort();
    await done;
    const writes = cluster.calls.filter((c) => c.method === 'writeFile');
    expect(writes.length).toBeGreaterThan(0);
    expect((writes[0].args as { path: string }).path).toBe(FAKETIME_FILE);
    expect((writes[0].args as { content: string }).content).toMatch(/^[+-]\d+s\n$/);
    await schedule.heal();
    for (const n of cluster.nodes) expect(cluster.files.get(`${n}:${FAKETIME_FILE}`)).toBe('+0s\n');
  });

  it('run() returns when the main phase ends even while a fault op is still running; heal waits for it and heals again', async () => {
    const world = fakeWorld();
    const cluster = new FakeCluster(world.target, 3);
    const recorder = new HistoryRecorder(join(mkdtempSync(join(tmpdir(), 'faultline-nem-')), 'h.jsonl'));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let faulted = false;
    const slow: Fault = {
      name: 'slow',
      async start() {
        await gate;
        faulted = true;
        return {};
      },
      async stop() {
        faulted = false;
        return {};
      },
      async heal() {
        faulted = false;
        return {};
      },
      active: () => (faulted ? 'slow' : undefined),
    };
    const schedule = new NemesisSchedule([slow], { cluster, target: world.target, rng: new Prng(1), callTimeoutMs: 1000 }, recorder, { intervalMs: 1, opTimeoutMs: 5000 });
    const ac = new AbortController();
    const running = schedule.run(ac.signal);
    while (!recorder.ops.some((o) => o.f === 'start-slow')) await new Promise((r) => setTimeout(r, 1));
    ac.abort();
    await running;
    // The start is still in flight: run() did not wait for it.
    expect(recorder.ops.filter((o) => o.f === 'start-slow').map((o) => o.type)).toEqual(['invoke']);
    const healing = schedule.heal();
    await new Promise((r) => setTimeout(r, 20));
    expect(recorder.ops.filter((o) => o.f === 'heal-slow' && o.type === 'info')).toHaveLength(1);
    release();
    await healing;
    // The late start faulted the cluster after the first heal; the second heal undid it.
    const fs = recorder.ops.filter((o) => o.type === 'info').map((o) => o.f);
    expect(fs).toEqual(['heal-slow', 'start-slow', 'heal-slow']);
    expect(faulted).toBe(false);
  });

  it('a node restarted while a partition is active gets the grudge back (fresh netns), then heal clears it', async () => {
    const { cluster, recorder, schedule } = setup(['partition', 'kill'], 5, {}, 200);
    const ac = new AbortController();
    const done = schedule.run(ac.signal);
    while (!recorder.ops.some((o) => o.f === 'start-partition' && o.type === 'info')) await new Promise((r) => setTimeout(r, 1));
    ac.abort();
    await done;
    const started = recorder.ops.find((o) => o.f === 'start-partition' && o.type === 'info')!;
    const grudge = (started.value as { grudge: Record<string, string[]> }).grudge;
    const victim = cluster.nodes.find((n) => grudge[n].length > 0)!;
    expect(cluster.rules(victim, PARTITION_CHAIN).length).toBeGreaterThan(0);
    // An interrupted kill left `victim` down; its rules vanish with its netns when it starts again.
    await cluster.kill(victim);
    const rulesSeenAfterRestart: string[][][] = [];
    const realStart = cluster.start.bind(cluster);
    cluster.start = async (node: string) => {
      await realStart(node);
      rulesSeenAfterRestart.push(cluster.rules(node, PARTITION_CHAIN));
    };
    await schedule.heal();
    expect(rulesSeenAfterRestart).toEqual([[]]);
    const healKill = recorder.ops.find((o) => o.f === 'heal-kill' && o.type === 'info')!;
    expect(healKill.value).toMatchObject({ nodes: [victim], reapplied: { partition: { restarted: [victim] } } });
    const reapplied = cluster.calls.filter((c) => c.method === 'setChainRules' && c.node === victim && (c.args as { rules: string[][] }).rules.length > 0);
    expect(reapplied).toHaveLength(2); // the start, and the re-apply after the restart
    for (const n of cluster.nodes) expect(cluster.rules(n, PARTITION_CHAIN)).toEqual([]);
  });
});

describe('partition kinds by cluster size', () => {
  it('never picks a majorities ring (which cuts nothing) on 3 nodes', async () => {
    const world = fakeWorld();
    const cluster = new FakeCluster(world.target, 3);
    const { partitionFault } = await import('../../nemesis/partition.js');
    const fault = partitionFault();
    const kinds = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const r = await fault.start({ cluster, target: world.target, rng: new Prng(seed), callTimeoutMs: 1000 });
      kinds.add(String(r.kind));
      expect(Object.values(r.grudge as Record<string, string[]>).flat().length).toBeGreaterThan(0);
      await fault.heal({ cluster, target: world.target, rng: new Prng(seed), callTimeoutMs: 1000 });
    }
    expect(kinds.has('majorities-ring')).toBe(false);
    expect(kinds.size).toBe(4);
  });
});
