import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/commands/check.js';

/** Each case here was a wrong verdict (a false green or a false red) before the history reader was made strict. */
const dir = mkdtempSync(join(tmpdir(), 'faultline-wrong-verdicts-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function check(files: string[], flags: Record<string, unknown> = {}) {
  const printed: string[] = [];
  const code = await runCheck({ files, json: false, algorithm: 'auto', ...flags } as Parameters<typeof runCheck>[0], (l) => printed.push(l));
  return { code, out: printed.join('\n') };
}
async function checkJson(path: string, flags: Record<string, unknown> = {}) {
  const r = await check([path], { ...flags, json: true });
  return { code: r.code, result: JSON.parse(r.out) as Record<string, unknown> };
}

describe('false greens', () => {
  const cut = file(
    'cut.edn',
    '[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 1, :type :ok, :f :read, :value 7}\n',
  );
  it('an EDN vector without its closing bracket is an error naming where it ends and the last complete op', async () => {
    const r = await check([cut], { model: 'cas-register' });
    expect(r.code).toBe(3);
    expect(r.out).toContain(`${cut}: line 4: the history is cut off`);
    expect(r.out).toMatch(/last complete op: line 4/);
    expect(r.out).toMatch(/--allow-truncated/);
  });
  it('--allow-truncated checks the complete prefix and says so', async () => {
    const r = await check([cut], { model: 'cas-register', 'allow-truncated': true });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/INVALID, truncated at line 4/);
    const j = await checkJson(cut, { model: 'cas-register', 'allow-truncated': true });
    expect(j.result.truncated).toMatchObject({ line: 4, lastCompleteLine: 4 });
  });
  it('a string process id is an error with its line, not a nemesis op', async () => {
    const jsonl = file('string-process.jsonl', '{"type":"invoke","process":"1","f":"read","value":null}\n{"type":"ok","process":"1","f":"read","value":7}\n');
    const r = await check([jsonl], { model: 'register' });
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/string-process.jsonl: line 1: "process" must be an integer or "nemesis" \(got "1"\)/);
    const edn = file('keyword-process.edn', '[{:process :foo, :type :invoke, :f :read, :value nil}\n {:process :foo, :type :ok, :f :read, :value 7}]');
    const e = await check([edn], { model: 'register' });
    expect(e.code).toBe(3);
    expect(e.out).toMatch(/keyword-process.edn: line 1: "process" must be an integer or :nemesis \(got :foo\)/);
  });
  it('an empty file is unknown (exit 2), not valid', async () => {
    const j = await checkJson(file('empty.jsonl', ''), { model: 'register' });
    expect(j.code).toBe(2);
    expect(j.result).toMatchObject({ valid: 'unknown', reason: expect.stringMatching(/no client operation completed/) });
  });
  it('a file with only invocations is unknown (exit 2), not valid', async () => {
    const j = await checkJson(file('invokes.jsonl', '{"type":"invoke","process":0,"f":"write","value":1}\n{"type":"invoke","process":1,"f":"read","value":null}\n'), { model: 'register' });
    expect(j.code).toBe(2);
    expect(j.result).toMatchObject({ valid: 'unknown', neverCompleted: 2 });
  });
});

describe('false reds', () => {
  const knossos = file(
    'nil-read.edn',
    '[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 1, :type :ok, :f :read, :value nil}\n {:process 2, :type :invoke, :f :cas, :value [1 2]}\n {:process 2, :type :ok, :f :cas, :value [1 2]}]\n',
  );
  it('an ok read of nil in Jepsen/Knossos EDN is unconstrained by default (Knossos meaning)', async () => {
    const r = await check([knossos], { model: 'cas-register', init: '0' });
    expect(r.out).toMatch(/valid .*nil reads: unconstrained/);
    expect(r.code).toBe(0);
    const j = await checkJson(knossos, { model: 'cas-register', init: '0' });
    expect(j.result).toMatchObject({ valid: true, nilRead: 'unconstrained', unused: { nilReads: 1 } });
  });
  it('--nil-read strict reads that nil as a value (Porcupine meaning)', async () => {
    const j = await checkJson(knossos, { model: 'cas-register', init: '0', 'nil-read': 'strict' });
    expect(j.code).toBe(1);
    expect(j.result).toMatchObject({ valid: false, nilRead: 'strict' });
  });
  it('our JSONL stays strict by default', async () => {
    const jsonl = file('nil-read.jsonl', '{"type":"invoke","process":0,"f":"write","value":1}\n{"type":"ok","process":0,"f":"write","value":1}\n{"type":"invoke","process":1,"f":"read","value":null}\n{"type":"ok","process":1,"f":"read","value":null}\n');
    const j = await checkJson(jsonl, { model: 'register' });
    expect(j.code).toBe(1);
    expect(j.result.nilRead).toBe('strict');
  });
  it('a keyed history checked with a single-object model is refused instead of mixing its keys', async () => {
    // test.json of this recorded kv run names cas-register: the keys k1..k4 were checked as one register.
    const r = await check(['test/fixtures/runs/valid']);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/has ops on 4 keys \(k3, k2, k1, \.\.\.\) but model cas-register checks one object.*fix: pass --model kv/);
    expect((await check(['test/fixtures/runs/valid'], { model: 'kv' })).code).toBe(0);
  });
  it('a Clojure BigInt 1N is the number 1', async () => {
    const big = file('bigint.edn', '[{:process 0, :type :invoke, :f :write, :value 1N}\n {:process 0, :type :ok, :f :write, :value 1N}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 1, :type :ok, :f :read, :value 1}]\n');
    const r = await check([big], { model: 'register' });
    expect(r.out).toMatch(/: valid/);
    expect(r.code).toBe(0);
  });
});

describe('what the check did not use is counted, by why', () => {
  it('nemesis records, failed ops, reads with unknown result, nil reads and invokes that never completed', async () => {
    const edn = file(
      'unused.edn',
      [
        '{:process :nemesis, :type :info, :f :start, :value nil}',
        '{:process 0, :type :invoke, :f :write, :value 1}',
        '{:process 0, :type :ok, :f :write, :value 1}',
        '{:process 1, :type :invoke, :f :cas, :value [5 6]}',
        '{:process 1, :type :fail, :f :cas, :value [5 6]}',
        '{:process 2, :type :invoke, :f :read, :value nil}',
        '{:process 2, :type :info, :f :read, :value nil}',
        '{:process 3, :type :invoke, :f :read, :value nil}',
        '{:process 3, :type :ok, :f :read, :value nil}',
        '{:process 4, :type :invoke, :f :write, :value 2}',
        '{:process :nemesis, :type :info, :f :stop, :value nil}',
      ].join('\n') + '\n',
    );
    const j = await checkJson(edn, { model: 'cas-register' });
    expect(j.result).toMatchObject({ valid: true, unused: { nemesis: 2, failed: 1, infoReads: 1, nilReads: 1 }, neverCompleted: 1 });
    const r = await check([edn], { model: 'cas-register' });
    expect(r.out).toContain('not used: 2 nemesis, 1 failed, 1 read(s) with unknown result, 1 nil read(s) (unconstrained); 1 never completed (checked as indeterminate)');
  });
  it('--nil-read given for a model without register reads says it does not apply', async () => {
    const set = file('set.jsonl', '{"type":"invoke","process":0,"f":"add","value":1}\n{"type":"ok","process":0,"f":"add","value":1}\n');
    const r = await check([set], { model: 'set', 'nil-read': 'unconstrained' });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/note: --nil-read does not apply to model set/);
  });
});

/** An EDN history of one register: each op is [process, type, f, value]. */
const ednOps = (...ops: [number, string, string, string][]) =>
  `[${ops.map(([p, type, f, value]) => `{:process ${p}, :type :${type}, :f :${f}, :value ${value}}`).join('\n ')}]\n`;

describe('meanings at the edges', () => {
  it('EDN: an op invoked with nil takes the value of its ok completion, as Knossos completes it', async () => {
    // A write invoked with nil that completed with 5 wrote 5 (Knossos: (or invoke-value ok-value)); it was
    // checked as a write of nil, so a later cas from nil passed.
    const casFromNil = file('complete-cas.edn', ednOps([0, 'invoke', 'write', 'nil'], [0, 'ok', 'write', '5'], [1, 'invoke', 'cas', '[nil 6]'], [1, 'ok', 'cas', '[nil 6]']));
    expect((await check([casFromNil], { model: 'cas-register' })).code).toBe(1);
    const readsIt = file('complete-read.edn', ednOps([0, 'invoke', 'write', 'nil'], [0, 'ok', 'write', '5'], [1, 'invoke', 'read', 'nil'], [1, 'ok', 'read', '5']));
    expect((await check([readsIt], { model: 'cas-register' })).code).toBe(0);
  });
  it('EDN: an invoke and its ok carrying two different values is an error naming both lines, not a guess', async () => {
    // Older Knossos checks the invoke's value (a write of 3 here, then the read of 3 is fine), newer Knossos
    // the completion's (a write of 5, and the read of 3 is stale): the history does not say which was done.
    const h = file('differ.edn', ednOps([0, 'invoke', 'write', '3'], [0, 'ok', 'write', '5'], [1, 'invoke', 'read', 'nil'], [1, 'ok', 'read', '3']));
    const r = await check([h], { model: 'register' });
    expect(r.code).toBe(3);
    expect(r.out).toContain(`${h}: line 2: write completed ok with 5 but was invoked with 3 at line 1`);
    // The same value on both sides (a cas, a write) and a read invoked with nil stay as they were.
    const same = file('same.edn', ednOps([0, 'invoke', 'cas', '[nil 2]'], [0, 'ok', 'cas', '[nil 2]'], [1, 'invoke', 'write', '{:a [1 2]}'], [1, 'ok', 'write', '{:a [1 2]}'], [2, 'invoke', 'read', 'nil'], [2, 'ok', 'read', '{:a [1 2]}']));
    expect((await check([same], { model: 'cas-register' })).code).toBe(0);
  });
  it('EDN: nils inside an invoke (an Elle/Knossos transaction) are filled from its ok; only a non-nil place that differs is an error', async () => {
    const txn = file(
      'txn.edn',
      '[{:process 0, :type :invoke, :f :txn, :value [[:append 1 1] [:r 2 nil]]}\n {:process 0, :type :ok, :f :txn, :value [[:append 1 1] [:r 2 [1]]]}]\n',
    );
    // No built-in model judges transactions: the reader takes the op, and the model refuses it by name.
    const r = await check([txn], { model: 'kv-append' });
    expect(r.code).toBe(3);
    expect(r.out).toContain('model kv-append has no operation "txn"');
    const clash = file(
      'txn-clash.edn',
      '[{:process 0, :type :invoke, :f :txn, :value [[:append 1 1] [:r 2 nil]]}\n {:process 0, :type :ok, :f :txn, :value [[:append 1 2] [:r 2 [1]]]}]\n',
    );
    expect((await check([clash], { model: 'kv-append' })).out).toContain('txn completed ok with [["append" 1 2] ["r" 2 [1]]] but was invoked with [["append" 1 1] ["r" 2 nil]]');
  });
  it('JSONL: the invoke value is the argument (a write of null stays one, whatever its completion says)', async () => {
    const jsonl = file(
      'write-null.jsonl',
      '{"type":"invoke","process":0,"f":"write","value":null}\n{"type":"ok","process":0,"f":"write","value":5}\n{"type":"invoke","process":1,"f":"read","value":null}\n{"type":"ok","process":1,"f":"read","value":null}\n',
    );
    expect((await check([jsonl], { model: 'register' })).code).toBe(0);
  });
  it('EDN: {:a 1} and {"a" 1}, #uuid "x" and "x" are different values (an error), #{1 2} and #{2 1} one value', async () => {
    const wr = (written: string, read: string) => ednOps([0, 'invoke', 'write', written], [0, 'ok', 'write', written], [1, 'invoke', 'read', 'nil'], [1, 'ok', 'read', read]);
    for (const [written, read] of [['{:a 1}', '{"a" 1}'], ['#uuid "x"', '"x"']]) {
      const r = await check([file('clash.edn', wr(written, read))], { model: 'register' });
      expect(r.code, `${written} ${read}`).toBe(3);
      expect(r.out).toMatch(/clash\.edn: line 4: .* are different EDN values/);
    }
    expect((await check([file('set-order.edn', wr('#{1 2}', '#{2 1}'))], { model: 'register' })).code).toBe(0);
  });
  it('a Jepsen log line with spaces for tabs is an error naming it, not an ok to skip', async () => {
    const log = file(
      'spaces.log',
      ['0\t:invoke\t:write\t1', '0\t:ok\t:write\t1', '1\t:invoke\t:read\tnil', '1 :ok :read 7'].map((l) => `INFO  jepsen.util - ${l}\n`).join(''),
    );
    const r = await check([log], { model: 'register' });
    expect(r.code).toBe(3);
    expect(r.out).toContain(`${log}: line 4: an op line not in Jepsen's form`);
  });
});

describe('Jepsen logs: cut, damaged and CRLF lines', () => {
  /** A register log whose last read (line 6) is stale: INVALID when every line is read. */
  const staleLog = (lastLine: string) =>
    ['0\t:invoke\t:write\t1', '0\t:ok\t:write\t1', '0\t:invoke\t:write\t2', '0\t:ok\t:write\t2', '1\t:invoke\t:read\tnil'].map((l) => `INFO  jepsen.util - ${l}\n`).join('') + lastLine;
  it('a log cut before its last line reads as an op (mid-marker, mid-value) is an error; with --allow-truncated the verdict says truncated', async () => {
    for (const cut of ['INFO  jepsen.u', 'INFO  jepsen.util - 1\t:ok\t:read\t1']) {
      const log = file('cut.log', staleLog(cut));
      const r = await check([log], { model: 'cas-register' });
      expect(r.code, JSON.stringify(cut)).toBe(3);
      expect(r.out).toContain(`${log}: line 6: the history is cut off (line 6 is cut off); last complete op: line 5 (invoke read by process 1, index 4)`);
      const lenient = await checkJson(log, { model: 'cas-register', 'allow-truncated': true });
      expect(lenient.result.truncated).toMatchObject({ line: 6, lastCompleteLine: 5 });
    }
  });
  it('an ok line with a damaged or lost marker is an error naming it, not a line to skip', async () => {
    for (const damaged of ['INFO  jepsen.utl - 1\t:ok\t:read\t1\n', '1\t:ok\t:read\t1\n']) {
      const log = file('damaged.log', staleLog(damaged));
      const r = await check([log], { model: 'cas-register' });
      expect(r.code, JSON.stringify(damaged)).toBe(3);
      expect(r.out).toContain(`${log}: line 6: an op line not in Jepsen's form`);
    }
    const chatter = file('chatter.log', `INFO  jepsen.util - Worker 3 starting\n${staleLog('INFO  jepsen.util - 1\t:ok\t:read\t1\n')}`);
    expect((await check([chatter], { model: 'cas-register' })).code).toBe(1);
  });
  it('an op folded into an info line by a lost newline is an error naming the line', async () => {
    const log = file('folded.log', staleLog('INFO  jepsen.util - 1\t:info\t:read\t:timed-outINFO  jepsen.util - 1\t:ok\t:read\t1\n'));
    const r = await check([log], { model: 'cas-register' });
    expect(r.code).toBe(3);
    expect(r.out).toContain(`${log}: line 6: the value holds another op line`);
  });
  it('a CRLF log gives the verdict of the same log with LF', async () => {
    const lf = staleLog('INFO  jepsen.util - 1\t:ok\t:read\t1\n');
    const a = await checkJson(file('lf.log', lf), { model: 'cas-register' });
    const b = await checkJson(file('crlf.log', lf.replaceAll('\n', '\r\n')), { model: 'cas-register' });
    expect(a.code).toBe(1);
    expect({ ...b.result, file: undefined, ms: undefined }).toEqual({ ...a.result, file: undefined, ms: undefined });
    expect(b.code).toBe(1);
  });
});
