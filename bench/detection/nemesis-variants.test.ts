/** The focused nemesis variants the detection bench uses (nemesis/index.ts), on the in-process fake cluster. */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/generator/prng.js';
import { createFault, nemesisNames, unaffectedFaults } from '../../nemesis/index.js';
import { FAKETIME_FILE } from '../../nemesis/clock.js';
import { PARTITION_CHAIN } from '../../nemesis/iptables.js';
import type { NemesisContext } from '../../nemesis/fault.js';
import { FakeCluster, fakeWorld } from '../../test/pipeline/fakes/fake-cluster.js';

const opts = { lossProbability: 0.2, clockMaxOffsetSeconds: 8 };

function ctx(seed = 1, clock = true): { cluster: FakeCluster; ctx: NemesisContext } {
  const world = fakeWorld({ capabilities: { clock } });
  const cluster = new FakeCluster(world.target, 5);
  return { cluster, ctx: { cluster, target: world.target, rng: new Prng(seed), callTimeoutMs: 1000 } };
}

describe('detection nemesis variants', () => {
  it('are accepted by --nemesis next to the original families', () => {
    expect(nemesisNames).toEqual(expect.arrayContaining(['partition', 'pause', 'kill', 'clock', 'loss', 'kill-all', 'kill-leader', 'partition-leader', 'clock-isolate']));
  });

  it('kill-all kills every node at once and restarts every one', async () => {
    const { cluster, ctx: c } = ctx();
    const fault = createFault('kill-all', opts);
    expect(await fault.start(c)).toMatchObject({ choice: 'all', nodes: cluster.nodes });
    expect([...cluster.states.values()]).toEqual(Array(5).fill('exited'));
    await fault.stop(c);
    expect([...cluster.states.values()]).toEqual(Array(5).fill('running'));
  });

  it('kill-leader kills exactly the leader, every time', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const { cluster, ctx: c } = ctx(seed);
      await createFault('kill-leader', opts).start(c);
      expect([...cluster.states.entries()].filter(([, s]) => s === 'exited').map(([n]) => n)).toEqual(['n1']);
    }
  });

  it('partition-leader always isolates the leader', async () => {
    for (const seed of [1, 2, 3]) {
      const { cluster, ctx: c } = ctx(seed);
      expect(await createFault('partition-leader', opts).start(c)).toMatchObject({ groups: [['n1'], ['n2', 'n3', 'n4', 'n5']] });
      expect(cluster.rules('n2', PARTITION_CHAIN)).toHaveLength(1);
    }
  });

  it('clock-isolate isolates the leader first, then sets its clock back; stop resets clocks and heals', async () => {
    const { cluster, ctx: c } = ctx(5);
    const fault = createFault('clock-isolate', opts);
    const result = await fault.start(c);
    expect(result).toMatchObject({ node: 'n1', groups: [['n1'], ['n2', 'n3', 'n4', 'n5']] });
    const seconds = Number(/^-(\d+)s$/.exec(String(result.offset))?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(3);
    expect(seconds).toBeLessThanOrEqual(8);
    const methods = cluster.calls.map((x) => `${x.method} ${x.node ?? ''}`);
    const lastRule = methods.map((m) => m.startsWith('setChainRules')).lastIndexOf(true);
    const skew = methods.indexOf('writeFile n1');
    expect(skew).toBeGreaterThan(lastRule);
    expect(cluster.files.get(`n1:${FAKETIME_FILE}`)).toBe(`${result.offset}\n`);
    await fault.stop(c);
    for (const n of cluster.nodes) {
      expect(cluster.files.get(`${n}:${FAKETIME_FILE}`)).toBe('+0s\n');
      expect(cluster.rules(n, PARTITION_CHAIN)).toEqual([]);
    }
    expect(fault.active()).toBeUndefined();
  });

  it('clock-isolate on a target that bypasses libc time applies only the partition, and says so', async () => {
    const { cluster, ctx: c } = ctx(1, false);
    const result = await createFault('clock-isolate', opts).start(c);
    expect(result.clockNotAffected).toMatch(/bypasses libc time/);
    expect(cluster.calls.some((x) => x.method === 'writeFile')).toBe(false);
    expect(unaffectedFaults(['clock-isolate', 'kill-all'], { clock: false, kill: true, partition: true })).toEqual(['clock-isolate']);
  });
});
