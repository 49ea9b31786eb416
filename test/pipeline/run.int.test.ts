/**
 * `faultline run` end to end on real containers, kept short for CI (3 nodes, 8 s of traffic, a fault
 * every 2 s): correct raftkv under partitions is valid, raftkv with stale reads is caught, correct etcd
 * under kill/restart is valid. Every run must leave all its files and no Docker objects behind.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHistory, getModel } from '../../checker/index.js';
import { renderRunReport } from '../../reports/render-run-report.js';
import type { HistoryOp } from '../../src/history/types.js';
import type { RunDeps } from '../../src/run/adapters.js';
import { resolveConfig, type RunConfigInput } from '../../src/run/config.js';
import { executeRun, type RunOutcome } from '../../src/run/execute-run.js';
import { createCluster } from '../../src/runtime/create-cluster.js';
import { docker } from '../../src/runtime/docker-client.js';
import { LABEL } from '../../src/runtime/labels.js';
import { loadTarget } from '../../src/targets/registry.js';
import { ensureDocker } from '../integration/docker-setup.js';
import { runDirSchemaProblems, runDirsIn } from '../helpers/run-dir-schemas.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const store = mkdtempSync(join(tmpdir(), 'faultline-run-it-'));

// Every run directory these runs wrote matches the published schemas (schemas/*.schema.json).
afterAll(() => {
  expect(runDirsIn(store).flatMap(runDirSchemaProblems)).toEqual([]);
});
const quiet = { write: () => true, isTTY: false };

const deps: RunDeps = {
  getTarget: loadTarget,
  createCluster: (o) => createCluster({ ...o, build: { log: () => undefined } }),
  getModel: (name) => getModel(name),
  checkHistory,
  renderRunReport: (dir) => renderRunReport(dir),
};

async function run(over: RunConfigInput): Promise<RunOutcome> {
  const config = resolveConfig(
    {},
    { store, nodes: 3, concurrency: 6, rate: 150, timeLimit: 8, nemesisInterval: 2, quietPeriod: 1, readyTimeout: 90, checkTimeLimit: 60, seed: 7, ...over },
    () => 7,
  );
  const stderr: string[] = [];
  const outcome = await executeRun(config, deps, { stdout: quiet, stderr: { write: (s: string) => stderr.push(s), isTTY: false } });
  // Nothing of the run may survive it.
  const runId = `${outcome.info.name}-${basename(outcome.runDir)}`;
  const left = await docker().listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL.run}=${runId}`] }) });
  expect(left).toEqual([]);
  expect(stderr.join('')).not.toMatch(/MaxListenersExceeded/);
  return outcome;
}

const history = (dir: string) =>
  readFileSync(join(dir, 'history.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as HistoryOp);

function nemesisInfos(dir: string, prefix: string): HistoryOp[] {
  return history(dir).filter((o) => o.process === 'nemesis' && o.type === 'info' && o.f.startsWith(prefix));
}

describe('faultline run on real clusters', () => {
  beforeAll(async () => {
    await ensureDocker();
    // The raftkv image is built from the compiled server; build it once if this checkout has not.
    if (!existsSync(join(root, 'dist/raftkv/server/main.js'))) await execa('npm', ['run', 'build'], { cwd: root, timeout: 300_000 });
  });

  it('correct raftkv under partitions: valid (exit 0), every run file written, faults applied without errors', async () => {
    const outcome = await run({ target: 'raftkv', workload: 'kv', nemesis: ['partition'] });
    expect(outcome.results.error).toBeUndefined();
    expect(outcome.results.valid).toBe(true);
    expect(outcome.exitCode).toBe(0);
    for (const f of ['test.json', 'history.jsonl', 'results.json', 'junit.xml', 'report.html']) {
      expect(statSync(join(outcome.runDir, f)).size, f).toBeGreaterThan(0);
    }
    expect(statSync(join(outcome.runDir, 'node-logs', 'n1.log')).size).toBeGreaterThan(0);
    expect(outcome.results.stats.ok).toBeGreaterThan(100);
    const starts = nemesisInfos(outcome.runDir, 'start-partition');
    expect(starts.length).toBeGreaterThan(0);
    for (const op of [...starts, ...nemesisInfos(outcome.runDir, 'heal-partition')]) {
      expect(op.error).toBeUndefined();
      expect((op.value as { errors?: unknown }).errors).toBeUndefined();
    }
    // History time 0 is the first op: the first invoke is near 0, and the main phase lasts the time limit.
    const ops = history(outcome.runDir);
    expect(ops[0]!.time).toBeLessThan(1e9);
  });

  it('raftkv with stale reads under partitions: caught (invalid, exit 1)', async () => {
    const outcome = await run({ target: 'raftkv', workload: 'register', nemesis: ['partition'], targetOptions: { bugs: 'stale-reads' } });
    expect(outcome.results.error).toBeUndefined();
    expect(outcome.results.valid).toBe(false);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.results.linearizability.counterexample?.op.f).toBe('read');
    expect(readFileSync(join(outcome.runDir, 'junit.xml'), 'utf8')).toMatch(/<failure/);
  });

  it('correct etcd under kill/restart: valid (exit 0), every node running again at the end', async () => {
    const outcome = await run({ target: 'etcd', workload: 'kv', nemesis: ['kill'] });
    expect(outcome.results.error).toBeUndefined();
    expect(outcome.results.valid).toBe(true);
    expect(outcome.exitCode).toBe(0);
    const kills = nemesisInfos(outcome.runDir, 'start-kill');
    expect(kills.length).toBeGreaterThan(0);
    expect((kills[0]!.value as { nodes: string[] }).nodes.length).toBeGreaterThan(0);
    for (const op of nemesisInfos(outcome.runDir, 'stop-kill')) expect((op.value as { errors?: unknown }).errors).toBeUndefined();
  });
});
