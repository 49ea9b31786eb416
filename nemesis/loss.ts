/**
 * Packet loss (there is no sch_netem here): chosen nodes drop packets from their peers at random with
 * probability p, via `iptables -m statistic --mode random --probability p` in their own chain.
 */
import { z } from 'zod';
import type { Fault, FaultDescription, FaultResult, NemesisContext } from './fault.js';
import { opsOf, withErrors } from './fault.js';
import { flushChainEverywhere, LOSS_CHAIN, nodeAddresses, rulesFromGrudge, setChainOnNodes } from './iptables.js';
import { chooseNodes, type NodeChoice } from './node-choice.js';

export function lossFault(probability = 0.2, choices: readonly NodeChoice[] = ['one', 'minority']): Fault {
  let current: string[] | undefined;
  const dropSome = (address: string) => ['-s', address, '-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP'];
  const apply = async (ctx: NemesisContext, nodes: string[]): Promise<Record<string, string>> => {
    const { addresses, missing } = await nodeAddresses(ctx, ctx.cluster.nodes);
    const lossy = Object.fromEntries(nodes.map((node) => [node, ctx.cluster.nodes.filter((n) => n !== node)]));
    const { errors } = await setChainOnNodes(ctx, LOSS_CHAIN, rulesFromGrudge(lossy, addresses, dropSome));
    for (const [node, why] of Object.entries(missing)) errors[node] ??= `no address: ${why}`;
    return errors;
  };
  const heal = async (ctx: NemesisContext): Promise<FaultResult> => {
    const { done, errors } = await flushChainEverywhere(ctx, LOSS_CHAIN);
    current = undefined;
    return withErrors({ healed: done }, errors);
  };
  return {
    name: 'loss',
    async start(ctx, plan) {
      let choice: NodeChoice | undefined;
      let nodes: string[];
      if (plan) ({ choice, nodes } = lossPlanSchema.parse(plan));
      else {
        choice = ctx.rng.pick(choices);
        ({ nodes } = chooseNodes(choice, ctx.cluster.nodes, ctx.rng));
      }
      current = nodes;
      return withErrors({ choice, nodes, probability, plan: { ...(choice ? { choice } : {}), nodes } }, await apply(ctx, nodes));
    },
    stop: heal,
    heal,
    async afterRestart(ctx, restarted) {
      if (!current) return undefined;
      return withErrors({ nodes: current, restarted }, await apply(ctx, current));
    },
    active: () => (current ? `loss ${current.join(',')}` : undefined),
  };
}

export const lossPlanSchema = z.object({
  choice: z.enum(['one', 'leader', 'minority', 'all']).optional(),
  nodes: z.array(z.string()).min(1, 'must name at least one node'),
});

export const lossDescription: FaultDescription = {
  name: 'loss',
  summary: 'random packet drops (iptables statistic) on one node or a minority',
  family: 'loss',
  capability: 'partition',
  ops: opsOf('loss'),
  color: '#5a8c3c',
  healOrder: 20,
  planSchema: lossPlanSchema,
  create: (options) => lossFault(options.lossProbability),
};
