import type { LoadedRun } from './load-run.js';

export type RunState = 'valid' | 'invalid' | 'unknown' | 'empty' | 'crashed' | 'error';

/**
 * The one word at the top of a report. A run that stopped before it finished (no results.json, or a
 * test.json without endedAt) is "crashed" whatever else is on disk; a run whose pipeline recorded an error
 * is "error"; a finished run with no client operations is "empty"; otherwise the checker's verdict.
 */
export function runState(run: LoadedRun, clientOps: number): RunState {
  if (run.results?.error) return 'error';
  if (!run.results || !run.info?.endedAt) return 'crashed';
  if (clientOps === 0) return 'empty';
  const v = run.results.valid;
  if (v === true) return 'valid';
  if (v === false) return 'invalid';
  return 'unknown';
}

/** What the verdict means for the person reading, in one sentence. */
export function stateHeadline(state: RunState): string {
  switch (state) {
    case 'valid':
      return 'Linearizable: every operation fits a single order consistent with real time.';
    case 'invalid':
      return 'Not linearizable: the history contains an anomaly no correct system could produce.';
    case 'unknown':
      return 'Unknown: the checker ran out of its time or memory budget before it could decide.';
    case 'empty':
      return 'Empty history: no client operation was recorded, so there is nothing to judge.';
    case 'crashed':
      return 'Incomplete run: it stopped before the check finished; what was recorded is shown below.';
    case 'error':
      return 'Run error: the run itself failed, so its history was not judged.';
  }
}
