import { EdnIdentities } from './edn-identities.js';
import { EdnKeyword, EdnSyntaxError, plainEdn, readEdnValue, type EdnValue } from './edn-reader.js';
import { HistoryError } from './errors.js';
import { truncation, truncationError, type Truncation } from './truncation.js';
import type { HistoryOp, OpType } from './types.js';

/** What an op line is: the definition. The reader below takes a faster road for the usual lines, to the same result. */
const LINE = /jepsen\.util\s+-\s+(\S+)\t:(invoke|ok|fail|info)\t:([\w-]+)\t?(.*)$/;
const MARKER = 'jepsen.util';
/**
 * A line LINE does not match that still names an op type after a process (spaces for tabs, `:OK`, a lost
 * colon) or as a `:keyword` field: an op line damaged or reformatted, which is an error rather than a line
 * to ignore, since a dropped completion leaves its op indeterminate (a stale read would not be checked).
 */
export const NEAR_OP_LINE = /jepsen\.util\s*-\s*\S+\s+:?(?:invoke|ok|fail|info)(?![\w-])|jepsen\.util.*\s:(?:invoke|ok|fail|info)(?![\w-])/i;

/**
 * A tab-separated type field (`\t:ok\t`), the part of an op line that survives a damaged or lost marker
 * (`jepsen.utl - 1\t:ok…`, a bare `1\t:ok\t:read\t1`): a line holding one that is not an op line is an
 * error, since skipping it would drop an op. Lines without one (`jepsen.util - Worker 3 starting`) are
 * Jepsen's other messages.
 */
export const TYPE_FIELD = /\t:(?:invoke|ok|fail|info)(?=[\t\r\n]|$)/;

export interface JepsenLog {
  ops: HistoryOp[];
  lines: number[];
  truncated?: Truncation;
}

/**
 * Reads the op lines of a Jepsen log (`INFO  jepsen.util - 3\t:invoke\t:read\tnil`), the format of
 * Porcupine's etcd test data. Other lines are ignored, except one that looks like a damaged op line
 * (NEAR_OP_LINE, or any line holding a TYPE_FIELD): an error naming it. Times are the op's position (the
 * log is ordered). Lines may end with CRLF (one `\r` before each newline is not part of the line).
 * The process is an integer or `:nemesis`; values are EDN read exactly (see edn-reader). An `info` value
 * that is not EDN is kept as text (Jepsen logs an exception message there), unless it holds another op
 * line (a lost newline); any other unreadable value is an error naming the line. A logger ends every line,
 * so a last line without its newline was cut wherever the cut fell (mid-marker, mid-value: `12` of `123`):
 * unless it is blank, it is a cut (an error unless `allowTruncated`, which reads only the lines before it).
 *
 * A corpus of such logs is mostly op lines, so they are read in place (no split, no regex captures, the
 * usual values without the EDN reader): loading was most of what checking a corpus allocated. A line the
 * fast road is not sure of is matched with LINE and read with the EDN reader, as the definition says.
 */
export function parseJepsenLog(text: string, name = 'history', opts: { allowTruncated?: boolean } = {}): JepsenLog {
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  const fields = new OpLineFields();
  const values = new LogValues(ops, lines, name, text);
  const cutLine = cutLineStart(text);
  // Only the complete lines are read; every one of them ends with a newline.
  const complete = cutLine < 0 ? text.length : cutLine;
  let lineNo = 1;
  let start = 0;
  for (;;) {
    const marker = text.indexOf(MARKER, start);
    if (marker < 0 || marker >= complete) break; // no op line after this point
    // Go to the line that holds the marker, counting the lines passed (none of them holds a marker). It is
    // before the cut line, so a newline ends it.
    const passedFrom = start;
    const passedLine = lineNo;
    let nl = text.indexOf('\n', start);
    while (nl < marker) {
      lineNo++;
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start > passedFrom) rejectTypeFields(text, passedFrom, start, passedLine, name);
    const end = lineEnd(text, start, nl);
    const isOp = fields.readInPlace(text, marker, end) || fields.readWithRegex(text.slice(start, end));
    const process = isOp ? processId(fields.proc, name, lineNo) : undefined;
    if (process !== undefined) {
      ops.push({ index: ops.length, type: fields.type, process, f: fields.f, value: values.read(fields, process, lineNo), time: ops.length });
      lines.push(lineNo);
    } else {
      const line = text.slice(start, end);
      if (NEAR_OP_LINE.test(line) || TYPE_FIELD.test(line)) throw damagedOpLine(name, lineNo, text.slice(marker, end));
    }
    start = nl + 1;
    lineNo++;
  }
  if (start < complete) rejectTypeFields(text, start, complete, lineNo, name);
  if (cutLine < 0) return { ops, lines };
  const endLine = lineNo + countNewlines(text, start, cutLine);
  const last = ops.length > 0 ? { op: ops[ops.length - 1], line: lines[lines.length - 1] } : undefined;
  const truncated = truncation({ endLine, what: `line ${endLine} is cut off` }, last);
  if (!opts.allowTruncated) throw truncationError(name, truncated);
  return { ops, lines, truncated };
}

/**
 * Where the last line starts when it was cut: it is not blank and no newline ends it. A logger ends every
 * line, so any cut (mid-marker, mid-value) shows there. -1 when the text ends with a newline or blanks.
 */
function cutLineStart(text: string): number {
  if (text.length === 0 || text.charCodeAt(text.length - 1) === 10) return -1;
  const lastStart = text.lastIndexOf('\n') + 1;
  return text.slice(lastStart).trim() === '' ? -1 : lastStart;
}

/** Where the line from `start` to its newline at `nl` ends: before a `\r` there (a CRLF log reads as LF). */
function lineEnd(text: string, start: number, nl: number): number {
  return nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Lines `from`..`to` (whole lines, the first numbered `firstLine`) hold no marker: one with a TYPE_FIELD is an error naming it. */
function rejectTypeFields(text: string, from: number, to: number, firstLine: number, name: string): void {
  const m = TYPE_FIELD.exec(text.slice(from, to));
  if (!m) return;
  const at = from + m.index;
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const nl = text.indexOf('\n', at);
  const lineNo = firstLine + countNewlines(text, from, lineStart);
  throw damagedOpLine(name, lineNo, text.slice(lineStart, nl < 0 ? to : lineEnd(text, lineStart, nl)));
}

/**
 * The ops' values: the usual ones read in place, the rest with the EDN reader (free text for an `info`).
 * Two different EDN values with one plain form are an error naming both lines (see EdnIdentities). The
 * values read in place (nil, integers, integer vectors, keywords) never clash with each other, so the
 * values are noted only from the first client op value the EDN reader reads on (a nemesis value is never
 * noted): the ones before are noted then.
 */
class LogValues {
  private ids: EdnIdentities | undefined;

  constructor(
    private readonly ops: readonly HistoryOp[],
    private readonly lines: readonly number[],
    private readonly name: string,
    private readonly text: string,
  ) {}

  read(fields: OpLineFields, process: HistoryOp['process'], lineNo: number): unknown {
    const quick = quickValue(fields.valueText, fields.valueStart, fields.valueEnd);
    if (quick !== NOT_QUICK) {
      if (this.ids && process !== 'nemesis') this.note(this.ids, typeof quick === 'string' ? new EdnKeyword(quick) : (quick as number | number[] | null), lineNo);
      return quick;
    }
    // Nemesis values are never noted, so only a client op's value starts the noting.
    const ids = process === 'nemesis' ? undefined : (this.ids ??= this.notedSoFar());
    const rawValue = fields.valueText.slice(fields.valueStart, fields.valueEnd);
    try {
      const read = readEdnValue(rawValue.trim() || 'nil', lineNo);
      if (ids) this.note(ids, read, lineNo);
      return plainEdn(read);
    } catch (e) {
      if (!(e instanceof EdnSyntaxError)) throw e;
      // A lost newline that folded the next op line into this value (`:timed-outINFO  jepsen.util - 0\t:ok…`)
      // would drop that op.
      if (rawValue.includes(MARKER) || TYPE_FIELD.test(rawValue)) throw foldedOpLine(this.name, lineNo, rawValue);
      const beforeError = valueBeforeErrorField(rawValue, lineNo);
      if (beforeError !== undefined) {
        if (ids) this.note(ids, beforeError, lineNo);
        return plainEdn(beforeError);
      }
      if (fields.type !== 'info' && process !== 'nemesis') throw new HistoryError(`${this.name}: line ${lineNo}: bad EDN value (${e.reason})`, lineNo);
      // Free text (an exception message): keep it as a string.
      return rawValue.trim();
    }
  }

  /** The client ops' values so far, all read in place (a string among them was a keyword). */
  private notedSoFar(): EdnIdentities {
    // Whole collections need noting only when a set may be read (see EdnIdentities).
    const ids = new EdnIdentities(/#[{A-Za-z]/.test(this.text));
    this.ops.forEach((op, i) => {
      if (op.process !== 'nemesis') this.note(ids, typeof op.value === 'string' ? new EdnKeyword(op.value) : (op.value as number | number[] | null), this.lines[i]);
    });
    return ids;
  }

  private note(ids: EdnIdentities, value: Parameters<EdnIdentities['value']>[0], lineNo: number): void {
    const problem = ids.value(value, lineNo);
    if (problem) throw new HistoryError(`${this.name}: line ${lineNo}: ${problem}`, lineNo);
  }
}

/**
 * Jepsen logs an op's error as a fifth tab-separated field (`2\t:fail\t:cas\t[2 3]\t:not-found`): the value
 * is the EDN before the first tab. Undefined when there is no tab or that part is not one EDN value.
 */
function valueBeforeErrorField(rawValue: string, lineNo: number): EdnValue | undefined {
  const tab = rawValue.indexOf('\t');
  if (tab < 0) return undefined;
  try {
    return readEdnValue(rawValue.slice(0, tab).trim() || 'nil', lineNo);
  } catch (e) {
    if (e instanceof EdnSyntaxError) return undefined;
    throw e;
  }
}

/** The error for a line NEAR_OP_LINE or TYPE_FIELD matches; `fromMarker` is the line from `jepsen.util` on (the whole line when it has none). */
export function damagedOpLine(name: string, lineNo: number, fromMarker: string): HistoryError {
  return new HistoryError(
    `${name}: line ${lineNo}: an op line not in Jepsen's form "jepsen.util - <process>TAB:<invoke|ok|fail|info>TAB:<f>TAB<value>" ` +
      `(tab-separated, the type in lower case); skipping it would drop an op: ${JSON.stringify(fromMarker.slice(0, 80))}`,
    lineNo,
  );
}

/** The error for an op's free-text value that holds another op line (`value` as read). */
export function foldedOpLine(name: string, lineNo: number, value: string): HistoryError {
  return new HistoryError(
    `${name}: line ${lineNo}: the value holds another op line (a lost line end joined two lines); skipping it would drop an op: ${JSON.stringify(value.trim().slice(0, 80))}`,
    lineNo,
  );
}

function processId(proc: string, name: string, lineNo: number): HistoryOp['process'] {
  if (/^\d+$/.test(proc) && Number.isSafeInteger(Number(proc))) return Number(proc);
  if (proc === ':nemesis') return 'nemesis';
  throw new HistoryError(`${name}: line ${lineNo}: the process must be an integer or :nemesis (got ${proc})`, lineNo);
}

export function looksLikeJepsenLog(head: string): boolean {
  return /jepsen\.util\s+-\s+\S+\t:(invoke|ok|fail|info)\t/.test(head);
}

const TYPES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];
/** Op names shared by every line that has them, instead of a copy per line. */
const COMMON_F = ['read', 'write', 'cas', 'add', 'append'];

const TAB = 9;
const SPACE = 32;
const isBlank = (c: number) => c === SPACE || c === TAB;
/** Printable ASCII other than space: a `\S` character that is surely not whitespace or a line end. */
const isVisible = (c: number) => c > SPACE && c < 127;
const isWordOrDash = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;

function skipBlanks(text: string, from: number, end: number): number {
  let q = from;
  while (q < end && isBlank(text.charCodeAt(q))) q++;
  return q;
}

/** The first of `names` written at `at` (and ending before `end`). */
function knownAt<T extends string>(names: readonly T[], text: string, at: number, end: number): T | undefined {
  for (const name of names) if (at + name.length < end + 1 && text.startsWith(name, at)) return name;
  return undefined;
}

/** One op line's fields; the value is `valueText` from `valueStart` to `valueEnd` (the text itself when read in place). */
class OpLineFields {
  proc = '';
  type: OpType = 'invoke';
  f = '';
  valueText = '';
  valueStart = 0;
  valueEnd = 0;

  /**
   * LINE matched at `at` (the first marker of the line) without copying the line: true only when the line
   * has the usual shape, where LINE's match is this one. False means "not sure", never "not an op line".
   */
  readInPlace(text: string, at: number, end: number): boolean {
    let p = at + MARKER.length;
    let q = skipBlanks(text, p, end);
    if (q === p || text.charCodeAt(q) !== 45 /* - */) return false;
    p = q + 1;
    q = skipBlanks(text, p, end);
    if (q === p) return false;
    p = q;
    while (q < end && isVisible(text.charCodeAt(q))) q++;
    if (q === p || q >= end || text.charCodeAt(q) !== TAB) return false;
    const procEnd = q;
    if (text.charCodeAt(q + 1) !== 58 /* : */) return false;
    const type = knownAt(TYPES, text, q + 2, end);
    if (type === undefined || text.charCodeAt(q + 2 + type.length) !== TAB) return false;
    q += 2 + type.length + 1;
    if (q >= end || text.charCodeAt(q) !== 58 /* : */) return false;
    const fStart = ++q;
    while (q < end && isWordOrDash(text.charCodeAt(q))) q++;
    if (q === fStart) return false;
    const fEnd = q;
    if (q < end && text.charCodeAt(q) === TAB) q++;
    // `.*$` stops at any line terminator: a \r (or U+2028/9) in the value is for LINE to judge.
    for (let i = q; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 || c === 0x2028 || c === 0x2029) return false;
    }
    this.proc = text.slice(p, procEnd);
    this.type = type;
    const f = knownAt(COMMON_F, text, fStart, fEnd);
    this.f = f !== undefined && f.length === fEnd - fStart ? f : text.slice(fStart, fEnd);
    this.valueText = text;
    this.valueStart = q;
    this.valueEnd = end;
    return true;
  }

  /** LINE itself, on the line as a string: the definition, for every line the fast road is not sure of. */
  readWithRegex(line: string): boolean {
    const m = LINE.exec(line);
    if (!m) return false;
    this.proc = m[1];
    this.type = m[2] as OpType;
    this.f = m[3];
    this.valueText = m[4];
    this.valueStart = 0;
    this.valueEnd = m[4].length;
    return true;
  }
}

const NOT_QUICK = Symbol('not quick');
const MAX_QUICK_DIGITS = 15; // any integer of up to 15 digits is exact as a double

/**
 * The usual values of a Jepsen log read without the EDN reader, to the value it would give: blank or `nil`,
 * an integer, a vector of integers (`[1 3]`), a keyword (`:timed-out`). NOT_QUICK for anything else, and for
 * anything the EDN reader would refuse (`01`, a huge integer), so the reader gives its error.
 */
function quickValue(text: string, start: number, end: number): unknown {
  let s = start;
  let e = end;
  while (s < e && isBlank(text.charCodeAt(s))) s++;
  while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
  if (s === e) return null;
  const c = text.charCodeAt(s);
  if (c === 110 /* n */ && e - s === 3 && text.startsWith('nil', s)) return null;
  if (c === 58 /* : */) return quickKeyword(text, s, e);
  if (c === 91 /* [ */) return quickIntVector(text, s, e);
  return quickInt(text, s, e) === e ? intValue : NOT_QUICK;
}

/** quickInt's value (a result object per number would be most of what this reader allocates). */
let intValue = 0;

/** An EDN integer (`-12`, `3N`) from `s`, up to `e` at most: where it ends (its value in intValue), or -1 when it is not a plain one. */
function quickInt(text: string, s: number, e: number): number {
  let i = s;
  let sign = 1;
  const c = text.charCodeAt(i);
  if (c === 45 /* - */ || c === 43 /* + */) {
    if (c === 45) sign = -1;
    i++;
  }
  const digitsStart = i;
  let n = 0;
  for (; i < e; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  const digits = i - digitsStart;
  if (digits === 0 || digits > MAX_QUICK_DIGITS || (digits > 1 && text.charCodeAt(digitsStart) === 48)) return -1;
  if (i < e && text.charCodeAt(i) === 78 /* N */) i++;
  const value = sign * n;
  intValue = value === 0 ? 0 : value;
  return i;
}

function quickIntVector(text: string, s: number, e: number): unknown {
  const out: number[] = [];
  let i = s + 1;
  for (;;) {
    while (i < e && (isBlank(text.charCodeAt(i)) || text.charCodeAt(i) === 44) /* , */) i++;
    if (i >= e) return NOT_QUICK;
    if (text.charCodeAt(i) === 93 /* ] */) return i + 1 === e ? out : NOT_QUICK;
    const intEnd = quickInt(text, i, e);
    if (intEnd < 0 || intEnd >= e) return NOT_QUICK;
    const after = text.charCodeAt(intEnd);
    if (!isBlank(after) && after !== 44 && after !== 93) return NOT_QUICK;
    out.push(intValue);
    i = intEnd;
  }
}

/** `:name` as its name, when every character is a plain token character (no `::`, no delimiter). */
function quickKeyword(text: string, s: number, e: number): unknown {
  if (e - s < 2 || text.charCodeAt(s + 1) === 58) return NOT_QUICK;
  for (let i = s + 1; i < e; i++) {
    const c = text.charCodeAt(i);
    if (!isVisible(c) || c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125 || c === 34 || c === 59 || c === 44) return NOT_QUICK;
  }
  return text.slice(s + 1, e);
}
