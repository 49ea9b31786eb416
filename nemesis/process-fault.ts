/**
 * The shape pause and kill share: hit some nodes (one, the leader, a minority), later undo it on exactly
 * those nodes; heal asks every node's state and undoes whatever is still broken, so it also repairs what
 * an interrupted start/stop left behind.
 */
import { withTimeout } from '../src/generator/timeout.js';
import type { Cluster } from '../src/runtime/types.js';
import type { Fault, FaultResult, NemesisContext } from './fault.js';
import { forEachNode, leaderOf, withErrors } from './fault.js';
import { chooseNodes, type NodeChoice, nodeChoices } from './node-choice.js';

export interface ProcessFaultSpec {
  name: string;
  doFault(cluster: Cluster, node: string): Promise<void>;
  undoFault(cluster: Cluster, node: string): Promise<void>;
  /** The container state that means "still faulted". */
  faultedState: 'paused' | 'exited';
}

export function processFault(spec: ProcessFaultSpec, choices: readonly NodeChoice[] = nodeChoices): Fault {
  let hit: string[] = [];
  const call = (ctx: NemesisContext, what: string, node: string, fn: () => Promise<void>) =>
    withTimeout(fn(), ctx.callTimeoutMs, `${what} ${node}`);
  return {
    name: spec.name,
    async start(ctx) {
      const choice = ctx.rng.pick(choices);
      const leader = choice === 'leader' ? await leaderOf(ctx) : undefined;
      const { nodes, fellBack } = chooseNodes(choice, ctx.cluster.nodes, ctx.rng, leader);
      hit = nodes;
      const { errors } = await forEachNode(nodes, (node) => call(ctx, spec.name, node, () => spec.doFault(ctx.cluster, node)));
      const result: FaultResult = { choice, nodes };
      if (fellBack) result.note = 'leader unknown: chose a random node';
      return withErrors(result, errors);
    },
    async stop(ctx) {
      const nodes = hit;
      const { done, errors } = await forEachNode(nodes, (node) => call(ctx, `undo ${spec.name}`, node, () => spec.undoFault(ctx.cluster, node)));
      hit = [];
      return withErrors({ nodes: done }, errors);
    },
    async heal(ctx) {
      const undone: string[] = [];
      const { errors } = await forEachNode(ctx.cluster.nodes, async (node) => {
        const state = await withTimeout(ctx.cluster.state(node), ctx.callTimeoutMs, `state ${node}`);
        if (state !== spec.faultedState && !hit.includes(node)) return;
        await call(ctx, `undo ${spec.name}`, node, () => spec.undoFault(ctx.cluster, node));
        undone.push(node);
      });
      hit = [];
      return withErrors({ nodes: undone.sort() }, errors);
    },
    active: () => (hit.length > 0 ? `${spec.name} ${hit.join(',')}` : undefined),
  };
}
