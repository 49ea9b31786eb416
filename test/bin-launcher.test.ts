import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The bin is a /bin/sh line that re-executes the file with node, and JavaScript after it.
const bin = resolve('bin/faultline.js');
const scratch = mkdtempSync(join(tmpdir(), 'fl-launcher-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A `node` first on PATH that prints the arguments it was given, one per line. */
function fakeNodeDir(): string {
  const dir = join(scratch, 'fake-node');
  const node = join(dir, 'node');
  spawnSync('mkdir', ['-p', dir]);
  writeFileSync(node, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
  chmodSync(node, 0o755);
  return dir;
}

const withFakeNode = (file: string, args: string[]) => {
  const r = spawnSync(file, args, { encoding: 'utf8', env: { ...process.env, PATH: `${fakeNodeDir()}:${process.env.PATH}` } });
  return { code: r.status, lines: r.stdout.split('\n').filter((l) => l !== '') };
};

describe('bin/faultline.js launcher', () => {
  it('starts check with background optimizing compilation off, and passes every argument through intact', () => {
    const r = withFakeNode(bin, ['check', 'a history.jsonl', '--model', 'register', '--json']);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(['--no-concurrent-recompilation', bin, 'check', 'a history.jsonl', '--model', 'register', '--json']);
  });

  it('starts every other command with node and no extra flag', () => {
    expect(withFakeNode(bin, ['run', '--time-limit', '5']).lines).toEqual([bin, 'run', '--time-limit', '5']);
    expect(withFakeNode(bin, []).lines).toEqual([bin]);
  });

  it('runs through a symlink, as npm links a bin into node_modules/.bin', () => {
    const link = join(scratch, 'faultline');
    symlinkSync(bin, link);
    expect(withFakeNode(link, ['check', 'x']).lines).toEqual(['--no-concurrent-recompilation', link, 'check', 'x']);
    const real = spawnSync(link, ['check', resolve('test/fixtures/histories/register-valid.jsonl'), '--model', 'cas-register'], { encoding: 'utf8' });
    expect(real.stderr).toBe('');
    expect(real.stdout).toMatch(/valid/);
    expect(real.status).toBe(0);
  });

  it('is also plain JavaScript: `node bin/faultline.js` skips the shell line and works', () => {
    const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
