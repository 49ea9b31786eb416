/**
 * The fault families `--nemesis` accepts: one list of self-descriptions (each fault's own file declares
 * its name, factory, capability, op names, colour and heal order). The registry, `run --help`, the
 * capability check, the schedule's op names and the report's fault bands are all read from it.
 */
import { UsageError } from '../src/core/errors.js';
import { clockDescription } from './clock.js';
import { clockIsolateDescription } from './clock-isolate.js';
import { diskDescriptions } from './disk.js';
import type { Fault, FaultDescription, NemesisOptions } from './fault.js';
import { figure8Description } from './figure8.js';
import { killDescriptions } from './kill.js';
import { laggingStarDescription } from './lagging-star.js';
import { lossDescription } from './loss.js';
import { partitionDescriptions } from './partition.js';
import { pauseDescription } from './pause.js';

export type { Fault, FaultDescription, FaultPlan, NemesisContext, NemesisOptions } from './fault.js';
export { NemesisSchedule } from './schedule.js';

/**
 * The five families first, then disk faults, then the focused variants the detection bench aims where a
 * given bug shows (kill-all, kill-leader and partition-leader keep their family's op names).
 */
export const FAULTS: readonly FaultDescription[] = [
  partitionDescriptions[0],
  pauseDescription,
  killDescriptions[0],
  clockDescription,
  lossDescription,
  ...diskDescriptions,
  killDescriptions[1],
  killDescriptions[2],
  partitionDescriptions[1],
  clockIsolateDescription,
  laggingStarDescription,
  figure8Description,
];

export const nemesisNames = FAULTS.map((f) => f.name) as [string, ...string[]];
export type NemesisName = string;

export function describeFault(name: string): FaultDescription {
  const found = FAULTS.find((f) => f.name === name);
  if (!found) throw new UsageError(`unknown nemesis "${name}"`, `use a comma-separated list of: ${nemesisNames.join(', ')} (or none)`);
  return found;
}

export function createFault(name: string, options: NemesisOptions): Fault {
  return describeFault(name).create(options);
}

/** Which of the chosen faults the target cannot feel (reported as "not affected"). */
export function unaffectedFaults(names: readonly string[], capabilities: Record<string, boolean | undefined>): string[] {
  return names.filter((n) => capabilities[describeFault(n).capability] === false);
}

/** The `--nemesis` help text: every fault with its one-line summary. */
export function nemesisHelp(): string {
  return FAULTS.map((f) => `${f.name} (${f.summary})`).join('; ');
}

/** Every op name any fault emits, with the description that emits it (the report's fault bands). */
export function faultOfOp(f: string): { description: FaultDescription; phase: 'start' | 'stop' | 'heal' } | undefined {
  for (const description of FAULTS) {
    for (const phase of ['start', 'stop', 'heal'] as const) if (description.ops[phase] === f) return { description, phase };
  }
  return undefined;
}
