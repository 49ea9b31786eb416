/**
 * A run's applied fault schedule as a file (schedule.json in the run directory), and reading one back for
 * `faultline run --faults-from <run-dir | file>`: a hand-written file is validated like a config, each
 * mistake a UsageError naming the entry and the field.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../src/core/errors.js';
import { FAULTS, nemesisNames } from './index.js';
import { nemesisModes, type NemesisMode, type ScheduleEntry } from './schedule.js';

export const SCHEDULE_FILE = 'schedule.json';
export const SCHEDULE_FORMAT = 'faultline-schedule/1';

export interface ScheduleFile {
  format: typeof SCHEDULE_FORMAT;
  mode: NemesisMode | 'replay';
  /** The nodes the plans name. */
  nodes: string[];
  entries: ScheduleEntry[];
}

const entrySchema = z
  .object({
    atMs: z.number({ error: 'must be a number (ms from the first op)' }).nonnegative('must not be negative'),
    lane: z.string().min(1, 'must not be empty').optional(),
    fault: z.enum(nemesisNames, { error: `must be one of: ${nemesisNames.join(', ')}` }),
    op: z.enum(['start', 'stop', 'heal'], { error: 'must be start, stop or heal' }),
    plan: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (entry.op !== 'start') return;
    if (!entry.plan) {
      ctx.addIssue({ code: 'custom', path: ['plan'], message: 'a start needs its plan (what to do: nodes, groups...)' });
      return;
    }
    const description = FAULTS.find((f) => f.name === entry.fault)!;
    const parsed = description.planSchema.safeParse(entry.plan);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ['plan', ...issue.path] } as never);
  });

const fileSchema = z
  .object({
    format: z.literal(SCHEDULE_FORMAT, { error: `must be "${SCHEDULE_FORMAT}"` }),
    mode: z.enum([...nemesisModes, 'replay']).optional(),
    nodes: z.array(z.string()).optional(),
    entries: z.array(entrySchema),
  })
  .strict();

/** The file a run writes: every applied op, plans included. */
export function scheduleFile(mode: ScheduleFile['mode'], nodes: string[], entries: readonly ScheduleEntry[]): ScheduleFile {
  return { format: SCHEDULE_FORMAT, mode, nodes, entries: entries.map((e) => ({ ...e })) };
}

/** "entries[3].plan.nodes" from a zod path. */
function where(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '');
}

/** Validates a parsed schedule; throws a UsageError naming `source`, the entry and the field. */
export function parseSchedule(raw: unknown, source: string): ScheduleFile {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = where(issue.path);
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
    throw new UsageError(`schedule ${source}: ${at ? `${at}: ` : ''}${message}${more}`, 'see the schedule.json of a finished run for the format');
  }
  const data = parsed.data;
  const entries: ScheduleEntry[] = data.entries.map((e) => ({ ...e, lane: e.lane ?? e.fault }));
  return { format: SCHEDULE_FORMAT, mode: data.mode ?? 'replay', nodes: data.nodes ?? [], entries };
}

/** Reads a schedule from a run directory (its schedule.json) or a file. */
export function readSchedule(path: string): ScheduleFile {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, SCHEDULE_FILE) : path;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UsageError(`cannot read schedule ${file}: ${code}`, 'give --faults-from a finished run directory (with schedule.json) or a schedule file');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`schedule ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseSchedule(raw, file);
}

/**
 * Checks that every node a schedule's plans name exists in a cluster of `nodes`: a schedule recorded on 5
 * nodes cannot replay on 3. Node names are found wherever a plan holds them (nodes, groups, grudges).
 */
export function checkScheduleNodes(schedule: ScheduleFile, nodes: readonly string[], source: string): void {
  const known = new Set(nodes);
  schedule.entries.forEach((entry, i) => {
    const named = new Set<string>();
    collectNodeNames(entry.plan, named);
    const unknown = [...named].filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new UsageError(
        `schedule ${source}: entries[${i}].plan names node(s) ${unknown.join(', ')}, but the cluster has ${nodes.join(', ')}`,
        `run with --nodes ${Math.max(nodes.length, ...[...named].map((n) => Number(n.slice(1))))} or edit the schedule`,
      );
    }
  });
}

/** Node names (n1, n2, ...) anywhere in a plan: values, and keys of grudges. */
function collectNodeNames(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    if (/^n\d+$/.test(value)) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectNodeNames(v, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (/^n\d+$/.test(k)) out.add(k);
      collectNodeNames(v, out);
    }
  }
}
