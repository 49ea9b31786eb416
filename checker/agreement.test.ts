import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../src/history/types.js';
import { bruteForceLinearizable } from './brute-force.js';
import { getModel } from './models/index.js';
import { KeySearch } from './check-key.js';
import { searchLinearizable } from './search/wgl.js';
import type { Model } from './types.js';

/**
 * Random small histories (up to 7 ops, 3 processes, tiny value domain so collisions are common), with
 * random outputs so both verdicts occur; the WGL search must agree with the brute-force oracle on each.
 */
const smallHistory = (fs: string[]) =>
  fc
    .array(
      fc.record({
        process: fc.integer({ min: 0, max: 2 }),
        f: fc.constantFrom(...fs),
        a: fc.integer({ min: 0, max: 2 }),
        b: fc.integer({ min: 0, max: 2 }),
        gap: fc.integer({ min: 0, max: 3 }),
        len: fc.integer({ min: 1, max: 6 }),
        status: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'info', 'fail'),
      }),
      { minLength: 1, maxLength: 7 },
    )
    .map((specs) => {
      // Lay ops out per process one after another so a process never overlaps itself.
      const free = [0, 0, 0];
      const ops: Operation[] = [];
      let tick = 0;
      for (const s of specs) {
        const call = Math.max(free[s.process], tick) + s.gap;
        tick = call;
        const ret = call + s.len;
        const status = s.status as Operation['status'];
        free[s.process] = status === 'info' ? Infinity : ret + 1;
        if (!Number.isFinite(call)) continue;
        const input = s.f === 'read' ? null : s.f === 'cas' ? [s.a, s.b] : s.a;
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

describe('search agrees with brute force', () => {
  it('on thousands of random cas-register histories', () => {
    const model = getModel('cas-register', 0);
    let invalid = 0;
    fc.assert(
      fc.property(smallHistory(['read', 'write', 'cas']), (ops) => {
        const expected = bruteForceLinearizable(model, ops);
        if (!expected) invalid++;
        expect(searchLinearizable(model, ops).valid).toBe(expected);
      }),
      { numRuns: 3000, seed: 42 },
    );
    // The generator must exercise both answers, or this test proves little.
    expect(invalid).toBeGreaterThan(300);
    expect(invalid).toBeLessThan(2700);
  });
  it('on fingerprints: "linearizable" is always right, and a key search (fingerprints, then exact) always agrees', () => {
    // States that all hash alike make fingerprint collisions common, so the exact second search is exercised.
    const colliding: Model = { ...getModel('cas-register', 0), hash: () => 0 };
    let missed = 0;
    fc.assert(
      fc.property(smallHistory(['read', 'write', 'cas']), (ops) => {
        const expected = bruteForceLinearizable(colliding, ops);
        const fingerprints = searchLinearizable(colliding, ops, { fingerprints: true }).valid;
        if (fingerprints === true) expect(expected).toBe(true);
        else if (expected) missed++;
        expect(new KeySearch(colliding, null, ops, {}).run()?.valid).toBe(expected);
      }),
      { numRuns: 2000, seed: 5 },
    );
    expect(missed).toBeGreaterThan(0);
  });
  it('on random mutex histories', () => {
    const model = getModel('mutex');
    fc.assert(
      fc.property(smallHistory(['acquire', 'release']), (ops) => {
        expect(searchLinearizable(model, ops).valid).toBe(bruteForceLinearizable(model, ops));
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
