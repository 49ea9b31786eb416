import { Prng } from '../../src/generator/prng.js';
import type { HistoryOp } from '../../src/history/types.js';

/**
 * Produces histories by actually running ops against a sequential key-value store of cas-registers with
 * random concurrency: each op is invoked, takes effect at a random later moment, and completes later still,
 * so the history is linearizable by construction. Used by the property tests and the benchmarks.
 */
export interface SimulateOptions {
  clients: number;
  ops: number;
  /** Number of keys; ops carry `key` only when keys > 1 or `keyed` is set. */
  keys?: number;
  keyed?: boolean;
  /** Probability that a completed op is recorded as info (it may or may not have taken effect). */
  infoRate?: number;
  /** Allow cas ops (cas-register / kv); otherwise only read and write. */
  cas?: boolean;
  /** Written values are unique per key (1, 2, 3, ...); otherwise small values that repeat. */
  uniqueValues?: boolean;
  seed?: number;
  /** Mean ticks an op stays in flight (more = more concurrency). */
  latency?: number;
}

interface InFlight {
  process: number;
  f: 'read' | 'write' | 'cas';
  key: string;
  value: unknown;
  applied: boolean;
  result: unknown;
  failed: boolean;
  info: boolean;
}

export function simulateHistory(o: SimulateOptions): HistoryOp[] {
  const prng = new Prng(o.seed ?? 1);
  const rand = () => prng.float();
  const keys = Math.max(1, o.keys ?? 1);
  const keyed = o.keyed ?? keys > 1;
  const store = new Map<string, unknown>();
  const nextValue = new Map<string, number>();
  const history: HistoryOp[] = [];
  const slots: (InFlight | null)[] = new Array(o.clients).fill(null);
  const processOf = Array.from({ length: o.clients }, (_, i) => i);
  let started = 0;
  let time = 0;
  const emit = (op: Omit<HistoryOp, 'index' | 'time'>) => {
    time += 1 + Math.floor(rand() * 3);
    const full: HistoryOp = { index: history.length, time, ...op };
    if (!keyed) delete full.key;
    history.push(full);
  };
  const pickValue = (key: string): number => {
    if (!o.uniqueValues) return Math.floor(rand() * 5);
    const v = (nextValue.get(key) ?? 0) + 1;
    nextValue.set(key, v);
    return v;
  };
  const latency = Math.max(1, o.latency ?? 2);
  while (started < o.ops || slots.some((s) => s !== null)) {
    const c = Math.floor(rand() * o.clients);
    const slot = slots[c];
    if (slot === null) {
      if (started >= o.ops) continue;
      started++;
      const key = `k${Math.floor(rand() * keys)}`;
      const r = rand();
      const f = r < 0.5 ? 'read' : o.cas && r < 0.75 ? 'cas' : 'write';
      const value = f === 'read' ? null : f === 'cas' ? [Math.floor(rand() * 5), pickValue(key)] : pickValue(key);
      if (o.cas && f === 'cas' && o.uniqueValues) {
        // Aim the compare at the current value half of the time, or cas would almost always fail.
        if (rand() < 0.5) (value as unknown[])[0] = store.get(key) ?? null;
      }
      slots[c] = { process: processOf[c], f, key, value, applied: false, result: undefined, failed: false, info: false };
      emit({ type: 'invoke', process: processOf[c], f, key, value });
    } else if (!slot.applied) {
      if (rand() * latency > 1) continue;
      slot.applied = true;
      if (rand() < (o.infoRate ?? 0)) {
        slot.info = true;
        // An info op may or may not have taken effect.
        if (rand() < 0.5) continue;
      }
      const cur = store.get(slot.key) ?? null;
      if (slot.f === 'read') slot.result = cur;
      else if (slot.f === 'write') store.set(slot.key, slot.value);
      else {
        const [from, to] = slot.value as [unknown, unknown];
        if (cur === from) store.set(slot.key, to);
        else slot.failed = true;
      }
    } else {
      if (rand() * latency > 1) continue;
      const type = slot.info ? 'info' : slot.failed ? 'fail' : 'ok';
      const value = type === 'info' ? slot.value : slot.f === 'read' ? slot.result : slot.value;
      emit({ type, process: slot.process, f: slot.f, key: slot.key, value });
      slots[c] = null;
      // Jepsen: a process whose op ended in info never invokes again.
      if (type === 'info') processOf[c] += o.clients;
    }
  }
  return history;
}
