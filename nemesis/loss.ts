/**
 * Packet loss (there is no sch_netem here): chosen nodes drop packets from their peers at random with
 * probability p, via `iptables -m statistic --mode random --probability p` in their own chain.
 */
import type { Fault, FaultResult, NemesisContext } from './fault.js';
import { forEachNode, withErrors } from './fault.js';
import { appendRule, ensureChain, flushChain, LOSS_CHAIN, peerAddresses } from './iptables.js';
import { chooseNodes, type NodeChoice } from './node-choice.js';

export function lossFault(probability = 0.2, choices: readonly NodeChoice[] = ['one', 'minority']): Fault {
  let current: string[] | undefined;
  const heal = async (ctx: NemesisContext): Promise<FaultResult> => {
    const { done, errors } = await forEachNode(ctx.cluster.nodes, (node) => flushChain(ctx, node, LOSS_CHAIN));
    current = undefined;
    return withErrors({ healed: done }, errors);
  };
  return {
    name: 'loss',
    async start(ctx) {
      const choice = ctx.rng.pick(choices);
      const { nodes } = chooseNodes(choice, ctx.cluster.nodes, ctx.rng);
      current = nodes;
      const { errors } = await forEachNode(nodes, async (node) => {
        await ensureChain(ctx, node, LOSS_CHAIN);
        const peers = ctx.cluster.nodes.filter((n) => n !== node);
        const addresses = await peerAddresses(ctx, node, peers);
        for (const peer of peers) {
          await appendRule(ctx, node, LOSS_CHAIN, ['-s', addresses[peer], '-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP']);
        }
      });
      return withErrors({ choice, nodes, probability }, errors);
    },
    stop: heal,
    heal,
    active: () => (current ? `loss ${current.join(',')}` : undefined),
  };
}
