/**
 * Clock faults through libfaketime: the node image preloads it with FAKETIME_TIMESTAMP_FILE pointing at
 * /faultline/faketime, and we rewrite that file ("+5s", "-12s", "+0s"). Faults: bump (one offset on some
 * nodes), strobe (flip between an offset and none every `periodMs` for the duration of the fault), reset.
 * Targets whose binaries bypass libc time (Go, e.g. etcd) cannot be skewed this way: the op is recorded
 * with notAffected and nothing is touched, rather than pretending the clock moved.
 */
import { withTimeout } from '../src/generator/timeout.js';
import { z } from 'zod';
import type { Fault, FaultDescription, FaultResult, NemesisContext } from './fault.js';
import { forEachNode, opsOf, withErrors } from './fault.js';
import { chooseNodes, type NodeChoice } from './node-choice.js';

export const FAKETIME_FILE = '/faultline/faketime';

/** libfaketime offset syntax for whole seconds: "+5s", "-12s". */
export function offsetText(seconds: number): string {
  return `${seconds >= 0 ? '+' : '-'}${Math.abs(seconds)}s`;
}

export interface ClockOptions {
  /** Largest |offset| in seconds for a bump or strobe. */
  maxOffsetSeconds: number;
  strobePeriodMs: number;
}

export function clockFault(options: ClockOptions = { maxOffsetSeconds: 30, strobePeriodMs: 500 }, choices: readonly NodeChoice[] = ['one', 'minority']): Fault {
  let skewed: string[] = [];
  let strobe: { stop: () => Promise<void> } | undefined;
  let description: string | undefined;
  /** The offset a bump left on `skewed` (a strobe rewrites its own nodes every period). */
  let bumped: string | undefined;

  const write = (ctx: NemesisContext, node: string, text: string) =>
    withTimeout(ctx.cluster.writeFile(node, FAKETIME_FILE, text + '\n'), ctx.callTimeoutMs, `faketime ${node}`);

  const notAffected = (ctx: NemesisContext): FaultResult | undefined =>
    ctx.target.capabilities.clock
      ? undefined
      : { notAffected: true, reason: `target ${ctx.target.name} bypasses libc time (capabilities.clock = false); clock unchanged` };

  const reset = async (ctx: NemesisContext): Promise<FaultResult> => {
    await strobe?.stop();
    strobe = undefined;
    description = undefined;
    const skip = notAffected(ctx);
    if (skip) return skip;
    // Reset every node, not only the ones we know we touched: an interrupted run may have left others.
    const { done, errors } = await forEachNode(ctx.cluster.nodes, (node) => write(ctx, node, '+0s'));
    skewed = [];
    bumped = undefined;
    return withErrors({ reset: done }, errors);
  };

  return {
    name: 'clock',
    async start(ctx, plan) {
      let mode: 'bump' | 'strobe';
      let choice: NodeChoice | undefined;
      let nodes: string[];
      let seconds: number;
      if (plan) {
        ({ mode, choice, nodes, seconds } = clockPlanSchema.parse(plan));
      } else {
        mode = ctx.rng.pick(['bump', 'strobe'] as const);
        choice = ctx.rng.pick(choices);
        ({ nodes } = chooseNodes(choice, ctx.cluster.nodes, ctx.rng));
        const magnitude = ctx.rng.between(1, Math.max(1, options.maxOffsetSeconds));
        seconds = ctx.rng.int(2) === 0 ? magnitude : -magnitude;
      }
      const decided = { plan: { mode, ...(choice ? { choice } : {}), nodes, seconds } };
      const skip = notAffected(ctx);
      if (skip) return { mode, nodes, offset: offsetText(seconds), ...skip, ...decided };
      skewed = nodes;
      if (mode === 'bump') {
        const { errors } = await forEachNode(nodes, (node) => write(ctx, node, offsetText(seconds)));
        description = `clock ${offsetText(seconds)} on ${nodes.join(',')}`;
        bumped = offsetText(seconds);
        return withErrors({ mode, choice, nodes, offset: offsetText(seconds), ...decided }, errors);
      }
      strobe = startStrobe(ctx, nodes, offsetText(seconds), options.strobePeriodMs, write);
      description = `clock strobe ±${offsetText(seconds)} on ${nodes.join(',')}`;
      return { mode, choice, nodes, offset: offsetText(seconds), periodMs: options.strobePeriodMs, ...decided };
    },
    stop: reset,
    heal: reset,
    // A node that was paused or down when the bump went out could not take the file: it gets it now.
    async afterRestart(ctx, nodes) {
      const again = bumped ? nodes.filter((n) => skewed.includes(n)) : [];
      if (again.length === 0 || notAffected(ctx)) return undefined;
      const { done, errors } = await forEachNode(again, (node) => write(ctx, node, bumped!));
      return withErrors({ offset: bumped, nodes: done }, errors);
    },
    active: () => description,
  };
}

export const clockPlanSchema = z.object({
  mode: z.enum(['bump', 'strobe']),
  choice: z.enum(['one', 'leader', 'minority', 'all']).optional(),
  nodes: z.array(z.string()).min(1, 'must name at least one node'),
  seconds: z.number().int('must be whole seconds'),
});

export const clockDescription: FaultDescription = {
  name: 'clock',
  summary: 'libfaketime: bump or strobe the wall clock of one node or a minority',
  family: 'clock',
  capability: 'clock',
  ops: opsOf('clock'),
  color: '#c89628',
  healOrder: 30,
  planSchema: clockPlanSchema,
  create: (options) => clockFault({ maxOffsetSeconds: options.clockMaxOffsetSeconds, strobePeriodMs: 500 }),
};

/** Flips `nodes` between `offset` and +0s every `periodMs` until stopped; ends with the clock reset. */
function startStrobe(
  ctx: NemesisContext,
  nodes: string[],
  offset: string,
  periodMs: number,
  write: (ctx: NemesisContext, node: string, text: string) => Promise<void>,
): { stop: () => Promise<void> } {
  let running = true;
  let on = false;
  const loop = (async () => {
    while (running) {
      on = !on;
      await forEachNode(nodes, (node) => write(ctx, node, on ? offset : '+0s'));
      await new Promise((r) => setTimeout(r, periodMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
