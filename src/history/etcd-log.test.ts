import { describe, expect, it } from 'vitest';
import { Prng } from '../generator/prng.js';
import { EdnIdentities } from './edn-identities.js';
import { EdnSyntaxError, plainEdn, readEdnValue } from './edn-reader.js';
import { HistoryError } from './errors.js';
import { damagedOpLine, foldedOpLine, NEAR_OP_LINE, parseJepsenLog, TYPE_FIELD } from './etcd-log.js';
import { truncation, truncationError, type Truncation } from './truncation.js';
import type { HistoryOp } from './types.js';

/**
 * The reader as it was defined before it read lines in place: CRLF made LF, split into lines, LINE on each, every value
 * through the EDN reader and noted in EdnIdentities (every collection too). The in-place reader must give the same ops, lines, cut and errors on any text.
 */
function definition(crlfText: string, name = 'history', opts: { allowTruncated?: boolean } = {}) {
  const text = crlfText.replace(/\r\n/g, '\n');
  const LINE = /jepsen\.util\s+-\s+(\S+)\t:(invoke|ok|fail|info)\t:([\w-]+)\t?(.*)$/;
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  const all = text.split('\n');
  // A last line without its newline is cut, unless it is blank.
  const cutLine = !text.endsWith('\n') && all[all.length - 1].trim() !== '' ? all.length : 0;
  let truncated: Truncation | undefined;
  const ids = new EdnIdentities(true);
  for (let i = 0; i < all.length; i++) {
    const m = LINE.exec(all[i]);
    const lineNo = i + 1;
    if (lineNo === cutLine) {
      const last = ops.length > 0 ? { op: ops[ops.length - 1], line: lines[lines.length - 1] } : undefined;
      const t = truncation({ endLine: lineNo, what: `line ${lineNo} is cut off` }, last);
      if (!opts.allowTruncated) throw truncationError(name, t);
      truncated = t;
      break;
    }
    if (!m && !all[i].includes('jepsen.util')) {
      if (TYPE_FIELD.test(all[i])) throw damagedOpLine(name, lineNo, all[i]);
      continue;
    }
    let process: HistoryOp['process'] | undefined;
    if (m) {
      const proc = m[1];
      if (/^\d+$/.test(proc) && Number.isSafeInteger(Number(proc))) process = Number(proc);
      else if (proc === ':nemesis') process = 'nemesis';
      else throw new HistoryError(`${name}: line ${lineNo}: the process must be an integer or :nemesis (got ${proc})`, lineNo);
    }
    if (!m || process === undefined) {
      if (NEAR_OP_LINE.test(all[i]) || TYPE_FIELD.test(all[i])) throw damagedOpLine(name, lineNo, all[i].slice(all[i].indexOf('jepsen.util')));
      continue;
    }
    const [, , type, f, rawValue] = m;
    let value: unknown;
    try {
      const read = readEdnValue(rawValue.trim() || 'nil', lineNo);
      const problem = process === 'nemesis' ? undefined : ids.value(read, lineNo);
      if (problem) throw new HistoryError(`${name}: line ${lineNo}: ${problem}`, lineNo);
      value = plainEdn(read);
    } catch (e) {
      if (!(e instanceof EdnSyntaxError)) throw e;
      if (rawValue.includes('jepsen.util') || TYPE_FIELD.test(rawValue)) throw foldedOpLine(name, lineNo, rawValue);
      // Jepsen's fifth field, the op's error, after a tab: the value is the EDN before it.
      const beforeTab = rawValue.includes('\t') ? outcome(() => readEdnValue(rawValue.slice(0, rawValue.indexOf('\t')).trim() || 'nil', lineNo)) : undefined;
      if (beforeTab && 'result' in beforeTab) {
        const problem = process === 'nemesis' ? undefined : ids.value(beforeTab.result as Parameters<EdnIdentities['value']>[0], lineNo);
        if (problem) throw new HistoryError(`${name}: line ${lineNo}: ${problem}`, lineNo);
        value = plainEdn(beforeTab.result as Parameters<typeof plainEdn>[0]);
      } else {
        if (type !== 'info' && process !== 'nemesis') throw new HistoryError(`${name}: line ${lineNo}: bad EDN value (${e.reason})`, lineNo);
        value = rawValue.trim();
      }
    }
    ops.push({ index: ops.length, type: type as HistoryOp['type'], process, f, value, time: ops.length });
    lines.push(lineNo);
  }
  return truncated ? { ops, lines, truncated } : { ops, lines };
}

const outcome = (read: () => unknown) => {
  try {
    return { result: read() };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

const same = (text: string, opts: { allowTruncated?: boolean } = {}) =>
  expect(outcome(() => parseJepsenLog(text, 'h.log', opts)), JSON.stringify(text)).toEqual(outcome(() => definition(text, 'h.log', opts)));

/** Pieces of op lines, usual and odd: the reader's fast road must take the usual and leave the odd to LINE. */
const PREFIX = ['INFO  jepsen.util - ', 'INFO  jepsen.utl - ', '', 'INFO  jepsen.u', 'INFO jepsen.util -\t', 'jepsen.util - ', 'x jepsen.util  -  ', 'jepsen.util- ', 'jepsen.util -', 'jepsen.util\u00a0- ', 'a jepsen.util b jepsen.util - '];
const PROC = ['0', '3', '12', '007', ':nemesis', 'nemesis', 'p1', '-1', '99999999999999999999', '9007199254740993', '1 2', ''];
const TYPE = ['invoke', 'ok', 'fail', 'info', 'okay', 'Info', ''];
const F = ['read', 'write', 'cas', 'reads', 'add', 'start-partition', 'x_1', 'rea d', '', 'read!'];
const VALUE = [
  'nil', '', ' ', '3', '-0', '+4', '0', '00', '012', '3N', '-12N', '1.5', '1.5M', '1e3', '123456789012345', '1234567890123456', '99999999999999999999',
  '[1 3]', '[1, 3]', '[]', '[ 1 3 ]', '[1 3', '[1 3]]', '[1 [2]]', '[1 :a]', '[01 2]', '[1N 2]', '[1\f2]', '[1 #_2 3]', '[1 ;c\n]',
  ':timed-outINFO  jepsen.util - 0\t:ok\t:write\t2', 'oops\t:ok\t:read\t1', 'nil\tindeterminate: Read timed out', '[2 3]\t:precondition-failed', 'x\t:info',
  ':timed-out', ':a', '::a', ':', ':a:b', ':a]', ':a b', ':a,', ':a"', '"text"', 'foo', 'java.net.SocketTimeoutException: Read timed out',
  '"a"', 'a', '\\a', '"timed-out"', '1.0', '3.0', '1M', '3M', '#{1 3}', '#{3 1}', '(1 3)', '[:a 1]', '["a" 1]', '[1 3.0]', '{:a 1}', '{:a :x}', '{:a "x"}', '#{1 2}', 'true', 'nil nil', '3 4', '\\a', '#inst "2020"', '3\r', '1\u2028', ' 5 ', '\t7\t', '\v8', '9\u00a0', ':x\u00e9', '-', '+',
];

/** Values with one plain form and different EDN forms, drawn often so the fuzz meets their clashes. */
const CLASHING = [':a', '"a"', 'a', '1', '1.0', '1M', '[1 3]', '#{1 3}', '(1 3)', '[:a 1]', '["a" 1]', ':timed-out', '"timed-out"'];

describe('parseJepsenLog reads every op line as LINE and the EDN reader define it', () => {
  it('agrees with the definition on the usual lines and on many odd ones', () => {
    const rng = new Prng(14);
    for (let n = 0; n < 4000; n++) {
      const lines: string[] = [];
      const count = rng.between(1, 8);
      for (let i = 0; i < count; i++) {
        if (rng.chance(0.1)) {
          lines.push(rng.pick(['', 'INFO jepsen.core - starting', 'WARN jepsen.util - something', 'jepsen.util', '\r', 'INFO  jepsen.util - Worker 3 starting', '1\t:ok\t:read\t1', 'x\t:ok']));
          continue;
        }
        const sep = () => (rng.chance(0.9) ? '\t' : rng.pick([' ', '', '\t\t']));
        const colon = () => (rng.chance(0.95) ? ':' : '');
        lines.push(`${rng.pick(PREFIX)}${rng.pick(PROC)}${sep()}${colon()}${rng.pick(TYPE)}${sep()}${colon()}${rng.pick(F)}${sep()}${rng.pick(rng.chance(0.3) ? CLASHING : VALUE)}`);
      }
      const text = lines.join(rng.chance(0.8) ? '\n' : rng.pick(['\r\n', '\r\r\n'])) + (rng.chance(0.7) ? '\n' : rng.pick(['', '\r\n', '\r', ' ', '\n\t']));
      same(text);
      same(text, { allowTruncated: true });
    }
  });

  it('agrees on a Porcupine-style log cut at every offset', () => {
    const log = [
      'INFO  jepsen.core - running',
      'INFO  jepsen.util - 0\t:invoke\t:write\t3',
      'INFO  jepsen.util - 1\t:invoke\t:cas\t[3 4]',
      'INFO  jepsen.util - 0\t:ok\t:write\t3',
      'INFO  jepsen.util - :nemesis\t:info\t:start\t[:isolated {"n1" #{"n2"}}]',
      'INFO  jepsen.util - 1\t:info\t:cas\t:timed-out',
      'INFO  jepsen.util - 2\t:invoke\t:read\tnil',
      'INFO  jepsen.util - 2\t:ok\t:read\t3',
      '',
    ].join('\n');
    for (let cut = 0; cut <= log.length; cut++) {
      same(log.slice(0, cut));
      same(log.slice(0, cut), { allowTruncated: true });
    }
  });

  it('a value written as a keyword and read as a string is an error naming the line (they would compare equal)', () => {
    const log = ['0\t:invoke\t:write\t:a', '0\t:ok\t:write\t:a', '1\t:invoke\t:read\tnil', '1\t:ok\t:read\t"a"']
      .map((l) => `INFO  jepsen.util - ${l}\n`)
      .join('');
    expect(() => parseJepsenLog(log, 'etcd.log')).toThrow(/^etcd\.log: line 4: "a" and :a \(line 1\) are different EDN values/);
    expect(() => parseJepsenLog(log.replace('"a"', '[1 2]').replaceAll(':a', '#{1 2}'), 'etcd.log')).toThrow(/^etcd\.log: line 4: \[1 2\] and #\{1 2\} \(line 1\)/);
  });

  it('an op line in another form is an error naming it, not a line to skip (skipping an ok made a stale read pass)', () => {
    const log = (last: string) =>
      ['0\t:invoke\t:write\t1', '0\t:ok\t:write\t1', '0\t:invoke\t:write\t2', last, '1\t:invoke\t:read\tnil', '1\t:ok\t:read\t1']
        .map((l) => `INFO  jepsen.util - ${l}\n`)
        .join('');
    for (const damaged of ['0 :ok\t:write\t2', '0\t:ok :write\t2', '0  :ok  :write  2', '0\t:OK\t:write\t2', '0\tok\t:write\t2', '0\t\t:ok\t:write\t2', '0 1\t:ok\t:write\t2']) {
      expect(() => parseJepsenLog(log(damaged), 'etcd.log'), damaged).toThrow(/^etcd\.log: line 4: an op line not in Jepsen's form/);
    }
    const other = 'INFO  jepsen.core - running\nWARN  jepsen.util - something\nINFO  jepsen.util - okay then\n';
    expect(parseJepsenLog(other + log('0\t:ok\t:write\t2')).ops).toHaveLength(6);
  });

  it('a last line cut before its op reads as one is a cut, not a line to skip', () => {
    const text = 'INFO  jepsen.util - 1\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:o';
    expect(() => parseJepsenLog(text, 'etcd.log')).toThrow(/^etcd\.log: line 2: the history is cut off/);
    expect(parseJepsenLog(text, 'etcd.log', { allowTruncated: true }).truncated).toMatchObject({ line: 2, lastCompleteLine: 1 });
  });

  /** A register history whose last read (line 6) is stale: dropping or changing that line makes it pass. */
  const stale = (lastLine = 'INFO  jepsen.util - 1\t:ok\t:read\t1') =>
    ['0\t:invoke\t:write\t1', '0\t:ok\t:write\t1', '0\t:invoke\t:write\t2', '0\t:ok\t:write\t2', '1\t:invoke\t:read\tnil'].map((l) => `INFO  jepsen.util - ${l}\n`).join('') + lastLine;

  it('a last line without its newline is a cut wherever the cut fell (in the marker, in the value), unless it is blank', () => {
    const full = stale('INFO  jepsen.util - 1\t:ok\t:read\t123\n');
    for (const cut of ['INFO  jepsen.u', 'I', 'INFO  jepsen.util - 1\t:ok\t:read\t12', 'not a jepsen line']) {
      expect(() => parseJepsenLog(stale(cut), 'etcd.log'), cut).toThrow(/^etcd\.log: line 6: the history is cut off \(line 6 is cut off\); last complete op: line 5 \(invoke read by process 1, index 4\)/);
      const lenient = parseJepsenLog(stale(cut), 'etcd.log', { allowTruncated: true });
      expect(lenient.ops).toHaveLength(5);
      expect(lenient.truncated).toMatchObject({ line: 6, lastCompleteLine: 5 });
    }
    expect(parseJepsenLog(full).ops[5].value).toBe(123);
    expect(parseJepsenLog(full + '  ').ops).toHaveLength(6);
    expect(parseJepsenLog(full + '\n\r').truncated).toBeUndefined();
  });

  it('a line holding a tab-separated type field that is not an op line is an error naming it (a damaged or lost marker)', () => {
    for (const damaged of ['INFO  jepsen.utl - 1\t:ok\t:read\t1', '1\t:ok\t:read\t1', 'INFO  jepsen - 1\t:invoke\t:read', 'x\t:fail']) {
      expect(() => parseJepsenLog(stale(`${damaged}\n`), 'etcd.log'), damaged).toThrow(`etcd.log: line 6: an op line not in Jepsen's form`);
      expect(() => parseJepsenLog(stale(`${damaged}\nINFO  jepsen.core - done\n`), 'etcd.log'), damaged).toThrow(`etcd.log: line 6: an op line not in Jepsen's form`);
      expect(() => parseJepsenLog(`${damaged}\r\n${stale('\n')}`, 'etcd.log'), damaged).toThrow(`etcd.log: line 1: an op line not in Jepsen's form`);
    }
    // Jepsen's other messages, with or without the marker, hold no type field: still skipped.
    const chatter = 'INFO  jepsen.util - Worker 3 starting\nINFO  jepsen.core - ok: 3 ops\n';
    expect(parseJepsenLog(chatter + stale('\n') + chatter).ops).toHaveLength(5);
  });

  it('an info value holding another op line (a lost newline) is an error naming the line, an exception message is text', () => {
    const folded = ['0\t:info\t:write\t:timed-outINFO  jepsen.util - 0\t:ok\t:write\t2', ':nemesis\t:info\t:start\tpartitioned 1\t:ok\t:read\t1'];
    for (const line of folded) expect(() => parseJepsenLog(stale(`INFO  jepsen.util - ${line}\n`), 'etcd.log'), line).toThrow(/^etcd\.log: line 6: the value holds another op line/);
    // Jepsen's 5th field (the op's error) follows the value after a tab: the value is the EDN before it.
    const info = parseJepsenLog(stale('INFO  jepsen.util - 1\t:info\t:read\tnil\tindeterminate: Read timed out\n'));
    expect(info.ops[5].value).toBe(null);
    const fail = parseJepsenLog(stale('INFO  jepsen.util - 1\t:fail\t:cas\t[2 3]\t:precondition-failed\n'), 'etcd.log');
    expect(fail.ops[5]).toMatchObject({ type: 'fail', f: 'cas', value: [2, 3] });
    // Text before the tab that is no EDN value is still an error for an ok or a fail.
    expect(() => parseJepsenLog(stale('INFO  jepsen.util - 1\t:fail\t:cas\t[2 3\t:precondition-failed\n'), 'etcd.log')).toThrow(/^etcd\.log: line 6: bad EDN value/);
  });

  it('a CRLF log reads exactly as the same log with LF', () => {
    const lf = [stale('\n'), stale('INFO  jepsen.util - 1\t:ok\t:read\t[1 3]\nINFO  jepsen.util - 2\t:info\t:read\tRead timed out \n'), stale('INFO  jepsen.util - 1\t:ok')];
    for (const text of lf) {
      const crlf = text.replaceAll('\n', '\r\n');
      expect(outcome(() => parseJepsenLog(crlf, 'h.log')), crlf).toEqual(outcome(() => parseJepsenLog(text, 'h.log')));
      expect(outcome(() => parseJepsenLog(crlf, 'h.log', { allowTruncated: true }))).toEqual(outcome(() => parseJepsenLog(text, 'h.log', { allowTruncated: true })));
    }
    expect(parseJepsenLog(stale('\n').replaceAll('\n', '\r\n')).ops).toHaveLength(5);
  });

  it('reads the usual values as the EDN reader does', () => {
    const { ops } = parseJepsenLog('INFO  jepsen.util - 1\t:invoke\t:cas\t[1 3]\nINFO  jepsen.util - 1\t:info\t:cas\t:timed-out\nINFO  jepsen.util - 2\t:ok\t:read\t-0\n');
    expect(ops.map((o) => o.value)).toEqual([[1, 3], 'timed-out', 0]);
    expect(Object.is(ops[2].value, 0)).toBe(true);
  });
});
