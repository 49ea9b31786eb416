/**
 * Composed faults, disk faults and replay on a real 3-node raftkv cluster, CI-sized (two 12 s runs):
 * faults overlap, a disk fault damages a stopped node's data volume and says what the node did, the run
 * stays correct, and `--faults-from` redoes its schedule on a new cluster at the same offsets.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { productionDeps } from '../../src/run/adapters.js';
import { resolveConfig } from '../../src/run/config.js';
import { executeRun } from '../../src/run/execute-run.js';
import { ensureDocker } from '../integration/docker-setup.js';
import { overlap, pairedOffsets, readHistory } from '../../bench/detection/fault-timing.js';
import { damagedNodes } from '../../bench/detection/disk-outcome.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** When the lane of fault op `f` (start-disk, stop-disk: lane disk) last completed an op before `atMs`. */
function laneFreeAt(history: ReturnType<typeof readHistory>, f: string, atMs: number): number {
  const lane = f.replace(/^(start|stop)-/, '');
  let free = 0;
  for (const op of history) {
    const ms = op.time / 1e6;
    if (op.process !== 'nemesis' || op.type === 'invoke' || ms > atMs) continue;
    if (op.f.replace(/^(start|stop)-/, '') === lane) free = Math.max(free, ms);
  }
  return free;
}
const store = mkdtempSync(join(tmpdir(), 'faultline-faults-it-'));
const quiet = { write: () => true, isTTY: false };

describe('composed, disk and replayed faults on raftkv (CI size)', () => {
  beforeAll(async () => {
    await ensureDocker();
    if (!existsSync(join(root, 'dist/raftkv/server/main.js'))) await execa('npm', ['run', 'build'], { cwd: root, timeout: 300_000 });
  });

  it('overlaps faults, records disk damage, and replays the schedule at the same offsets', async () => {
    const base = { target: 'raftkv', workload: 'set', nodes: 3, timeLimit: 12, nemesisInterval: 2, quietPeriod: 2, store, readyTimeout: 120 };
    const first = await executeRun(resolveConfig({}, { ...base, nemesis: ['partition', 'pause', 'disk'], seed: 5, name: 'it-composed' }, () => 5), await productionDeps(), { stdout: quiet, stderr: quiet });
    expect(first.results.valid).not.toBe(false);
    const history = readHistory(first.runDir);
    expect(overlap(history).max).toBeGreaterThanOrEqual(2);
    const damaged = damagedNodes(history);
    expect(damaged.length).toBeGreaterThan(0);
    for (const d of damaged) expect(d.after).toMatch(/^(running|refused to start|left stopped)/);
    expect(existsSync(join(first.runDir, 'schedule.json'))).toBe(true);

    const replay = await executeRun(resolveConfig({}, { ...base, faultsFrom: first.runDir, seed: 6, name: 'it-replay' }, () => 6), await productionDeps(), { stdout: quiet, stderr: quiet });
    expect(replay.results.valid).not.toBe(false);
    const replayed = readHistory(replay.runDir);
    const pairs = pairedOffsets(history, replayed);
    expect(pairs.length).toBeGreaterThan(3);
    // A lane runs one fault op at a time: an op whose lane was still busy at its original offset (a disk
    // fault restarting a node took longer this time) starts when the lane's previous op is done, not earlier.
    for (const [f, was, now] of pairs) {
      const due = Math.max(was, laneFreeAt(replayed, f, now));
      expect(Math.abs(now - due), `${f} at ${was.toFixed(0)} ms (due ${due.toFixed(0)} ms)`).toBeLessThan(100);
    }
    const plans = (dir: string) => (JSON.parse(readFileSync(join(dir, 'schedule.json'), 'utf8')) as { entries: { op: string; lane: string; plan?: unknown }[] }).entries.filter((e) => e.op === 'start').map((e) => JSON.stringify([e.lane, e.plan])).sort();
    expect(plans(replay.runDir).every((p) => plans(first.runDir).includes(p))).toBe(true);
  }, 300_000);
});
