/**
 * Which nodes a pause/kill/clock fault hits: one at random, the leader, a random minority, or (only when
 * asked for, e.g. `kill-all`) every node at once.
 */
import type { Random as Prng } from '../src/core/workload.js';

export type NodeChoice = 'one' | 'leader' | 'minority' | 'all';
export const nodeChoices: readonly NodeChoice[] = ['one', 'leader', 'minority'];

/**
 * Picks the nodes for `choice`. When the leader is asked for but unknown, one random node is used and
 * `fellBack` says so (the history records it, rather than pretending the leader was hit).
 */
export function chooseNodes(
  choice: NodeChoice,
  nodes: readonly string[],
  rng: Prng,
  leader?: string,
): { nodes: string[]; fellBack: boolean } {
  if (choice === 'leader') {
    if (leader && nodes.includes(leader)) return { nodes: [leader], fellBack: false };
    return { nodes: [rng.pick(nodes)], fellBack: true };
  }
  if (choice === 'all') return { nodes: [...nodes], fellBack: false };
  if (choice === 'minority') {
    const size = Math.max(1, Math.floor((nodes.length - 1) / 2));
    return { nodes: rng.shuffle(nodes).slice(0, size), fellBack: false };
  }
  return { nodes: [rng.pick(nodes)], fellBack: false };
}
