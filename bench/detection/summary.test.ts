import { describe, expect, it } from 'vitest';
import { benchMarkdown, detectionMarkdown, median, soakMarkdown, summarize, type BenchRun } from './summary.js';

function run(label: string, seed: number, verdict: BenchRun['verdict'], firstAnomalySec?: number, said = 'x'): BenchRun {
  return {
    part: 'detection', label, setup: 'register / partition every 3 s', seed, timeLimit: 30, command: `faultline run --seed ${seed}`,
    runDir: `store/r${seed}`, exitCode: verdict === true ? 0 : verdict === false ? 1 : 2, verdict, said,
    ...(firstAnomalySec !== undefined ? { firstAnomalySec } : {}), ops: { ok: 1, fail: 0, info: 0 }, durationMs: 1,
  };
}

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('summarize', () => {
  const runs = [
    run('stale-reads', 1, false, 4, 'stale read'),
    run('stale-reads', 2, true),
    run('stale-reads', 3, false, 8, 'another'),
    run('no-fsync', 1, 'unknown', undefined, 'unknown: time-limit'),
  ];
  const rows = summarize(runs);

  it('groups by label in first-seen order and counts verdicts', () => {
    expect(rows.map((r) => r.label)).toEqual(['stale-reads', 'no-fsync']);
    expect(rows[0]).toMatchObject({ runs: 3, invalid: 2, valid: 1, unknown: 0, medianFirstAnomalySec: 6, said: 'stale read', notInvalidSeeds: [2] });
    expect(rows[0].invalidRate).toBeCloseTo(2 / 3);
    expect(rows[1]).toMatchObject({ invalid: 0, unknown: 1, unknowns: [{ seed: 1, said: 'unknown: time-limit' }] });
  });

  it('renders the detection table with rate, median time and missed seeds', () => {
    const md = detectionMarkdown(rows);
    expect(md).toContain('| stale-reads | register / partition every 3 s | 3 × 30 s | 2/3 (67%) | 6.0 s | stale read | 2 |');
    expect(md).toContain('| no-fsync |');
  });

  it('renders the soak table, naming invalid runs and explaining unknowns', () => {
    const md = soakMarkdown(summarize([run('raftkv kill', 1, true), run('raftkv kill', 2, 'unknown', undefined, 'unknown: no final read')]));
    expect(md).toContain('| raftkv kill | register / partition every 3 s | 2 × 30 s | 1 | 0 | 1 | seed 2: unknown: no final read |');
  });

  it('escapes pipes so a counterexample cannot break the table', () => {
    const md = detectionMarkdown(summarize([run('k', 1, false, 1, 'a | b')]));
    expect(md).toContain('a \\| b');
  });

  it('writes the regenerate command and every run into the markdown file', () => {
    const md = benchMarkdown('detection', 'faultline bench detection --runs 3', runs, '2026-01-01T00:00:00Z');
    expect(md).toContain('`faultline bench detection --runs 3`');
    expect(md.match(/store\/r\d/g)).toHaveLength(4);
  });
});
