/**
 * The fault behind elections won by a stale log (§5.4.1, raftkv's vote-without-log-check knob): first cut
 * one follower off so it falls behind while the majority keeps committing, then switch to a star centred
 * on that lagging node, with the current leader cut off from everyone. Under the star only the centre can
 * gather a majority, so the only possible leader is the node whose log misses committed entries. A correct
 * Raft refuses it its votes (the cluster is unavailable until the star heals); a Raft that skips the log
 * check elects it, and its log then overwrites what the others had committed. Stop and heal flush the partition chain on every node.
 */
import { sleep } from '../src/generator/sleep.js';
import { z } from 'zod';
import type { Fault, FaultDescription, FaultResult, NemesisContext } from './fault.js';
import { leaderOf, opsOf, withErrors } from './fault.js';
import { applyGrudge, healPartitions, reapplyAfterRestart } from './partition.js';
import { isolate, type Partition, star } from './topology.js';

export interface LaggingStarOptions {
  /** How long the chosen node stays cut off (and falls behind) before the star goes up. */
  lagMs: number;
}

export function laggingStarFault(options: LaggingStarOptions = { lagMs: 2_000 }): Fault {
  let current: { node: string; partition: Partition } | undefined;
  /** Bumped by every heal: a start that sees it change stops, and clears what it installed meanwhile. */
  let heals = 0;
  const heal = async (ctx: NemesisContext): Promise<FaultResult> => {
    heals++;
    current = undefined;
    return healPartitions(ctx);
  };
  return {
    name: 'lagging-star',
    async start(ctx, plan) {
      const startedAt = heals;
      const nodes = ctx.cluster.nodes;
      const given = plan ? laggingStarPlanSchema.parse(plan) : undefined;
      const leader = given ? undefined : await leaderOf(ctx);
      // The leader has every committed entry: lagging is only possible for someone else.
      const followers = nodes.filter((n) => n !== leader);
      const node = given ? given.node : ctx.rng.pick(followers.length > 0 ? followers : nodes);
      const install = async (partition: Partition): Promise<Record<string, string> | undefined> => {
        current = { node, partition };
        const errors = await applyGrudge(ctx, partition);
        if (heals === startedAt) return errors;
        // A heal ran while the rules went in: they may have landed after its flush.
        current = undefined;
        await healPartitions(ctx);
        return undefined;
      };
      const errors = await install(isolate(nodes, node));
      if (!errors) return { lagging: node, note: 'healed while the node was being isolated', plan: { node, cutOff: given?.cutOff ?? [] } };
      await sleep(options.lagMs);
      if (heals !== startedAt) return withErrors({ lagging: node, note: 'healed while the node was isolated', plan: { node, cutOff: given?.cutOff ?? [] } }, errors);
      // The leader stays cut off: connected to the centre, it would bring it up to date before it stepped
      // down (seen in a 10 s CI run: the centre won, but with a complete log). Asked again, as it may have changed.
      const leaderNow = given ? undefined : ((await leaderOf(ctx)) ?? leader);
      const cutOff = given ? given.cutOff : leaderNow && leaderNow !== node && nodes.includes(leaderNow) ? [leaderNow] : [];
      const partition = star(nodes, node, cutOff);
      const starErrors = await install(partition);
      if (!starErrors) return withErrors({ lagging: node, note: 'healed while the star was going up', plan: { node, cutOff } }, errors);
      return withErrors({ lagging: node, leaderBefore: leader ?? null, cutOff, isolatedMs: options.lagMs, grudge: partition.grudge, plan: { node, cutOff } }, { ...errors, ...starErrors });
    },
    stop: heal,
    heal,
    afterRestart: async (ctx, nodes) => (current ? reapplyAfterRestart(ctx, current.partition, nodes) : undefined),
    active: () => (current ? `${current.partition.kind === 'bridge' ? 'star centred on' : 'isolating'} lagging ${current.node}` : undefined),
  };
}

export const laggingStarPlanSchema = z.object({ node: z.string(), cutOff: z.array(z.string()) });

export const laggingStarDescription: FaultDescription = {
  name: 'lagging-star',
  summary: 'cut a follower off until it lags, then a star centred on it with the old leader cut off',
  family: 'lagging-star',
  capability: 'partition',
  ops: opsOf('lagging-star'),
  color: '#6450a0',
  healOrder: 20,
  planSchema: laggingStarPlanSchema,
  create: () => laggingStarFault(),
};
