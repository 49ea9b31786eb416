/**
 * `run --compare`: the finished run against a baseline (the previous finished run of the same test, or a
 * named run directory), written to compare.json in the run directory (the report shows it) and returned in
 * words for the summary and JUnit. A missing baseline is a note, never a failed run.
 */
import { formatDiff } from '../diff/format-diff.js';
import { diffRuns, previousRun, readStoredRun, type RunDiff } from '../diff/run-diff.js';
import type { ProgressSink } from './progress.js';
import { writeJson } from './store.js';

export interface Comparison {
  diff: RunDiff;
  text: string;
}

export const COMPARE_FILE = 'compare.json';

export function compareWithBaseline(runDir: string, baseline: string, stderr: ProgressSink): Comparison | undefined {
  try {
    const baselineDir = baseline === 'previous' ? previousRun(runDir) : baseline;
    if (!baselineDir) {
      stderr.write('faultline: --compare previous: no earlier finished run of this test in the store; nothing to compare\n');
      return undefined;
    }
    const diff = diffRuns(readStoredRun(runDir), readStoredRun(baselineDir));
    const text = formatDiff(diff);
    writeJson(`${runDir}/${COMPARE_FILE}`, { ...diff, text });
    return { diff, text };
  } catch (err) {
    stderr.write(`faultline: comparison skipped: ${(err as Error).message}\n`);
    return undefined;
  }
}
