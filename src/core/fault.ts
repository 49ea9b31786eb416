/**
 * A fault family (partition, pause, kill, clock, loss, ...). Each works only through the Cluster
 * interface. `start` and `stop` resolve with a plain description of what was done (it becomes the value
 * of the nemesis op's `info` completion); `heal` undoes anything this fault may have left behind, whatever
 * state the run is in, and is safe to call at any time, any number of times.
 */
import type { Cluster } from './cluster.js';
import { assertShape } from './describe.js';
import type { Target } from './target.js';
import type { Random } from './workload.js';

export type FaultResult = Record<string, unknown>;

export interface FaultContext {
  cluster: Cluster;
  target: Target;
  rng: Random;
  /** Bound on every single Docker-level call a fault makes. */
  callTimeoutMs: number;
  /** Called by a fault after it (re)started `nodes`' processes, so other active faults re-apply their state. */
  onRestart?(nodes: string[]): Promise<FaultResult>;
}

export interface Fault {
  /** Family name as given to --nemesis. */
  name: string;
  start(ctx: FaultContext): Promise<FaultResult>;
  stop(ctx: FaultContext): Promise<FaultResult>;
  heal(ctx: FaultContext): Promise<FaultResult>;
  /** A short description of the fault while it is active (progress line), else undefined. */
  active(): string | undefined;
  /** `nodes` were restarted (fresh network namespace): re-apply this fault's state there if it is active. */
  afterRestart?(ctx: FaultContext, nodes: string[]): Promise<FaultResult | undefined>;
}

/** Checks a fault; a UsageError lists what is wrong. */
export function defineFault<F extends Fault>(fault: F): F {
  return assertShape('fault', fault, {
    name: 'string',
    start: 'function',
    stop: 'function',
    heal: 'function',
    active: 'function',
    afterRestart: 'function?',
  });
}
