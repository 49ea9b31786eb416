import { describe, expect, it } from 'vitest';
import { runSimulation } from './sim-cluster.js';
import { replayHint, replaySeed, runSeeds } from './seed-runner.js';

/**
 * Deterministic simulation of correct raftkv: thousands of seeds, each with partitions, crashes (losing
 * unsynced disk writes), pauses, wall-clock jumps and message loss/delay/reordering. Safety properties are
 * checked during each run and the client history is checked for linearizability at the end.
 */
const replay = replaySeed();

describe.runIf(replay !== undefined)('raftkv simulation: replay one seed', () => {
  it(`seed ${replay?.seed}`, () => {
    const r = runSimulation({ ...replay!, trace: true });
    console.log(r.trace.join('\n'));
    console.log(r.stats, r.violations);
    expect(r.violations).toEqual([]);
  });
});

describe.runIf(replay === undefined)('raftkv simulation (correct build)', () => {
  it('5 nodes, 3 clients: 1000 seeds keep every safety property and stay linearizable', () => {
    const opts = { nodes: 5, clients: 3 };
    const failures = runSeeds(1, 1001, opts);
    const report = failures.slice(0, 5).map((f) => `seed ${f.seed}: ${f.violations.join('; ')}\n  ${replayHint(f.seed, opts)}`);
    expect(report).toEqual([]);
  });

  it('the simulation does work: leaders change, snapshots ship, most ops succeed', () => {
    let leaders = 0, snapshots = 0, ops = 0, ok = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = runSimulation({ seed, nodes: 5 });
      leaders += r.stats.leaders;
      snapshots += r.stats.snapshotsInstalled;
      ops += r.stats.ops;
      ok += r.stats.okOps;
    }
    expect(leaders).toBeGreaterThan(40); // more than one leader per run on average
    expect(snapshots).toBeGreaterThan(0);
    expect(ok / ops).toBeGreaterThan(0.5);
  });

  it('is deterministic: the same seed gives the same run', () => {
    const a = runSimulation({ seed: 42, trace: true });
    const b = runSimulation({ seed: 42, trace: true });
    expect(a.trace).toEqual(b.trace);
    expect(a.stats).toEqual(b.stats);
  });
});
