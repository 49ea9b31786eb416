import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { counterOps, sequentialHistory, type ClientOp } from '../../../test/fixtures/models/histories.js';
import { usageError } from '../../../test/helpers/usage-error.js';
import { runCheck } from './check.js';

const scratch = mkdtempSync(join(tmpdir(), 'fl-check-model-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const counterFile = './test/fixtures/models/counter.ts';
const maxRegisterFile = 'test/fixtures/models/max-register.mjs';
const throwingFile = './test/fixtures/models/throwing.ts';

/** `ops` as a JSONL history file in the scratch directory. */
function history(name: string, ops: ClientOp[]): string {
  const file = join(scratch, name);
  writeFileSync(file, sequentialHistory(ops).map((op) => JSON.stringify(op)).join('\n') + '\n');
  return file;
}

const multiKey = history('counters.jsonl', counterOps(['k0', 'k1', 'k2', 'k3', 'k4', 'k5'], 'k4'));
const counterOk = history('counter-ok.jsonl', [[0, 'add', undefined, 2, 2], [1, 'read', undefined, null, 2]]);
const maxOk = history('max-ok.jsonl', [[0, 'raise', undefined, 3, 3], [1, 'raise', undefined, 1, 1], [0, 'read', undefined, null, 3]]);
const maxBad = history('max-bad.jsonl', [[0, 'raise', undefined, 3, 3], [1, 'raise', undefined, 1, 1], [0, 'read', undefined, null, 1]]);

async function check(files: string[], flags: Partial<Parameters<typeof runCheck>[0]> = {}) {
  const printed: string[] = [];
  const code = await runCheck({ files, json: true, algorithm: 'auto', ...flags }, (l) => printed.push(l));
  return { code, lines: printed.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('faultline check --model <file>', () => {
  it('a TypeScript model file: valid and invalid histories get their verdicts', async () => {
    const r = await check([counterOk, multiKey], { model: counterFile, 'all-keys': true });
    expect(r.code).toBe(1);
    expect(r.lines.map((l) => l.valid)).toEqual([true, false]);
    expect(r.lines[1]).toMatchObject({ keys: 6, keyVerdicts: { valid: 5, invalid: 1 }, counterexample: { key: 'k4' } });
  });

  it('a JavaScript model file (.mjs): valid and invalid histories get their verdicts', async () => {
    expect((await check([maxOk], { model: maxRegisterFile })).code).toBe(0);
    const bad = await check([maxOk, maxBad], { model: maxRegisterFile });
    expect(bad.code).toBe(1);
    expect(bad.lines.map((l) => l.valid)).toEqual([true, false]);
    expect(bad.lines[1]).toMatchObject({ counterexample: { explanation: expect.stringMatching(/^read -> 1 cannot be linearized/) } });
  });

  it('--workers 2 gives the per-key verdicts of --workers 0', async () => {
    const onWorkers = await check([multiKey], { model: counterFile, 'all-keys': true, workers: 2 });
    const inProcess = await check([multiKey], { model: counterFile, 'all-keys': true, workers: 0 });
    expect(onWorkers.lines[0]).toMatchObject({ valid: false, keyVerdicts: inProcess.lines[0].keyVerdicts, counterexample: inProcess.lines[0].counterexample });
  });

  it('--init with a model file is a usage error: the file decides the initial state', async () => {
    const err = await usageError(check([maxOk], { model: maxRegisterFile, init: '0' }));
    expect(err.message).toBe(`--init does not apply to model file ${maxRegisterFile}: the model's init() gives the initial state`);
    expect(err.fix).toBe(`drop --init, or change init() in ${maxRegisterFile}`);
  });

  // --all-keys in these tests: otherwise the invalid key k4 may end the check before k3's read is stepped.
  it('a model file whose step() throws: that file\'s error (exit 3) naming the model file, step() and the op, not "unknown"', async () => {
    process.env.FL_MODEL_THROW_IN = 'step';
    try {
      for (const workers of [0, 2]) {
        const printed: string[] = [];
        const errors: string[] = [];
        const code = await runCheck({ files: [counterOk, multiKey], json: true, algorithm: 'auto', model: throwingFile, workers, 'all-keys': true }, (l) => printed.push(l), (l) => errors.push(l));
        expect(code).toBe(3);
        expect(errors).toEqual([`faultline: ${JSON.parse(printed[1]).error}`]);
        const lines = printed.map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(lines[0]).toMatchObject({ valid: true });
        expect(lines[1]).toEqual({
          file: multiKey,
          valid: null,
          error: expect.stringMatching(/: \.\/test\/fixtures\/models\/throwing\.ts: step\(\) threw on "read -> 3" \(process 0, history index 22\) in state "total 3" at line \d+: a bug in step \(fix: fix step\(\) in \.\/test\/fixtures\/models\/throwing\.ts\)$/),
        });
      }
    } finally {
      delete process.env.FL_MODEL_THROW_IN;
    }
  });

  it('neither a built-in name nor an existing file: lists the built-ins and says a file works too', async () => {
    const name = await usageError(check([maxOk], { model: 'max-register' }));
    expect(name.message).toMatch(/^unknown model "max-register"; known models: register, cas-register, kv/);
    expect(name.fix).toMatch(/or give the path of a model file \(\.ts, \.mts, \.js, \.mjs\), e\.g\. --model \.\/my-model\.ts/);
    const file = await usageError(check([maxOk], { model: './models/max-register.mjs' }));
    expect(file.message).toMatch(/^model file \.\/models\/max-register\.mjs does not exist/);
    expect(file.fix).toMatch(/a built-in model: register, cas-register/);
  });
});

describe('faultline check --model <file>, through the built bin (run `npm run build` first)', () => {
  const main = 'dist/src/cli/main.js';
  const bin = (args: string[], env: Record<string, string> = {}) => {
    if (!existsSync('dist/checker/models/load-model-file.js')) throw new Error('dist/ has no model file loader: run `npm run build` first');
    const r = spawnSync(process.execPath, [main, 'check', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('loads a .ts model through tsx, also on 2 worker threads, with the per-key verdicts of --workers 0', () => {
    const trace = join(scratch, 'threads');
    const onWorkers = bin([multiKey, '--model', counterFile, '--workers', '2', '--all-keys', '--json'], { FL_MODEL_TRACE: trace });
    const inProcess = bin([multiKey, '--model', counterFile, '--workers', '0', '--all-keys', '--json']);
    expect([onWorkers.code, inProcess.code]).toEqual([1, 1]);
    const verdicts = (out: string) => {
      const line = JSON.parse(out) as { keyVerdicts: unknown; counterexample: { key: string } };
      return [line.keyVerdicts, line.counterexample.key];
    };
    expect(verdicts(onWorkers.out)).toEqual([{ valid: 5, invalid: 1, unknown: 0, 'not-checked': 0 }, 'k4']);
    expect(verdicts(onWorkers.out)).toEqual(verdicts(inProcess.out));
    // Only worker threads stepped the model (thread 0 is the main thread).
    const threads = new Set(readFileSync(trace, 'utf8').trim().split('\n'));
    expect(threads.size).toBe(2);
    expect(threads.has('0')).toBe(false);
  });

  it('a model file with a missing field, or --init beside a file: exit 3, the file and the fix, no stack trace', () => {
    const missing = bin([maxOk, '--model', './test/fixtures/models/missing-step.ts']);
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/^faultline: \.\/test\/fixtures\/models\/missing-step\.ts: model "no-step" is not valid: step\(\) is missing \(it must be a function\)\n {2}fix: /);
    expect(missing.err).not.toMatch(/\n\s+at /);
    const init = bin([maxOk, '--model', maxRegisterFile, '--init', '0']);
    expect(init.code).toBe(3);
    expect(init.err).toMatch(/--init does not apply to model file test\/fixtures\/models\/max-register\.mjs.*\n {2}fix: drop --init/);
    expect(init.err).not.toMatch(/\n\s+at /);
  });

  it('a model file whose code throws: exit 3, one line naming the file, the function and the op, the same on workers', () => {
    for (const fn of ['step', 'hash']) {
      const runs = [0, 2].map((workers) => bin([multiKey, '--model', throwingFile, '--workers', String(workers), '--all-keys'], { FL_MODEL_THROW_IN: fn }));
      for (const r of runs) {
        expect(r.code).toBe(3);
        expect(r.err).toMatch(new RegExp(`^faultline: .*counters\\.jsonl: \\./test/fixtures/models/throwing\\.ts: ${fn}\\(\\) threw .* at line \\d+: a bug in ${fn} \\(fix: fix ${fn}\\(\\) in \\./test/fixtures/models/throwing\\.ts\\)\n$`));
        expect(r.out).toBe('');
      }
      expect(runs[1].err).toBe(runs[0].err);
    }
  });

  it('--help says --model takes a model file', () => {
    const help = bin(['--help']);
    expect(help.code).toBe(0);
    expect(help.out.replace(/\s+/g, ' ')).toMatch(/--model model: register, cas-register, .*, or a model file \(\.ts, \.mts, \.js, \.mjs\)/);
  });
});
