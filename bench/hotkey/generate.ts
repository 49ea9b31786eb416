import type { HistoryOp } from '../../src/history/types.js';
import { Prng } from '../../src/generator/prng.js';
import { sequentialRawHistory } from '../../checker/register/testing/sequential-history.js';

/**
 * The hot-key histories of issue 9: one cas-register hammered by `clients` clients, from a real sequential
 * execution (unique written values, op latency 1-20 ms, think time 0-5 ms, reads/writes/cas, half of the
 * info ops really took effect, some after their client gave up), so linearizable by construction.
 */
export interface HotKeySpec {
  clients: number;
  ops: number;
  /** Share of info completions, e.g. 0.05. */
  info: number;
  seed: number;
}

export function hotKeyHistory(spec: HotKeySpec): HistoryOp[] {
  return sequentialRawHistory(new Prng(spec.seed), {
    clients: spec.clients,
    ops: spec.ops,
    infoRate: spec.info,
    withCas: true,
    latency: [1, 20],
    think: [0, 5],
    timeScale: 1e6,
  });
}

/**
 * The invalid twin: one ok read near the end (about 95% through) made to return a value that is provably
 * stale: write a completed before write b was invoked (so a precedes b), and write b completed before the
 * read was invoked (so b, or something later, is in place throughout the read). Returns a description.
 */
export function injectStaleRead(history: HistoryOp[]): string {
  const invokeOf = new Map<number, HistoryOp>();
  const pending = new Map<unknown, HistoryOp>();
  const okWrites: { call: number; ret: number; value: unknown }[] = [];
  const reads: { call: number; completion: HistoryOp }[] = [];
  for (const h of history) {
    if (h.type === 'invoke') {
      pending.set(h.process, h);
      continue;
    }
    const inv = pending.get(h.process)!;
    pending.delete(h.process);
    invokeOf.set(h.index, inv);
    if (h.type !== 'ok') continue;
    if (h.f === 'write') okWrites.push({ call: inv.time, ret: h.time, value: inv.value });
    if (h.f === 'read') reads.push({ call: inv.time, completion: h });
  }
  okWrites.sort((x, y) => x.ret - y.ret);
  const latestBefore = (t: number) => {
    let best: (typeof okWrites)[number] | undefined;
    for (const w of okWrites) if (w.ret < t) best = w;
    return best;
  };
  for (let i = Math.floor(reads.length * 0.95); i < reads.length; i++) {
    const read = reads[i];
    const b = latestBefore(read.call);
    const a = b && latestBefore(b.call);
    if (!a || !b || read.completion.value === a.value) continue;
    read.completion.value = a.value;
    return `read at ${read.call} ns now returns ${String(a.value)}, overwritten by write ${String(b.value)} before it`;
  }
  throw new Error('no read to make stale');
}
