import { execFileSync } from 'node:child_process';
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
});
