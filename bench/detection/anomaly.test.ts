import { describe, expect, it } from 'vitest';
import type { CheckResult, Counterexample } from '../../checker/types.js';
import type { HistoryOp } from '../../src/history/types.js';
import type { RunResults } from '../../src/store/run-files.js';
import { findAnomaly, parseHistory } from './anomaly.js';

const stats = { ok: 10, fail: 1, info: 2, byF: {}, nemesisEvents: 3, durationMs: 1000, checkMs: 5 };

function cx(callNs: number, explanation: string): Counterexample {
  return {
    key: 'k1',
    op: { id: 1, process: 2, f: 'read', input: null, output: 1, status: 'ok', call: callNs, ret: callNs + 10, invokeIndex: 4 },
    partialLinearizations: [],
    minimal: [],
    explanation,
  };
}

function lin(valid: CheckResult['valid'], keys: CheckResult['keys'] = [], extra: Partial<CheckResult> = {}): CheckResult {
  return { valid, model: 'kv', ops: 10, ms: 1, keys, ...extra };
}

describe('findAnomaly', () => {
  it('takes the earliest counterexample op over every invalid key, in seconds since the run start', () => {
    const late = cx(9_500_000_000, 'read of k2 returned 3 after write 4 completed');
    const early = cx(2_250_000_000, 'read of k1 returned 1, but write 1 was overwritten by write 2');
    const results: RunResults = {
      valid: false,
      linearizability: lin(false, [
        { key: 'k2', valid: false, ops: 5, ms: 1, algorithm: 'search', counterexample: late },
        { key: 'k1', valid: false, ops: 5, ms: 1, algorithm: 'search', counterexample: early },
        { key: 'k3', valid: true, ops: 5, ms: 1, algorithm: 'search' },
      ], { counterexample: late }),
      stats,
    };
    const f = findAnomaly(results, []);
    expect(f.verdict).toBe(false);
    expect(f.firstAnomalySec).toBeCloseTo(2.25);
    expect(f.said).toContain('read of k2 returned 3');
    expect(f.said).toContain('2 keys invalid');
  });

  it('dates a set anomaly by the ack of a lost element or the invoke of a duplicated one', () => {
    const history: HistoryOp[] = [
      { index: 0, type: 'invoke', process: 0, f: 'add', value: 1, time: 1e9 },
      { index: 1, type: 'ok', process: 0, f: 'add', value: 1, time: 3e9 },
      { index: 2, type: 'invoke', process: 1, f: 'add', value: 2, time: 4e9 },
      { index: 3, type: 'ok', process: 1, f: 'add', value: 2, time: 5e9 },
      { index: 4, type: 'invoke', process: 'nemesis', f: 'add', value: 1, time: 0 },
    ];
    const results: RunResults = {
      valid: false,
      linearizability: lin(true),
      workloadChecks: [{ name: 'set', valid: false, details: { lost: [1], duplicated: [2], phantom: [] } }],
      stats,
    };
    const f = findAnomaly(results, history);
    expect(f.firstAnomalySec).toBeCloseTo(3);
    expect(f.said).toBe('set check: 1 acknowledged lost, 1 duplicated');
  });

  it('dates a vanished element by the read that missed it, and counts it', () => {
    const history: HistoryOp[] = [
      { index: 0, type: 'invoke', process: 0, f: 'read', value: null, time: 1e9 },
      { index: 1, type: 'ok', process: 0, f: 'read', value: [7], time: 2e9 },
      { index: 2, type: 'invoke', process: 0, f: 'read', value: null, time: 6e9 },
      { index: 3, type: 'ok', process: 0, f: 'read', value: [], time: 7e9 },
    ];
    const results: RunResults = {
      valid: false,
      linearizability: lin('unknown'),
      workloadChecks: [{ name: 'set', valid: false, details: { lost: [], vanished: [7], vanishedExplained: [{ element: 7, seenAt: 1, missingAt: 3 }] } }],
      stats,
    };
    const f = findAnomaly(results, history);
    expect(f.firstAnomalySec).toBeCloseTo(7);
    expect(f.said).toContain('set check: 1 seen then vanished');
  });

  it('gives no anomaly time when the counterexample op has no finite call time', () => {
    const results: RunResults = {
      valid: false,
      linearizability: lin(false, [{ key: null, valid: false, ops: 2, ms: 1, algorithm: 'search', counterexample: cx(Infinity, 'x') }]),
      stats,
    };
    expect(findAnomaly(results, []).firstAnomalySec).toBeUndefined();
  });

  it('says why a verdict is unknown, and reports no anomaly time for it', () => {
    const results: RunResults = { valid: 'unknown', linearizability: lin('unknown', [], { reason: 'time-limit' }), stats };
    const f = findAnomaly(results, []);
    expect(f.firstAnomalySec).toBeUndefined();
    expect(f.said).toBe('unknown: time-limit');
    const failed: RunResults = { ...results, error: 'raftkv not ready after 120000 ms' };
    expect(findAnomaly(failed, []).said).toBe('unknown: raftkv not ready after 120000 ms');
  });

  it('keeps a passing set check next to an unknown linearizability verdict', () => {
    const results: RunResults = {
      valid: 'unknown',
      linearizability: lin('unknown', [], { reason: 'time-limit' }),
      workloadChecks: [{ name: 'set', valid: true, details: { lost: [], duplicated: [] } }],
      stats,
    };
    expect(findAnomaly(results, []).said).toBe('set check: valid; unknown: time-limit');
  });

  it('summarises a valid run by its op counts', () => {
    expect(findAnomaly({ valid: true, linearizability: lin(true), stats }, []).said).toBe('valid (10 ok, 2 info, 1 fail)');
  });

  it('clips a long explanation to one line', () => {
    const long = cx(1e9, 'word\n'.repeat(200));
    const f = findAnomaly({ valid: false, linearizability: lin(false, [], { counterexample: long }), stats }, []);
    expect(f.said.length).toBeLessThanOrEqual(240);
    expect(f.said).not.toContain('\n');
  });
});

describe('parseHistory', () => {
  it('reads one op per line and skips blank lines', () => {
    const ops = parseHistory('{"index":0,"type":"invoke","process":1,"f":"read","value":null,"time":5}\n\n');
    expect(ops).toEqual([{ index: 0, type: 'invoke', process: 1, f: 'read', value: null, time: 5 }]);
  });
});
