import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/history/types.js';
import { bruteForceLinearizable } from '../brute-force.js';
import { checkHistory, pairOperations } from '../index.js';
import { getModel } from '../models/index.js';
import { valueKey } from '../models/value.js';
import { searchLinearizable } from '../search/wgl.js';
import type { Model } from '../types.js';
import { decideSet } from './decide.js';
import { simulateSetHistory } from './testing/simulate-set.js';

const simParams = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  clients: fc.integer({ min: 1, max: 6 }),
  ops: fc.integer({ min: 1, max: 80 }),
  readRate: fc.constantFrom(0.2, 0.4, 0.6),
  infoRate: fc.constantFrom(0, 0.1, 0.3),
  failRate: fc.constantFrom(0, 0.1),
  latency: fc.integer({ min: 1, max: 5 }),
  init: fc.constantFrom<unknown[] | undefined>(undefined, [], [1, 2], ['x', { k: 1 }]),
  mixedElements: fc.boolean(),
  coarseTime: fc.boolean(),
});

type SimParams = typeof simParams extends fc.Arbitrary<infer T> ? T : never;

function simulated(p: SimParams): { model: Model; ops: Operation[] } {
  return { model: getModel('set', p.init ?? null), ops: pairOperations(simulateSetHistory(p)) };
}

function decided(ops: Operation[], model: Model) {
  const r = decideSet(ops, model, null, {});
  if (!r) throw new Error('the set procedure did not apply');
  return r;
}

/** A counterexample must be there, tiny, made of the history's ops, and really not linearizable. */
function expectGoodCounterexample(ops: Operation[], model: Model, r: ReturnType<typeof decided>) {
  expect(r.note).toBeUndefined();
  const ce = r.counterexample;
  expect(ce).toBeDefined();
  expect(ce!.minimal.length).toBeGreaterThan(0);
  expect(ce!.minimal.length).toBeLessThanOrEqual(4);
  expect(bruteForceLinearizable(model, ce!.minimal)).toBe(false);
  const init = new Set(model.init() as string[]);
  for (const m of ce!.minimal) {
    const orig = ops.find((o) => o.id === m.id && o.call === m.call && o.f === m.f);
    expect(orig).toBeDefined();
    if (m.f !== 'read' || m.status !== 'ok') continue;
    // A read keeps part of what it returned, including every initial element it returned.
    const had = new Set(elementsOf(orig!).map(valueKey));
    const kept = new Set(elementsOf(m).map(valueKey));
    for (const k of kept) expect(had.has(k)).toBe(true);
    for (const k of init) if (had.has(k)) expect(kept.has(k)).toBe(true);
  }
}

describe('set histories from a real sequential execution', () => {
  it('are judged linearizable, whatever the concurrency, crashes, failures and element types', () => {
    fc.assert(
      fc.property(simParams, (p) => {
        const { model, ops } = simulated(p);
        expect(decided(ops, model).valid).toBe(true);
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('and checkHistory decides them with the set procedure', async () => {
    await fc.assert(
      fc.asyncProperty(simParams, async (p) => {
        const r = await checkHistory(simulateSetHistory(p), getModel('set', p.init ?? null));
        expect(r.valid).toBe(true);
        expect(r.keys[0].algorithm).toBe('set');
      }),
      { numRuns: 100, seed: 12 },
    );
  });
});

/** Ways to break a history: each changes one thing, and the result may or may not stay linearizable. */
type Mutation = 'drop' | 'phantom' | 'swap-reads' | 'swap-adds' | 'shift';

const elementsOf = (op: Operation) => op.output as unknown[];

/** Applies a mutation; undefined when the history has nothing it applies to. */
function mutate(ops: Operation[], m: Mutation, pick: number): Operation[] | undefined {
  const reads = ops.filter((o) => o.f === 'read' && o.status === 'ok');
  const adds = ops.filter((o) => o.f === 'add' && o.status !== 'fail');
  const replace = (changes: Map<Operation, Partial<Operation>>) => ops.map((o) => (changes.has(o) ? { ...o, ...changes.get(o) } : o));
  switch (m) {
    case 'drop': {
      // Drop an element from one read.
      const nonEmpty = reads.filter((r) => elementsOf(r).length > 0);
      if (nonEmpty.length === 0) return undefined;
      const r = nonEmpty[pick % nonEmpty.length];
      const gone = valueKey(elementsOf(r)[pick % elementsOf(r).length]);
      return replace(new Map([[r, { output: elementsOf(r).filter((x) => valueKey(x) !== gone) }]]));
    }
    case 'phantom': {
      // Add to one read an element nobody added, or one whose add is still to come or failed.
      if (reads.length === 0) return undefined;
      const r = reads[pick % reads.length];
      const others = ops.filter((o) => o.f === 'add').map((o) => o.input);
      const extra = others.length > 0 && pick % 3 !== 0 ? others[pick % others.length] : 'phantom';
      return replace(new Map([[r, { output: [...elementsOf(r), extra] }]]));
    }
    case 'swap-reads': {
      // Two reads observed each other's results.
      if (reads.length < 2) return undefined;
      const a = reads[pick % reads.length];
      const b = reads[(pick + 1 + (pick >> 3)) % reads.length];
      if (a === b) return undefined;
      return replace(new Map([[a, { output: b.output }], [b, { output: a.output }]]));
    }
    case 'swap-adds': {
      // Two adds took effect in the other order (their elements swapped).
      if (adds.length < 2) return undefined;
      const a = adds[pick % adds.length];
      const b = adds[(pick + 1 + (pick >> 3)) % adds.length];
      if (a === b) return undefined;
      return replace(new Map([[a, { input: b.input }], [b, { input: a.input }]]));
    }
    case 'shift': {
      // Move one ok op earlier in real time (keeping raw indices consistent with times).
      const ok = ops.filter((o) => o.status === 'ok');
      if (ok.length === 0) return undefined;
      const o = ok[pick % ok.length];
      const by = 1 + (pick % 7);
      return replace(new Map([[o, { call: o.call - by, ret: o.ret - by, invokeIndex: o.invokeIndex - by * 1000, completeIndex: (o.completeIndex ?? 0) - by * 1000 }]]));
    }
  }
}

/** Raw indices far apart from each other, so a shift moves an op among them without ties. */
function spread(ops: Operation[]): Operation[] {
  return ops.map((o) => ({
    ...o,
    call: o.call * 10,
    ret: Number.isFinite(o.ret) ? o.ret * 10 : o.ret,
    invokeIndex: o.invokeIndex * 1000 * 10,
    completeIndex: o.completeIndex === undefined ? undefined : o.completeIndex * 1000 * 10,
  }));
}

/**
 * Small histories with no execution behind them: adds of elements 0..3 (repeats possible, so the
 * fallback is exercised), reads returning random subsets of 0..4 (4 is never added), random statuses,
 * and times on a coarse grid so many events tie and the raw indices order them.
 */
const arbitraryHistory = fc
  .array(
    fc.record({
      add: fc.boolean(),
      element: fc.integer({ min: 0, max: 3 }),
      subset: fc.integer({ min: 0, max: 31 }),
      call: fc.integer({ min: 0, max: 6 }),
      len: fc.integer({ min: 0, max: 4 }),
      status: fc.constantFrom('ok', 'ok', 'ok', 'info', 'fail'),
      tie: fc.double({ min: 0, max: 1, noNaN: true }),
      tie2: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((specs) => {
    const ops: Operation[] = [];
    const events: { t: number; k: number; op: Operation; end: boolean }[] = [];
    specs.forEach((s, i) => {
      const status = s.status as Operation['status'];
      // Reads mostly see a subset of what can be added; bit 4 is the element 4, which nobody adds.
      const subset = s.subset & (s.subset % 5 === 0 ? 31 : 15);
      const output = [0, 1, 2, 3, 4].filter((e) => subset & (1 << e));
      const o: Operation = {
        id: i,
        process: i,
        f: s.add ? 'add' : 'read',
        input: s.add ? s.element : null,
        output: status !== 'ok' ? undefined : s.add ? s.element : output,
        status,
        call: s.call,
        ret: status === 'info' ? Infinity : s.call + s.len,
        invokeIndex: 0,
      };
      ops.push(o);
      events.push({ t: s.call, k: s.tie, op: o, end: false });
      if (status !== 'info') events.push({ t: s.call + s.len, k: s.tie + s.tie2, op: o, end: true });
    });
    // Raw log order: by time, ties in a random but consistent order (an op's invoke before its completion:
    // its key is not larger, and the sort is stable).
    events.sort((a, b) => a.t - b.t || a.k - b.k);
    events.forEach((e, i) => {
      if (e.end) e.op.completeIndex = i;
      else e.op.invokeIndex = i;
    });
    ops.sort((a, b) => a.invokeIndex - b.invokeIndex);
    ops.forEach((o, i) => (o.id = i));
    return ops;
  });

const mutation = fc.constantFrom<Mutation>('drop', 'phantom', 'swap-reads', 'swap-adds', 'shift');

describe('the set procedure agrees exactly with brute force on small histories', () => {
  it('simulated, then broken (≤ 8 ops)', () => {
    let invalid = 0;
    let valid = 0;
    fc.assert(
      fc.property(simParams, mutation, fc.nat(), (p, m, pick) => {
        const { model, ops } = simulated({ ...p, ops: Math.min(p.ops, 8) });
        const changed = mutate(spread(ops), m, pick);
        fc.pre(changed !== undefined);
        const expected = bruteForceLinearizable(model, changed);
        const r = decideSet(changed, model, null, {});
        // Swapping elements between an add and a failed add can make an element added twice.
        fc.pre(r !== undefined);
        expect(r.valid).toBe(expected);
        if (expected) valid++;
        else {
          invalid++;
          expectGoodCounterexample(changed, model, r);
        }
      }),
      { numRuns: 3000, seed: 21 },
    );
    expect(invalid).toBeGreaterThan(500);
    expect(valid).toBeGreaterThan(300);
  });

  it('arbitrary (≤ 8 ops, tiny element pool, many ties in time)', () => {
    let invalid = 0;
    let valid = 0;
    let fellBack = 0;
    fc.assert(
      fc.property(arbitraryHistory, fc.constantFrom<unknown[]>([], [0]), (ops, init) => {
        const model = getModel('set', init);
        const expected = bruteForceLinearizable(model, ops);
        const r = decideSet(ops, model, null, {});
        const live = ops.filter((o) => o.f === 'add' && o.status !== 'fail').map((o) => valueKey(o.input));
        const repeated = live.some((k, i) => live.indexOf(k) !== i && !init.map(valueKey).includes(k));
        if (repeated) {
          // The only reason to fall back.
          expect(r).toBeUndefined();
          fellBack++;
          return;
        }
        expect(r).toBeDefined();
        expect(r!.valid).toBe(expected);
        if (expected) valid++;
        else {
          invalid++;
          expectGoodCounterexample(ops, model, r!);
        }
      }),
      { numRuns: 4000, seed: 22 },
    );
    expect(invalid).toBeGreaterThan(800);
    expect(valid).toBeGreaterThan(800);
    expect(fellBack).toBeGreaterThan(50);
  });
});

describe('the set procedure agrees with the WGL search on medium histories', () => {
  it('simulated, then broken (≤ 40 ops)', () => {
    let invalid = 0;
    let compared = 0;
    fc.assert(
      fc.property(simParams, mutation, fc.nat(), (p, m, pick) => {
        const { model, ops } = simulated({ ...p, ops: Math.min(p.ops, 40) });
        const changed = mutate(spread(ops), m, pick);
        fc.pre(changed !== undefined);
        const r = decideSet(changed, model, null, {});
        fc.pre(r !== undefined);
        const search = searchLinearizable(model, changed, { deadline: Date.now() + 2000 });
        fc.pre(search.valid !== 'unknown');
        compared++;
        expect(r.valid).toBe(search.valid);
        if (r.valid === false) {
          invalid++;
          expectGoodCounterexample(changed, model, r);
        }
      }),
      { numRuns: 600, seed: 31 },
    );
    expect(compared).toBeGreaterThan(400);
    expect(invalid).toBeGreaterThan(200);
  });
});
