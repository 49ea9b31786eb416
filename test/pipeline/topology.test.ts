import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/generator/prng.js';
import { chooseNodes } from '../../nemesis/node-choice.js';
import { bridge, type Grudge, grudgeFromGroups, isolate, majoritiesRing, randomHalves, reachable } from '../../nemesis/topology.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const symmetric = (g: Grudge) => Object.entries(g).every(([a, drops]) => drops.every((b) => g[b].includes(a)));
const majority = (n: number) => Math.floor(n / 2) + 1;

describe('partition topologies', () => {
  it('isolate cuts one node from all others, both ways', () => {
    const p = isolate(nodes, 'n3');
    expect(p.groups).toEqual([['n3'], ['n1', 'n2', 'n4', 'n5']]);
    expect(p.grudge.n3.sort()).toEqual(['n1', 'n2', 'n4', 'n5']);
    expect(p.grudge.n1).toEqual(['n3']);
    expect(symmetric(p.grudge)).toBe(true);
  });
  it('random halves: a minority and a majority covering every node once', () => {
    for (let seed = 0; seed < 20; seed++) {
      const p = randomHalves(nodes, new Prng(seed));
      expect(p.groups![0]).toHaveLength(2);
      expect(p.groups![1]).toHaveLength(3);
      expect([...p.groups!.flat()].sort()).toEqual(nodes);
      expect(symmetric(p.grudge)).toBe(true);
      for (const n of p.groups![0]) expect(reachable(p.grudge, nodes, n).sort()).toEqual([...p.groups![0]].sort());
    }
  });
  it('majorities ring: every node sees a majority, no two see the same set', () => {
    for (const size of [5, 6, 7, 9]) {
      const ns = Array.from({ length: size }, (_, i) => `n${i + 1}`);
      const p = majoritiesRing(ns, new Prng(size));
      expect(symmetric(p.grudge)).toBe(true);
      const views = ns.map((n) => reachable(p.grudge, ns, n).sort().join(','));
      for (const n of ns) expect(reachable(p.grudge, ns, n).length).toBeGreaterThanOrEqual(majority(size));
      expect(new Set(views).size).toBe(size);
    }
    // For 5 nodes each sees exactly itself and its two ring neighbours.
    const p5 = majoritiesRing(nodes, new Prng(1));
    for (const n of nodes) expect(reachable(p5.grudge, nodes, n)).toHaveLength(3);
  });
  it('bridge: two sides that cannot talk and one node that talks to everyone', () => {
    const p = bridge(nodes, new Prng(4));
    const bridgeNodes = nodes.filter((n) => p.grudge[n].length === 0);
    expect(bridgeNodes).toHaveLength(1);
    const others = nodes.filter((n) => n !== bridgeNodes[0]);
    for (const n of others) {
      expect(p.grudge[n]).toHaveLength(2);
      expect(p.grudge[n]).not.toContain(bridgeNodes[0]);
      expect(reachable(p.grudge, nodes, n)).toHaveLength(3);
    }
    expect(symmetric(p.grudge)).toBe(true);
  });
  it('grudgeFromGroups drops exactly the nodes outside one\'s group', () => {
    expect(grudgeFromGroups([['a'], ['b', 'c']])).toEqual({ a: ['b', 'c'], b: ['a'], c: ['a'] });
  });
});

describe('node choice', () => {
  it('leader when known, a random node (flagged) when not, a strict minority otherwise', () => {
    const rng = new Prng(2);
    expect(chooseNodes('leader', nodes, rng, 'n4')).toEqual({ nodes: ['n4'], fellBack: false });
    const fb = chooseNodes('leader', nodes, rng, undefined);
    expect(fb.fellBack).toBe(true);
    expect(nodes).toContain(fb.nodes[0]);
    const minority = chooseNodes('minority', nodes, rng).nodes;
    expect(minority).toHaveLength(2);
    expect(new Set(minority).size).toBe(2);
  });
});
