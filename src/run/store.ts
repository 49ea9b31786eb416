/**
 * The run directory: store/<name>/<timestamp>/ with history.jsonl, node-logs/, test.json, results.json,
 * junit.xml, and store/<name>/latest pointing at the newest run.
 */
import { existsSync, mkdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunInfo, RunResults } from '../store/run-files.js';
import { runInfoSchema, runResultsSchema, schemaProblem } from './schemas.js';

export interface RunDir {
  dir: string;
  historyPath: string;
  logDir: string;
  testJson: string;
  resultsJson: string;
  junitXml: string;
}

/** "2024-05-01T120102.345Z": sortable, no colons (Windows-safe), unique within a test name. */
export function timestampName(date: Date): string {
  return date.toISOString().replace(/:/g, '');
}

export function createRunDir(store: string, name: string, startedAt: Date): RunDir {
  const testDir = join(store, name);
  mkdirSync(testDir, { recursive: true });
  let stamp = timestampName(startedAt);
  for (let i = 1; existsSync(join(testDir, stamp)); i++) stamp = `${timestampName(startedAt)}-${i}`;
  const dir = join(testDir, stamp);
  mkdirSync(join(dir, 'node-logs'), { recursive: true });
  pointLatest(testDir, stamp);
  return {
    dir,
    historyPath: join(dir, 'history.jsonl'),
    logDir: join(dir, 'node-logs'),
    testJson: join(dir, 'test.json'),
    resultsJson: join(dir, 'results.json'),
    junitXml: join(dir, 'junit.xml'),
  };
}

/** Re-points <testDir>/latest at `stamp` atomically (a new link renamed over the old one). */
function pointLatest(testDir: string, stamp: string): void {
  const tmp = join(testDir, `.latest-${process.pid}`);
  try {
    if (existsSync(tmp)) unlinkSync(tmp);
    symlinkSync(stamp, tmp, 'dir');
    renameSync(tmp, join(testDir, 'latest'));
  } catch {
    // Filesystems without symlinks: the run itself is still complete.
  }
}

export function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}

/**
 * test.json / results.json, checked against their published schema first. A mismatch is our bug, not the
 * user's: the file is still written (the run's evidence matters more) and the problem reported on stderr.
 */
export function writeTestJson(path: string, info: RunInfo, stderr?: { write(text: string): unknown }): void {
  const problem = schemaProblem(runInfoSchema, JSON.parse(JSON.stringify(info)));
  if (problem) stderr?.write(`faultline: internal: test.json does not match schemas/test.schema.json (${problem})\n`);
  writeJson(path, info);
}

export function writeResultsJson(path: string, results: RunResults, stderr?: { write(text: string): unknown }): void {
  const problem = schemaProblem(runResultsSchema, JSON.parse(JSON.stringify(results)));
  if (problem) stderr?.write(`faultline: internal: results.json does not match schemas/results.schema.json (${problem})\n`);
  writeJson(path, results);
}
