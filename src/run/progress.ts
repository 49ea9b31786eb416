/**
 * Progress on stderr while a run drives traffic. On an interactive terminal (a TTY, not CI) one line is
 * rewritten in place 4 times a second. Anywhere else (CI logs, pipes, files) a line is a permanent record,
 * so one is written when something happens: the phase changes or a fault starts or stops; plus a
 * heartbeat every 60 s so a long quiet phase still shows the run is alive.
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

export interface ProgressOptions {
  /** Running under CI (ci-info): never rewrite lines in place, even on a pseudo-terminal. */
  ci?: boolean;
  /** Plain mode: ms between checks for a change (default 1000) and between heartbeats (default 60000). */
  pollMs?: number;
  heartbeatMs?: number;
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
  private lastPrinted = 0;
  private lastState = '';
  private readonly tty: boolean;
  private readonly everyMs: number;
  private readonly heartbeatMs: number;

  constructor(private readonly sink: ProgressSink, private readonly source: ProgressSource, opts: ProgressOptions = {}) {
    this.tty = Boolean(sink.isTTY) && !opts.ci;
    this.everyMs = this.tty ? 250 : (opts.pollMs ?? 1000);
    this.heartbeatMs = opts.heartbeatMs ?? 60_000;
  }

  start(): void {
    this.started = Date.now();
    this.lastAt = this.started;
    this.lastPrinted = this.started;
    this.lastState = '';
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
    if (!this.tty) this.tick();
  }

  private tick(): void {
    const now = Date.now();
    const faults = this.source.faults();
    const phase = this.source.phase();
    if (!this.tty) {
      const state = `${phase}|${faults.join(';')}`;
      if (state === this.lastState && now - this.lastPrinted < this.heartbeatMs) return;
      this.lastState = state;
      this.lastPrinted = now;
    }
    const counts = this.source.counts();
    const line = progressLine(now - this.started, counts, this.lastOps, now - this.lastAt, faults, phase);
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
