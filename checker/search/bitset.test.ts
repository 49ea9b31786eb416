import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinearizedSet } from './bitset.js';

/** The compact snapshots must behave exactly like full copies of the set, whatever the set/clear history. */
describe('LinearizedSet snapshots', () => {
  it('equalsSnapshot(snapshotWith(x), y) holds exactly when the two sets are equal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 140 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 300 }),
        fc.nat(),
        fc.nat(),
        (size, steps, a, b) => {
          const set = new LinearizedSet(size);
          const naive = new Set<number>();
          const snaps: { snap: ReturnType<LinearizedSet['snapshotWith']>; members: Set<number> }[] = [];
          for (const [add, raw] of steps) {
            const i = raw % size;
            if (add && !naive.has(i)) {
              set.set(i);
              naive.add(i);
            } else if (!add && naive.has(i)) {
              set.clear(i);
              naive.delete(i);
            }
            const extra = (raw * 7 + 3) % size;
            snaps.push({ snap: set.snapshotWith(extra), members: new Set([...naive, extra]) });
          }
          const extraNow = a % size;
          const now = new Set([...naive, extraNow]);
          for (const { snap, members } of snaps.slice(b % Math.max(1, snaps.length))) {
            const same = members.size === now.size && [...members].every((m) => now.has(m));
            expect(set.equalsSnapshot(snap, extraNow)).toBe(same);
          }
        },
      ),
      { numRuns: 500, seed: 11 },
    );
  });
});
