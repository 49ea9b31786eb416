import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunInfo, RunResults } from '../store/run-files.js';
import { runAnomalies } from './anomalies.js';
import { formatDiff } from './format-diff.js';
import { diffRuns, isRegression, previousRun, readStoredRun } from './run-diff.js';

const op = (id: number, f: string, invokeIndex: number) => ({ id, process: 1, f, input: null, output: 1, status: 'ok' as const, call: 0, ret: 1, invokeIndex });

function results(over: Partial<RunResults> & { staleKeys?: string[]; lost?: number[]; vanished?: number[] } = {}): RunResults {
  const keys = (over.staleKeys ?? []).map((key, i) => ({
    key,
    valid: false as const,
    ops: 10,
    ms: 1,
    algorithm: 'search' as const,
    counterexample: { key, op: op(7 + i, 'read', 40 + i), partialLinearizations: [], minimal: [op(3, 'write', 10), op(7 + i, 'read', 40 + i)], explanation: `stale read on ${key}` },
  }));
  const set = over.lost || over.vanished;
  return {
    valid: keys.length > 0 || set ? false : true,
    linearizability: { valid: keys.length > 0 ? false : true, model: 'cas-register', ops: 100, ms: 1, keys },
    ...(set ? { workloadChecks: [{ name: 'set', valid: false as const, details: { lost: over.lost ?? [], vanished: over.vanished ?? [], vanishedExplained: (over.vanished ?? []).map((e) => ({ element: e, seenAt: 4, seenBy: 'read', missingAt: 9 })) } }] } : {}),
    stats: { ok: 90, fail: 10, info: 0, byF: { read: { ok: 45, fail: 5, info: 0 }, write: { ok: 45, fail: 5, info: 0 } }, nemesisEvents: 2, durationMs: 1000, checkMs: 5, latencyMs: { all: { count: 90, p50: 2, p99: 20, max: 30 } } },
  };
}

function storeRun(store: string, stamp: string, r: RunResults, startedAt: string, bugs?: string): string {
  const dir = join(store, 'demo', stamp);
  mkdirSync(dir, { recursive: true });
  const info: RunInfo = {
    name: 'demo', startedAt, endedAt: startedAt, command: 'faultline run', seed: 1, model: 'cas-register', versions: { faultline: '0', node: 'v22' }, images: {}, nodes: ['n1'],
    config: { target: 'raftkv', workload: 'register', nemesis: ['partition'], nodes: 5, concurrency: 10, rate: 1, timeLimit: 1, nemesisInterval: 1, targetOptions: bugs ? { bugs } : {} },
  };
  writeFileSync(join(dir, 'test.json'), JSON.stringify(info));
  writeFileSync(join(dir, 'results.json'), JSON.stringify(r));
  return dir;
}

describe('anomalies', () => {
  it('are keyed by check, kind, key and the function of the failing op, with real history lines', () => {
    const a = runAnomalies(results({ staleKeys: ['k1'], lost: [3, 4], vanished: [9] }));
    expect(a.map((x) => x.id)).toEqual(['linearizability|not-linearizable|k1|read', 'set|lost||add,read', 'set|vanished||add,read']);
    expect(a[0].lines).toEqual([41, 11]);
    expect(a[2].explanation).toContain('history line 5');
  });
});

describe('diffRuns', () => {
  it('valid -> invalid: one new anomaly, a regression', () => {
    const store = mkdtempSync(join(tmpdir(), 'fl-diff-'));
    const before = readStoredRun(storeRun(store, 'a', results(), '2026-01-01T00:00:00Z'));
    const after = readStoredRun(storeRun(store, 'b', results({ staleKeys: ['k1'] }), '2026-01-02T00:00:00Z', 'stale-reads'));
    const d = diffRuns(after, before);
    expect(d.verdict).toEqual({ before: 'valid', after: 'invalid', changed: true });
    expect(d.new.map((x) => x.key)).toEqual(['k1']);
    expect(d.configChanges).toEqual(['targetOptions.bugs: (none) -> stale-reads']);
    expect(isRegression(d)).toBe(true);
    expect(formatDiff(d, store)).toContain('+ linearizability key k1 not-linearizable [read]');
  });

  it('two invalid runs: matched by key and kind, not by op index', () => {
    const store = mkdtempSync(join(tmpdir(), 'fl-diff-'));
    const before = readStoredRun(storeRun(store, 'a', results({ staleKeys: ['k1', 'k2'], lost: [1] }), '2026-01-01T00:00:00Z'));
    const after = readStoredRun(storeRun(store, 'b', results({ staleKeys: ['k2', 'k3'], vanished: [5] }), '2026-01-02T00:00:00Z'));
    const d = diffRuns(after, before);
    expect(d.new.map((x) => x.id).sort()).toEqual(['linearizability|not-linearizable|k3|read', 'set|vanished||add,read']);
    expect(d.resolved.map((x) => x.id)).toEqual(['set|lost||add,read']);
    // k1 is not in the new run at all: nothing says it is fixed.
    expect(d.notRechecked.map((x) => x.id)).toEqual(['linearizability|not-linearizable|k1|read']);
    expect(d.stillFailing.map((x) => x.now.key)).toEqual(['k2']);
    expect(d.verdict.changed).toBe(false);
  });

  it('an anomaly on a key this run did not decide is "not rechecked", not resolved', () => {
    const store = mkdtempSync(join(tmpdir(), 'fl-diff-'));
    const before = readStoredRun(storeRun(store, 'a', results({ staleKeys: ['k1', 'k2'] }), '2026-01-01T00:00:00Z'));
    const stopped = results({ staleKeys: ['k1'] });
    stopped.linearizability.keys.push({ key: 'k2', valid: 'not-checked' as never, ops: 10, ms: 0, algorithm: 'search' });
    const after = readStoredRun(storeRun(store, 'b', stopped, '2026-01-02T00:00:00Z'));
    const d = diffRuns(after, before);
    expect(d.resolved).toEqual([]);
    expect(d.notRechecked.map((a) => a.key)).toEqual(['k2']);
    expect(formatDiff(d, store)).toMatch(/not rechecked: +1/);
  });

  it('a file from a newer schema version is refused, one without a version is read as version 0', () => {
    const store = mkdtempSync(join(tmpdir(), 'fl-diff-'));
    expect(readStoredRun(storeRun(store, 'old', results(), '2026-01-01T00:00:00Z')).info.schemaVersion).toBeUndefined();
    const dir = storeRun(store, 'new', { ...results(), schemaVersion: 99 }, '2026-01-02T00:00:00Z');
    expect(() => readStoredRun(dir)).toThrow(/schema version 99, newer than this faultline reads/);
  });

  it('previousRun is the latest finished run that started earlier, skipping failed runs', () => {
    const store = mkdtempSync(join(tmpdir(), 'fl-diff-'));
    const a = storeRun(store, 'a', results(), '2026-01-01T00:00:00Z');
    storeRun(store, 'b', { ...results(), error: 'docker went away' }, '2026-01-02T00:00:00Z');
    const c = storeRun(store, 'c', results(), '2026-01-03T00:00:00Z');
    expect(previousRun(c)).toBe(a);
    expect(previousRun(a)).toBeUndefined();
  });
});
