import { describe, expect, it } from 'vitest';
import { replayHint, replaySeed, runSeeds } from './seed-runner.js';

describe.runIf(replaySeed() === undefined)('raftkv simulation, 3 nodes (correct build)', () => {
  it('1000 seeds with 3 nodes and 4 clients keep every safety property and stay linearizable', () => {
    const opts = { nodes: 3, clients: 4 };
    const failures = runSeeds(100_001, 101_001, opts);
    const report = failures.slice(0, 5).map((f) => `seed ${f.seed}: ${f.violations.join('; ')}\n  ${replayHint(f.seed, opts)}`);
    expect(report).toEqual([]);
  });
});

describe.runIf(replaySeed() === undefined)('raftkv simulation, monotonic lease reads (correct build)', () => {
  it('300 seeds with readMode=lease stay linearizable despite wall-clock jumps and pauses', () => {
    const opts = { nodes: 5, readMode: 'lease' as const };
    const failures = runSeeds(200_001, 200_301, opts);
    expect(failures.slice(0, 5).map((f) => `seed ${f.seed}: ${f.violations.join('; ')}`)).toEqual([]);
  });
});
