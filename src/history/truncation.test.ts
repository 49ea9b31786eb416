import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEdnHistory } from './edn.js';
import { parseJepsenLog } from './etcd-log.js';
import { parseJsonlText } from './jsonl.js';
import { loadOperations } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-truncation-'));
const W = '{"index":0,"type":"invoke","process":0,"f":"write","value":1,"time":1}\n{"index":1,"type":"ok","process":0,"f":"write","value":1,"time":2}\n';

describe('a history cut off while it was written', () => {
  it('JSONL: a last line cut mid-object is an error naming the last complete op', () => {
    expect(() => parseJsonlText(`${W}{"index":2,"ty`, { name: 'h.jsonl' })).toThrow(
      /^h\.jsonl: line 3: the history is cut off \(line 3 is cut off mid-object\); last complete op: line 2 \(ok write by process 0, index 1\)$/,
    );
  });
  it('JSONL: with allowTruncated the complete lines are read and the cut is described', () => {
    const r = parseJsonlText(`${W}{"index":2,"ty`, { name: 'h.jsonl', allowTruncated: true });
    expect(r.ops).toHaveLength(2);
    expect(r.truncated).toEqual({ line: 3, what: 'line 3 is cut off mid-object', lastCompleteLine: 2, lastCompleteOp: 'ok write by process 0, index 1' });
  });
  it('JSONL: a bad line that ends with a newline, or is followed by more lines, is damage, not a cut', () => {
    expect(() => parseJsonlText(`${W}{"index":2,"ty\n`, { name: 'h', allowTruncated: true })).toThrow(/h: line 3: bad JSON/);
    expect(() => parseJsonlText(`{"index":2,"ty\n${W}`, { name: 'h', allowTruncated: true })).toThrow(/h: line 1: bad JSON/);
  });
  it('JSONL streamed from a file follows the same rules', async () => {
    const file = join(dir, 'cut.jsonl');
    writeFileSync(file, `${W}{"index":2,"type":"invoke","process":1,"f":"re`);
    await expect(loadOperations(file)).rejects.toThrow(/cut\.jsonl: line 3: the history is cut off/);
    const h = await loadOperations(file, { allowTruncated: true });
    expect(h.truncated).toMatchObject({ line: 3, lastCompleteLine: 2 });
    expect(h.operations).toHaveLength(1);
  });
  it('EDN vector: never closed, or cut inside an op', () => {
    const v = '[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1}\n';
    expect(() => parseEdnHistory(v, 'h.edn')).toThrow(/^h\.edn: line 2: the history is cut off \(the vector opened at line 1 is never closed\); last complete op: line 2 \(ok write by process 0, index 1\)$/);
    const cut = parseEdnHistory(`${v} {:process 1, :type :inv`, 'h.edn', { allowTruncated: true });
    expect(cut.ops).toHaveLength(2);
    expect(cut.truncated).toMatchObject({ line: 3, what: 'the op at line 3 is cut off', lastCompleteLine: 2 });
    expect(() => parseEdnHistory('[{:process 0, :type :invoke, :f :write, :value "ab', 'h')).toThrow(/no op before the cut is complete/);
  });
  it('EDN stream of maps (history.edn) cut inside a map', () => {
    expect(() => parseEdnHistory('{:index 0, :type :invoke, :process 0, :f :read, :value nil}\n{:index 1, :type :ok', 'h')).toThrow(/line 2: the history is cut off \(the op at line 2 is cut off\)/);
  });
  it('Jepsen log: an op line at the end without its newline is a cut', () => {
    const log = 'INFO  jepsen.util - 0\t:invoke\t:write\t3\nINFO  jepsen.util - 0\t:ok\t:write\t3\nINFO  jepsen.util - 1\t:ok\t:read\t[1 ';
    expect(() => parseJepsenLog(log, 'h.log')).toThrow(/h\.log: line 3: the history is cut off \(line 3 is cut off\)/);
    expect(parseJepsenLog(log, 'h.log', { allowTruncated: true }).ops).toHaveLength(2);
    expect(() => parseJepsenLog('INFO  jepsen.util - p1\t:invoke\t:read\tnil\n', 'h.log')).toThrow(/line 1: the process must be an integer or :nemesis \(got p1\)/);
  });
});
