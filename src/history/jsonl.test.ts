import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../checker/index.js';
import { getModel } from '../../checker/models/index.js';
import { HistoryError } from './errors.js';
import { parseJsonlHistory } from './jsonl.js';
import { pairOperations } from './pair.js';

const line = (o: Record<string, unknown>) => JSON.stringify(o);
/** write `written` by p0, then a read by p1 returning `read` (as raw JSON text), times 1..4. */
function writeThenRead(written: string, read: string, readTime = ',"time":4'): string {
  return [
    `{"index":0,"type":"invoke","process":0,"f":"write","value":${written},"time":1}`,
    `{"index":1,"type":"ok","process":0,"f":"write","value":${written},"time":2}`,
    `{"index":2,"type":"invoke","process":1,"f":"read","value":null${readTime === '' ? '' : ',"time":3'}}`,
    `{"index":3,"type":"ok","process":1,"f":"read","value":${read}${readTime}}`,
  ].join('\n') + '\n';
}

function readError(text: string): HistoryError {
  try {
    parseJsonlHistory(text, 'h.jsonl');
  } catch (e) {
    if (e instanceof HistoryError) return e;
    throw e;
  }
  throw new Error('read without an error');
}

describe('JSONL numbers JSON.parse cannot hold', () => {
  it('an integer past 2^53 is an error naming its line, not a neighbour that compares equal (a stale read read as fresh)', () => {
    // JSON.parse reads both as 9007199254740992: the read would match the write.
    const text = writeThenRead('9007199254740993', '9007199254740992');
    expect(readError(text).message).toMatch(/h\.jsonl: line 1: 9007199254740993 is too large for an exact JS number/);
  });
  it('a number out of range (Infinity) or too small (0) is an error', () => {
    expect(readError(writeThenRead('1e400', '2e400')).message).toMatch(/line 1: 1e400 is out of the range/);
    expect(readError(writeThenRead('0', '1e-400')).message).toMatch(/line 4: 1e-400 is too small/);
  });
  it('exact numbers, safe integers, decimals and digits inside strings are read as before', () => {
    const ops = parseJsonlHistory(writeThenRead('9007199254740991', '"12345678901234567890e5"'));
    expect(ops[0].value).toBe(9007199254740991);
    expect(ops[3].value).toBe('12345678901234567890e5');
    expect(parseJsonlHistory(writeThenRead('0.30000000000000004', '1.5e3'))[3].value).toBe(1500);
  });
});

describe('JSONL fields JSON.parse would silently pick', () => {
  it('a field given twice is an error (JSON.parse keeps the last: an ok read became a failed one and the history came back valid)', async () => {
    const text = writeThenRead('1', '2,"type":"fail"');
    expect(readError(text).message).toMatch(/line 4: the key "type" is given twice/);
  });
  it('a key given twice inside a value is an error too; colons inside strings are not keys', () => {
    expect(readError(writeThenRead('{"a":1,"a":2}', '{"a":2}')).message).toMatch(/line 1: the key "a" is given twice/);
    const ops = parseJsonlHistory(writeThenRead('"a:b:c"', '{"x":"\\":y","y":[{"z":1},{"z":2}]}'));
    expect(ops[3].value).toEqual({ x: '":y', y: [{ z: 1 }, { z: 2 }] });
  });
  it('a nested object may repeat an op field name', () => {
    const ops = parseJsonlHistory(writeThenRead('{"type":1,"value":{"value":2}}', '{"type":1,"value":{"value":2}}'));
    expect(ops[3].value).toEqual({ type: 1, value: { value: 2 } });
  });
});

describe('JSONL keys', () => {
  it('a key that is not a string or number is an error (every object key was the key "[object Object]": two keys checked as one)', () => {
    const text = [
      line({ index: 0, type: 'invoke', process: 0, f: 'write', key: { id: 1 }, value: 1, time: 1 }),
      line({ index: 1, type: 'ok', process: 0, f: 'write', key: { id: 1 }, value: 1, time: 2 }),
    ].join('\n');
    expect(readError(text).message).toMatch(/h\.jsonl: line 1: "key" must be a string or a number \(got \{"id":1\}\)/);
    expect(parseJsonlHistory(text.replace(/\{"id":1\}/g, '7'))[0].key).toBe('7');
  });
  it('the number 1 and the string "1" as keys are an error (both were key "1": a write on one explained a stale read on the other)', async () => {
    const ops = [
      { type: 'invoke', process: 0, f: 'write', key: '1', value: 5 },
      { type: 'ok', process: 0, f: 'write', key: '1', value: 5 },
      { type: 'invoke', process: 2, f: 'write', key: 1, value: null },
      { type: 'ok', process: 2, f: 'write', key: 1, value: null },
      { type: 'invoke', process: 1, f: 'read', key: '1', value: null },
      { type: 'ok', process: 1, f: 'read', key: '1', value: null },
    ];
    const text = ops.map(line).join('\n') + '\n';
    expect(readError(text).message).toMatch(/^h\.jsonl: line 3: the key 1 and the key "1" at line 1 are different JSON values/);
    // Every key a number, or every key a string: one key each, as before.
    const numbers = parseJsonlHistory(ops.map((o) => line({ ...o, key: 1 })).join('\n'));
    expect(numbers.map((o) => o.key)).toEqual(Array(6).fill('1'));
    const r = await checkOperations(pairOperations(parseJsonlHistory(ops.map((o) => line({ ...o, key: '1' })).join('\n'))), getModel('kv'));
    expect(r.valid).toBe(true);
  });
});

describe('JSONL times', () => {
  it('an op without a time among timed ops is an error (it was ordered by its position: a read after a write looked earlier, and a stale read passed)', async () => {
    const text = [
      line({ index: 0, type: 'invoke', process: 0, f: 'write', value: 1, time: 100 }),
      line({ index: 1, type: 'ok', process: 0, f: 'write', value: 1, time: 200 }),
      line({ index: 2, type: 'invoke', process: 1, f: 'read', value: null }),
      line({ index: 3, type: 'ok', process: 1, f: 'read', value: null }),
    ].join('\n');
    expect(readError(text).message).toMatch(/h\.jsonl: line 3: "time" is missing, but the op at line 1 has one/);
  });
  it('a time that is not a number is an error', () => {
    expect(readError(writeThenRead('1', '2', ',"time":"4"')).message).toMatch(/line 4: "time" must be a number \(got "4"\)/);
  });
  it('a history where no op has a time is ordered by position', async () => {
    const text = writeThenRead('1', 'null', '').replace(/,"time":[0-9]+/g, '');
    const ops = pairOperations(parseJsonlHistory(text));
    const r = await checkOperations(ops, getModel('register'), { nilRead: 'strict' });
    expect(r.valid).toBe(false);
  });
});

describe('JSONL byte-order mark', () => {
  const lines = [
    '{"index":0,"type":"invoke","process":0,"f":"write","value":1,"time":1}',
    '{"index":1,"type":"ok","process":0,"f":"write","value":1,"time":2}',
  ];
  it('a UTF-8 BOM before the first op is not part of it, in memory and from a file', async () => {
    const text = `\uFEFF${lines.join('\n')}\n`;
    expect(parseJsonlHistory(text).map((op) => op.type)).toEqual(['invoke', 'ok']);
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readJsonlHistory } = await import('./jsonl.js');
    const file = join(mkdtempSync(join(tmpdir(), 'fl-bom-')), 'h.jsonl');
    writeFileSync(file, text);
    const seen: string[] = [];
    await readJsonlHistory(file, (op) => seen.push(op.type));
    expect(seen).toEqual(['invoke', 'ok']);
  });
  it('a BOM anywhere else is still bad JSON', () => {
    expect(() => parseJsonlHistory(`${lines[0]}\n\uFEFF${lines[1]}\n`)).toThrow(/line 2/);
  });
});
