/**
 * Partition topologies as pure functions. A grudge maps each node to the nodes whose packets it drops
 * (Jepsen's term). Every grudge built here is symmetric: if a drops b then b drops a.
 */
import type { Random as Prng } from '../src/core/workload.js';

export type Grudge = Record<string, string[]>;

export interface Partition {
  kind: PartitionKind;
  /** Connected groups when the partition is a clean split (absent for ring and bridge). */
  groups?: string[][];
  grudge: Grudge;
}

export type PartitionKind = 'isolate-one' | 'isolate-leader' | 'halves' | 'majorities-ring' | 'bridge';
export const partitionKinds: readonly PartitionKind[] = ['isolate-one', 'isolate-leader', 'halves', 'majorities-ring', 'bridge'];

/** Each node drops every node outside its own group. */
export function grudgeFromGroups(groups: readonly (readonly string[])[]): Grudge {
  const all = groups.flat();
  const grudge: Grudge = {};
  for (const group of groups) {
    for (const node of group) grudge[node] = all.filter((other) => !group.includes(other));
  }
  return grudge;
}

/** `node` alone on one side, everyone else on the other. */
export function isolate(nodes: readonly string[], node: string): Partition {
  if (!nodes.includes(node)) throw new Error(`cannot isolate unknown node ${node}`);
  const groups = [[node], nodes.filter((n) => n !== node)];
  return { kind: 'isolate-one', groups, grudge: grudgeFromGroups(groups) };
}

/** Random halves, the smaller half first (a minority and a majority when n is odd). */
export function randomHalves(nodes: readonly string[], rng: Prng): Partition {
  const shuffled = rng.shuffle(nodes);
  const cut = Math.floor(shuffled.length / 2);
  const groups = [shuffled.slice(0, cut), shuffled.slice(cut)];
  return { kind: 'halves', groups, grudge: grudgeFromGroups(groups) };
}

/**
 * Majorities ring: nodes placed on a ring (in random order); each sees the nodes within distance k on
 * either side, k the smallest with 2k+1 >= majority. Every node then sees a majority, and for n >= 4 no two
 * nodes see the same one, so no node can be sure which majority is "the" majority.
 * For n <= 3 the ring is fully connected (the grudge is empty): there is no such partition.
 */
export function majoritiesRing(nodes: readonly string[], rng: Prng): Partition {
  const ring = rng.shuffle(nodes);
  const n = ring.length;
  const majority = Math.floor(n / 2) + 1;
  const k = Math.ceil((majority - 1) / 2);
  const grudge: Grudge = {};
  ring.forEach((node, i) => {
    grudge[node] = ring.filter((_, j) => {
      const d = Math.abs(i - j);
      return Math.min(d, n - d) > k;
    });
  });
  return { kind: 'majorities-ring', grudge };
}

/** Two halves that cannot talk, plus one bridge node (the middle one) that talks to both. */
export function bridge(nodes: readonly string[], rng: Prng): Partition {
  const shuffled = rng.shuffle(nodes);
  const mid = Math.floor(shuffled.length / 2);
  const left = shuffled.slice(0, mid);
  const bridgeNode = shuffled[mid];
  const right = shuffled.slice(mid + 1);
  const grudge: Grudge = { [bridgeNode]: [] };
  for (const node of left) grudge[node] = [...right];
  for (const node of right) grudge[node] = [...left];
  return { kind: 'bridge', groups: undefined, grudge };
}

/** Which nodes `node` can reach under `grudge` (itself included). */
export function reachable(grudge: Grudge, nodes: readonly string[], node: string): string[] {
  const dropped = new Set(grudge[node] ?? []);
  return nodes.filter((n) => !dropped.has(n));
}

/**
 * A star: `center` talks to every node, every other node talks only to `center`. Only the center can
 * gather a majority, so whoever wins an election under it is the center, however its log compares.
 * Nodes in `cutOff` talk to nobody (not even the center): used to keep the old leader from bringing the
 * center up to date before the election.
 */
export function star(nodes: readonly string[], center: string, cutOff: readonly string[] = []): Partition {
  if (!nodes.includes(center)) throw new Error(`cannot center a star on unknown node ${center}`);
  if (cutOff.includes(center)) throw new Error(`cannot cut off the star's center ${center}`);
  const grudge: Grudge = {};
  for (const node of nodes) {
    if (cutOff.includes(node)) grudge[node] = nodes.filter((other) => other !== node);
    else if (node === center) grudge[node] = [...cutOff];
    else grudge[node] = nodes.filter((other) => other !== node && (other !== center || cutOff.includes(other)));
  }
  return { kind: 'bridge', grudge };
}

/** Clean split into the given groups; nodes named in no group end up alone. */
export function split(nodes: readonly string[], groups: readonly (readonly string[])[]): Partition {
  const named = new Set(groups.flat());
  const all = [...groups.map((g) => [...g]), ...nodes.filter((n) => !named.has(n)).map((n) => [n])];
  return { kind: 'halves', groups: all, grudge: grudgeFromGroups(all) };
}
