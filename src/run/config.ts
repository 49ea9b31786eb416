/**
 * The configuration of one run: defaults, the `--config run.json` file (zod-validated) and the flags, with
 * flags overriding the file. Everything is validated here, before any cluster starts; every mistake
 * becomes a one-line UsageError (exit 3).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { nemesisNames } from '../../nemesis/index.js';
import { parseTruncate } from '../../nemesis/disk.js';
import { nemesisModes } from '../../nemesis/schedule.js';
import { readSchedule } from '../../nemesis/schedule-file.js';
import { workloadNames } from '../../workloads/index.js';
import { DEFAULTS, LIMITS, NO_FAULTS } from './defaults.js';

// Messages leave the field out: describeIssue() puts its name in front.
const number = () => z.number({ error: 'must be a number' });
const positiveInt = () => number().int('must be a whole number').positive('must be at least 1');
const positive = () => number().positive('must be greater than 0');
const nonNegative = () => number().nonnegative('must not be negative');

/** Every field of a run; the same names in run.json and (kebab-cased) as flags. */
export const runConfigSchema = z
  .object({
    target: z.string().min(1),
    workload: z.enum(workloadNames as [string, ...string[]], { error: `must be one of: ${workloadNames.join(', ')}` }),
    nemesis: z.array(z.enum(nemesisNames, { error: `must be a list of: ${nemesisNames.join(', ')} (or none)` })),
    nodes: positiveInt().max(LIMITS.nodes.max, `must be at most ${LIMITS.nodes.max}`),
    concurrency: positiveInt().max(LIMITS.concurrency.max, `must be at most ${LIMITS.concurrency.max}`),
    /** Client ops per second over all workers; 0 = unlimited. */
    rate: nonNegative(),
    /** Seconds of the main phase. */
    timeLimit: positive(),
    /** Seconds between nemesis actions. */
    nemesisInterval: positive(),
    seed: number().int('must be a whole number').min(LIMITS.seed.min, 'must be >= 0').max(LIMITS.seed.max, 'must fit in 32 bits'),
    targetOptions: z.record(z.string(), z.string()),
    store: z.string().min(1),
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'may only use letters, digits, ".", "_" and "-"').optional(),
    /** Per-op client timeout, ms. */
    opTimeout: positiveInt(),
    /** Seconds between heal and the final reads. */
    quietPeriod: nonNegative(),
    /** kv: keys active at once; ops per key before it is retired. */
    keys: positiveInt(),
    opsPerKey: positiveInt(),
    /** register, kv: the op kinds issued (default all three); e.g. ["write","cas"] for a control without reads. */
    ops: z.array(z.enum(['read', 'write', 'cas'], { error: 'must be a list of: read, write, cas' })).min(1, 'must name at least one of: read, write, cas').optional(),
    lossProbability: number().gt(0, 'must be in (0, 1]').max(1, 'must be in (0, 1]'),
    clockMaxOffset: positiveInt(),
    /** Seconds the cluster may take to become ready. */
    readyTimeout: positive(),
    /** Seconds the checker may spend before answering unknown. */
    checkTimeLimit: positive(),
    /** Decide every key (for the report's per-key table); by default the check ends at the first invalid key. */
    checkAllKeys: z.boolean().optional(),
    /** composed (default): every fault family on its own schedule, overlapping; one-at-a-time: one family per cycle. */
    nemesisMode: z.enum(nemesisModes, { error: `must be one of: ${nemesisModes.join(', ')}` }).optional(),
    /** Replay the fault schedule of a finished run (its directory) or of a schedule file, instead of drawing one. */
    faultsFrom: z.string().min(1).optional(),
    /** Disk faults: only files matching this glob (inside the container); keep bytes / a fraction; bits to flip. */
    diskFile: z.string().startsWith('/', 'must be an absolute glob inside the container, e.g. /data/*.log').optional(),
    diskTruncate: z.string().refine((t) => parseTruncate(t) !== undefined, 'must be bytes (4096), a fraction (0.5) or a percentage (50%)').optional(),
    diskFlips: positiveInt().max(4096, 'must be at most 4096').optional(),
  })
  .strict();

export type RunConfig = z.infer<typeof runConfigSchema>;
export type RunConfigInput = Partial<RunConfig>;

/** A plain `faultline run`: a 60-second partition test of raftkv on 5 nodes (values: run/defaults.ts). */
export function defaultConfig(): Omit<RunConfig, 'seed'> {
  return { ...DEFAULTS, nemesis: [...DEFAULTS.nemesis], targetOptions: {} };
}

/** "partition,pause" / ["partition","pause"] / "none" -> list. An empty value is a UsageError. */
export function parseNemesisList(value: unknown): unknown {
  if (Array.isArray(value)) return value.flatMap((v) => parseNemesisList(v) as unknown[]);
  if (typeof value !== 'string') return value;
  if (value.trim() === '') throw new UsageError('--nemesis is empty', `name the faults (e.g. --nemesis partition,kill), or ask for none with --nemesis ${NO_FAULTS}`);
  const items = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return items.length === 1 && items[0] === 'none' ? [] : items.filter((s) => s !== 'none');
}

/** ["k=v", ...] -> {k: v}; a bad entry is a UsageError naming it. */
export function parseTargetOptions(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`--target-opt "${entry}" is not key=value`, 'write it as --target-opt key=value');
    out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

export function readConfigFile(path: string): RunConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`config file ${path} must hold a JSON object`);
  const obj = { ...(raw as Record<string, unknown>) };
  if ('nemesis' in obj) obj.nemesis = parseNemesisList(obj.nemesis);
  const parsed = runConfigSchema.partial().safeParse(obj);
  if (!parsed.success) throw new UsageError(`config file ${path}: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/**
 * `--faults-from <run dir>` without --config: the run's own settings (target, workload, nodes, options,
 * time limit, seed...) are the defaults, so the replay meets the same cluster and its clients issue the
 * same ops; flags still override them (`--seed` for other client ops under the same faults). The schedule
 * replaces the seed's fault draws. A schedule file: none.
 */
export function replayedRunConfig(path: string): RunConfigInput {
  const testJson = join(path, 'test.json');
  if (!existsSync(testJson)) return {};
  let config: Record<string, unknown>;
  try {
    config = (JSON.parse(readFileSync(testJson, 'utf8')) as { config?: Record<string, unknown> }).config ?? {};
  } catch (err) {
    throw new UsageError(`cannot read the settings of the replayed run ${testJson}: ${(err as Error).message}`);
  }
  const { store: _store, name: _name, faultsFrom: _from, nemesis: _nemesis, ...rest } = config;
  const parsed = runConfigSchema.partial().safeParse(rest);
  if (!parsed.success) throw new UsageError(`the settings of the replayed run ${testJson} are not valid: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/** defaults <- file <- flags (only the flags the user actually gave), then validated as a whole. */
export function resolveConfig(file: RunConfigInput, flags: RunConfigInput, randomSeed: () => number): RunConfig {
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const merged: Record<string, unknown> = { ...defaultConfig(), ...file, ...defined };
  merged.targetOptions = { ...(file.targetOptions ?? {}), ...(flags.targetOptions ?? {}) };
  if (merged.seed === undefined) merged.seed = randomSeed();
  if ('nemesis' in merged) merged.nemesis = parseNemesisList(merged.nemesis);
  if (typeof merged.ops === 'string') merged.ops = merged.ops.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const n of Array.isArray(merged.nemesis) ? merged.nemesis : []) {
    if (!(nemesisNames as readonly unknown[]).includes(n)) {
      throw new UsageError(`unknown nemesis "${String(n)}"`, `use a comma-separated list of: ${nemesisNames.join(', ')} (or none)`);
    }
  }
  if (typeof merged.faultsFrom === 'string') merged.nemesis = faultsOfSchedule(merged.faultsFrom, file.nemesis ?? flags.nemesis);
  const parsed = runConfigSchema.safeParse(merged);
  if (!parsed.success) throw new UsageError(describeIssue(parsed.error));
  return parsed.data;
}

/**
 * The faults a replayed schedule uses (they become the run's --nemesis); --nemesis given as well must name
 * the same ones, or the user would believe other faults run.
 */
function faultsOfSchedule(path: string, given: unknown): string[] {
  const names = [...new Set(readSchedule(path).entries.map((e) => e.fault))];
  const asked = given === undefined ? undefined : (parseNemesisList(given) as string[]);
  if (asked && (asked.length !== names.length || asked.some((n) => !names.includes(n)))) {
    throw new UsageError(`--nemesis ${asked.join(',') || 'none'} differs from the faults of the schedule in ${path} (${names.join(',') || 'none'})`, 'leave --nemesis out when replaying with --faults-from');
  }
  return names;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  // Flag spelling (time-limit) for the first path element, so the message matches what the user typed.
  const where = issue.path.map((p) => String(p).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** The test name the store uses when --name is not given. */
export function defaultRunName(config: RunConfig): string {
  return `${config.target}-${config.workload}-${config.nemesis.length > 0 ? config.nemesis.join('+') : 'none'}`;
}

/** The exact command that reproduces this run (every field spelled out, so defaults changing later do not matter). */
export function reproduceCommand(config: RunConfig): string {
  const args = [
    'faultline run',
    `--target ${config.target}`,
    `--workload ${config.workload}`,
    `--nemesis ${config.nemesis.length > 0 ? config.nemesis.join(',') : 'none'}`,
    `--nodes ${config.nodes}`,
    `--concurrency ${config.concurrency}`,
    `--rate ${config.rate}`,
    `--time-limit ${config.timeLimit}`,
    `--nemesis-interval ${config.nemesisInterval}`,
    `--seed ${config.seed}`,
    ...Object.entries(config.targetOptions).map(([k, v]) => `--target-opt ${shellQuote(`${k}=${v}`)}`),
    `--op-timeout ${config.opTimeout}`,
    `--quiet-period ${config.quietPeriod}`,
    `--keys ${config.keys}`,
    `--ops-per-key ${config.opsPerKey}`,
    ...(config.ops ? [`--ops ${config.ops.join(',')}`] : []),
    ...(config.checkAllKeys ? ['--check-all-keys'] : []),
    `--loss-probability ${config.lossProbability}`,
    `--clock-max-offset ${config.clockMaxOffset}`,
    ...(config.nemesisMode ? [`--nemesis-mode ${config.nemesisMode}`] : []),
    ...(config.faultsFrom ? [`--faults-from ${shellQuote(config.faultsFrom)}`] : []),
    ...(config.diskFile ? [`--disk-file ${shellQuote(config.diskFile)}`] : []),
    ...(config.diskTruncate ? [`--disk-truncate ${shellQuote(config.diskTruncate)}`] : []),
    ...(config.diskFlips ? [`--disk-flips ${config.diskFlips}`] : []),
    `--store ${shellQuote(config.store)}`,
    ...(config.name ? [`--name ${config.name}`] : []),
  ];
  return args.join(' ');
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9._\-=/:,+]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
