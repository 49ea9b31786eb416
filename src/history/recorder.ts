/**
 * Records a run's history as it happens: each op gets its dense index and its monotonic time (ns since the
 * recorder was opened) and is appended to history.jsonl. Writes are buffered and flushed synchronously at
 * least every `flushIntervalMs` (default 200 ms, well inside the 1 s promise) and whenever the buffer
 * grows past `maxBufferBytes`, so a controller crash loses at most the last interval and never leaves a
 * half-written line from an earlier flush. Callers record an invoke BEFORE they send the request.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { HistoryOp, OpType, ProcessId } from './types.js';

export interface RecorderOptions {
  /** Keep every op in memory too (the run checks them afterwards). Default true. */
  keepInMemory?: boolean;
  flushIntervalMs?: number;
  maxBufferBytes?: number;
}

export interface OpFields {
  type: OpType;
  process: ProcessId;
  f: string;
  key?: string;
  value: unknown;
  node?: string;
  error?: string;
}

export interface RecorderCounts {
  invoke: number;
  ok: number;
  fail: number;
  info: number;
  nemesis: number;
}

export class HistoryRecorder {
  /** Ops recorded so far (empty when keepInMemory is false). */
  readonly ops: HistoryOp[] = [];
  /** Client completions by type, and nemesis ops (invoke + completion each count). */
  readonly counts: RecorderCounts = { invoke: 0, ok: 0, fail: 0, info: 0, nemesis: 0 };
  private readonly fd: number;
  private start = process.hrtime.bigint();
  private readonly keep: boolean;
  private readonly maxBufferBytes: number;
  private readonly timer: NodeJS.Timeout;
  private buffer: string[] = [];
  private bufferBytes = 0;
  private nextIndex = 0;
  private closed = false;

  constructor(readonly path: string, options: RecorderOptions = {}) {
    this.fd = openSync(path, 'a');
    this.keep = options.keepInMemory ?? true;
    this.maxBufferBytes = options.maxBufferBytes ?? 64 * 1024;
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs ?? 200);
    // The flush timer alone must not keep a finished process alive.
    this.timer.unref();
  }

  /** Nanoseconds since the recorder was opened (the history's time origin). */
  now(): number {
    return Number(process.hrtime.bigint() - this.start);
  }

  /**
   * Makes "now" the history's time origin. Only before the first op: the run calls it when the cluster
   * is ready and the first client op is about to go out, so times do not include cluster start-up.
   */
  restartClock(): void {
    if (this.nextIndex > 0) throw new Error('restartClock() after ops were recorded would make times go backwards');
    this.start = process.hrtime.bigint();
  }

  /** Number of ops recorded so far; the next op gets this index. */
  get size(): number {
    return this.nextIndex;
  }

  record(fields: OpFields): HistoryOp {
    if (this.closed) throw new Error('history recorder is closed');
    // A fixed key order (as in schemas/history-op.schema.json); absent fields are left out, not written as null.
    const op: HistoryOp = {
      index: this.nextIndex++,
      type: fields.type,
      process: fields.process,
      f: fields.f,
      ...(fields.key !== undefined ? { key: fields.key } : {}),
      value: fields.value === undefined ? null : fields.value,
      time: this.now(),
      ...(fields.node !== undefined ? { node: fields.node } : {}),
      ...(fields.error !== undefined ? { error: fields.error } : {}),
    };
    if (fields.process === 'nemesis') this.counts.nemesis++;
    else this.counts[fields.type]++;
    if (this.keep) this.ops.push(op);
    const line = JSON.stringify(op) + '\n';
    this.buffer.push(line);
    this.bufferBytes += line.length;
    if (this.bufferBytes >= this.maxBufferBytes) this.flush();
    return op;
  }

  /** Writes buffered lines to the file now (synchronously, so a flush is never interleaved). */
  flush(): void {
    if (this.buffer.length === 0 || this.closed) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.bufferBytes = 0;
    writeSync(this.fd, chunk);
  }

  /** Final flush, fsync and close. Idempotent. */
  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.flush();
    this.closed = true;
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
}
