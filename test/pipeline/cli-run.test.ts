import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseNemesisList, parseTargetOptions, readConfigFile, resolveConfig } from '../../src/run/config.js';

const exec = promisify(execFile);
async function cli(args: string[]) {
  try {
    const r = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', ...args], { encoding: 'utf8' });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('faultline run: input validation (exit 3, one line, no cluster)', () => {
  const store = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
  const cases: [string[], RegExp][] = [
    [['--nodes', '0'], /nodes: must be at least 1/],
    [['--concurrency', '2.5'], /concurrency: must be a whole number/],
    [['--rate', 'fast'], /--rate must be a number/],
    [['--nemesis', 'partition,meteor'], /unknown nemesis "meteor"/],
    [['--workload', 'bank'], /workload: must be one of/],
    [['--target-opt', 'novalue'], /not key=value/],
    [['--config', '/nonexistent/run.json'], /cannot read config file/],
    [['--target', 'nosuchdb'], /unknown target "nosuchdb"/],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(' ')}`, async () => {
      const r = await cli([...args, '--store', store]);
      expect(r.code).toBe(3);
      expect(r.out).toMatch(message);
      expect(r.out).not.toMatch(/\n\s+at /);
    });
  }
  it('wrote no run directory for any of them', () => {
    expect(readdirSync(store)).toEqual([]);
  });
});

describe('run config', () => {
  it('flags override the file, the file overrides defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-cfg-'));
    const path = join(dir, 'run.json');
    writeFileSync(path, JSON.stringify({ nodes: 3, rate: 50, nemesis: 'pause,kill', targetOptions: { a: '1' } }));
    const c = resolveConfig(readConfigFile(path), { rate: 75, targetOptions: { b: '2' } }, () => 9);
    expect(c).toMatchObject({ target: 'raftkv', nodes: 3, rate: 75, nemesis: ['pause', 'kill'], seed: 9, timeLimit: 60, targetOptions: { a: '1', b: '2' } });
  });
  it('rejects unknown fields and wrong types in the file, naming them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-cfg-'));
    const path = join(dir, 'run.json');
    writeFileSync(path, JSON.stringify({ nodez: 3 }));
    expect(() => readConfigFile(path)).toThrow(/unknown field\(s\): nodez/);
    writeFileSync(path, JSON.stringify({ timeLimit: 'long' }));
    expect(() => readConfigFile(path)).toThrow(/time-limit: must be a number/);
    writeFileSync(path, '{ not json');
    expect(() => readConfigFile(path)).toThrow(/not valid JSON/);
  });
  it('parses nemesis lists and target options', () => {
    expect(parseNemesisList('partition, kill')).toEqual(['partition', 'kill']);
    expect(parseNemesisList('none')).toEqual([]);
    expect(parseTargetOptions(['a=1', 'b=x=y'])).toEqual({ a: '1', b: 'x=y' });
  });
});
