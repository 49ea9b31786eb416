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
  /** Undoing starts a fresh process in a fresh network namespace (kill): other faults must re-apply. */
  restarts?: boolean;
}

export function processFault(spec: ProcessFaultSpec, choices: readonly NodeChoice[] = nodeChoices): Fault {
  let hit: string[] = [];
  const call = (ctx: NemesisContext, what: string, node: string, fn: () => Promise<void>) =>
    withTimeout(fn(), ctx.callTimeoutMs, `${what} ${node}`);
  /** After a restart, lets still-active faults (a partition) put their rules back; notes what they did. */
  const afterUndo = async (ctx: NemesisContext, nodes: string[], result: FaultResult): Promise<FaultResult> => {
    if (!spec.restarts || nodes.length === 0 || !ctx.onRestart) return result;
    const reapplied = await ctx.onRestart(nodes);
    return Object.keys(reapplied).length > 0 ? { ...result, reapplied } : result;
  };
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
      return afterUndo(ctx, done, withErrors({ nodes: done }, errors));
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
      return afterUndo(ctx, undone.sort(), withErrors({ nodes: undone }, errors));
    },
    active: () => (hit.length > 0 ? `${spec.name} ${hit.join(',')}` : undefined),
  };
}
