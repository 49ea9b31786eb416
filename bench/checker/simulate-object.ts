import type { HistoryOp } from '../../src/history/types.js';
import { Prng } from '../../src/generator/prng.js';

/**
 * Runs clients against one sequential object with random concurrency: each op is invoked, takes effect at
 * a random later moment, and completes later still, so the history is linearizable by construction.
 * An op that times out (`info`) may or may not have taken effect, and its process is replaced by a new one
 * (Jepsen: process + clients), as in a real Jepsen run.
 */
export interface ObjectSimulation<S> {
  clients: number;
  ops: number;
  seed: number;
  init: S;
  /** The next op a client invokes: f, key and the invoke's value. */
  nextOp(prng: Prng, state: S): { f: string; key?: string; value: unknown };
  /** Applies the op to the state: the new state, the completion's value, and whether it failed (no effect). */
  apply(state: S, op: { f: string; key?: string; value: unknown }): { state: S; value: unknown; fail?: boolean };
  /** Probability that an op in flight at tick `t` times out (default 0). */
  timeoutRate?(t: number): number;
  /** Mean ticks an op stays in flight (more = more concurrency; default 2). */
  latency?: number;
}

interface InFlight {
  process: number;
  op: { f: string; key?: string; value: unknown };
  applied: boolean;
  value: unknown;
  fail: boolean;
  timeout: boolean;
}

export function simulateObject<S>(sim: ObjectSimulation<S>): HistoryOp[] {
  const prng = new Prng(sim.seed);
  const latency = Math.max(1, sim.latency ?? 2);
  const history: HistoryOp[] = [];
  const slots: (InFlight | null)[] = new Array(sim.clients).fill(null);
  const processOf = Array.from({ length: sim.clients }, (_, i) => i);
  let state = sim.init;
  let started = 0;
  let tick = 0;
  const emit = (op: Omit<HistoryOp, 'index' | 'time'>) => {
    const full: HistoryOp = { index: history.length, time: ++tick * 1000, ...op };
    if (full.key === undefined) delete full.key;
    history.push(full);
  };
  while (started < sim.ops || slots.some((s) => s !== null)) {
    const c = prng.int(sim.clients);
    const slot = slots[c];
    if (slot === null) {
      if (started >= sim.ops) continue;
      started++;
      const op = sim.nextOp(prng, state);
      slots[c] = { process: processOf[c], op, applied: false, value: undefined, fail: false, timeout: false };
      emit({ type: 'invoke', process: processOf[c], f: op.f, key: op.key, value: op.value });
    } else if (!slot.applied) {
      if (prng.float() * latency > 1) continue;
      slot.applied = true;
      if (prng.float() < (sim.timeoutRate?.(tick) ?? 0)) {
        slot.timeout = true;
        // A timed-out op may or may not have taken effect.
        if (prng.float() < 0.5) continue;
      }
      const r = sim.apply(state, slot.op);
      if (r.fail) slot.fail = true;
      else state = r.state;
      slot.value = r.value;
    } else {
      if (prng.float() * latency > 1) continue;
      const type = slot.timeout ? 'info' : slot.fail ? 'fail' : 'ok';
      emit({ type, process: slot.process, f: slot.op.f, key: slot.op.key, value: type === 'ok' ? slot.value : slot.op.value });
      slots[c] = null;
      if (type === 'info') processOf[c] += sim.clients;
    }
  }
  return history;
}
