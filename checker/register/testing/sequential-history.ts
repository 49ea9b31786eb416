import type { HistoryOp, Operation } from '../../../src/history/types.js';
import { pairOperations } from '../../../src/history/pair.js';
import type { Prng } from '../../../src/generator/prng.js';

/**
 * Histories of a real sequential execution of one register, linearizable by construction: each op takes
 * effect at a random instant strictly inside its [call, return] (or, for half of the indeterminate ones,
 * at some instant after the call, possibly after the client gave up; the other half never). Written
 * values are unique. Used by the agreement tests and the hot-key benchmark.
 */
export interface SequentialOptions {
  clients: number;
  ops: number;
  /** Share of ops whose completion is info. */
  infoRate?: number;
  /** Share of writes that fail outright (never take effect). */
  writeFailRate?: number;
  /** Op mix: probability of cas (only if withCas) and of write; the rest are reads. */
  casRate?: number;
  writeRate?: number;
  withCas?: boolean;
  latency?: [number, number];
  think?: [number, number];
  init?: unknown;
  /** Times are multiplied by this (1 = unit times, 1e6 = milliseconds in ns). */
  timeScale?: number;
}

interface SimOp {
  client: number;
  process: number;
  f: 'read' | 'write' | 'cas';
  call: number;
  ret: number;
  effect: number; // Infinity = never takes effect
  info: boolean;
  failWrite: boolean;
  input: unknown;
  output: unknown;
  status: 'ok' | 'fail' | 'info';
}

export function sequentialRawHistory(rng: Prng, o: SequentialOptions): HistoryOp[] {
  const infoRate = o.infoRate ?? 0;
  const withCas = o.withCas ?? true;
  const casRate = withCas ? (o.casRate ?? 0.3) : 0;
  const writeRate = o.writeRate ?? 0.3;
  const [latLo, latHi] = o.latency ?? [1, 20];
  const [thinkLo, thinkHi] = o.think ?? [0, 5];
  const scale = o.timeScale ?? 1;
  const sim: SimOp[] = [];
  const clock = new Array<number>(o.clients).fill(0);
  const pid = Array.from({ length: o.clients }, (_, i) => i);
  let nextPid = o.clients;
  for (let i = 0; i < o.ops; i++) {
    const c = rng.between(0, o.clients - 1);
    const call = clock[c] + rng.between(thinkLo, thinkHi);
    const ret = call + rng.between(latLo, latHi);
    const u = rng.float();
    const f = u < casRate ? 'cas' : u < casRate + writeRate ? 'write' : 'read';
    const info = rng.chance(infoRate);
    const failWrite = !info && f === 'write' && rng.chance(o.writeFailRate ?? 0);
    // Strictly inside the interval; an info op that happens may land after its client gave up.
    let effect = call + (0.001 + 0.998 * rng.float()) * (ret - call);
    if (info) effect = rng.chance(0.5) ? (rng.chance(0.5) ? effect : ret + rng.float() * 40) : Infinity;
    if (failWrite) effect = Infinity;
    sim.push({ client: c, process: pid[c], f, call, ret, effect, info, failWrite, input: null, output: undefined, status: 'ok' });
    clock[c] = ret;
    if (info) pid[c] = nextPid++;
  }
  // Run the register: arguments are chosen at invocation, results decided at the effect instant.
  type Ev = { t: number; kind: 0 | 1; op: SimOp }; // 0 invoke, 1 effect
  const evs: Ev[] = [];
  for (const op of sim) {
    evs.push({ t: op.call, kind: 0, op });
    if (op.effect !== Infinity) evs.push({ t: op.effect, kind: 1, op });
  }
  evs.sort((a, b) => a.t - b.t || a.kind - b.kind);
  let value: unknown = o.init ?? null;
  let nextValue = 1;
  const recent: unknown[] = [value];
  for (const ev of evs) {
    const op = ev.op;
    if (ev.kind === 0) {
      if (op.f === 'write') op.input = nextValue++;
      else if (op.f === 'cas') op.input = [rng.chance(0.6) ? value : rng.pick(recent), nextValue++];
      continue;
    }
    if (op.f === 'read') op.output = value;
    else if (op.f === 'write') value = op.input;
    else {
      const [from, to] = op.input as [unknown, unknown];
      if (from === value) value = to;
      else op.status = 'fail';
    }
    if (op.f !== 'read') {
      recent.push(value);
      if (recent.length > 8) recent.shift();
    }
  }
  for (const op of sim) {
    if (op.info) op.status = 'info';
    else if (op.failWrite) op.status = 'fail';
    else if (op.f === 'cas' && op.effect === Infinity) op.status = 'fail';
  }
  // A cas that found a different value is a fail and never took effect (its effect changed nothing).
  type Raw = { t: number; tie: number; h: Omit<HistoryOp, 'index'> };
  const raw: Raw[] = [];
  const lastRet = new Array<number>(o.clients).fill(-1);
  const lastTie = new Array<number>(o.clients).fill(0);
  for (const op of sim) {
    const value = op.f === 'read' ? null : op.input;
    // A client's next invoke is logged after its previous completion, even at the same instant.
    const lo = lastRet[op.client] === op.call ? lastTie[op.client] : 0;
    const endTie = rng.float();
    lastRet[op.client] = op.ret;
    lastTie[op.client] = endTie;
    raw.push({ t: op.call, tie: lo + (1 - lo) * rng.float(), h: { type: 'invoke', process: op.process, f: op.f, value, time: op.call * scale } });
    const done = op.status === 'ok' && op.f === 'read' ? op.output : value;
    raw.push({ t: op.ret, tie: endTie, h: { type: op.status, process: op.process, f: op.f, value: op.status === 'info' ? value : done, time: op.ret * scale } });
  }
  // Same-time events land in the log in random order (an op's invoke always before its completion).
  raw.sort((a, b) => a.t - b.t || a.tie - b.tie);
  return raw.map((r, index) => ({ index, ...r.h }) as HistoryOp);
}

export function sequentialHistory(rng: Prng, o: SequentialOptions): Operation[] {
  return pairOperations(sequentialRawHistory(rng, o));
}
