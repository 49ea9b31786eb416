/**
 * Composes the chosen faults over time: wait one interval, start a fault (chosen by the seeded PRNG),
 * wait, stop it, wait, ... until the signal aborts. Every start/stop/heal is recorded in the history as a
 * "nemesis" op: an invoke saying what is about to happen, then an info completion saying what was done
 * (nodes, groups, grudge, errors). `heal()` must be called at the end of every run, also after Ctrl-C.
 *
 * The end of the main phase is never held up by a fault op: `run()` returns as soon as the signal aborts,
 * and `heal()` takes care of an op still in flight (heal now, wait for the op, heal again).
 */
import type { HistoryRecorder } from '../src/history/recorder.js';
import { aborted, sleep } from '../src/generator/sleep.js';
import { withTimeout } from '../src/generator/timeout.js';
import type { Fault, FaultResult, NemesisContext } from './fault.js';

export interface ScheduleOptions {
  intervalMs: number;
  /** Upper bound on one whole fault op (several Docker calls). */
  opTimeoutMs: number;
}

/** Healed first, so every container runs again before iptables and clock files are touched by exec. */
const PROCESS_FAULTS = new Set(['pause', 'kill']);

export class NemesisSchedule {
  /** Events recorded (start/stop/heal ops, each counted once). */
  events = 0;
  private readonly ctx: NemesisContext;
  /** The start/stop op currently running, if any. */
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly faults: readonly Fault[],
    ctx: NemesisContext,
    private readonly recorder: HistoryRecorder,
    private readonly options: ScheduleOptions,
  ) {
    this.ctx = { ...ctx, onRestart: (nodes) => this.afterRestart(nodes) };
  }

  /** Faults active right now, for the progress line. */
  activeFaults(): string[] {
    return this.faults.map((f) => f.active()).filter((d): d is string => d !== undefined);
  }

  /**
   * Runs the start/stop cycle until `signal` aborts, and returns right then, even in the middle of an op
   * (which keeps running; heal() waits for it). Leaves the last fault active: heal() clears it.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.faults.length === 0) return;
    while (!signal.aborted) {
      await sleep(this.options.intervalMs, signal);
      if (signal.aborted) break;
      const fault = this.ctx.rng.pick(this.faults);
      await this.step(`start-${fault.name}`, () => fault.start(this.ctx), signal);
      await sleep(this.options.intervalMs, signal);
      if (signal.aborted) break;
      await this.step(`stop-${fault.name}`, () => fault.stop(this.ctx), signal);
    }
  }

  /**
   * Heals every fault family in the run (whether or not it was started); recorded, never throws. An op
   * still in flight may fault the cluster again after this heal, so then heal waits for it (bounded by
   * opTimeoutMs) and heals once more.
   */
  async heal(): Promise<void> {
    const pending = this.inFlight;
    await this.healAll();
    if (pending) {
      await pending;
      await this.healAll();
    }
  }

  private async healAll(): Promise<void> {
    const ordered = [...this.faults].sort((a, b) => Number(!PROCESS_FAULTS.has(a.name)) - Number(!PROCESS_FAULTS.has(b.name)));
    for (const fault of ordered) {
      await this.invoke(`heal-${fault.name}`, null, () => fault.heal(this.ctx));
    }
  }

  /** Starts one recorded op and waits for it, or only until `signal` aborts. */
  private async step(f: string, act: () => Promise<FaultResult>, signal: AbortSignal): Promise<void> {
    const op = this.invoke(f, null, act);
    this.inFlight = op;
    void op.finally(() => {
      if (this.inFlight === op) this.inFlight = undefined;
    });
    await Promise.race([op, aborted(signal)]);
  }

  /** Other faults re-apply their state on restarted nodes; what they did goes into the restart's result. */
  private async afterRestart(nodes: string[]): Promise<FaultResult> {
    const out: FaultResult = {};
    for (const fault of this.faults) {
      if (!fault.afterRestart) continue;
      try {
        const r = await fault.afterRestart(this.ctx, nodes);
        if (r) out[fault.name] = r;
      } catch (err) {
        out[fault.name] = { error: err instanceof Error ? err.message : String(err) };
      }
    }
    return out;
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
