import { HistoryError } from './errors.js';
import type { HistoryOp } from './types.js';

/** Where a history file was cut off (a crash or a full disk while it was written). */
export interface Truncation {
  /** The last line of the file (where the text ends). */
  line: number;
  /** What is incomplete, in words: "line 9 is cut off mid-object", "the vector opened at line 1 is never closed". */
  what: string;
  /** Line of the last complete op, 0 when there is none. */
  lastCompleteLine: number;
  /** The last complete op in words ("ok read by process 1, index 7"), when there is one. */
  lastCompleteOp?: string;
}

export const describeRawOp = (op: HistoryOp): string =>
  `${op.type} ${op.f} by process ${String(op.process)}${op.key !== undefined ? ` on key ${op.key}` : ''}, index ${op.index}`;

export function truncation(text: { endLine: number; what: string }, last: { op: HistoryOp; line: number } | undefined): Truncation {
  const t: Truncation = { line: text.endLine, what: text.what, lastCompleteLine: last?.line ?? 0 };
  if (last) t.lastCompleteOp = describeRawOp(last.op);
  return t;
}

/** The error for a cut-off file read without --allow-truncated (exit 3). */
export function truncationError(file: string, t: Truncation): HistoryError {
  const last = t.lastCompleteOp ? `last complete op: line ${t.lastCompleteLine} (${t.lastCompleteOp})` : 'no op before the cut is complete';
  return new HistoryError(
    `${file}: line ${t.line}: the history is cut off (${t.what}); ${last}`,
    t.line,
    'pass --allow-truncated to check the complete ops before the cut (the verdict then says it was truncated)',
  );
}

/** "line 4" for a 1-based line count of text: the last line that holds anything but whitespace. */
export function lastTextLine(text: string): number {
  const trimmed = text.replace(/\s+$/, '');
  let n = 1;
  for (let i = 0; i < trimmed.length; i++) if (trimmed.charCodeAt(i) === 10) n++;
  return n;
}
