/**
 * The shape pause and kill share: hit some nodes (one, the leader, a minority), later undo it on exactly
 * those nodes; heal asks every node's state and undoes whatever is still broken, so it also repairs what
 * an interrupted start/stop left behind.
 *
 * Faults run side by side, so a node may be in another fault's state when this one reaches it (a kill of
 * a paused node, an unpause of a node killed meanwhile): every action first asks the container's state and
 * does what makes sense there, and the op says what it found.
 */
import { z } from 'zod';
import { withTimeout } from '../src/generator/timeout.js';
import type { Cluster } from '../src/runtime/types.js';
import type { Fault, FaultResult, NemesisContext } from './fault.js';
import { forEachNode, leaderOf, withErrors } from './fault.js';
import { chooseNodes, type NodeChoice, nodeChoices } from './node-choice.js';

type ContainerState = 'running' | 'paused' | 'exited' | 'missing';

export interface ProcessFaultSpec {
  name: string;
  /** Faults `node`, which is in `state` (kill unpauses a paused node first: a frozen process cannot die). */
  doFault(cluster: Cluster, node: string, state: ContainerState): Promise<string | void>;
  undoFault(cluster: Cluster, node: string): Promise<void>;
  /** The container state that means "still faulted". */
  faultedState: 'paused' | 'exited';
  /** The states in which the fault can be applied; other states are skipped and named in the op. */
  appliesIn: readonly ContainerState[];
}

export const processPlanSchema = z.object({
  choice: z.enum(['one', 'leader', 'minority', 'all']).optional(),
  nodes: z.array(z.string()).min(1, 'must name at least one node'),
});

export function processFault(spec: ProcessFaultSpec, choices: readonly NodeChoice[] = nodeChoices): Fault {
  let hit: string[] = [];
  const call = <T>(ctx: NemesisContext, what: string, node: string, fn: () => Promise<T>) => withTimeout(fn(), ctx.callTimeoutMs, `${what} ${node}`);
  const stateOf = (ctx: NemesisContext, node: string) => call(ctx, 'state', node, () => ctx.cluster.state(node));
  /**
   * The node runs again: still-active faults put their state back (a restart has a fresh netns; a node
   * that was frozen could not take the rules or clock file another fault sent meanwhile).
   */
  const afterUndo = async (ctx: NemesisContext, nodes: string[], result: FaultResult): Promise<FaultResult> => {
    if (nodes.length === 0 || !ctx.onRestart) return result;
    const reapplied = await ctx.onRestart(nodes);
    return Object.keys(reapplied).length > 0 ? { ...result, reapplied } : result;
  };
  return {
    name: spec.name,
    async start(ctx, plan) {
      let choice: NodeChoice | undefined;
      let nodes: string[];
      let fellBack = false;
      if (plan) {
        ({ choice, nodes } = processPlanSchema.parse(plan));
      } else {
        choice = ctx.rng.pick(choices);
        const leader = choice === 'leader' ? await leaderOf(ctx) : undefined;
        ({ nodes, fellBack } = chooseNodes(choice, ctx.cluster.nodes, ctx.rng, leader));
      }
      const skipped: Record<string, string> = {};
      const notes: Record<string, string> = {};
      const { done, errors } = await forEachNode(nodes, async (node) => {
        const state = await stateOf(ctx, node);
        if (!spec.appliesIn.includes(state)) {
          skipped[node] = state;
          throw new Skip();
        }
        const note = await call(ctx, spec.name, node, () => spec.doFault(ctx.cluster, node, state));
        if (note) notes[node] = note;
      });
      for (const node of Object.keys(skipped)) delete errors[node];
      hit = done;
      const result: FaultResult = { ...(choice ? { choice } : {}), nodes: done, plan: { ...(choice ? { choice } : {}), nodes } };
      if (fellBack) result.note = 'leader unknown: chose a random node';
      if (Object.keys(skipped).length > 0) result.skipped = skipped;
      if (Object.keys(notes).length > 0) result.notes = notes;
      return withErrors(result, errors);
    },
    async stop(ctx) {
      const nodes = hit;
      hit = [];
      const skipped: Record<string, string> = {};
      const { done, errors } = await forEachNode(nodes, async (node) => {
        const state = await stateOf(ctx, node);
        // Another fault got there first (killed a paused node, restarted a killed one): nothing to undo.
        if (state !== spec.faultedState) {
          skipped[node] = state;
          throw new Skip();
        }
        await call(ctx, `undo ${spec.name}`, node, () => spec.undoFault(ctx.cluster, node));
      });
      for (const node of Object.keys(skipped)) delete errors[node];
      const result: FaultResult = { nodes: done, ...(Object.keys(skipped).length > 0 ? { skipped } : {}) };
      return afterUndo(ctx, done, withErrors(result, errors));
    },
    async heal(ctx) {
      const undone: string[] = [];
      hit = [];
      const { errors } = await forEachNode(ctx.cluster.nodes, async (node) => {
        if ((await stateOf(ctx, node)) !== spec.faultedState) return;
        await call(ctx, `undo ${spec.name}`, node, () => spec.undoFault(ctx.cluster, node));
        undone.push(node);
      });
      return afterUndo(ctx, undone.sort(), withErrors({ nodes: undone }, errors));
    },
    active: () => (hit.length > 0 ? `${spec.name} ${hit.join(',')}` : undefined),
  };
}

/** Thrown inside forEachNode for a node deliberately left alone (it is reported under `skipped`). */
class Skip extends Error {
  constructor() {
    super('skipped');
  }
}
