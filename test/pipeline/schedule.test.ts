import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/generator/prng.js';
import { HistoryRecorder } from '../../src/history/recorder.js';
import { createFault, NemesisSchedule } from '../../nemesis/index.js';
import { PARTITION_CHAIN, LOSS_CHAIN } from '../../nemesis/iptables.js';
import { FAKETIME_FILE } from '../../nemesis/clock.js';
import { FakeCluster, fakeWorld } from './fakes/fake-cluster.js';

const opts = { lossProbability: 0.3, clockMaxOffsetSeconds: 10 };

function setup(names: string[], seed = 1, capabilities = {}) {
  const world = fakeWorld({ capabilities });
  const cluster = new FakeCluster(world.target, 5);
  const recorder = new HistoryRecorder(join(mkdtempSync(join(tmpdir(), 'faultline-nem-')), 'h.jsonl'));
  const schedule = new NemesisSchedule(
    names.map((n) => createFault(n, opts)),
    { cluster, target: world.target, rng: new Prng(seed), callTimeoutMs: 1000 },
    recorder,
    { intervalMs: 5, opTimeoutMs: 5000 },
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
    for (let i = 0; i < ops.length; i += 2) {
      expect(ops[i].type).toBe('invoke');
      expect(ops[i + 1]).toMatchObject({ type: 'info', f: ops[i].f });
    }
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
});
