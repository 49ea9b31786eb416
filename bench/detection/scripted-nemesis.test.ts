/**
 * The scripted partition faults of the detection bench (nemesis/lagging-star.ts, nemesis/figure8.ts) and
 * the topology/iptables helpers they build on, on the in-process fake cluster (no Docker). The faults are
 * built directly with tiny step lengths so a full script takes well under a second.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/generator/prng.js';
import { sleep } from '../../src/generator/sleep.js';
import type { NemesisContext } from '../../nemesis/fault.js';
import { figure8Fault } from '../../nemesis/figure8.js';
import { dropFrom, PARTITION_CHAIN, refuseClientRules, rulesFromGrudge } from '../../nemesis/iptables.js';
import { laggingStarFault } from '../../nemesis/lagging-star.js';
import { reachable, split, star, type Grudge } from '../../nemesis/topology.js';
import { FakeCluster, fakeWorld } from '../../test/pipeline/fakes/fake-cluster.js';

const FIVE = ['n1', 'n2', 'n3', 'n4', 'n5'];

/** A fake 5-node (or `nodes`-node) cluster whose target reports `leader` (undefined: the lookup fails). */
function setup(opts: { nodes?: number; leader?: string | undefined; seed?: number } = {}): { cluster: FakeCluster; ctx: NemesisContext } {
  const world = fakeWorld();
  const leader = 'leader' in opts ? opts.leader : 'n1';
  const target = {
    ...world.target,
    leader: async () => {
      if (leader === undefined) throw new Error('no leader');
      return leader;
    },
  };
  const cluster = new FakeCluster(target, opts.nodes ?? 5);
  return { cluster, ctx: { cluster, target, rng: new Prng(opts.seed ?? 1), callTimeoutMs: 1000 } };
}

/** The fake's address of a node (10.0.0.<index+2>) and back. */
const addressOf = (cluster: FakeCluster, node: string) => `10.0.0.${cluster.nodes.indexOf(node) + 2}`;
const nodeAt = (cluster: FakeCluster, address: string) => cluster.nodes[Number(address.split('.')[3]) - 2];

/** Names of the peers whose packets `rules` drop (every DROP rule must be exactly `-s <ip> -j DROP`). */
function droppedPeers(cluster: FakeCluster, rules: string[][]): string[] {
  const drops = rules.filter((r) => r.includes('DROP'));
  for (const r of drops) expect(r).toEqual(dropFrom(r[1]));
  return drops.map((r) => nodeAt(cluster, r[1])).sort();
}

/** True when `rules` end with the client-refusal pair for the fake target's client port (1). */
function refusesClients(rules: string[][]): boolean {
  const refuse = refuseClientRules(1);
  const hasAny = rules.some((r) => r.includes('REJECT') || r.includes('RETURN'));
  if (!hasAny) return false;
  expect(rules.slice(-refuse.length)).toEqual(refuse);
  return true;
}

/** setChainRules calls on the partition chain, in order, as { node, rules }. */
function chainCalls(cluster: FakeCluster): { node: string; rules: string[][] }[] {
  return cluster.calls
    .filter((c) => c.method === 'setChainRules' && (c.args as { chain: string }).chain === PARTITION_CHAIN)
    .map((c) => ({ node: c.node!, rules: (c.args as { rules: string[][] }).rules }));
}

/** The chain calls cut into batches of one call per node (each fault step sets every node once). */
function batches(cluster: FakeCluster): Map<string, string[][]>[] {
  const calls = chainCalls(cluster);
  const n = cluster.nodes.length;
  expect(calls.length % n).toBe(0);
  const out: Map<string, string[][]>[] = [];
  for (let i = 0; i < calls.length; i += n) {
    const batch = new Map(calls.slice(i, i + n).map((c) => [c.node, c.rules]));
    expect([...batch.keys()].sort()).toEqual([...cluster.nodes].sort());
    out.push(batch);
  }
  return out;
}

function expectSymmetric(grudge: Grudge) {
  for (const [a, dropped] of Object.entries(grudge)) {
    for (const b of dropped) expect(grudge[b], `${b} must drop ${a} back`).toContain(a);
  }
}

function expectAllChainsEmpty(cluster: FakeCluster) {
  for (const n of cluster.nodes) expect(cluster.rules(n, PARTITION_CHAIN), `chain of ${n}`).toEqual([]);
}

/** Waits (briefly) until the fake has logged at least `count` partition-chain calls. */
async function untilChainCalls(cluster: FakeCluster, count: number) {
  for (let i = 0; i < 2000 && chainCalls(cluster).length < count; i++) await sleep(1);
  expect(chainCalls(cluster).length).toBeGreaterThanOrEqual(count);
}

describe('topology: star and split', () => {
  it('star: symmetric, the centre drops nobody, every other node drops all but the centre', () => {
    const { grudge, kind, groups } = star(FIVE, 'n3');
    expect(kind).toBe('bridge');
    expect(groups).toBeUndefined();
    expect(Object.keys(grudge).sort()).toEqual(FIVE);
    expect(grudge.n3).toEqual([]);
    expect(grudge.n1).toEqual(['n2', 'n4', 'n5']);
    expect(grudge.n5).toEqual(['n1', 'n2', 'n4']);
    expectSymmetric(grudge);
  });

  it('star: only the centre reaches a majority', () => {
    for (const center of FIVE) {
      const { grudge } = star(FIVE, center);
      const majority = Math.floor(FIVE.length / 2) + 1;
      const withMajority = FIVE.filter((n) => reachable(grudge, FIVE, n).length >= majority);
      expect(withMajority).toEqual([center]);
      expect(reachable(grudge, FIVE, center)).toEqual(FIVE);
      for (const other of FIVE.filter((n) => n !== center)) expect(reachable(grudge, FIVE, other).sort()).toEqual([center, other].sort());
    }
  });

  it('star with a cut-off node: that node reaches nobody, the centre still reaches a majority, and the grudge stays symmetric', () => {
    const { grudge } = star(FIVE, 'n3', ['n1']);
    expect(reachable(grudge, FIVE, 'n1')).toEqual(['n1']);
    expect(reachable(grudge, FIVE, 'n3')).toEqual(['n2', 'n3', 'n4', 'n5']);
    const majority = Math.floor(FIVE.length / 2) + 1;
    expect(FIVE.filter((n) => reachable(grudge, FIVE, n).length >= majority)).toEqual(['n3']);
    for (const [a, peers] of Object.entries(grudge)) for (const b of peers) expect(grudge[b]).toContain(a);
    expect(() => star(FIVE, 'n3', ['n3'])).toThrow(/cannot cut off the star's center n3/);
  });

  it('star: an unknown centre throws', () => {
    expect(() => star(FIVE, 'n9')).toThrow(/cannot center a star on unknown node n9/);
  });

  it('split: named groups first, unnamed nodes alone in node order, symmetric grudge', () => {
    const p = split(FIVE, [['n4', 'n2']]);
    expect(p.kind).toBe('halves');
    expect(p.groups).toEqual([['n4', 'n2'], ['n1'], ['n3'], ['n5']]);
    expect(p.grudge.n2.sort()).toEqual(['n1', 'n3', 'n5']);
    expect(p.grudge.n4.sort()).toEqual(['n1', 'n3', 'n5']);
    expect(p.grudge.n1.sort()).toEqual(['n2', 'n3', 'n4', 'n5']);
    expectSymmetric(p.grudge);
    expect(split(FIVE, []).groups).toEqual(FIVE.map((n) => [n]));
    expect(split(FIVE, [FIVE]).grudge).toEqual(Object.fromEntries(FIVE.map((n) => [n, []])));
  });

  it('split: does not validate names; an unknown node is kept in its group and dropped by the others', () => {
    const p = split(['n1', 'n2', 'n3'], [['n1', 'zz']]);
    expect(p.groups).toEqual([['n1', 'zz'], ['n2'], ['n3']]);
    expect(p.grudge.zz.sort()).toEqual(['n2', 'n3']);
    expect(p.grudge.n2.sort()).toEqual(['n1', 'n3', 'zz']);
    expectSymmetric(p.grudge);
  });
});

describe('rulesFromGrudge', () => {
  it('gives an empty rule list (a flush) to a node with an empty grudge, and skips peers without an address', () => {
    const addresses = { n1: '10.0.0.2', n2: '10.0.0.3', n3: '10.0.0.4' };
    const rules = rulesFromGrudge({ n1: [], n2: ['n1', 'n4'], n3: ['n1', 'n2'] }, addresses, dropFrom);
    expect(rules).toEqual({
      n1: [],
      n2: [['-s', '10.0.0.2', '-j', 'DROP']],
      n3: [
        ['-s', '10.0.0.2', '-j', 'DROP'],
        ['-s', '10.0.0.3', '-j', 'DROP'],
      ],
    });
    expect(Object.keys(rules)).toContain('n1');
  });
});

describe('lagging-star', () => {
  it('never picks the leader as the lagging node', async () => {
    const picked = new Set<string>();
    for (const leader of ['n1', 'n3']) {
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const { ctx } = setup({ leader, seed });
        const result = await laggingStarFault({ lagMs: 1 }).start(ctx);
        expect(result.lagging).not.toBe(leader);
        expect(FIVE).toContain(result.lagging);
        expect(result.leaderBefore).toBe(leader);
        picked.add(`${leader}:${String(result.lagging)}`);
      }
    }
    // The choice is random among followers, not a fixed node.
    expect(picked.size).toBeGreaterThan(2);
  });

  it('isolates the node first, then installs the star with the leader cut off: the centre drops only the leader', async () => {
    const { cluster, ctx } = setup({ leader: 'n2', seed: 3 });
    const fault = laggingStarFault({ lagMs: 5 });
    const result = await fault.start(ctx);
    const lagging = String(result.lagging);
    expect(lagging).not.toBe('n2');
    expect(result).toMatchObject({ lagging, leaderBefore: 'n2', cutOff: ['n2'], isolatedMs: 5, grudge: star(cluster.nodes, lagging, ['n2']).grudge });
    expect(result.errors).toBeUndefined();
    const others = cluster.nodes.filter((n) => n !== lagging);

    // Phase 1 (isolation): the lagging node drops the 4 others, each of them drops only it.
    const [isolation, starBatch, ...rest] = batches(cluster);
    expect(rest).toEqual([]);
    expect(droppedPeers(cluster, isolation.get(lagging)!)).toEqual(others);
    for (const n of others) expect(droppedPeers(cluster, isolation.get(n)!)).toEqual([lagging]);

    // Phase 2 (star): the centre's isolation rules are replaced (not kept): it now drops only the old
    // leader, which drops everyone; the rest drop each other but not the centre.
    expect(droppedPeers(cluster, starBatch.get(lagging)!)).toEqual(['n2']);
    expect(droppedPeers(cluster, cluster.rules(lagging, PARTITION_CHAIN))).toEqual(['n2']);
    expect(droppedPeers(cluster, cluster.rules('n2', PARTITION_CHAIN))).toEqual(cluster.nodes.filter((n) => n !== 'n2'));
    for (const n of others.filter((o) => o !== 'n2')) {
      const installed = cluster.rules(n, PARTITION_CHAIN);
      expect(installed).toHaveLength(3);
      expect(droppedPeers(cluster, installed)).toEqual(others.filter((o) => o !== n));
      expect(installed).not.toContainEqual(dropFrom(addressOf(cluster, lagging)));
    }
    expect(fault.active()).toBe(`star centred on lagging ${lagging}`);

    const stopped = await fault.stop(ctx);
    expect(stopped).toEqual({ healed: cluster.nodes });
    expectAllChainsEmpty(cluster);
    expect(fault.active()).toBeUndefined();
  });

  it('describes the isolation while it lasts', async () => {
    const { cluster, ctx } = setup({ leader: 'n1', seed: 2 });
    const fault = laggingStarFault({ lagMs: 300 });
    expect(fault.active()).toBeUndefined();
    const started = fault.start(ctx);
    await untilChainCalls(cluster, 5);
    const during = fault.active();
    const result = await started;
    expect(during).toBe(`isolating lagging ${String(result.lagging)}`);
    expect(fault.active()).toBe(`star centred on lagging ${String(result.lagging)}`);
    await fault.heal(ctx);
    expect(fault.active()).toBeUndefined();
    expectAllChainsEmpty(cluster);
  });

  it('healed while the node is isolated: start returns early and does not install the star', async () => {
    const { cluster, ctx } = setup({ leader: 'n1', seed: 4 });
    const fault = laggingStarFault({ lagMs: 300 });
    const started = fault.start(ctx);
    await untilChainCalls(cluster, 5);
    await fault.heal(ctx);
    const result = await started;
    expect(result).toMatchObject({ note: 'healed while the node was isolated' });
    expect(result.lagging).not.toBe('n1');
    expect(chainCalls(cluster)).toHaveLength(10); // isolation + heal, no star
    expectAllChainsEmpty(cluster);
    expect(fault.active()).toBeUndefined();
  });

  it('with no known leader it still lags some node; afterRestart re-applies the star on a fresh netns', async () => {
    const { cluster, ctx } = setup({ leader: undefined, seed: 5 });
    const fault = laggingStarFault({ lagMs: 1 });
    const result = await fault.start(ctx);
    expect(result.leaderBefore).toBeNull();
    const lagging = String(result.lagging);
    expect(FIVE).toContain(lagging);
    const victim = cluster.nodes.find((n) => n !== lagging)!;
    await cluster.kill(victim);
    await cluster.start(victim);
    expect(cluster.rules(victim, PARTITION_CHAIN)).toEqual([]);
    const re = await fault.afterRestart!(ctx, [victim]);
    expect(re).toMatchObject({ restarted: [victim] });
    expect(droppedPeers(cluster, cluster.rules(victim, PARTITION_CHAIN))).toEqual(cluster.nodes.filter((n) => n !== victim && n !== lagging));
    await fault.stop(ctx);
    expect(await fault.afterRestart!(ctx, [victim])).toBeUndefined();
  });
});

describe('figure8', () => {
  const T = 5;
  const STEP_PREFIXES = ['a:', 'b1:', 'b2:', 'c:', 'd:', 'e:', 'f:'];

  interface Step {
    step: string;
    atMs: number;
    groups: string[][];
    clientsTo: string[];
  }

  it('asks who the rest elected while only their clients are let in (b2), and never picks that node for (c)', async () => {
    let restHadIt = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const { ctx } = setup({ seed });
      let calls = 0;
      // n1 leads at first; in (b2) the lookup answers n3.
      ctx.target = { ...ctx.target, leader: async () => (calls++ === 0 ? 'n1' : 'n3') } as never;
      const result = await figure8Fault({ electionMaxMs: T }).start(ctx);
      expect(calls).toBe(2);
      expect(result.restLeader).toBe('n3');
      expect((result.plan as { chosen: string }).chosen).toBe(result.chosen);
      if ((result.rest as string[]).includes('n3')) {
        restHadIt++;
        expect(result.chosen).not.toBe('n3');
      }
    }
    expect(restHadIt).toBeGreaterThan(3);
  });

  it('asks again in (b2) while nobody answers (the election may still be running), up to three times', async () => {
    const { ctx } = setup({ seed: 5 });
    const answers = ['n1', undefined, undefined, 'n3'];
    let calls = 0;
    ctx.target = { ...ctx.target, leader: async () => answers[calls++] } as never;
    const result = await figure8Fault({ electionMaxMs: T }).start(ctx);
    expect(calls).toBe(4);
    expect(result.restLeader).toBe('n3');
    let silent = 0;
    const { ctx: ctx2 } = setup({ seed: 5 });
    ctx2.target = { ...ctx2.target, leader: async () => (silent++ === 0 ? 'n1' : undefined) } as never;
    const unknown = await figure8Fault({ electionMaxMs: T }).start(ctx2);
    expect(silent).toBe(4);
    expect(unknown.restLeader).toBeUndefined();
    expect(unknown.completed).toBe(true);
  });

  it('with the rest\'s leader E known, (d) is a star centred on E with A and B cut off: C and D reach only E', async () => {
    const { cluster, ctx } = setup({ seed: 3 });
    const plan = { oldLeader: 'n1', partner: 'n2', rest: ['n3', 'n4', 'n5'], chosen: 'n4', restLeader: 'n3' };
    const result = await figure8Fault({ electionMaxMs: T }).start(ctx, plan);
    expect(result.completed).toBe(true);
    const steps = result.steps as (Step & { grudge?: Record<string, string[]> })[];
    // E known: (b3) lets only E's clients in, for one more step, before (c).
    expect(steps.map((s) => s.step.split(':')[0])).toEqual(['a', 'b1', 'b2', 'b3', 'c', 'd', 'e', 'f']);
    expect(steps[3]).toMatchObject({ step: "b3: only n3's clients write Y", clientsTo: ['n3'], groups: [['n1', 'n2'], ['n3'], ['n4'], ['n5']] });
    expect(steps[5].step).toBe('d: n3 re-elected at the centre of a star, no clients');
    const grudge = steps[5].grudge!;
    expect([...grudge.n1].sort()).toEqual(['n2', 'n3', 'n4', 'n5']);
    expect([...grudge.n2].sort()).toEqual(['n1', 'n3', 'n4', 'n5']);
    expect([...grudge.n3].sort()).toEqual(['n1', 'n2']);
    expect([...grudge.n4].sort()).toEqual(['n1', 'n2', 'n5']);
    expect([...grudge.n5].sort()).toEqual(['n1', 'n2', 'n4']);
    // What the nodes got in (d): C (n4) drops D (n5) and not E (n3).
    const d = batches(cluster)[5];
    expect(droppedPeers(cluster, d.get('n4')!)).toEqual(['n1', 'n2', 'n5']);
    expect(droppedPeers(cluster, d.get('n3')!)).toEqual(['n1', 'n2']);
    // Without a known E (or when E is the chosen node) (d) stays the plain split.
    const plain = await figure8Fault({ electionMaxMs: T }).start(setup({ seed: 3 }).ctx, { ...plan, restLeader: undefined });
    expect((plain.steps as Step[]).map((s) => s.step.split(':')[0])).toEqual(['a', 'b1', 'b2', 'c', 'd', 'e', 'f']);
    expect((plain.steps as Step[])[4]).toMatchObject({ step: 'd: rest re-elects, no clients', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] });
  });

  it('runs the 7 steps in order with the right partitions and client refusals, then heals', async () => {
    for (const [leader, seed] of [
      ['n1', 1],
      ['n4', 2],
      ['n2', 7],
    ] as const) {
      const { cluster, ctx } = setup({ leader, seed });
      const fault = figure8Fault({ electionMaxMs: T });
      const result = await fault.start(ctx);
      expect(result.errors).toBeUndefined();
      expect(result.completed).toBe(true);
      const a = result.oldLeader as string;
      const b = result.partner as string;
      const rest = result.rest as string[];
      const chosen = result.chosen as string;
      expect(a).toBe(leader);
      expect(b).not.toBe(a);
      expect([a, b, ...rest].sort()).toEqual(FIVE);
      expect(rest).toHaveLength(3);
      expect(rest).toContain(chosen);
      const notChosen = rest.filter((n) => n !== chosen);

      const steps = result.steps as Step[];
      expect(steps).toHaveLength(7);
      steps.forEach((s, i) => expect(s.step.startsWith(STEP_PREFIXES[i]), s.step).toBe(true));
      expect(steps[3].step).toBe(`c: ${a}, ${b} + ${chosen} elect, no clients`);
      expect(steps[6].step).toBe(`f: ${a}, ${b}, ${chosen} elect among themselves, their clients read`);
      const alone = (ns: string[]) => ns.map((n) => [n]);
      expect(steps.map((s) => s.groups)).toEqual([
        [[a, b], ...alone(rest)],
        [[a, b], rest],
        [[a, b], ...alone(rest)],
        [[a, b, chosen], ...alone(cluster.nodes.filter((n) => notChosen.includes(n)))],
        [[a, b], rest],
        [cluster.nodes],
        [[a, b, chosen], ...alone(rest.filter((n) => n !== chosen))],
      ]);
      expect(steps.map((s) => s.clientsTo)).toEqual([[a, b], [], rest, [], [], cluster.nodes, [a, b, chosen]]);
      // Step lengths: a waits T, b1 2T+300, b2 T, c 3T, d 3T, e 2T (timers may fire a millisecond early).
      const waits = [T, 2 * T + 300, T, 3 * T, 3 * T, 2 * T];
      let at = 0;
      steps.slice(1).forEach((s, i) => {
        at += waits[i];
        expect(s.atMs).toBeGreaterThanOrEqual(at - 2 * (i + 1));
      });
      expect(result.healedAtMs as number).toBeGreaterThanOrEqual(at + 3 * T + 300 - 14);

      // What each node got, step by step (one atomic rule set per node and step), then the heal.
      const got = batches(cluster);
      expect(got).toHaveLength(8);
      const groupOf = (step: number, n: string) => steps[step].groups.find((g) => g.includes(n))!;
      for (let i = 0; i < 7; i++) {
        for (const n of cluster.nodes) {
          const rules = got[i].get(n)!;
          expect(droppedPeers(cluster, rules), `step ${i} node ${n}`).toEqual(cluster.nodes.filter((o) => !groupOf(i, n).includes(o)).sort());
          expect(refusesClients(rules), `step ${i} node ${n} refuses clients`).toBe(!steps[i].clientsTo.includes(n));
          expect(rules).toHaveLength(5 - groupOf(i, n).length + (steps[i].clientsTo.includes(n) ? 0 : 2));
        }
      }
      // b2: only the three rest nodes take clients.
      expect(cluster.nodes.filter((n) => !refusesClients(got[2].get(n)!)).sort()).toEqual([...rest].sort());
      // a: only the old leader and its partner take clients; e: everybody does, and nobody is cut off; b1, c, d: nobody.
      expect(cluster.nodes.filter((n) => !refusesClients(got[0].get(n)!)).sort()).toEqual([a, b].sort());
      for (const n of cluster.nodes) expect(got[5].get(n)).toEqual([]);
      for (const i of [1, 3, 4]) expect(cluster.nodes.filter((n) => refusesClients(got[i].get(n)!))).toEqual(cluster.nodes);
      // f: only the old leader, its partner and the chosen node take clients.
      expect(cluster.nodes.filter((n) => !refusesClients(got[6].get(n)!)).sort()).toEqual([a, b, chosen].sort());
      // Final batch is the heal.
      for (const n of cluster.nodes) expect(got[7].get(n)).toEqual([]);
      expect(result.healed).toEqual(cluster.nodes);
      expectAllChainsEmpty(cluster);
      expect(fault.active()).toBeUndefined();
    }
  });

  it('takes a random old leader when the leader is unknown', async () => {
    const { cluster, ctx } = setup({ leader: undefined, seed: 3 });
    const result = await figure8Fault({ electionMaxMs: 1 }).start(ctx);
    expect(result.completed).toBe(true);
    expect(FIVE).toContain(result.oldLeader);
    expect((result.steps as Step[]).map((s) => s.step.split(':')[0])).toEqual(['a', 'b1', 'b2', 'c', 'd', 'e', 'f']);
    expectAllChainsEmpty(cluster);
  });

  it('skips a cluster that does not have exactly 5 nodes, touching nothing', async () => {
    for (const nodes of [3, 4, 7]) {
      const { cluster, ctx } = setup({ nodes });
      const fault = figure8Fault({ electionMaxMs: T });
      const result = await fault.start(ctx);
      expect(result).toEqual({ skipped: `scripted for 5 nodes, the cluster has ${nodes}` });
      expect(cluster.calls.filter((c) => c.method === 'setChainRules' || c.method === 'iptables')).toEqual([]);
      expect(fault.active()).toBeUndefined();
    }
  });

  it('heal() during the script stops it early: completed false, every chain empty, and a later start runs fully', async () => {
    const { cluster, ctx } = setup({ leader: 'n3', seed: 9 });
    const fault = figure8Fault({ electionMaxMs: 20 });
    const started = fault.start(ctx);
    // Wait until step b1 (2T+300 ms long) is installed, then heal while it sleeps.
    await untilChainCalls(cluster, 10);
    expect(fault.active()).toMatch(/^figure 8, step b1: /);
    const healed = await fault.heal(ctx);
    expect(healed).toEqual({ healed: cluster.nodes });
    expect(fault.active()).toBeUndefined();
    const result = await started;
    expect(result.completed).toBe(false);
    expect((result.steps as Step[]).map((s) => s.step.split(':')[0])).toEqual(['a', 'b1']);
    // Step installs (2 x 5), the heal() call, the heal at the end of start(): nothing after b1.
    expect(chainCalls(cluster)).toHaveLength(20);
    expect(chainCalls(cluster).slice(10).every((c) => c.rules.length === 0)).toBe(true);
    expectAllChainsEmpty(cluster);
    expect(fault.active()).toBeUndefined();

    // The cancellation does not stick: the next start runs the whole script.
    const again = await figure8Fault({ electionMaxMs: 1 }).start(ctx);
    expect(again.completed).toBe(true);
    const same = await fault.start(ctx);
    expect(same.completed).toBe(true);
    expectAllChainsEmpty(cluster);
  });

  it('heal() during the last step still counts as cancelled (completed false, all 7 steps recorded)', async () => {
    const { cluster, ctx } = setup({ leader: 'n5', seed: 4 });
    const fault = figure8Fault({ electionMaxMs: 40 });
    const started = fault.start(ctx);
    await untilChainCalls(cluster, 35); // step f installed, sleeping 3T+300
    expect(fault.active()).toMatch(/^figure 8, step f: /);
    await fault.heal(ctx);
    const result = await started;
    expect(result.completed).toBe(false);
    expect((result.steps as Step[]).map((s) => s.step.split(':')[0])).toEqual(['a', 'b1', 'b2', 'c', 'd', 'e', 'f']);
    expect(chainCalls(cluster)).toHaveLength(45);
    expectAllChainsEmpty(cluster);
  });

  it('afterRestart re-applies the current step on a restarted node, and nothing once healed', async () => {
    const { cluster, ctx } = setup({ leader: 'n1', seed: 1 });
    const fault = figure8Fault({ electionMaxMs: 20 });
    const started = fault.start(ctx);
    await untilChainCalls(cluster, 10); // b1 installed
    const expected = cluster.rules('n2', PARTITION_CHAIN).map((r) => [...r]);
    expect(expected.length).toBeGreaterThan(0);
    await cluster.kill('n2');
    await cluster.start('n2');
    expect(cluster.rules('n2', PARTITION_CHAIN)).toEqual([]);
    const re = await fault.afterRestart!(ctx, ['n2']);
    expect(re).toMatchObject({ restarted: ['n2'] });
    expect(String(re?.step)).toMatch(/^b1: /);
    expect(cluster.rules('n2', PARTITION_CHAIN)).toEqual(expected);
    await fault.heal(ctx);
    await started;
    expect(await fault.afterRestart!(ctx, ['n2'])).toBeUndefined();
    expectAllChainsEmpty(cluster);
  });
});
