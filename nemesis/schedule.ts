/**
 * Runs the chosen faults over time and records every start/stop/heal in the history as a "nemesis" op: an
 * invoke saying what is about to happen, then an info completion saying what was done (nodes, groups,
 * grudge, errors). `heal()` must be called at the end of every run, also after Ctrl-C.
 *
 * Three ways to run:
 *  - composed (default): every fault family on its own lane, with its own PRNG stream and its own
 *    jittered interval (0.5-1.5 x the nemesis interval), so faults overlap as real failures do;
 *  - one-at-a-time: one lane that picks one family per cycle (start, wait, stop, wait), the behaviour the
 *    focused detection recipes were tuned with;
 *  - replay: the entries of a recorded schedule, each lane's at the same offset from the first op as
 *    before, every start with its recorded plan (same nodes, groups, bytes), nothing drawn again.
 * Whatever runs, `applied` lists what was done and when: it is written to the run's schedule.json.
 *
 * The end of the main phase is never held up by a fault op: `run()` returns as soon as the signal aborts,
 * and `heal()` takes care of ops still in flight (heal now, wait for them, heal again).
 */
import { z } from 'zod';
import type { HistoryRecorder } from '../src/history/recorder.js';
import { aborted, sleep } from '../src/generator/sleep.js';
import { withTimeout } from '../src/generator/timeout.js';
import type { Fault, FaultDescription, FaultPlan, FaultResult, NemesisContext } from './fault.js';
import { splitPlan } from './fault.js';

export const nemesisModes = ['composed', 'one-at-a-time'] as const;
export type NemesisMode = (typeof nemesisModes)[number];

/** One applied fault op: what, when (ms from the first op), on which lane, with every decision it made. */
export interface ScheduleEntry {
  atMs: number;
  lane: string;
  /** The --nemesis name of the fault (e.g. kill-all). */
  fault: string;
  op: 'start' | 'stop' | 'heal';
  plan?: FaultPlan;
}

export interface ScheduledFault {
  description: FaultDescription;
  fault: Fault;
}

export interface ScheduleOptions {
  intervalMs: number;
  /** Upper bound on one whole fault op (several Docker calls). */
  opTimeoutMs: number;
  mode?: NemesisMode;
  /** Replay these entries instead of drawing a schedule. */
  replay?: readonly ScheduleEntry[];
}

/** The lane of one-at-a-time mode (every fault shares it). */
export const SINGLE_LANE = 'all';

export class NemesisSchedule {
  /** Events recorded (start/stop/heal ops, each counted once). */
  events = 0;
  /** Every op applied so far, in invoke order (a start's plan is filled in when it completes). */
  readonly applied: ScheduleEntry[] = [];
  private readonly ctx: NemesisContext;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly faults: readonly ScheduledFault[];

  constructor(
    faults: readonly (ScheduledFault | Fault)[],
    ctx: NemesisContext,
    private readonly recorder: HistoryRecorder,
    private readonly options: ScheduleOptions,
  ) {
    // A bare Fault (tests, benches) gets a description of its own name.
    this.faults = faults.map((f) => ('description' in f ? f : { fault: f, description: bareDescription(f) }));
    this.ctx = { ...ctx, onRestart: (nodes) => this.afterRestart(nodes) };
  }

  get mode(): NemesisMode | 'replay' {
    return this.options.replay ? 'replay' : (this.options.mode ?? 'composed');
  }

  /** Faults active right now, for the progress line (several at once when they overlap). */
  activeFaults(): string[] {
    return this.faults.map((f) => f.fault.active()).filter((d): d is string => d !== undefined);
  }

  /**
   * Runs the schedule until `signal` aborts, and returns right then, even in the middle of an op (which
   * keeps running; heal() waits for it). Leaves the last faults active: heal() clears them.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.faults.length === 0) return;
    if (this.options.replay) return this.replay(this.options.replay, signal);
    if (this.mode === 'one-at-a-time') return this.lane(SINGLE_LANE, this.faults, this.ctx, () => this.options.intervalMs, signal);
    await Promise.all(
      this.faults.map((f) => {
        // Its own stream: adding a family to --nemesis does not change what the others draw.
        const rng = this.ctx.rng.fork(`lane:${f.description.name}`);
        const ctx = { ...this.ctx, rng };
        return this.lane(f.description.name, [f], ctx, () => this.options.intervalMs * (0.5 + rng.float()), signal);
      }),
    );
  }

  /** wait, start (one of `faults`), wait, stop, ... on one lane. */
  private async lane(lane: string, faults: readonly ScheduledFault[], ctx: NemesisContext, wait: () => number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(wait(), signal);
      if (signal.aborted) break;
      const f = faults.length === 1 ? faults[0] : ctx.rng.pick(faults);
      await this.step(lane, f, 'start', () => f.fault.start(ctx), signal);
      await sleep(wait(), signal);
      if (signal.aborted) break;
      await this.step(lane, f, 'stop', () => f.fault.stop(ctx), signal);
    }
  }

  /** Each recorded lane again, every op at its recorded offset from the first op. */
  private async replay(entries: readonly ScheduleEntry[], signal: AbortSignal): Promise<void> {
    const lanes = new Map<string, ScheduleEntry[]>();
    for (const e of entries) if (e.op !== 'heal') lanes.set(e.lane, [...(lanes.get(e.lane) ?? []), e]);
    await Promise.all(
      [...lanes.values()].map(async (list) => {
        for (const entry of [...list].sort((a, b) => a.atMs - b.atMs)) {
          await sleep(entry.atMs - this.recorder.now() / 1e6, signal);
          if (signal.aborted) return;
          const f = this.faults.find((x) => x.description.name === entry.fault);
          if (!f) continue; // validated before the run: cannot happen
          if (entry.op === 'start') await this.step(entry.lane, f, 'start', () => f.fault.start(this.ctx, entry.plan), signal);
          else await this.step(entry.lane, f, 'stop', () => f.fault.stop(this.ctx), signal);
        }
      }),
    );
  }

  /**
   * Heals every fault family in the run (whether or not it was started), in the order the descriptions
   * give; recorded, never throws. An op still in flight may fault the cluster again after this heal, so
   * then heal waits for them (each bounded by opTimeoutMs) and heals once more.
   */
  async heal(): Promise<void> {
    const pending = [...this.inFlight];
    await this.healAll();
    if (pending.length > 0) {
      await Promise.all(pending);
      await this.healAll();
    }
  }

  private async healAll(): Promise<void> {
    const ordered = [...this.faults].sort((a, b) => a.description.healOrder - b.description.healOrder);
    // Families sharing op names (kill, kill-all) heal once.
    const seen = new Set<string>();
    for (const f of ordered) {
      if (seen.has(f.description.ops.heal)) continue;
      seen.add(f.description.ops.heal);
      await this.invoke(SINGLE_LANE, f, 'heal', () => f.fault.heal(this.ctx));
    }
  }

  /** Starts one recorded op and waits for it, or only until `signal` aborts. */
  private async step(lane: string, f: ScheduledFault, op: 'start' | 'stop', act: () => Promise<FaultResult>, signal: AbortSignal): Promise<void> {
    const running = this.invoke(lane, f, op, act);
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
    await Promise.race([running, aborted(signal)]);
  }

  /** Other faults re-apply their state on restarted nodes; what they did goes into the restart's result. */
  private async afterRestart(nodes: string[]): Promise<FaultResult> {
    const out: FaultResult = {};
    for (const { fault } of this.faults) {
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

  private async invoke(lane: string, f: ScheduledFault, op: ScheduleEntry['op'], act: () => Promise<FaultResult>): Promise<void> {
    const name = f.description.ops[op];
    const entry: ScheduleEntry = { atMs: Math.round(this.recorder.now() / 1e5) / 10, lane, fault: f.description.name, op };
    this.applied.push(entry);
    this.events++;
    this.recorder.record({ type: 'invoke', process: 'nemesis', f: name, value: null });
    try {
      const { value, plan } = splitPlan(await withTimeout(act(), this.options.opTimeoutMs, name));
      if (plan) entry.plan = plan;
      this.recorder.record({ type: 'info', process: 'nemesis', f: name, value });
    } catch (err) {
      this.recorder.record({ type: 'info', process: 'nemesis', f: name, value: null, error: err instanceof Error ? err.message : String(err) });
    }
  }
}

/** What a fault built outside the registry is taken to be: its own family, healed after processes. */
function bareDescription(fault: Fault): FaultDescription {
  const processFamily = fault.name === 'pause' || fault.name === 'kill';
  return {
    name: fault.name,
    summary: fault.name,
    family: fault.name,
    capability: 'partition',
    ops: { start: `start-${fault.name}`, stop: `stop-${fault.name}`, heal: `heal-${fault.name}` },
    color: '#6e6e6e',
    healOrder: processFamily ? 10 : 20,
    planSchema: z.record(z.string(), z.unknown()),
    create: () => fault,
  };
}
