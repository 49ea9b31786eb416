/**
 * Network partitions: each node DROPs packets from the peers in its grudge, with rules in a dedicated
 * chain. Each start picks a topology at random from `kinds` (isolate one, isolate the leader, random
 * halves, majorities ring, bridge). Stop and heal flush the chain on every node.
 */
import type { Fault, FaultResult, NemesisContext } from './fault.js';
import { forEachNode, leaderOf, withErrors } from './fault.js';
import { appendRule, ensureChain, flushChain, PARTITION_CHAIN, peerAddresses } from './iptables.js';
import { bridge, isolate, majoritiesRing, type Partition, type PartitionKind, partitionKinds, randomHalves } from './topology.js';

export async function choosePartition(ctx: NemesisContext, kind: PartitionKind): Promise<Partition & { fellBack?: boolean }> {
  const nodes = ctx.cluster.nodes;
  switch (kind) {
    case 'isolate-one':
      return isolate(nodes, ctx.rng.pick(nodes));
    case 'isolate-leader': {
      const leader = await leaderOf(ctx);
      const fellBack = !leader || !nodes.includes(leader);
      const p = isolate(nodes, fellBack ? ctx.rng.pick(nodes) : leader!);
      return { ...p, kind: 'isolate-leader', fellBack };
    }
    case 'halves':
      return randomHalves(nodes, ctx.rng);
    case 'majorities-ring':
      return majoritiesRing(nodes, ctx.rng);
    case 'bridge':
      return bridge(nodes, ctx.rng);
  }
}

/** Installs `partition`'s DROP rules on every node that holds a grudge. */
export async function applyGrudge(ctx: NemesisContext, partition: Partition): Promise<Record<string, string>> {
  const holders = Object.keys(partition.grudge).filter((n) => partition.grudge[n].length > 0);
  const { errors } = await forEachNode(holders, async (node) => {
    await ensureChain(ctx, node, PARTITION_CHAIN);
    const addresses = await peerAddresses(ctx, node, partition.grudge[node]);
    for (const peer of partition.grudge[node]) {
      await appendRule(ctx, node, PARTITION_CHAIN, ['-s', addresses[peer], '-j', 'DROP']);
    }
  });
  return errors;
}

export function partitionFault(kinds: readonly PartitionKind[] = partitionKinds): Fault {
  let current: Partition | undefined;
  const heal = async (ctx: NemesisContext): Promise<FaultResult> => {
    const { done, errors } = await forEachNode(ctx.cluster.nodes, (node) => flushChain(ctx, node, PARTITION_CHAIN));
    current = undefined;
    return withErrors({ healed: done }, errors);
  };
  return {
    name: 'partition',
    async start(ctx) {
      const kind = ctx.rng.pick(kinds);
      const partition = await choosePartition(ctx, kind);
      current = partition;
      const errors = await applyGrudge(ctx, partition);
      const result: FaultResult = { kind: partition.kind, grudge: partition.grudge };
      if (partition.groups) result.groups = partition.groups;
      if ((partition as { fellBack?: boolean }).fellBack) result.note = 'leader unknown: isolated a random node';
      return withErrors(result, errors);
    },
    stop: heal,
    heal,
    active: () => (current ? `partition ${current.kind}${current.groups ? ' ' + current.groups.map((g) => g.join(',')).join(' | ') : ''}` : undefined),
  };
}
