import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../src/history/types.js';
import { bruteForceLinearizable } from './brute-force.js';
import { checkOperations } from './index.js';
import { getModel } from './models/index.js';
import { valueKey, valuesEqual } from './models/value.js';
import type { Model } from './types.js';

/**
 * Knossos's cas-register, step for step (knossos.model/CASRegister): an op carries the completion's value
 * when it completed ok and the invocation's otherwise (Knossos completes invocations that way), and a read
 * is legal when `(or (nil? (:value op)) (= value (:value op)))`.
 */
function knossosCasRegister(init: unknown): Model<unknown> {
  const valueOf = (op: Operation) => (op.status === 'ok' ? op.output : op.input);
  return {
    name: 'knossos-cas-register',
    init: () => init,
    step: (state, op) => {
      const v = valueOf(op);
      if (op.f === 'read') return v === null || v === undefined || valuesEqual(state, v) ? state : undefined;
      if (op.f === 'write') return v ?? null;
      if (op.f === 'cas') {
        const [cur, next] = v as [unknown, unknown];
        return valuesEqual(state, cur) ? (next ?? null) : undefined;
      }
      return undefined;
    },
    hash: (s) => valueKey(s),
    equal: valuesEqual,
    describeOp: (op) => `${op.f} ${JSON.stringify(valueOf(op))}`,
    describeState: (s) => JSON.stringify(s),
  };
}

/** Small histories on 3 processes over a tiny value domain, with many ok reads of nil. */
const histories = fc
  .array(
    fc.record({
      process: fc.integer({ min: 0, max: 2 }),
      f: fc.constantFrom('read', 'read', 'write', 'cas'),
      a: fc.constantFrom(null, 0, 1, 2),
      b: fc.constantFrom(0, 1, 2),
      gap: fc.integer({ min: 0, max: 3 }),
      len: fc.integer({ min: 1, max: 6 }),
      status: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'info', 'fail'),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((specs) => {
    // Each process runs one op at a time, and a process whose op ended info runs nothing more (Jepsen).
    const free = [0, 0, 0];
    const ops: Operation[] = [];
    let tick = 0;
    for (const s of specs) {
      if (!Number.isFinite(free[s.process])) continue;
      const call = Math.max(free[s.process], tick) + s.gap;
      tick = call;
      const ret = call + s.len;
      const status = s.status as Operation['status'];
      free[s.process] = status === 'info' ? Infinity : ret + 1;
      const input = s.f === 'read' ? null : s.f === 'cas' ? [s.a ?? 0, s.b] : (s.a ?? 0);
      const output = s.f === 'read' ? s.a : input;
      ops.push({
        id: ops.length,
        process: s.process,
        f: s.f,
        input,
        output: status === 'ok' ? output : undefined,
        status,
        call: call * 2,
        ret: status === 'info' ? Infinity : ret * 2 + 1,
        invokeIndex: call * 2,
        completeIndex: status === 'info' ? undefined : ret * 2 + 1,
      });
    }
    return ops;
  });

describe('with the Knossos meaning of nil reads', () => {
  for (const algorithm of ['auto', 'search'] as const) {
    it(`the checker (${algorithm}) agrees with a brute force over Knossos's own step function`, async () => {
      let invalid = 0;
      let nilReads = 0;
      await fc.assert(
        fc.asyncProperty(histories, fc.constantFrom(null, 0), async (ops, init) => {
          const expected = bruteForceLinearizable(knossosCasRegister(init), ops);
          const r = await checkOperations(ops, getModel('cas-register', init), { nilRead: 'unconstrained', algorithm, workers: 0 });
          if (!expected) invalid++;
          nilReads += r.unused?.nilReads ?? 0;
          expect(r.valid).toBe(expected);
        }),
        { numRuns: 2500, seed: algorithm === 'auto' ? 11 : 12 },
      );
      // Both answers occur, and nil reads are common, or this test proves little.
      expect(invalid).toBeGreaterThan(250);
      expect(invalid).toBeLessThan(2250);
      expect(nilReads).toBeGreaterThan(500);
    });
  }
  it('strict and unconstrained differ exactly where a nil read is the only thing wrong', async () => {
    // write 1 completes, then a read returns nil: Knossos accepts it, the strict meaning does not.
    const ops: Operation[] = [
      { id: 0, process: 0, f: 'write', input: 1, output: 1, status: 'ok', call: 0, ret: 1, invokeIndex: 0, completeIndex: 1 },
      { id: 1, process: 1, f: 'read', input: null, output: null, status: 'ok', call: 2, ret: 3, invokeIndex: 2, completeIndex: 3 },
    ];
    expect(bruteForceLinearizable(knossosCasRegister(0), ops)).toBe(true);
    expect((await checkOperations(ops, getModel('cas-register', 0), { nilRead: 'unconstrained' })).valid).toBe(true);
    expect((await checkOperations(ops, getModel('cas-register', 0), { nilRead: 'strict' })).valid).toBe(false);
  });
});
