import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../checker/types.js';
import { describeCheckInput } from './check-input.js';
import { loadRun } from './load-run.js';
import { reportView } from './render-run-report.js';

const base: CheckResult = { valid: true, model: 'cas-register', ops: 10, ms: 1, keys: [] };

describe('the verdict box says what the check made of its input', () => {
  it('names the nil-read meaning, the unused ops by kind, the ops that never completed and the cut', () => {
    const lines = describeCheckInput({
      ...base,
      nilRead: 'unconstrained',
      unused: { nemesis: 4, failed: 2, infoReads: 1, nilReads: 3 },
      neverCompleted: 2,
      truncated: { line: 12, what: 'the op at line 12 is cut off', lastCompleteLine: 11, lastCompleteOp: 'ok read by process 1, index 10' },
    });
    expect(lines).toEqual([
      'Truncated: the history is cut off at line 12 (the op at line 12 is cut off); only the complete operations before the cut were checked (last complete op: line 11).',
      'Nil reads: unconstrained — an ok read of nil is legal in any state, as in Knossos, and was left out of the check.',
      'Not used by the check: 4 nemesis records, 2 failed operations (they did not happen), 1 reads with an unknown result, 3 nil reads (unconstrained).',
      '2 operations never completed: checked as indeterminate (they may have taken effect).',
    ]);
    expect(describeCheckInput({ ...base, nilRead: 'strict' })).toEqual(['Nil reads: strict — an ok read of null is the value null (the initial value, or an absent key), as in Porcupine.']);
    expect(describeCheckInput(undefined)).toEqual([]);
  });
  it('reaches the report view from results.json', () => {
    const run = loadRun('test/fixtures/runs/valid');
    run.results!.linearizability = { ...run.results!.linearizability, nilRead: 'strict', unused: { nemesis: 8, failed: 0, infoReads: 0, nilReads: 0 } };
    expect(reportView(run).checkInput).toEqual([
      'Nil reads: strict — an ok read of null is the value null (the initial value, or an absent key), as in Porcupine.',
      'Not used by the check: 8 nemesis records.',
    ]);
  });
});
