import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/commands/check.js';

/** A Jepsen store directory as Jepsen leaves it: store/<test>/<time>/ with history.edn (jepsen.history Op records). */
function jepsenStore(ops: string[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'faultline-jepsen-')), 'store', 'etcd-test', '20251201T120000.000Z');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'history.edn'), ops.map((o) => `#jepsen.history.Op{${o}}`).join('\n') + '\n');
  writeFileSync(join(dir, 'results.edn'), '{:valid? true}\n');
  writeFileSync(join(dir, 'test.jepsen'), 'JEPSEN');
  return dir;
}

async function check(files: string[], flags: Record<string, unknown>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCheck({ files, json: false, algorithm: 'auto', ...flags } as Parameters<typeof runCheck>[0], (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('a Jepsen store directory, read as it is', () => {
  const dir = jepsenStore([
    ':index 0, :time 26387538, :type :invoke, :process 0, :f :write, :value 1N',
    ':index 1, :time 26400000, :type :invoke, :process 1, :f :read, :value nil',
    ':index 2, :time 27000000, :type :ok, :process 0, :f :write, :value 1N',
    ':index 3, :time 27100000, :type :info, :process :nemesis, :f :start, :value nil',
    ':index 4, :time 28000000, :type :ok, :process 1, :f :read, :value nil',
    ':index 5, :time 29000000, :type :invoke, :process 0, :f :read, :value nil',
    ':index 6, :time 30000000, :type :ok, :process 0, :f :read, :value 1',
  ]);
  it('checks its history.edn with the model given, the Knossos meaning of nil and BigInts as numbers', async () => {
    const r = await check([dir], { model: 'cas-register', init: '0' });
    expect(r.out).toMatch(/20251201T120000\.000Z: valid \(3 ops, \d+ ms, [a-z+]+; nil reads: unconstrained\)/);
    expect(r.out).toMatch(/not used: 1 nemesis, 1 nil read\(s\) \(unconstrained\)/);
    expect(r.code).toBe(0);
  });
  it('needs --model (Jepsen stores no model by name)', async () => {
    const r = await check([dir], {});
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/no model given/);
  });
  it('a directory with neither history is named as such', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'faultline-jepsen-'));
    const r = await check([empty], { model: 'register' });
    expect(r.err).toMatch(/is a directory without history\.jsonl or history\.edn/);
  });
});
