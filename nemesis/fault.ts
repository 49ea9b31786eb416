/**
 * A fault family (partition, pause, kill, clock, loss, disk). Each works only through the Cluster interface.
 * `start` and `stop` resolve with a plain description of what was done (it becomes the value of the
 * nemesis op's `info` completion); `heal` undoes anything this fault may have left behind, whatever state
 * the run is in, and is safe to call at any time, any number of times.
 *
 * A start is split into what is decided and what is done: every decision (nodes, groups, offsets, which
 * file and which bytes) goes into the result's `plan`, and `start(ctx, plan)` given that plan does exactly
 * the same again without drawing anything. That is what makes a recorded schedule replay on a new cluster.
 */
import type { FaultContext, FaultDescription as CoreFaultDescription, FaultOptions } from '../src/core/fault.js';
import { withTimeout } from '../src/generator/timeout.js';

export type { Fault, FaultCapability, FaultPlan, FaultResult } from '../src/core/fault.js';
import type { FaultPlan, FaultResult } from '../src/core/fault.js';

/** What a fault gets: the cluster, the target, its PRNG stream, call timeouts and the restart hook. */
export type NemesisContext = FaultContext;

/** The options of every built-in fault: the core's, plus the disk faults' own. */
export interface NemesisOptions extends FaultOptions {
  /** Disk faults: only files matching this glob; truncate to bytes or a fraction; bits to flip. */
  diskFile?: string;
  diskTruncate?: string;
  diskFlips?: number;
}

/** A built-in fault's description: its factory takes the built-in options. */
export interface FaultDescription extends Omit<CoreFaultDescription, 'create'> {
  create(options: NemesisOptions): import('../src/core/fault.js').Fault;
}

/** Runs `fn` for every node in parallel and collects per-node errors instead of failing on the first. */
export async function forEachNode(
  nodes: readonly string[],
  fn: (node: string) => Promise<void>,
): Promise<{ done: string[]; errors: Record<string, string> }> {
  const done: string[] = [];
  const errors: Record<string, string> = {};
  await Promise.all(
    nodes.map(async (node) => {
      try {
        await fn(node);
        done.push(node);
      } catch (err) {
        errors[node] = err instanceof Error ? err.message : String(err);
      }
    }),
  );
  done.sort();
  return { done, errors };
}

/** Adds `errors` to a result only when there were some, to keep history lines short. */
export function withErrors(result: FaultResult, errors: Record<string, string>): FaultResult {
  return Object.keys(errors).length > 0 ? { ...result, errors } : result;
}

/** The target's current leader, or undefined when it cannot say in time. */
export async function leaderOf(ctx: NemesisContext): Promise<string | undefined> {
  try {
    if (!ctx.target.leader) return undefined;
    return await withTimeout(ctx.target.leader(ctx.cluster), ctx.callTimeoutMs, 'leader lookup');
  } catch {
    return undefined;
  }
}

/** The op names of a family named `family`: start-x, stop-x, heal-x. */
export const opsOf = (family: string) => ({ start: `start-${family}`, stop: `stop-${family}`, heal: `heal-${family}` });

/** Splits a fault's result into what goes in the history and the plan that redoes it. */
export function splitPlan(result: FaultResult): { value: FaultResult; plan: FaultPlan | undefined } {
  const { plan, ...value } = result;
  return { value, plan: plan && typeof plan === 'object' ? (plan as FaultPlan) : undefined };
}
