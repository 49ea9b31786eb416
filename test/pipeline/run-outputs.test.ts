/**
 * What a CI system reads from a run: junit.xml parsed by a JUnit reader (junit2json), the versioned JSON
 * files against the published schemas, stdout/stderr conventions, --compare, and validation that happens
 * before anything is written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse as parseJunit, type TestCase } from 'junit2json';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHistory, getModel } from '../../checker/index.js';
import { renderRunReport } from '../../reports/render-run-report.js';
import { UsageError } from '../../src/core/errors.js';
import type { RunDeps } from '../../src/run/adapters.js';
import { resolveConfig, type RunConfigInput } from '../../src/run/config.js';
import { executeRun, type RunIo } from '../../src/run/execute-run.js';
import type { RunInfo, RunResults } from '../../src/store/run-files.js';
import { runDirSchemaProblems, runDirsIn } from '../helpers/run-dir-schemas.js';
import { fakeWorld } from './fakes/fake-cluster.js';

const sink = () => {
  const out: string[] = [];
  return { out, write: (s: string) => out.push(s), isTTY: false, text: () => out.join('') };
};

const stores: string[] = [];
const newStore = () => {
  const store = mkdtempSync(join(tmpdir(), 'faultline-out-'));
  stores.push(store);
  return store;
};

afterAll(() => {
  const dirs = stores.flatMap(runDirsIn);
  expect(dirs.length).toBeGreaterThan(3);
  expect(dirs.flatMap(runDirSchemaProblems)).toEqual([]);
});

function deps(world: ReturnType<typeof fakeWorld>, extra: Partial<RunDeps> = {}): RunDeps {
  return {
    getTarget: (name) => {
      if (name !== 'fake') throw new UsageError(`unknown target "${name}"`);
      return world.target;
    },
    createCluster: (o) => world.createCluster(o),
    getModel: (n) => getModel(n),
    checkHistory,
    provenance: async () => ({ images: { 'faultline/fake:abc': { id: 'sha256:1234', digests: [] } }, docker: '26.1.5' }),
    ...extra,
  };
}

function config(over: RunConfigInput = {}) {
  return resolveConfig(
    {},
    { target: 'fake', workload: 'register', nemesis: [], store: newStore(), timeLimit: 0.5, nemesisInterval: 0.1, quietPeriod: 0, rate: 2000, concurrency: 6, nodes: 3, seed: 42, ...over },
    () => 1,
  );
}

const notCi: RunIo['ci'] = { isCI: false, name: null, id: null, isPR: null };

async function run(mode: 'linearizable' | 'stale', over: RunConfigInput = {}, io: Partial<RunIo> = {}, extra: Partial<RunDeps> = {}) {
  const stdout = sink();
  const stderr = sink();
  const outcome = await executeRun(config(over), deps(fakeWorld({ mode }), extra), { stdout, stderr, ci: notCi, ...io });
  return { outcome, stdout, stderr };
}

const historyLines = (dir: string) => readFileSync(join(dir, 'history.jsonl'), 'utf8').split('\n');

describe('junit.xml as a JUnit reader sees it', () => {
  it('invalid: the failure names the op and its real history line, explains it, and says how to reproduce', async () => {
    const { outcome } = await run('stale');
    expect(outcome.exitCode).toBe(1);
    const junit = await parseJunit(readFileSync(join(outcome.runDir, 'junit.xml'), 'utf8'));
    const suite = (junit as { testsuite: { testcase: TestCase[]; properties: { name: string; value: string }[]; failures: number }[] }).testsuite[0]!;
    expect(suite.failures).toBe(1);
    const lin = suite.testcase.find((c) => c.name?.startsWith('linearizability'))!;
    const failure = lin.failure![0];
    expect(failure.type).toBe('invalid');
    // "history.jsonl line N" must be line N of the file: the op's invoke.
    const m = /(\w+) by process (\d+) \(op #\d+, history.jsonl line (\d+)\)/.exec(failure.message!)!;
    expect(m).not.toBeNull();
    const line = JSON.parse(historyLines(outcome.runDir)[Number(m[3]) - 1]) as { type: string; f: string; process: number };
    expect(line).toMatchObject({ type: 'invoke', f: m[1], process: Number(m[2]) });
    expect(failure.inner).toContain(outcome.results.linearizability.counterexample!.explanation);
    expect(failure.inner).toContain(`reproduce: ${outcome.info.command}`);
    expect(failure.inner).toContain('--seed 42');
    // The attachment is on the test case, an absolute path to the run's report.
    expect(lin['system-out']![0]).toBe(`[[ATTACHMENT|${join(outcome.runDir, 'report.html')}]]`);
    const props = Object.fromEntries(suite.properties.map((p) => [p.name, p.value]));
    expect(props).toMatchObject({ seed: 42, 'version:docker': '26.1.5', 'image:faultline/fake:abc': 'sha256:1234' });
  });

  it('--junit-attachment relative: paths relative to the project directory (GitLab)', async () => {
    const store = newStore();
    const { outcome } = await run('stale', { store }, { junitAttachments: 'relative', env: { CI_PROJECT_DIR: store } });
    const junit = await parseJunit(readFileSync(join(outcome.runDir, 'junit.xml'), 'utf8'));
    const lin = (junit as { testsuite: { testcase: TestCase[] }[] }).testsuite[0].testcase[0];
    expect(lin['system-out']![0]).toBe(`[[ATTACHMENT|${relative(store, join(outcome.runDir, 'report.html'))}]]`);
    expect(lin['system-out']![0]).not.toContain('/tmp/');
  });

  it('under GitLab CI (ci-info) the attachment is relative by default, and test.json names the CI', async () => {
    const store = newStore();
    const ci = { isCI: true, name: 'GitLab CI', id: 'GITLAB', isPR: false };
    const { outcome } = await run('stale', { store }, { ci, env: { CI_PROJECT_DIR: store } });
    expect(readFileSync(join(outcome.runDir, 'junit.xml'), 'utf8')).toContain(`[[ATTACHMENT|${relative(store, join(outcome.runDir, 'report.html'))}]]`);
    expect((JSON.parse(readFileSync(join(outcome.runDir, 'test.json'), 'utf8')) as RunInfo).ci).toEqual({ name: 'GitLab CI', isPR: false });
  });

  it('a valid run has no failure and still attaches the report', async () => {
    const { outcome } = await run('linearizable');
    const junit = await parseJunit(readFileSync(join(outcome.runDir, 'junit.xml'), 'utf8'));
    const suite = (junit as { testsuite: { testcase: TestCase[]; failures: number; errors: number }[] }).testsuite[0];
    expect(suite.failures).toBe(0);
    expect(suite.errors).toBe(0);
    expect(suite.testcase[0].failure).toBeUndefined();
    expect(suite.testcase[0]['system-out']![0]).toMatch(/^\[\[ATTACHMENT\|\/.*report\.html\]\]$/);
  });
});

describe('versioned run files', () => {
  it('test.json records schema versions, images, tool versions and target options', async () => {
    const { outcome } = await run('linearizable', { targetOptions: { flavour: 'plain' } });
    const info = JSON.parse(readFileSync(join(outcome.runDir, 'test.json'), 'utf8')) as RunInfo;
    expect(info).toMatchObject({ schemaVersion: 1, historySchemaVersion: 1 });
    expect(info.images).toEqual({ 'faultline/fake:abc': { id: 'sha256:1234', digests: [] } });
    expect(info.versions).toMatchObject({ faultline: expect.any(String), node: process.version, docker: '26.1.5' });
    expect(info.config.targetOptions).toEqual({ flavour: 'plain' });
    const results = JSON.parse(readFileSync(join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
    expect(results.schemaVersion).toBe(1);
    expect(results.stats.latencyMs?.all.count).toBeGreaterThan(0);
    expect(runDirSchemaProblems(outcome.runDir)).toEqual([]);
  });

  it('the schema check can fail: a results.json without a verdict is reported', async () => {
    const { outcome } = await run('linearizable');
    const results = JSON.parse(readFileSync(join(outcome.runDir, 'results.json'), 'utf8')) as Record<string, unknown>;
    delete results.valid;
    const { writeFileSync } = await import('node:fs');
    const broken = mkdtempSync(join(tmpdir(), 'faultline-broken-'));
    writeFileSync(join(broken, 'results.json'), JSON.stringify(results));
    expect(runDirSchemaProblems(broken).join('\n')).toMatch(/results.json.*valid/);
  });
});

describe('stdout, stderr and the flags around them', () => {
  it('text: the seed line and the summary on stdout, progress and diagnostics on stderr', async () => {
    const { stdout } = await run('linearizable');
    expect(stdout.text()).toMatch(/^faultline: seed 42; run dir /);
    expect(stdout.text()).toMatch(/verdict: +VALID/);
    expect(stdout.text()).not.toMatch(/ops\/s/);
  });

  it('--json: exactly one JSON object on stdout', async () => {
    const { stdout, outcome } = await run('stale', {}, { output: 'json' });
    expect(stdout.out).toHaveLength(1);
    const parsed = JSON.parse(stdout.text()) as { verdict: string; seed: number; runDir: string };
    expect(parsed).toMatchObject({ verdict: 'invalid', seed: 42, runDir: outcome.runDir });
  });

  it('--quiet: no progress lines on stderr', async () => {
    const { stderr, stdout } = await run('linearizable', {}, { output: 'quiet' });
    expect(stderr.text()).not.toMatch(/ops\/s/);
    expect(stdout.text()).toMatch(/verdict: +VALID/);
  });

  it('not on a TTY: a progress line per phase, not one every few seconds', async () => {
    const { stderr } = await run('linearizable', { timeLimit: 1.5 });
    const progress = stderr.out.filter((l) => l.includes('ops/s'));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThanOrEqual(3);
  });

  it('store/index.html is rewritten after each run', async () => {
    const rendered: string[] = [];
    const { outcome } = await run('linearizable', {}, {}, { renderStoreIndex: async (dir) => rendered.push(dir) });
    expect(rendered).toEqual([outcome.info.config.store]);
  });
});

describe('validation before anything is written', () => {
  it('--nodes 12 fails validation (the runtime limit) and writes no run directory', () => {
    const store = newStore();
    expect(() => config({ nodes: 12, store })).toThrow(/nodes: must be at most 9/);
    expect(readdirSync(store)).toEqual([]);
  });

  it('an empty --nemesis is refused, naming --nemesis none', () => {
    expect(() => config({ nemesis: '' as unknown as string[] })).toThrow(UsageError);
    try {
      config({ nemesis: '' as unknown as string[] });
    } catch (err) {
      expect((err as UsageError).fix).toContain('--nemesis none');
    }
    expect(config({ nemesis: 'none' as unknown as string[] }).nemesis).toEqual([]);
  });
});

describe('--compare previous', () => {
  it('valid then invalid: the new anomaly is listed after the summary, in compare.json and in junit.xml', async () => {
    const store = newStore();
    await run('linearizable', { store, name: 'cmp' });
    const { outcome, stdout } = await run('stale', { store, name: 'cmp', seed: 43 }, { compare: 'previous' }, { renderRunReport: (dir) => renderRunReport(dir) });
    const text = stdout.text();
    expect(text).toMatch(/verdict: +valid -> invalid/);
    expect(text).toMatch(/new anomalies: +1/);
    expect(text).toMatch(/\+ linearizability not-linearizable \[[a-z,]*read/);
    expect(existsSync(join(outcome.runDir, 'compare.json'))).toBe(true);
    expect(readFileSync(join(outcome.runDir, 'junit.xml'), 'utf8')).toContain('new anomalies:  1');
    const report = readFileSync(join(outcome.runDir, 'report.html'), 'utf8');
    expect(report).toContain('Compared with an earlier run');
    expect(report).toMatch(/verdict: +valid -&gt; invalid/);
  });

  it('no earlier run: a note on stderr, the run itself unaffected', async () => {
    const { outcome, stderr } = await run('linearizable', { name: 'first-of-its-name' }, { compare: 'previous' });
    expect(outcome.exitCode).toBe(0);
    expect(stderr.text()).toMatch(/no earlier finished run/);
  });
});
