/**
 * Composes the chosen faults over time: wait one interval, start a fault (chosen by the seeded PRNG),
 * wait, stop it, wait, ... until the signal aborts. Every start/stop/heal is recorded in the history as a
 * "nemesis" op: an invoke saying what is about to happen, then an info completion saying what was done
 * (nodes, groups, grudge, errors). `heal()` must be called at the end of every run, also after Ctrl-C.
 */
import type { HistoryRecorder } from '../src/history/recorder.js';
import { sleep } from '../src/generator/sleep.js';
import { withTimeout } from '../src/generator/timeout.js';
import type { Fault, FaultResult, NemesisContext } from './fault.js';

export interface ScheduleOptions {
  intervalMs: number;
  /** Upper bound on one whole fault op (several Docker calls). */
  opTimeoutMs: number;
}

export class NemesisSchedule {
  /** Events recorded (start/stop/heal ops, each counted once). */
  events = 0;
  private running: Fault | undefined;

  constructor(
    private readonly faults: readonly Fault[],
    private readonly ctx: NemesisContext,
    private readonly recorder: HistoryRecorder,
    private readonly options: ScheduleOptions,
  ) {}

  /** Faults active right now, for the progress line. */
  activeFaults(): string[] {
    return this.faults.map((f) => f.active()).filter((d): d is string => d !== undefined);
  }

  /** Runs the start/stop cycle until `signal` aborts. Leaves the last fault active: heal() clears it. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.faults.length === 0) return;
    while (!signal.aborted) {
      await sleep(this.options.intervalMs, signal);
      if (signal.aborted) break;
      const fault = this.ctx.rng.pick(this.faults);
      this.running = fault;
      await this.invoke(`start-${fault.name}`, null, () => fault.start(this.ctx));
      await sleep(this.options.intervalMs, signal);
      if (signal.aborted) break;
      await this.invoke(`stop-${fault.name}`, null, () => fault.stop(this.ctx));
      this.running = undefined;
    }
  }

  /** Heals every fault family in the run (whether or not it was started); recorded, never throws. */
  async heal(): Promise<void> {
    for (const fault of this.faults) {
      await this.invoke(`heal-${fault.name}`, null, () => fault.heal(this.ctx));
    }
    this.running = undefined;
  }

  private async invoke(f: string, value: unknown, act: () => Promise<FaultResult>): Promise<void> {
    this.events++;
    this.recorder.record({ type: 'invoke', process: 'nemesis', f, value });
    try {
      const result = await withTimeout(act(), this.options.opTimeoutMs, f);
      this.recorder.record({ type: 'info', process: 'nemesis', f, value: result });
    } catch (err) {
      this.recorder.record({ type: 'info', process: 'nemesis', f, value: null, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
