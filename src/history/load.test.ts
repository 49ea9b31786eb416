import { describe, expect, it } from 'vitest';
import { pairOperations } from './pair.js';
import { parseEdnHistory } from './edn.js';
import { parseJepsenLog } from './etcd-log.js';
import { parseJsonlHistory } from './jsonl.js';
import { loadOperations } from './load.js';

const fx = (name: string) => `test/fixtures/histories/${name}`;

describe('JSONL histories', () => {
  it('pairs invokes and completions, skipping nemesis ops', async () => {
    const h = await loadOperations(fx('register-valid.jsonl'));
    expect(h.format).toBe('jsonl');
    expect(h.rawOps).toBe(9);
    expect(h.operations.map((o) => [o.f, o.status, o.output])).toEqual([
      ['write', 'ok', 1],
      ['read', 'ok', 1],
      ['cas', 'ok', [1, 2]],
      ['read', 'ok', 2],
    ]);
    expect(h.operations[1]).toMatchObject({ call: 11, ret: 22, invokeIndex: 1, completeIndex: 4 });
  });
  it('an info completion leaves the op open forever (ret = Infinity) and keeps the error', async () => {
    const h = await loadOperations(fx('register-info-write-read.jsonl'));
    expect(h.operations[1]).toMatchObject({ status: 'info', ret: Infinity, error: 'timeout', output: undefined });
  });
  it('bad JSON names the line', async () => {
    await expect(loadOperations(fx('bad-json.jsonl'))).rejects.toThrow(/bad-json.jsonl: line 2: bad JSON/);
  });
  it('a completion without an invoke names the line', async () => {
    await expect(loadOperations(fx('completion-without-invoke.jsonl'))).rejects.toThrow(/line 3: ok completion of read by process 3 has no invoke/);
  });
  it('a process invoking twice names both lines', async () => {
    await expect(loadOperations(fx('double-invoke.jsonl'))).rejects.toThrow(/line 2: process 0 invokes write while its write from line 1/);
  });
  it('ops still pending at the end count as info', () => {
    const ops = pairOperations(parseJsonlHistory('{"type":"invoke","process":0,"f":"write","value":3,"time":5}'));
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ status: 'info', ret: Infinity });
    expect(ops[0].completeIndex).toBeUndefined();
  });
  it('a file that exists but cannot be read is a HistoryError (exit 3), not an internal error', async () => {
    await expect(loadOperations('/proc/self/mem', 'jsonl')).rejects.toMatchObject({ name: 'HistoryError', message: expect.stringMatching(/^\/proc\/self\/mem: cannot be read \(EIO/) });
  });
  it('rejects an op without a valid type', () => {
    expect(() => parseJsonlHistory('{"type":"done","process":0,"f":"read"}', 'h')).toThrow(/h: line 1: "type" must be/);
  });
});

describe('EDN histories', () => {
  it('reads a Knossos vector of op maps with keywords, nil and comments; file order is time', async () => {
    const h = await loadOperations(fx('knossos-cas-good.edn'));
    expect(h.format).toBe('edn');
    expect(h.operations.map((o) => [o.process, o.f, o.status])).toEqual([
      [0, 'write', 'ok'],
      [1, 'read', 'ok'],
      [2, 'cas', 'ok'],
      [0, 'cas', 'fail'],
      [1, 'read', 'ok'],
    ]);
    expect(h.operations[2].input).toEqual([1, 3]);
    expect(h.operations[0].call).toBeLessThan(h.operations[0].ret);
  });
  it('splits jepsen.independent [k v] tuples into key and value', () => {
    const parsed = parseEdnHistory('{:type :invoke, :process 0, :f :cas, :value [:k2 [5 6]], :time 1}\n{:type :ok, :process 0, :f :cas, :value [:k2 [5 6]], :time 2}');
    expect(parsed.independent).toBe(true);
    expect(parsed.ops[0]).toMatchObject({ key: 'k2', value: [5, 6] });
  });
  it('does not mistake a plain cas [from to] for a key tuple', () => {
    const parsed = parseEdnHistory('({:type :invoke, :process 0, :f :cas, :value [1 2]} {:type :ok, :process 0, :f :cas, :value [1 2]})');
    expect(parsed.independent).toBe(false);
    expect(parsed.ops[0].value).toEqual([1, 2]);
  });
  it('accepts #jepsen.history.Op records and a separate :key field', () => {
    const parsed = parseEdnHistory('#jepsen.history.Op{:index 0, :time 7, :type :invoke, :process 3, :f :read, :key "x", :value nil}');
    expect(parsed.ops[0]).toMatchObject({ index: 0, time: 7, process: 3, f: 'read', key: 'x', value: null });
  });
  it('malformed EDN names the line where the reader could not go on', async () => {
    // Line 2's map is never closed, so line 3's map becomes its key, and its odd count is the first error seen.
    await expect(loadOperations(fx('bad-edn.edn'))).rejects.toThrow(/bad-edn.edn: line 3: bad EDN \(a map opened at line 3 has a key without a value\)/);
    expect(() => parseEdnHistory('[{:process 0, :type :invoke, :f :read, :value nil\n {:process 0 :type :ok :f :read :value 1}]', 'h')).toThrow(
      /h: line 2: bad EDN \(a map opened at line 1 is closed by \] \(expected \}\)\)/,
    );
  });
});

describe('Jepsen logs (Porcupine etcd test data)', () => {
  it('reads the op lines and ignores the rest', async () => {
    const { ops } = parseJepsenLog('INFO jepsen.core - starting\nINFO  jepsen.util - 2\t:invoke\t:cas\t[3 4]\nINFO  jepsen.util - 2\t:fail\t:cas\t[3 4]\n');
    expect(ops.map((o) => [o.process, o.type, o.f, o.value])).toEqual([
      [2, 'invoke', 'cas', [3, 4]],
      [2, 'fail', 'cas', [3, 4]],
    ]);
    const h = await loadOperations(fx('etcd-style.log'));
    expect(h.format).toBe('jepsen-log');
    expect(h.operations).toHaveLength(4);
  });
});
