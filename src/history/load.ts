import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HistoryError, OperationPairer } from '../../checker/history.js';
import { UsageError } from '../cli/errors.js';
import { parseEdnHistory } from './edn.js';
import { looksLikeJepsenLog, parseJepsenLog } from './etcd-log.js';
import { readJsonlHistory } from './jsonl.js';
import type { Operation } from './types.js';

export type HistoryFormat = 'jsonl' | 'edn' | 'jepsen-log';

export interface LoadedHistory {
  file: string;
  format: HistoryFormat;
  /** Client operations (invoke/completion pairs); nemesis ops are skipped. */
  operations: Operation[];
  /** Raw lines/ops read, nemesis included. */
  rawOps: number;
}

/** Guesses the format from the name, then from the first bytes. */
export async function detectFormat(file: string): Promise<HistoryFormat> {
  if (/\.jsonl?$/i.test(file)) return 'jsonl';
  if (/\.edn$/i.test(file)) return 'edn';
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    if (looksLikeJepsenLog(head)) return 'jepsen-log';
    const first = head.replace(/^(\s|;[^\n]*\n)*/, '');
    if (first.startsWith('{"') || first.startsWith('{ "')) return 'jsonl';
    if (/^[[({#]/.test(first)) return 'edn';
    return 'jsonl';
  } finally {
    await fh.close();
  }
}

/**
 * Loads a history file as paired operations. JSONL is streamed (a million ops without holding the raw
 * lines); EDN and Jepsen logs are read whole. Every format problem is a HistoryError naming file and line.
 */
export async function loadOperations(file: string, format?: HistoryFormat): Promise<LoadedHistory> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new UsageError(`${file}: no such file`);
  if (info.isDirectory()) throw new UsageError(`${file} is a directory, not a history file`);
  const fmt = format ?? (await detectFormat(file));
  const lineOf = (line: number) => `${file}: line ${line}`;
  const pairer = new OperationPairer(lineOf, (line) => `line ${line}`);
  let rawOps = 0;
  if (fmt === 'jsonl') {
    rawOps = await readJsonlHistory(file, (op, line) => pairer.add(op, line));
  } else {
    const text = await readFile(file, 'utf8');
    const parsed = fmt === 'edn' ? parseEdnHistory(text, file) : parseJepsenLog(text);
    parsed.ops.forEach((op, i) => pairer.add(op, parsed.lines[i]));
    rawOps = parsed.ops.length;
  }
  return { file, format: fmt, operations: pairer.finish(), rawOps };
}

/**
 * A stored run directory: its history.jsonl and the model named in its test.json (model undefined when
 * there is no test.json, so the caller needs --model). Undefined when the directory holds no history.jsonl.
 */
export async function readRunDirectory(dir: string): Promise<{ history: string; model?: string; init?: unknown } | undefined> {
  const history = join(dir, 'history.jsonl');
  const testJson = join(dir, 'test.json');
  const [h, t] = await Promise.all([stat(history).catch(() => undefined), stat(testJson).catch(() => undefined)]);
  if (!h) return undefined;
  if (!t) return { history };
  let info: { model?: unknown; config?: { init?: unknown } };
  try {
    info = JSON.parse(await readFile(testJson, 'utf8'));
  } catch (e) {
    throw new HistoryError(`${testJson}: bad JSON (${(e as Error).message})`);
  }
  if (typeof info.model !== 'string') throw new UsageError(`${testJson} has no "model" to check the history with`, 'pass --model NAME');
  return { history, model: info.model, init: info.config?.init };
}
