import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { HistoryError } from './errors.js';
import { OperationPairer, type PairingCounts } from './pair.js';
import type { Truncation } from './truncation.js';
import type { HistoryOp, Operation } from './types.js';

export type HistoryFormat = 'jsonl' | 'edn' | 'jepsen-log';

// Each reader is loaded when a file of its format is met: checking a JSONL file never compiles the EDN
// and Jepsen log readers, nor the other way round (module loading is most of a small check's start-up).
const jsonlReader = () => import('./jsonl.js');
const ednReader = () => import('./edn.js');
const jepsenLogReader = () => import('./etcd-log.js');

/** Reads the whole text of an EDN history or a Jepsen log. */
async function parseWhole(file: string, format: 'edn' | 'jepsen-log', opts: LoadOptions): Promise<{ ops: HistoryOp[]; lines: number[]; truncated?: Truncation }> {
  if (format === 'edn') {
    const [text, { parseEdnHistory }] = await Promise.all([readFile(file, 'utf8'), ednReader()]);
    return parseEdnHistory(text, file, opts);
  }
  const [text, { parseJepsenLog }] = await Promise.all([readFile(file, 'utf8'), jepsenLogReader()]);
  return parseJepsenLog(text, file, opts);
}

export interface LoadedHistory {
  file: string;
  format: HistoryFormat;
  /** Client operations (invoke/completion pairs); nemesis ops are counted in `counts` and skipped. */
  operations: Operation[];
  /** Raw lines/ops read, nemesis included. */
  rawOps: number;
  counts: PairingCounts;
  /** Set when the file was cut off and `allowTruncated` let its complete prefix be read. */
  truncated?: Truncation;
}

export interface LoadOptions {
  format?: HistoryFormat;
  /** Read the complete ops before a cut instead of failing (the outcome says where the cut was). */
  allowTruncated?: boolean;
}

/** Guesses the format from the name, then from the first bytes. */
export async function detectFormat(file: string): Promise<HistoryFormat> {
  if (/\.jsonl?$/i.test(file)) return 'jsonl';
  if (/\.edn$/i.test(file)) return 'edn';
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    if ((await jepsenLogReader()).looksLikeJepsenLog(head)) return 'jepsen-log';
    const first = head.replace(/^(\s|;[^\n]*\n)*/, '');
    if (first.startsWith('{"') || first.startsWith('{ "')) return 'jsonl';
    if (/^[[({#]/.test(first)) return 'edn';
    return 'jsonl';
  } finally {
    await fh.close();
  }
}

/**
 * Loads a history file as paired operations: the one reader behind `faultline check`, `faultline export`
 * and the benchmarks. JSONL is streamed (a million ops without holding the raw lines); EDN and Jepsen logs
 * are read whole. Every format problem is a HistoryError naming file and line (exit 3).
 */
export async function loadOperations(file: string, options: LoadOptions | HistoryFormat = {}): Promise<LoadedHistory> {
  return unreadableAsHistoryError(file, () => loadOperationsFrom(file, typeof options === 'string' ? { format: options } : options));
}

/** A file that exists but cannot be read (permissions, a device, an I/O error) is input the user can fix: exit 3. */
async function unreadableAsHistoryError<T>(file: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && !(e instanceof UsageError)) throw new HistoryError(`${file}: cannot be read (${code}: ${(e as Error).message})`);
    throw e;
  }
}

async function loadOperationsFrom(file: string, opts: LoadOptions): Promise<LoadedHistory> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new UsageError(`${file}: no such file`);
  if (info.isDirectory()) throw new UsageError(`${file} is a directory, not a history file`);
  const fmt = opts.format ?? (await detectFormat(file));
  const pairer = new OperationPairer({ where: (line) => `${file}: line ${line}`, ref: (line) => `line ${line}`, completeFromResult: fmt === 'edn' });
  let rawOps = 0;
  let truncated: Truncation | undefined;
  if (fmt === 'jsonl') {
    const { readJsonlHistory } = await jsonlReader();
    const outcome = await readJsonlHistory(file, (op, line) => pairer.add(op, line), { allowTruncated: opts.allowTruncated });
    rawOps = outcome.ops;
    truncated = outcome.truncated;
  } else {
    const parsed = await parseWhole(file, fmt, opts);
    parsed.ops.forEach((op, i) => pairer.add(op, parsed.lines[i]));
    rawOps = parsed.ops.length;
    truncated = parsed.truncated;
  }
  const operations = pairer.finish();
  const loaded: LoadedHistory = { file, format: fmt, operations, rawOps, counts: pairer.counts };
  if (truncated) loaded.truncated = truncated;
  return loaded;
}

/** A history file's raw ops with their lines, checked for pairing errors (used by `faultline export`). */
export interface RawHistory {
  file: string;
  format: HistoryFormat;
  ops: HistoryOp[];
  lines: number[];
  truncated?: Truncation;
}

/** Reads every raw op of a history file into memory and checks that they pair (a malformed history is a HistoryError). */
export async function readRawHistory(file: string, opts: LoadOptions = {}): Promise<RawHistory> {
  return unreadableAsHistoryError(file, () => readRawHistoryFrom(file, opts));
}

async function readRawHistoryFrom(file: string, opts: LoadOptions): Promise<RawHistory> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new UsageError(`${file}: no such file`);
  if (info.isDirectory()) throw new UsageError(`${file} is a directory, not a history file`);
  const format = opts.format ?? (await detectFormat(file));
  const pairer = new OperationPairer({ where: (line) => `${file}: line ${line}`, ref: (line) => `line ${line}` });
  let parsed: { ops: HistoryOp[]; lines: number[]; truncated?: Truncation };
  if (format === 'jsonl') {
    const ops: HistoryOp[] = [];
    const lines: number[] = [];
    const { readJsonlHistory } = await jsonlReader();
    const outcome = await readJsonlHistory(file, (op, line) => (ops.push(op), lines.push(line)), { allowTruncated: opts.allowTruncated });
    parsed = { ops, lines, ...(outcome.truncated ? { truncated: outcome.truncated } : {}) };
  } else {
    parsed = await parseWhole(file, format, opts);
  }
  parsed.ops.forEach((op, i) => pairer.add(op, parsed.lines[i]));
  return { file, format, ...parsed };
}

/** A run directory's history and what it says about how to check it. */
export interface RunDirectory {
  history: string;
  /** Where it came from: our own run (history.jsonl + test.json) or a Jepsen store directory (history.edn). */
  kind: 'faultline' | 'jepsen';
  model?: string;
  init?: unknown;
}

/**
 * A stored run directory: ours (history.jsonl, with the model named in test.json) or a Jepsen store
 * directory as Jepsen writes it (`store/<test>/<time>/history.edn`, no model: the caller needs --model).
 * Undefined when the directory holds neither history.
 */
export async function readRunDirectory(dir: string): Promise<RunDirectory | undefined> {
  const history = join(dir, 'history.jsonl');
  const testJson = join(dir, 'test.json');
  const [h, t] = await Promise.all([stat(history).catch(() => undefined), stat(testJson).catch(() => undefined)]);
  if (!h) {
    const edn = join(dir, 'history.edn');
    if (await stat(edn).catch(() => undefined)) return { history: edn, kind: 'jepsen' };
    return undefined;
  }
  if (!t) return { history, kind: 'faultline' };
  let info: { model?: unknown; config?: { init?: unknown } };
  try {
    info = JSON.parse(await readFile(testJson, 'utf8'));
  } catch (e) {
    throw new HistoryError(`${testJson}: bad JSON (${(e as Error).message})`);
  }
  if (typeof info.model !== 'string') throw new UsageError(`${testJson} has no "model" to check the history with`, 'pass --model NAME');
  return { history, kind: 'faultline', model: info.model, init: info.config?.init };
}
