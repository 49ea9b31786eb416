/**
 * Clock skew on a deposed leader, the fault behind lease-read anomalies (dissertation §6.4.1): isolate the
 * leader, then at once set its wall clock back by a few seconds. A leader that measures its lease with the
 * wall clock keeps believing it holds the lease (and keeps serving reads) while the majority has elected a
 * new leader. The order matters: skewing first would let the next heartbeat ack re-base the lease on the
 * skewed clock; isolating first freezes the lease at its last ack. Stop/heal reset the clock, then heal
 * the partition. Targets that bypass libc time (etcd) only get the partition, and the op says so.
 */
import { z } from 'zod';
import type { Fault, FaultDescription, FaultResult, NemesisContext } from './fault.js';
import { forEachNode, leaderOf, opsOf, withErrors } from './fault.js';
import { FAKETIME_FILE, offsetText } from './clock.js';
import { flushChainEverywhere, PARTITION_CHAIN } from './iptables.js';
import { applyGrudge, reapplyAfterRestart } from './partition.js';
import { isolate, type Partition } from './topology.js';
import { withTimeout } from '../src/generator/timeout.js';

/** Smallest setback: long enough for the majority to elect a new leader and accept writes meanwhile. */
const MIN_SETBACK_SECONDS = 3;

export function clockIsolateFault(options: { maxOffsetSeconds: number }): Fault {
  let current: { partition: Partition; node: string; offset: string } | undefined;

  const write = (ctx: NemesisContext, node: string, text: string) =>
    withTimeout(ctx.cluster.writeFile(node, FAKETIME_FILE, text + '\n'), ctx.callTimeoutMs, `faketime ${node}`);

  const heal = async (ctx: NemesisContext): Promise<FaultResult> => {
    const result: FaultResult = {};
    const errors: Record<string, string> = {};
    if (ctx.target.capabilities.clock) {
      // Every node, not only the one we skewed: an interrupted run may have left others.
      const reset = await forEachNode(ctx.cluster.nodes, (node) => write(ctx, node, '+0s'));
      result.clockReset = reset.done;
      Object.assign(errors, reset.errors);
    }
    const flushed = await flushChainEverywhere(ctx, PARTITION_CHAIN);
    result.healed = flushed.done;
    for (const [node, why] of Object.entries(flushed.errors)) errors[node] = errors[node] ? `${errors[node]}; ${why}` : why;
    current = undefined;
    return withErrors(result, errors);
  };

  return {
    name: 'clock-isolate',
    async start(ctx, plan) {
      let node: string;
      let seconds: number;
      let fellBack = false;
      if (plan) ({ node, seconds } = clockIsolatePlanSchema.parse(plan));
      else {
        const leader = await leaderOf(ctx);
        fellBack = !leader || !ctx.cluster.nodes.includes(leader);
        node = fellBack ? ctx.rng.pick(ctx.cluster.nodes) : leader!;
        const max = Math.max(MIN_SETBACK_SECONDS, options.maxOffsetSeconds);
        seconds = -ctx.rng.between(MIN_SETBACK_SECONDS, max);
      }
      const offset = offsetText(seconds);
      const partition = isolate(ctx.cluster.nodes, node);
      current = { partition, node, offset };
      const errors = await applyGrudge(ctx, partition);
      const result: FaultResult = { node, offset, groups: partition.groups, plan: { node, seconds } };
      if (fellBack) result.note = 'leader unknown: isolated and skewed a random node';
      if (!ctx.target.capabilities.clock) {
        return withErrors({ ...result, clockNotAffected: `target ${ctx.target.name} bypasses libc time; only the partition was applied` }, errors);
      }
      try {
        await write(ctx, node, offset);
      } catch (err) {
        errors[node] = `${errors[node] ? errors[node] + '; ' : ''}${err instanceof Error ? err.message : String(err)}`;
      }
      return withErrors(result, errors);
    },
    stop: heal,
    heal,
    afterRestart: async (ctx, nodes) => (current ? reapplyAfterRestart(ctx, current.partition, nodes) : undefined),
    active: () => (current ? `clock ${current.offset} on isolated ${current.node}` : undefined),
  };
}

export const clockIsolatePlanSchema = z.object({ node: z.string(), seconds: z.number().int('must be whole seconds') });

export const clockIsolateDescription: FaultDescription = {
  name: 'clock-isolate',
  summary: 'isolate the leader, then set its clock back (lease reads)',
  family: 'clock-isolate',
  capability: 'clock',
  ops: opsOf('clock-isolate'),
  color: '#b4781e',
  healOrder: 30,
  planSchema: clockIsolatePlanSchema,
  create: (options) => clockIsolateFault({ maxOffsetSeconds: options.clockMaxOffsetSeconds }),
};
