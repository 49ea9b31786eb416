import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommandLine, runCheck } from './check.js';

const fx = (name: string) => `test/fixtures/histories/${name}`;

/** Runs the command's logic in-process (fast); returns the exit code and what it printed. */
async function check(files: string[], flags: Partial<Parameters<typeof runCheck>[0]> = {}) {
  const printed: string[] = [];
  const code = await runCheck({ files, json: false, algorithm: 'auto', ...flags }, (l) => printed.push(l));
  return { code, out: printed.join('\n') };
}

describe('faultline check', () => {
  it('batch: one JSON line per file, exit 1 when any history is invalid', async () => {
    const r = await check([fx('register-valid.jsonl'), fx('register-stale-read.jsonl')], { model: 'cas-register', json: true });
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.file.split('/').pop(), l.valid, l.ops])).toEqual([
      ['register-valid.jsonl', true, 4],
      ['register-stale-read.jsonl', false, 3],
    ]);
    expect(lines[1].counterexample.minimal).toHaveLength(3);
    expect(typeof lines[1].ms).toBe('number');
  });
  it('readable output explains the counterexample in words; the search is used when asked', async () => {
    const r = await check([fx('register-stale-read.jsonl')], { model: 'register', algorithm: 'search' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/INVALID \(3 ops, \d+ ms, search; nil reads: strict\)/);
    expect(r.out).toMatch(/read -> 1 \(p1\) cannot be linearized/);
  });
  it('exit 0 when every file is valid, including EDN with --init', async () => {
    expect((await check([fx('knossos-cas-good.edn'), fx('register-info-write-read.jsonl')], { model: 'cas-register', init: '0' })).code).toBe(0);
  });
  it('a stored run directory is checked with the model from its test.json', async () => {
    const r = await check([fx('run-stale')], { json: true });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).valid).toBe(false);
  });
  it('op times that run backwards against the file order: the order decides, and a note says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-check-times-'));
    const file = join(dir, 'backwards.jsonl');
    const ops = [
      { index: 0, type: 'invoke', process: 0, f: 'write', value: 1, time: 10 },
      { index: 1, type: 'ok', process: 0, f: 'write', value: 1, time: 100 },
      { index: 2, type: 'invoke', process: 1, f: 'read', value: null, time: 50 },
      { index: 3, type: 'ok', process: 1, f: 'read', value: 0, time: 60 },
    ];
    writeFileSync(file, ops.map((o) => JSON.stringify(o)).join('\n') + '\n');
    const r = await check([file], { model: 'register', init: '0', json: true });
    expect(r.code).toBe(1);
    const line = JSON.parse(r.out);
    expect(line.valid).toBe(false);
    expect(line.notes).toEqual([expect.stringMatching(/^2 op time\(s\) are earlier than an op before them/)]);
  });
  it('exit 2 when the time budget is spent (never a guess)', async () => {
    const lines = [];
    let i = 0;
    for (let p = 0; p < 14; p++) lines.push({ index: i++, type: 'invoke', process: p, f: 'write', value: p, time: p });
    for (let p = 0; p < 14; p++) lines.push({ index: i++, type: 'ok', process: p, f: 'write', value: p, time: 100 + p });
    lines.push({ index: i++, type: 'invoke', process: 20, f: 'read', value: null, time: 200 });
    lines.push({ index: i++, type: 'ok', process: 20, f: 'read', value: 99, time: 201 });
    const file = join(mkdtempSync(join(tmpdir(), 'faultline-check-')), 'hard.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const r = await check([file], { model: 'register', algorithm: 'search', 'time-limit': 0, json: true });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({ valid: 'unknown', reason: 'time-limit' });
  });
  it('bad files are exit 3 with a one-line message naming the line', async () => {
    const r = await check([fx('bad-json.jsonl'), fx('register-info-write-read.jsonl')], { model: 'register' });
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/bad-json.jsonl: line 2: bad JSON/);
    // The other files of the batch are still checked.
    expect(r.out).toMatch(/register-info-write-read.jsonl: valid/);
    const cas = await check([fx('register-valid.jsonl')], { model: 'register' });
    expect(cas.code).toBe(3);
    expect(cas.out).toMatch(/history index 5: model register has no operation "cas"/);
    expect((await check([fx('register-valid.jsonl')])).out).toMatch(/no model given/);
    await expect(check([fx('register-valid.jsonl')], { model: 'register', init: '{oops' })).rejects.toThrow(/--init must be JSON/);
  });
  it('through the real bin: an unknown model is exit 3 without a stack trace', () => {
    let code = 0;
    let err = '';
    try {
      execFileSync('npx', ['tsx', 'src/cli/main.ts', 'check', fx('register-valid.jsonl'), '--model', 'nope'], { stdio: 'pipe' });
    } catch (e) {
      code = (e as { status: number }).status;
      err = String((e as { stderr: Buffer }).stderr);
    }
    expect(code).toBe(3);
    expect(err).toMatch(/unknown model "nope"; known models: register, cas-register/);
    expect(err).not.toMatch(/\n\s+at /);
  });
  it('through the real bin, without yargs: --help lists every flag and the exit codes; a misspelt flag is exit 3 naming it', () => {
    const bin = (...args: string[]) => {
      try {
        return { code: 0, out: execFileSync('npx', ['tsx', 'src/cli/main.ts', 'check', ...args], { stdio: 'pipe', encoding: 'utf8' }) };
      } catch (e) {
        const err = e as { status: number; stdout: string; stderr: string };
        return { code: err.status, out: err.stdout + err.stderr };
      }
    };
    const help = bin('--help');
    expect(help.code).toBe(0);
    for (const flag of Object.keys(checkCommandLine.flags)) expect(help.out).toContain(`--${flag}`);
    expect(help.out).toMatch(/Exit codes: 0 valid, 1 invalid/);
    const typo = bin(fx('register-valid.jsonl'), '--modle', 'register');
    expect(typo.code).toBe(3);
    expect(typo.out).toMatch(/faultline: unknown flag --modle\n {2}fix: did you mean --model\?/);
    expect(typo.out).not.toMatch(/\n\s+at /);
  });
});
