import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { HistoryError } from '../../checker/history.js';
import { toHistoryOp } from './parse-op.js';
import type { HistoryOp } from './types.js';

/**
 * Streams a JSONL history (one HistoryOp per line, blank lines ignored) to `onOp` with its 1-based line
 * number, without holding the file in memory. Bad JSON or a malformed op is a HistoryError naming the line.
 */
export async function readJsonlHistory(file: string, onOp: (op: HistoryOp, line: number) => void): Promise<number> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  let count = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (e) {
      throw new HistoryError(`${file}: line ${lineNo}: bad JSON (${(e as Error).message})`, lineNo);
    }
    const op = toHistoryOp(record);
    if (typeof op === 'string') throw new HistoryError(`${file}: line ${lineNo}: ${op}`, lineNo);
    if (Number.isNaN(op.index)) op.index = count;
    if (Number.isNaN(op.time)) op.time = op.index;
    count++;
    onOp(op, lineNo);
  }
  return count;
}

/** Parses JSONL text already in memory (tests, small inputs). */
export function parseJsonlHistory(text: string, name = 'history'): HistoryOp[] {
  const out: HistoryOp[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (e) {
      throw new HistoryError(`${name}: line ${i + 1}: bad JSON (${(e as Error).message})`, i + 1);
    }
    const op = toHistoryOp(record);
    if (typeof op === 'string') throw new HistoryError(`${name}: line ${i + 1}: ${op}`, i + 1);
    if (Number.isNaN(op.index)) op.index = out.length;
    if (Number.isNaN(op.time)) op.time = op.index;
    out.push(op);
  });
  return out;
}
