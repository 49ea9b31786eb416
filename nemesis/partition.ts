/**
 * Network partitions: each node DROPs packets from the peers in its grudge, with rules in a dedicated
 * chain. Each start picks a topology at random from `kinds` (isolate one, isolate the leader, random
 * halves, majorities ring, bridge). Stop and heal flush the chain on every node. Peers are named by their
 * cluster-network IPs and every node gets its rules in one exec, in parallel (see iptables.ts).
 */
import { z } from 'zod';
import type { Fault, FaultDescription, FaultResult, NemesisContext } from './fault.js';
import { leaderOf, opsOf, withErrors } from './fault.js';
import { dropFrom, flushChainEverywhere, nodeAddresses, PARTITION_CHAIN, rulesFromGrudge, setChainOnNodes } from './iptables.js';
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

/**
 * Installs `partition`'s DROP rules on every node that holds a grudge (replacing whatever the chain held).
 * Resolves with per-node errors; a peer whose address is unknown (not running) is reported, not guessed.
 */
export async function applyGrudge(ctx: NemesisContext, partition: Partition): Promise<Record<string, string>> {
  const { addresses, missing } = await nodeAddresses(ctx, ctx.cluster.nodes);
  const { errors } = await setChainOnNodes(ctx, PARTITION_CHAIN, rulesFromGrudge(partition.grudge, addresses, dropFrom));
  for (const [node, why] of Object.entries(missing)) errors[node] ??= `no address: ${why}`;
  return errors;
}

/** Empties the partition chain on every node: the heal of every fault that draws partitions. */
export async function healPartitions(ctx: NemesisContext): Promise<FaultResult> {
  const { done, errors } = await flushChainEverywhere(ctx, PARTITION_CHAIN);
  return withErrors({ healed: done }, errors);
}

/** A restarted node may come back with a new IP: re-applies the whole grudge, not only its part. */
export async function reapplyAfterRestart(ctx: NemesisContext, partition: Partition, nodes: string[]): Promise<FaultResult> {
  const errors = await applyGrudge(ctx, partition);
  return withErrors({ grudge: partition.grudge, restarted: nodes }, errors);
}

const grudgeSchema = z.record(z.string(), z.array(z.string()));

export const partitionPlanSchema = z.object({
  kind: z.enum(partitionKinds as [PartitionKind, ...PartitionKind[]]),
  grudge: grudgeSchema,
  groups: z.array(z.array(z.string())).optional(),
});

export function partitionFault(kinds: readonly PartitionKind[] = partitionKinds): Fault {
  let current: Partition | undefined;
  const heal = async (ctx: NemesisContext): Promise<FaultResult> => {
    current = undefined;
    return healPartitions(ctx);
  };
  return {
    name: 'partition',
    async start(ctx, plan) {
      let partition: Partition & { fellBack?: boolean };
      if (plan) {
        partition = partitionPlanSchema.parse(plan);
      } else {
        // On 3 nodes or fewer a majorities ring cuts nothing: do not spend a fault window on it.
        const usable = ctx.cluster.nodes.length >= 4 ? kinds : kinds.filter((k) => k !== 'majorities-ring');
        const kind = ctx.rng.pick(usable.length > 0 ? usable : kinds);
        partition = await choosePartition(ctx, kind);
      }
      current = partition;
      const errors = await applyGrudge(ctx, partition);
      const result: FaultResult = { kind: partition.kind, grudge: partition.grudge };
      if (partition.groups) result.groups = partition.groups;
      if (partition.fellBack) result.note = 'leader unknown: isolated a random node';
      result.plan = { kind: partition.kind, grudge: partition.grudge, ...(partition.groups ? { groups: partition.groups } : {}) };
      return withErrors(result, errors);
    },
    stop: heal,
    heal,
    afterRestart: async (ctx, nodes) => (current ? reapplyAfterRestart(ctx, current, nodes) : undefined),
    active: () => (current ? `partition ${current.kind}${current.groups ? ' ' + current.groups.map((g) => g.join(',')).join(' | ') : ''}` : undefined),
  };
}

const partition = { family: 'partition', capability: 'partition', ops: opsOf('partition'), color: '#8c5ac8', healOrder: 20, planSchema: partitionPlanSchema } as const;

export const partitionDescriptions: FaultDescription[] = [
  { ...partition, name: 'partition', summary: 'isolate one, isolate the leader, random halves, majorities ring or bridge', create: () => partitionFault() },
  { ...partition, name: 'partition-leader', summary: 'isolate the leader', create: () => partitionFault(['isolate-leader']) },
];
