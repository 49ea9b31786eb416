import type { HistoryOp } from '../../../src/history/types.js';
import { Prng } from '../../../src/generator/prng.js';

/**
 * Histories from actually running a grow-only set with random concurrency: each op is invoked, takes
 * effect at a random later moment (a read then copies the set), and completes later still, so the history
 * is linearizable by construction. Failed adds never take effect; info ops may or may not have (and their
 * process is replaced, as in Jepsen).
 */
export interface SimulateSetOptions {
  clients: number;
  ops: number;
  seed: number;
  /** Probability that an op is a read (default 0.3). */
  readRate?: number;
  /** Probability that a completed op is recorded as info (default 0). */
  infoRate?: number;
  /** Probability that an add fails (it then never takes effect; default 0). */
  failRate?: number;
  /** Mean ticks an op stays in flight (more = more concurrency; default 2). */
  latency?: number;
  /** Initial elements, already in the set. */
  init?: unknown[];
  /** Elements as numbers (default), or a mix of numbers, strings and objects. */
  mixedElements?: boolean;
  /** Times advance only every few events, so ties are common and raw indices order them. */
  coarseTime?: boolean;
}

interface InFlight {
  process: number;
  f: 'add' | 'read';
  element: unknown;
  applied: boolean;
  result: unknown[] | undefined;
  fail: boolean;
  info: boolean;
}

/** Element number i as a value: a number, or in mixed mode sometimes a string or an object. */
function elementValue(i: number, mixed: boolean): unknown {
  if (!mixed) return i;
  switch (i % 3) {
    case 0:
      return i;
    case 1:
      return `e${i}`;
    default:
      return { id: i, tag: 'x' };
  }
}

export function simulateSetHistory(o: SimulateSetOptions): HistoryOp[] {
  const rng = new Prng(o.seed);
  const set: unknown[] = [...(o.init ?? [])];
  const history: HistoryOp[] = [];
  const slots: (InFlight | null)[] = new Array(o.clients).fill(null);
  const processOf = Array.from({ length: o.clients }, (_, i) => i);
  const latency = Math.max(1, o.latency ?? 2);
  let started = 0;
  let nextElement = 1000;
  let time = 0;
  const emit = (op: Omit<HistoryOp, 'index' | 'time'>) => {
    if (!o.coarseTime || rng.chance(0.3)) time += 1 + rng.between(0, 2);
    history.push({ index: history.length, time, ...op });
  };
  while (started < o.ops || slots.some((s) => s !== null)) {
    const c = rng.between(0, o.clients - 1);
    const slot = slots[c];
    if (slot === null) {
      if (started >= o.ops) continue;
      started++;
      const f = rng.chance(o.readRate ?? 0.3) ? 'read' : 'add';
      const element = f === 'add' ? elementValue(nextElement++, o.mixedElements ?? false) : null;
      slots[c] = { process: processOf[c], f, element, applied: false, result: undefined, fail: false, info: false };
      emit({ type: 'invoke', process: processOf[c], f, value: element });
    } else if (!slot.applied) {
      if (rng.float() * latency > 1) continue;
      slot.applied = true;
      if (slot.f === 'add' && rng.chance(o.failRate ?? 0)) {
        slot.fail = true;
        continue;
      }
      if (rng.chance(o.infoRate ?? 0)) {
        slot.info = true;
        if (rng.chance(0.5)) continue;
      }
      if (slot.f === 'add') set.push(slot.element);
      else {
        // Any order, sometimes with a duplicate: the model ignores both.
        const copy = [...set];
        for (let i = copy.length - 1; i > 0; i--) {
          const j = rng.between(0, i);
          [copy[i], copy[j]] = [copy[j], copy[i]];
        }
        if (copy.length > 0 && rng.chance(0.1)) copy.push(copy[0]);
        slot.result = copy;
      }
    } else {
      if (rng.float() * latency > 1) continue;
      const type = slot.fail ? 'fail' : slot.info ? 'info' : 'ok';
      const value = slot.f === 'read' ? (type === 'ok' ? slot.result : null) : slot.element;
      emit({ type, process: slot.process, f: slot.f, value });
      slots[c] = null;
      if (type === 'info') processOf[c] += o.clients;
    }
  }
  return history;
}
