import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FIXTURES, tempDir } from './helpers.js';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

async function cli(args: string[]) {
  try {
    const r = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('faultline report', () => {
  it('renders a run directory and says where the page went', async () => {
    const out = join(tempDir(), 'r.html');
    const r = await cli(['report', join(FIXTURES, 'invalid'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${out}  (invalid, 422 ops,`);
    expect(readFileSync(out, 'utf8')).toContain('data-testid="verdict">invalid<');
  });

  it.each([
    [['report', '/no/such/run'], /^faultline: run directory not found: \/no\/such\/run\n {2}fix: /],
    [['report', 'package.json'], /^faultline: not a directory: .*package\.json/],
    [['report', 'src'], /^faultline: .*src is not a run directory \(no test\.json, history\.jsonl or results\.json\)/],
    [['report'], /^faultline: Not enough non-option arguments/],
    [['serve', '--store', '/no/such/store'], /^faultline: store directory not found: \/no\/such\/store/],
  ])('%j is a one-line usage error with exit 3', async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(3);
    expect(r.out.replace(/^npm warn.*\n/gm, '')).toMatch(message);
    expect(r.out).not.toMatch(/\n\s+at /);
  });
});
