/** The fault families `--nemesis` accepts, and how to build them. */
import { UsageError } from '../src/cli/errors.js';
import { clockFault } from './clock.js';
import { clockIsolateFault } from './clock-isolate.js';
import { figure8Fault } from './figure8.js';
import type { Fault } from './fault.js';
import { killFault } from './kill.js';
import { laggingStarFault } from './lagging-star.js';
import { lossFault } from './loss.js';
import { partitionFault } from './partition.js';
import { pauseFault } from './pause.js';

export type { Fault, NemesisContext } from './fault.js';
export { NemesisSchedule } from './schedule.js';

/**
 * After the five families come focused variants for the detection bench (bench/detection), aimed where a
 * given bug shows: kill-all, kill-leader, partition-leader and clock-isolate keep their family's name in
 * history ops (e.g. start-kill with choice "all"); lagging-star and figure8 are scripted partition
 * sequences (see their files) recorded under their own names.
 */
export const nemesisNames = ['partition', 'pause', 'kill', 'clock', 'loss', 'kill-all', 'kill-leader', 'partition-leader', 'clock-isolate', 'lagging-star', 'figure8'] as const;
export type NemesisName = (typeof nemesisNames)[number];

export interface NemesisOptions {
  lossProbability: number;
  clockMaxOffsetSeconds: number;
}

export function createFault(name: string, options: NemesisOptions): Fault {
  switch (name) {
    case 'partition':
      return partitionFault();
    case 'pause':
      return pauseFault();
    case 'kill':
      return killFault();
    case 'clock':
      return clockFault({ maxOffsetSeconds: options.clockMaxOffsetSeconds, strobePeriodMs: 500 });
    case 'loss':
      return lossFault(options.lossProbability);
    case 'kill-all':
      return killFault(['all']);
    case 'kill-leader':
      return killFault(['leader']);
    case 'partition-leader':
      return partitionFault(['isolate-leader']);
    case 'clock-isolate':
      return clockIsolateFault({ maxOffsetSeconds: options.clockMaxOffsetSeconds });
    case 'lagging-star':
      return laggingStarFault();
    case 'figure8':
      return figure8Fault();
    default:
      throw new UsageError(`unknown nemesis "${name}"`, `use a comma-separated list of: ${nemesisNames.join(', ')} (or none)`);
  }
}

/** The target capability each fault needs, where it is not the fault's own name. */
const CAPABILITY_OF: Partial<Record<NemesisName, string>> = {
  loss: 'partition',
  'partition-leader': 'partition',
  'lagging-star': 'partition',
  figure8: 'partition',
  'kill-all': 'kill',
  'kill-leader': 'kill',
  'clock-isolate': 'clock',
};

/** Which of the chosen faults the target cannot feel (reported as "not affected"). */
export function unaffectedFaults(names: readonly string[], capabilities: Record<string, boolean>): string[] {
  return names.filter((n) => capabilities[CAPABILITY_OF[n as NemesisName] ?? n] === false);
}
