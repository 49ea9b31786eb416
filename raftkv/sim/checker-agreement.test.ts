import { describe, expect, it } from 'vitest';
import { checkOperations, getModel } from '../../checker/index.js';
import type { Operation } from '../../src/history/types.js';
import type { BugName } from '../bugs.js';
import { checkLinearizable, type SimOp } from './lin-check.js';
import { replaySeed } from './seed-runner.js';
import { runSimulation } from './sim-cluster.js';

/** Simulated register ops as the project's checker consumes them (times in ns, info ops never return). */
function toOperations(ops: SimOp[]): Operation[] {
  return [...ops]
    .sort((a, b) => a.call - b.call)
    .map((o, i) => ({
      id: i,
      process: o.id, // one process per op: a client whose op ended in info moves on, as in Jepsen
      f: o.f,
      key: o.key,
      input: o.input,
      output: o.status === 'ok' ? (o.f === 'read' ? o.output : o.input) : undefined,
      status: o.status,
      call: Math.round(o.call * 1e6),
      ret: o.status === 'ok' ? Math.round(o.ret * 1e6) : Infinity,
      invokeIndex: i,
    }));
}

/**
 * The simulation's small linearizability check and Faultline's checker (checker/index.ts) must agree on
 * simulated register histories, both for correct raftkv and for the read/ack bug knobs.
 */
describe.runIf(replaySeed() === undefined)('simulation histories: local check agrees with the Faultline checker', () => {
  const cases: [BugName[], number][] = [[[], 1], [['stale-reads'], 1], [['ack-before-commit'], 1], [['lease-reads'], 55]];
  for (const [bugs, from] of cases) {
    it(`${bugs.join(',') || 'correct'}: seeds ${from}..${from + 11}`, async () => {
      let invalid = 0;
      for (let seed = from; seed < from + 12; seed++) {
        const r = runSimulation({ seed, bugs });
        for (const key of ['a', 'b']) {
          const ops = r.history.filter((o) => o.key === key);
          const local = checkLinearizable(ops);
          if (local.budgetHit) continue;
          const result = await checkOperations(toOperations(ops), getModel('cas-register'), { workers: 0 });
          expect(result.valid, `seed ${seed} key ${key}`).toBe(local.error === undefined);
          if (result.valid === false) invalid++;
        }
      }
      if (bugs.length === 0) expect(invalid).toBe(0);
      else expect(invalid).toBeGreaterThan(0);
    });
  }
});
