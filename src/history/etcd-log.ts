import { EdnSyntaxError, parseEdnValue } from './edn-reader.js';
import { HistoryError } from './errors.js';
import { truncation, truncationError, type Truncation } from './truncation.js';
import type { HistoryOp } from './types.js';

const LINE = /jepsen\.util\s+-\s+(\S+)\t:(invoke|ok|fail|info)\t:([\w-]+)\t?(.*)$/;

export interface JepsenLog {
  ops: HistoryOp[];
  lines: number[];
  truncated?: Truncation;
}

/**
 * Reads the op lines of a Jepsen log (`INFO  jepsen.util - 3\t:invoke\t:read\tnil`), the format of
 * Porcupine's etcd test data. Other lines are ignored. Times are the op's position (the log is ordered).
 * The process is an integer or `:nemesis`; values are EDN read exactly (see edn-reader). An `info` value
 * that is not EDN is kept as text (Jepsen logs an exception message there); any other unreadable value is
 * an error naming the line. A logger ends every line, so an op line at the very end without its newline
 * may have lost part of its value: it is a cut (an error unless `allowTruncated`, which drops it).
 */
export function parseJepsenLog(text: string, name = 'history', opts: { allowTruncated?: boolean } = {}): JepsenLog {
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  const all = text.split('\n');
  const lastLine = all.length - (all[all.length - 1] === '' ? 1 : 0);
  let truncated: Truncation | undefined;
  for (let i = 0; i < all.length; i++) {
    const line = all[i];
    const m = LINE.exec(line);
    if (!m) continue;
    const lineNo = i + 1;
    const [, proc, type, f, rawValue] = m;
    const cutHere = () => {
      const last = ops.length > 0 ? { op: ops[ops.length - 1], line: lines[lines.length - 1] } : undefined;
      const t = truncation({ endLine: lineNo, what: `line ${lineNo} is cut off` }, last);
      if (!opts.allowTruncated) throw truncationError(name, t);
      truncated = t;
    };
    const isLastUnterminated = lineNo === lastLine && !text.endsWith('\n');
    let process: HistoryOp['process'];
    if (/^\d+$/.test(proc) && Number.isSafeInteger(Number(proc))) process = Number(proc);
    else if (proc === ':nemesis') process = 'nemesis';
    else throw new HistoryError(`${name}: line ${lineNo}: the process must be an integer or :nemesis (got ${proc})`, lineNo);
    // A logger ends every line; an unterminated last op line may have lost the end of its value.
    if (isLastUnterminated) {
      cutHere();
      break;
    }
    let value: unknown;
    try {
      value = parseEdnValue(rawValue.trim() || 'nil', lineNo);
    } catch (e) {
      if (!(e instanceof EdnSyntaxError)) throw e;
      if (type !== 'info' && process !== 'nemesis') throw new HistoryError(`${name}: line ${lineNo}: bad EDN value (${e.reason})`, lineNo);
      // Free text (an exception message): keep it as a string.
      value = rawValue.trim();
    }
    ops.push({ index: ops.length, type: type as HistoryOp['type'], process, f, value, time: ops.length });
    lines.push(lineNo);
  }
  return truncated ? { ops, lines, truncated } : { ops, lines };
}

export function looksLikeJepsenLog(head: string): boolean {
  return /jepsen\.util\s+-\s+\S+\t:(invoke|ok|fail|info)\t/.test(head);
}
