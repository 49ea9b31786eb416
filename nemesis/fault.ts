/**
 * A fault family (partition, pause, kill, clock, loss). Each works only through the Cluster interface.
 * `start` and `stop` resolve with a plain description of what was done (it becomes the value of the
 * nemesis op's `info` completion); `heal` undoes anything this fault may have left behind, whatever state
 * the run is in, and is safe to call at any time, any number of times.
 */
import type { Prng } from '../src/generator/prng.js';
import type { Cluster } from '../src/runtime/types.js';
import type { Target } from '../src/targets/target.js';
import { withTimeout } from '../src/generator/timeout.js';

export interface NemesisContext {
  cluster: Cluster;
  target: Target;
  rng: Prng;
  /** Bound on every single Docker-level call a fault makes. */
  callTimeoutMs: number;
  /**
   * Called by a fault after it (re)started `nodes`' processes: a restarted container has a fresh network
   * namespace, so iptables rules of a fault still active must be put back. The schedule wires this to
   * every fault's `afterRestart`; it resolves with what they re-applied (recorded in the restart's op).
   */
  onRestart?(nodes: string[]): Promise<FaultResult>;
}

export type FaultResult = Record<string, unknown>;

export interface Fault {
  /** Family name as given to --nemesis. */
  name: string;
  start(ctx: NemesisContext): Promise<FaultResult>;
  stop(ctx: NemesisContext): Promise<FaultResult>;
  heal(ctx: NemesisContext): Promise<FaultResult>;
  /** A short description of the fault while it is active (progress line), else undefined. */
  active(): string | undefined;
  /** `nodes` were restarted (fresh netns): re-apply this fault's state there if it is active. */
  afterRestart?(ctx: NemesisContext, nodes: string[]): Promise<FaultResult | undefined>;
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
    return await withTimeout(ctx.target.leader(ctx.cluster), ctx.callTimeoutMs, 'leader lookup');
  } catch {
    return undefined;
  }
}
