/**
 * A fault family (partition, pause, kill, clock, loss, disk, ...). Each works only through the Cluster
 * interface. `start` and `stop` resolve with a plain description of what was done (it becomes the value
 * of the nemesis op's `info` completion); `heal` undoes anything this fault may have left behind, whatever
 * state the run is in, and is safe to call at any time, any number of times.
 *
 * A start is split into what is decided and what is done: every decision goes into the result's `plan`,
 * and `start(ctx, plan)` given that plan does exactly the same again without drawing anything.
 */
import type { z } from 'zod';
import type { Cluster } from './cluster.js';
import { assertShape } from './describe.js';
import type { Target } from './target.js';
import type { Random } from './workload.js';

export type FaultResult = Record<string, unknown>;
/** Every decision a start made, as JSON data: replaying it redoes the same fault. */
export type FaultPlan = Record<string, unknown>;

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
  /** Without `plan` it decides (seeded PRNG, the current leader); with one it does exactly that. */
  start(ctx: FaultContext, plan?: FaultPlan): Promise<FaultResult>;
  stop(ctx: FaultContext): Promise<FaultResult>;
  heal(ctx: FaultContext): Promise<FaultResult>;
  /** A short description of the fault while it is active (progress line), else undefined. */
  active(): string | undefined;
  /** `nodes` were restarted (fresh network namespace): re-apply this fault's state there if it is active. */
  afterRestart?(ctx: FaultContext, nodes: string[]): Promise<FaultResult | undefined>;
}

/** Which target capability a fault needs; a target without it records the fault as "not affected". */
export type FaultCapability = 'partition' | 'pause' | 'kill' | 'clock' | 'disk';

export interface FaultOptions {
  lossProbability: number;
  clockMaxOffsetSeconds: number;
}

/**
 * A fault as it describes itself: the registry, `run --help`, the capability check, the schedule's op
 * names and the report's fault bands are all built from these, never from a second list.
 */
export interface FaultDescription {
  /** The name `--nemesis` takes. */
  name: string;
  /** One line for `run --help`. */
  summary: string;
  /** The report row it draws in (kill-all and kill-leader draw as kill). */
  family: string;
  capability: FaultCapability;
  /** The history op names (f) it emits. */
  ops: { start: string; stop: string; heal: string };
  /** Colour of its band in the report, as #rrggbb. */
  color: string;
  /** Lower heals first at the end of a run. */
  healOrder: number;
  /** Validates a plan read from a schedule file (replay); errors name the field. */
  planSchema: z.ZodType<FaultPlan>;
  create(options: FaultOptions): Fault;
}

/** Checks a fault description; a UsageError lists what is wrong. */
export function defineFault<D extends FaultDescription>(description: D): D {
  return assertShape('fault', description, {
    name: 'string',
    summary: 'string',
    family: 'string',
    capability: 'string',
    ops: 'object',
    color: 'string',
    create: 'function',
    planSchema: 'object',
  });
}
