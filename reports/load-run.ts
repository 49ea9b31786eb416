import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonlHistory } from '../src/history/jsonl.js';
import type { HistoryOp } from '../src/history/types.js';
import type { RunInfo, RunResults } from '../src/store/run-files.js';

/** Everything a report needs from one run directory, read leniently: a half-written run still renders. */
export interface LoadedRun {
  dir: string;
  info: RunInfo | null;
  results: RunResults | null;
  history: HistoryOp[];
  /** node name -> log text */
  nodeLogs: Map<string, string>;
  /** Things that were missing or unreadable, in words, shown in the report instead of throwing. */
  problems: string[];
}

function readJson<T>(path: string, what: string, problems: string[]): T | null {
  if (!existsSync(path)) {
    problems.push(`${what} is missing`);
    return null;
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    problems.push(`${what} could not be parsed: ${(e as Error).message}`);
    return null;
  }
}

/**
 * Parses history.jsonl with the one history reader, leniently: a line cut off by a crash, or any other
 * unreadable line, is skipped and described in `problems` rather than failing the whole report.
 */
export function parseHistory(text: string, problems: string[]): HistoryOp[] {
  return parseJsonlHistory(text, { name: 'history.jsonl', onProblem: (p) => problems.push(p) });
}

function readNodeLogs(dir: string): Map<string, string> {
  const logs = new Map<string, string>();
  const logDir = join(dir, 'node-logs');
  if (!existsSync(logDir)) return logs;
  for (const name of readdirSync(logDir).sort()) {
    if (!name.endsWith('.log')) continue;
    const path = join(logDir, name);
    if (!statSync(path).isFile()) continue;
    logs.set(name.slice(0, -'.log'.length), readFileSync(path, 'utf8'));
  }
  return logs;
}

/** Reads test.json, results.json, history.jsonl and node-logs/ of a run directory. Never throws for missing files. */
export function loadRun(dir: string): LoadedRun {
  const problems: string[] = [];
  const info = readJson<RunInfo>(join(dir, 'test.json'), 'test.json', problems);
  const resultsPath = join(dir, 'results.json');
  const results = existsSync(resultsPath) ? readJson<RunResults>(resultsPath, 'results.json', problems) : null;
  const historyPath = join(dir, 'history.jsonl');
  let history: HistoryOp[] = [];
  if (existsSync(historyPath)) history = parseHistory(readFileSync(historyPath, 'utf8'), problems);
  else problems.push('history.jsonl is missing');
  return { dir, info, results, history, nodeLogs: readNodeLogs(dir), problems };
}
