/**
 * What changed between two stored runs of a test: the verdict, the anomalies (new, resolved, still failing,
 * matched by Anomaly.id), availability (share of ops that completed ok, per f) and latency (p50/p99 of ok
 * and fail ops, per f). Both runs are read from their directories only.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { parseJsonlHistory } from '../history/jsonl.js';
import { RESULTS_JSON_SCHEMA_VERSION, TEST_JSON_SCHEMA_VERSION } from '../run/schemas.js';
import { latencyStats } from '../run/stats.js';
import { summaryState } from '../store/list-runs.js';
import type { RunInfo, RunResults } from '../store/run-files.js';
import { runAnomalies, type Anomaly } from './anomalies.js';

export interface StoredRun {
  dir: string;
  info: RunInfo;
  results: RunResults;
  /** valid | invalid | unknown | empty | error */
  state: string;
}

export interface RunRef {
  dir: string;
  name: string;
  startedAt: string;
  seed: number;
  state: string;
}

export interface RateChange {
  f: string;
  /** Share of completed ops that were ok, 0..1; undefined when the run had no such op. */
  before?: number;
  after?: number;
}

export interface LatencyChange {
  f: string;
  before?: { p50: number; p99: number };
  after?: { p50: number; p99: number };
}

export interface RunDiff {
  run: RunRef;
  baseline: RunRef;
  verdict: { before: string; after: string; changed: boolean };
  new: Anomaly[];
  resolved: Anomaly[];
  stillFailing: { now: Anomaly; before: Anomaly }[];
  /**
   * Baseline anomalies this run cannot speak to: their key was not decided this time (not checked after
   * another key was invalid, unknown, or not in this run at all), or their check did not run. Not resolved.
   */
  notRechecked: Anomaly[];
  availability: RateChange[];
  latency: LatencyChange[];
  /** Configuration fields that differ (seed aside), e.g. "targetOptions.bugs: stale-reads -> (none)". */
  configChanges: string[];
}

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${what}: ${code === 'ENOENT' ? 'missing' : `unreadable (${(err as Error).message})`}`, 'pass a run directory whose run finished (store/<test>/<timestamp>)');
  }
}

/** A finished run directory (test.json and results.json), as `diff` needs it. */
export function readStoredRun(dir: string): StoredRun {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`run directory not found: ${dir}`, 'pass a store/<test>/<timestamp> directory');
  }
  // store/<test>/latest is a link: name the run it points at.
  const abs = realpathSync(dir);
  const info = readJson<RunInfo>(join(abs, 'test.json'), `${dir}/test.json`);
  const results = readJson<RunResults>(join(abs, 'results.json'), `${dir}/results.json`);
  for (const [file, version, known] of [['test.json', info.schemaVersion, TEST_JSON_SCHEMA_VERSION], ['results.json', results.schemaVersion, RESULTS_JSON_SCHEMA_VERSION]] as const) {
    // Absent = version 0, which every reader accepts; a newer version may mean fields this one misreads.
    if ((version ?? 0) > known) throw new UsageError(`${dir}/${file} is schema version ${version}, newer than this faultline reads (${known})`, 'compare it with the faultline that wrote it');
  }
  if (!results.stats.latencyMs && existsSync(join(abs, 'history.jsonl'))) {
    // Files from before latencies were recorded: compute them from the history.
    try {
      results.stats.latencyMs = latencyStats(parseJsonlHistory(readFileSync(join(abs, 'history.jsonl'), 'utf8')));
    } catch {
      // A damaged history leaves latency out of the comparison; the verdicts still compare.
    }
  }
  return { dir: abs, info, results, state: summaryState(info, results) };
}

/**
 * The run of the same test stored just before `dir` (same store/<test>/ folder, earlier start) that
 * finished with a verdict; undefined when there is none. Runs that failed to run (exit 3) are skipped:
 * they say nothing about the system.
 */
export function previousRun(dir: string): string | undefined {
  const abs = existsSync(dir) ? realpathSync(dir) : resolve(dir);
  const testDir = dirname(abs);
  const self = basename(abs);
  const startOf = (name: string): number => {
    try {
      const info = JSON.parse(readFileSync(join(testDir, name, 'test.json'), 'utf8')) as RunInfo;
      return Date.parse(info.startedAt);
    } catch {
      return NaN;
    }
  };
  const mine = startOf(self);
  const candidates = readdirSync(testDir)
    .filter((name) => name !== self && !name.startsWith('.') && lstatSync(join(testDir, name)).isDirectory())
    .map((name) => ({ name, start: startOf(name) }))
    .filter((c) => Number.isFinite(c.start) && (!Number.isFinite(mine) || c.start < mine || (c.start === mine && c.name < self)))
    .sort((a, b) => b.start - a.start || b.name.localeCompare(a.name));
  for (const c of candidates) {
    const path = join(testDir, c.name, 'results.json');
    if (!existsSync(path)) continue;
    try {
      const results = JSON.parse(readFileSync(path, 'utf8')) as RunResults;
      if (!results.error) return join(testDir, c.name);
    } catch {
      // unreadable: not a baseline
    }
  }
  return undefined;
}

const ref = (r: StoredRun): RunRef => ({ dir: r.dir, name: r.info.name, startedAt: r.info.startedAt, seed: r.info.seed, state: r.state });

function okShare(byF: RunResults['stats']['byF'] | undefined, f: string): number | undefined {
  const row = byF?.[f];
  if (!row) return undefined;
  const total = row.ok + row.fail + row.info;
  return total > 0 ? row.ok / total : undefined;
}

function configChanges(before: RunInfo, after: RunInfo): string[] {
  const flat = (info: RunInfo): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(info.config)) {
      if (k === 'seed' || k === 'store' || k === 'name') continue;
      if (k === 'targetOptions') for (const [o, ov] of Object.entries(v as Record<string, string>)) out[`targetOptions.${o}`] = ov;
      else out[k] = Array.isArray(v) ? v.join(',') : JSON.stringify(v);
    }
    return out;
  };
  const a = flat(before);
  const b = flat(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => a[k] !== b[k])
    .sort()
    .map((k) => `${k}: ${a[k] ?? '(none)'} -> ${b[k] ?? '(none)'}`);
}

export function diffRuns(run: StoredRun, baseline: StoredRun): RunDiff {
  const now = runAnomalies(run.results);
  const before = runAnomalies(baseline.results);
  const beforeById = new Map(before.map((a) => [a.id, a]));
  const nowIds = new Set(now.map((a) => a.id));
  const decided = decidedScopes(run.results);
  const gone = before.filter((a) => !nowIds.has(a.id));
  const fs = [...new Set([...Object.keys(baseline.results.stats.byF ?? {}), ...Object.keys(run.results.stats.byF ?? {})])].sort();
  const latencyFs = [...new Set([...Object.keys(baseline.results.stats.latencyMs ?? {}), ...Object.keys(run.results.stats.latencyMs ?? {})])].sort((x, y) => (x === 'all' ? -1 : y === 'all' ? 1 : x.localeCompare(y)));
  const pick = (l: { p50: number; p99: number } | undefined) => (l ? { p50: l.p50, p99: l.p99 } : undefined);
  return {
    run: ref(run),
    baseline: ref(baseline),
    verdict: { before: baseline.state, after: run.state, changed: baseline.state !== run.state },
    new: now.filter((a) => !beforeById.has(a.id)),
    resolved: gone.filter((a) => decided(a)),
    notRechecked: gone.filter((a) => !decided(a)),
    stillFailing: now.filter((a) => beforeById.has(a.id)).map((a) => ({ now: a, before: beforeById.get(a.id)! })),
    availability: fs.map((f) => ({ f, before: okShare(baseline.results.stats.byF, f), after: okShare(run.results.stats.byF, f) })),
    latency: latencyFs.map((f) => ({ f, before: pick(baseline.results.stats.latencyMs?.[f]), after: pick(run.results.stats.latencyMs?.[f]) })),
    configChanges: configChanges(baseline.info, run.info),
  };
}

/** Whether `results` decided the key (linearizability) or ran the check (workload checks) of an anomaly. */
function decidedScopes(results: RunResults): (a: Anomaly) => boolean {
  const keyVerdicts = new Map((results.linearizability.keys ?? []).map((k) => [k.key, k.valid as unknown]));
  const checks = new Map((results.workloadChecks ?? []).map((c) => [c.name, c.valid as unknown]));
  return (a) => {
    if (results.error) return false;
    if (a.check === 'linearizability') {
      const v = keyVerdicts.get(a.key);
      return v === true || v === false;
    }
    const v = checks.get(a.check);
    return v === true || v === false;
  };
}

/** Worse = a new anomaly, or a verdict that moved away from valid. */
export function isRegression(diff: RunDiff): boolean {
  const rank: Record<string, number> = { valid: 0, unknown: 1, empty: 1, crashed: 1, error: 1, invalid: 2 };
  return diff.new.length > 0 || (rank[diff.verdict.after] ?? 1) > (rank[diff.verdict.before] ?? 1);
}
