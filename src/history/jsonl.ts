import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { HistoryError } from './errors.js';
import { lineProblem } from './jsonl-line-checks.js';
import { toHistoryOp } from './parse-op.js';
import { truncation, truncationError, type Truncation } from './truncation.js';
import type { HistoryOp } from './types.js';

export interface ReadOptions {
  /** Name used in messages (the file path). */
  name?: string;
  /** A last line cut off mid-object is dropped (and reported in the outcome) instead of being an error. */
  allowTruncated?: boolean;
  /**
   * Lenient reading for a report, which must draw a damaged run: unreadable lines are skipped and
   * summarised here instead of throwing.
   */
  onProblem?: (problem: string) => void;
}

export interface ReadOutcome {
  /** Ops read. */
  ops: number;
  /** Set when the last line was cut off mid-object and `allowTruncated` let the rest be read. */
  truncated?: Truncation;
}

/**
 * The JSONL rules, fed one line at a time by the streaming and the in-memory reader. A line that is not
 * JSON is an error naming it, except the last one when the file does not end with a newline: that is a
 * line cut off while it was written (our recorder ends every line with one), an error that names the last
 * complete op unless `allowTruncated`. A file cut exactly at a line boundary reads as complete: JSONL has
 * no closing bracket that could tell.
 */
class JsonlLines {
  private deferred?: { line: number; message: string };
  private last?: { op: HistoryOp; line: number };
  private count = 0;
  private skipped = 0;
  private firstSkipped = 0;
  /** Whether the first op had a "time", and its line: every op must agree (see line()). */
  private timed?: { has: boolean; line: number };
  /** Keys by their text, with whether the first was a JSON number and its line (see line()). */
  private readonly keyKinds = new Map<string, { number: boolean; line: number }>();
  private readonly name: string;

  constructor(
    private readonly opts: ReadOptions,
    private readonly onOp: (op: HistoryOp, line: number) => void,
  ) {
    this.name = opts.name ?? 'history';
  }

  private bad(line: number, message: string): void {
    if (!this.opts.onProblem) throw new HistoryError(`${this.name}: line ${line}: ${message}`, line);
    if (this.skipped++ === 0) this.firstSkipped = line;
  }

  line(text: string, lineNo: number): void {
    // Editors on Windows save UTF-8 with a byte-order mark; it is not part of the first op.
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') return;
    if (this.deferred) {
      // Not the last line after all: a bad line in the middle is damage, not a cut.
      this.bad(this.deferred.line, this.deferred.message);
      this.deferred = undefined;
    }
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (e) {
      this.deferred = { line: lineNo, message: `bad JSON (${(e as Error).message})` };
      return;
    }
    const problem = lineProblem(text, record);
    if (problem) return this.bad(lineNo, problem);
    const op = toHistoryOp(record);
    if (typeof op === 'string') return this.bad(lineNo, op);
    // Ops without a time are ordered by their position, which only means something when no op has a time:
    // a lone untimed op among timed ones (times in ns, positions in ops) would be put at the wrong moment.
    const time = (record as { time?: unknown }).time;
    if (time !== undefined && typeof time !== 'number') return this.bad(lineNo, `"time" must be a number (got ${JSON.stringify(time)})`);
    const hasTime = time !== undefined;
    if (!this.timed) this.timed = { has: hasTime, line: lineNo };
    else if (this.timed.has !== hasTime) {
      return this.bad(
        lineNo,
        hasTime
          ? `this op has a "time" but the op at line ${this.timed.line} has none (either every op has one or none does)`
          : `"time" is missing, but the op at line ${this.timed.line} has one (either every op has one or none does)`,
      );
    }
    // Keys are compared as text, so the number 1 and the string "1" would be one key: two keys' ops checked
    // as one object can hide a stale read (a write on the other key explains it). Which was meant cannot be known.
    const key = (record as { key?: unknown }).key;
    if (op.key !== undefined) {
      const kind = this.keyKinds.get(op.key);
      if (!kind) this.keyKinds.set(op.key, { number: typeof key === 'number', line: lineNo });
      else if (kind.number !== (typeof key === 'number')) {
        return this.bad(lineNo, `the key ${JSON.stringify(key)} and the key ${JSON.stringify(kind.number ? Number(op.key) : op.key)} at line ${kind.line} are different JSON values but the same key text (write every key as a string)`);
      }
    }
    if (Number.isNaN(op.index)) op.index = this.count;
    if (Number.isNaN(op.time)) op.time = op.index;
    this.count++;
    this.last = { op, line: lineNo };
    this.onOp(op, lineNo);
  }

  /** `endsWithNewline`: the text after the last line is a newline (a cut never leaves one). */
  end(endsWithNewline: boolean): ReadOutcome {
    const outcome: ReadOutcome = { ops: this.count };
    if (this.deferred) {
      const d = this.deferred;
      if (endsWithNewline) this.bad(d.line, d.message);
      else if (this.opts.onProblem) {
        this.opts.onProblem(`${this.name}: the last line (${d.line}) is cut off mid-object (writing stopped there); the ${this.count} complete op(s) before it are used`);
      } else {
        const t = truncation({ endLine: d.line, what: `line ${d.line} is cut off mid-object` }, this.last);
        if (!this.opts.allowTruncated) throw truncationError(this.name, t);
        outcome.truncated = t;
      }
    }
    if (this.skipped > 0) this.opts.onProblem?.(`${this.name}: ${this.skipped} unreadable line(s) skipped (first at line ${this.firstSkipped})`);
    return outcome;
  }
}

async function endsWithNewline(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size === 0) return true;
    const { buffer } = await fh.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await fh.close();
  }
}

/**
 * Streams a JSONL history (one HistoryOp per line, blank lines ignored) to `onOp` with its 1-based line
 * number, without holding the file in memory.
 */
export async function readJsonlHistory(file: string, onOp: (op: HistoryOp, line: number) => void, opts: ReadOptions = {}): Promise<ReadOutcome> {
  const reader = new JsonlLines({ name: file, ...opts }, onOp);
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) reader.line(line, ++lineNo);
  return reader.end(await endsWithNewline(file));
}

/** Parses JSONL text already in memory (tests, the report). */
export function parseJsonlHistory(text: string, opts: ReadOptions | string = {}): HistoryOp[] {
  return parseJsonlText(text, typeof opts === 'string' ? { name: opts } : opts).ops;
}

/** As parseJsonlHistory, with the lines of the ops and the truncation, if any. */
export function parseJsonlText(text: string, opts: ReadOptions = {}): { ops: HistoryOp[]; lines: number[]; truncated?: Truncation } {
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  const reader = new JsonlLines(opts, (op, line) => {
    ops.push(op);
    lines.push(line);
  });
  const split = text.split('\n');
  split.forEach((line, i) => reader.line(line.endsWith('\r') ? line.slice(0, -1) : line, i + 1));
  const { truncated } = reader.end(text === '' || /\n\s*$/.test(text));
  return truncated ? { ops, lines, truncated } : { ops, lines };
}
