import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunInfo, RunResults } from './run-files.js';

/** One stored run as the store index lists it, read from test.json and results.json only (cheap). */
export interface RunSummary {
  test: string;
  timestamp: string;
  /** Path relative to the store: "<test>/<timestamp>". */
  path: string;
  /** valid | invalid | unknown | empty | crashed | error */
  state: string;
  startedAt: string;
  durationMs?: number;
  target: string;
  workload: string;
  nemesis: string;
  nodes?: number;
  ops?: number;
  seed?: number;
  hasReport: boolean;
  /** Unreadable files, in words. */
  problem?: string;
}

function readJson<T>(path: string): { value?: T; problem?: string } {
  if (!existsSync(path)) return {};
  try {
    return { value: JSON.parse(readFileSync(path, 'utf8')) as T };
  } catch (e) {
    return { problem: `${path.split('/').pop()} unreadable: ${(e as Error).message}` };
  }
}

function subdirs(dir: string): string[] {
  // lstat, not stat: `latest`-style symlinks would list a run twice.
  return readdirSync(dir).filter((name) => !name.startsWith('.') && lstatSync(join(dir, name)).isDirectory());
}

/** The state word for a run, from its results (same rules as the report: see reports/run-state.ts). */
export function summaryState(info: RunInfo | undefined, results: RunResults | undefined): string {
  if (results?.error) return 'error';
  if (!results || !info?.endedAt) return 'crashed';
  if (results.linearizability?.ops === 0) return 'empty';
  return results.valid === true ? 'valid' : results.valid === false ? 'invalid' : 'unknown';
}

/**
 * Every run under `store/<test>/<timestamp>/` (a directory holding test.json, history.jsonl or
 * results.json), newest first. Damaged runs are listed with a `problem` rather than skipped.
 */
export function listRuns(storeDir: string): RunSummary[] {
  if (!existsSync(storeDir)) return [];
  const runs: RunSummary[] = [];
  for (const test of subdirs(storeDir)) {
    for (const timestamp of subdirs(join(storeDir, test))) {
      const dir = join(storeDir, test, timestamp);
      const files = ['test.json', 'history.jsonl', 'results.json'].filter((f) => existsSync(join(dir, f)));
      if (files.length === 0) continue;
      const info = readJson<RunInfo>(join(dir, 'test.json'));
      const results = readJson<RunResults>(join(dir, 'results.json'));
      const i = info.value;
      const r = results.value;
      const started = i?.startedAt ?? timestamp;
      const duration =
        r?.stats?.durationMs ?? (i?.endedAt && i.startedAt ? Date.parse(i.endedAt) - Date.parse(i.startedAt) : undefined);
      runs.push({
        test,
        timestamp,
        path: `${test}/${timestamp}`,
        state: summaryState(i, r),
        startedAt: started,
        durationMs: Number.isFinite(duration) ? duration : undefined,
        target: i?.config?.target ?? '—',
        workload: i?.config?.workload ?? '—',
        nemesis: i?.config?.nemesis?.length ? i.config.nemesis.join(',') : 'none',
        nodes: i?.nodes?.length ?? i?.config?.nodes,
        ops: r?.linearizability?.ops,
        seed: i?.seed,
        hasReport: existsSync(join(dir, 'report.html')),
        problem: info.problem ?? results.problem ?? (i ? undefined : 'test.json missing'),
      });
    }
  }
  const time = (r: RunSummary) => {
    const t = Date.parse(r.startedAt);
    return Number.isNaN(t) ? 0 : t;
  };
  return runs.sort((a, b) => time(b) - time(a) || b.timestamp.localeCompare(a.timestamp));
}
