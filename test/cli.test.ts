import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const run = (args: string[]) => {
  try {
    return { code: 0, out: execFileSync('npx', ['tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    const err = e as { status: number; stderr: string; stdout: string };
    return { code: err.status, out: err.stdout + err.stderr };
  }
};

describe('faultline CLI', () => {
  it('rejects an unknown command with exit 3 and no stack trace', () => {
    const r = run(['frobnicate']);
    expect(r.code).toBe(3);
    expect(r.out).not.toMatch(/\n\s+at /);
  });
  it('prints help', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/faultline/);
  });
  it('a reader that closes early (`check … | head`) gets no stack trace, and the exit code is still the verdict', async () => {
    const files = Array.from({ length: 300 }, () => 'test/fixtures/histories/register-valid.jsonl');
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', 'check', ...files, '--model', 'cas-register', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Close the reading end before the CLI has printed anything: every line it writes meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });
  it.runIf(existsSync('/dev/full'))('output that cannot be written (a full disk) ends with exit 3 and one line, not a verdict nobody saw', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'check', 'test/fixtures/histories/register-valid.jsonl', '--model', 'cas-register'], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(r.stderr).toContain('faultline: cannot write to stdout (ENOSPC): output was lost');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.status).toBe(3);
    } finally {
      closeSync(full);
    }
  });
});
