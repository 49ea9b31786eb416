/**
 * The live progress line on stderr: elapsed, ops/s, ok/fail/info, current faults. On a TTY one line is
 * rewritten in place; otherwise a plain line every 5 s; under CI=true every 30 s (logs stay short).
 */
import type { RecorderCounts } from '../history/recorder.js';

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressSource {
  counts(): RecorderCounts;
  faults(): string[];
  phase(): string;
}

export function progressLine(elapsedMs: number, counts: RecorderCounts, lastOps: number, windowMs: number, faults: string[], phase: string): string {
  const done = counts.ok + counts.fail + counts.info;
  const rate = windowMs > 0 ? ((done - lastOps) * 1000) / windowMs : 0;
  const faultText = faults.length > 0 ? faults.join('; ') : 'no faults';
  return `[${(elapsedMs / 1000).toFixed(0)}s ${phase}] ${rate.toFixed(0)} ops/s  ok ${counts.ok}  fail ${counts.fail}  info ${counts.info}  | ${faultText}`;
}

export class ProgressReporter {
  private timer: NodeJS.Timeout | undefined;
  /** Set by start(): elapsed time counts from the first op, not from cluster start-up. */
  private started = Date.now();
  private lastOps = 0;
  private lastAt = Date.now();
  private readonly tty: boolean;
  private readonly everyMs: number;

  constructor(private readonly sink: ProgressSink, private readonly source: ProgressSource, env: NodeJS.ProcessEnv = process.env) {
    this.tty = Boolean(sink.isTTY) && env.CI !== 'true';
    this.everyMs = this.tty ? 250 : env.CI === 'true' ? 30_000 : 5_000;
  }

  start(): void {
    this.started = Date.now();
    this.lastAt = this.started;
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  private tick(): void {
    const now = Date.now();
    const counts = this.source.counts();
    const line = progressLine(now - this.started, counts, this.lastOps, now - this.lastAt, this.source.faults(), this.source.phase());
    this.lastOps = counts.ok + counts.fail + counts.info;
    this.lastAt = now;
    const width = (process.stderr.columns ?? 120) - 1;
    this.sink.write(this.tty ? `\r${line.slice(0, width).padEnd(width)}` : `${line}\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) this.sink.write('\r\x1b[2K');
  }
}
