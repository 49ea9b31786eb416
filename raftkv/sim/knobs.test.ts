import { describe, expect, it } from 'vitest';
import type { BugName } from '../bugs.js';
import { firstFailingSeed, replayHint, replaySeed } from './seed-runner.js';

/**
 * Proof that the simulation can see each deliberate bug: with the knob on, some seed in a small range
 * must fail (a safety property or linearizability). commit-old-term is shown by the scripted Figure 8
 * scenario (figure8.test.ts): random runs almost never leave a leader idle long enough to expose it.
 */
const KNOBS: BugName[] = [
  'stale-reads',
  'lease-reads',
  'no-fsync',
  'vote-without-log-check',
  'no-truncate',
  'ack-before-commit',
  'no-dedup',
];

describe.runIf(replaySeed() === undefined)('each bug knob is caught by the simulation', () => {
  for (const knob of KNOBS) {
    it(knob, () => {
      const failed = firstFailingSeed(1, 301, { bugs: [knob] });
      expect(failed, `no seed in 1..300 exposed ${knob}`).toBeDefined();
      console.log(`${knob}: seed ${failed!.seed}: ${failed!.violations[0]}  (${replayHint(failed!.seed, { bugs: [knob] })})`);
    });
  }
});
