import { describe, expect, it } from 'vitest';
import { KeySearch } from '../check-key.js';
import { getModel } from '../models/index.js';
import { OpList } from '../testing/ops.js';
import type { Model } from '../types.js';
import { FingerprintCache } from './fingerprint-cache.js';
import { searchLinearizable } from './wgl.js';

describe('FingerprintCache', () => {
  it('holds each 64-bit fingerprint once, across growth, including (0, 0)', () => {
    const cache = new FingerprintCache();
    const fingerprints: [number, number][] = [[0, 0], [1, 0], [-1, -1]];
    for (let i = 1; i < 20_000; i++) fingerprints.push([Math.imul(i, 0x9e3779b1) | 0, i & 7]);
    for (const [a, b] of fingerprints) expect(cache.addIfNew(a, b)).toBe(true);
    expect(cache.count).toBe(fingerprints.length);
    for (const [a, b] of fingerprints.slice(1)) expect(cache.addIfNew(a, b)).toBe(false);
    expect(cache.bytes).toBeGreaterThanOrEqual(fingerprints.length * 8);
  });
});

describe('a search on fingerprints', () => {
  // Two concurrent writes, then a read of the value of the first: linearizable as w2, w1, r1 only. A model
  // whose states all hash alike makes ({w1, w2}, state 2) and ({w1, w2}, state 1) one fingerprint, so the
  // fingerprint search skips the only order that works.
  const ops = new OpList().w(0, 1, 0, 3).w(1, 2, 1, 2).r(2, 1, 4, 5).ops;
  const colliding: Model = { ...getModel('register'), hash: () => 0 };

  it('can miss a linearization when fingerprints collide (why its "invalid" is not trusted)', () => {
    expect(searchLinearizable(colliding, ops).valid).toBe(true);
    expect(searchLinearizable(colliding, ops, { fingerprints: true }).valid).toBe(false);
  });

  it('a key search settles an invalid answer with the exact search, so the verdict is still right', () => {
    const search = new KeySearch(colliding, null, ops, {});
    expect(search.run()?.valid).toBe(true);
    const stale = new OpList().w(0, 1, 0, 1).w(0, 2, 2, 3).r(1, 1, 4, 5).ops;
    expect(new KeySearch(colliding, null, stale, {}).run()?.valid).toBe(false);
  });
});
