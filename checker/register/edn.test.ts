import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '../../src/history/types.js';
import { parseEdnHistory } from '../../src/history/edn.js';
import { bruteForceLinearizable } from '../brute-force.js';
import { pairOperations } from '../../src/history/pair.js';
import { getModel } from '../models/index.js';
import { decideRegister } from './decide.js';
import { Prng } from '../../src/generator/prng.js';
import { sequentialRawHistory } from './testing/sequential-history.js';

const model = getModel('cas-register');

const ednValue = (v: unknown): string =>
  v === null || v === undefined ? 'nil' : Array.isArray(v) ? `[${v.map(ednValue).join(' ')}]` : String(v);

/** Jepsen's history.edn: one op map per line, :info completions included. */
function toEdn(history: HistoryOp[]): string {
  return history
    .map((h) => `{:index ${h.index}, :type :${h.type}, :process ${h.process}, :f :${h.f}, :value ${ednValue(h.value)}, :time ${h.time}}`)
    .join('\n');
}

describe('Jepsen EDN histories give the same verdicts', () => {
  it('for sequential executions, with and without an injected stale read', () => {
    let invalid = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const rng = new Prng(seed * 31);
      const raw = sequentialRawHistory(rng, { clients: rng.between(1, 4), ops: rng.between(2, 8), infoRate: 0.3, writeFailRate: 0.1, latency: [1, 6] });
      if (seed % 2 === 0) {
        // Make one ok read return an older written value (maybe stale, maybe not).
        const reads = raw.filter((h) => h.type === 'ok' && h.f === 'read');
        const writes = raw.filter((h) => h.type === 'invoke' && h.f === 'write');
        if (reads.length && writes.length) rng.pick(reads).value = rng.pick(writes).value;
      }
      const fromEdn = pairOperations(parseEdnHistory(toEdn(raw)).ops);
      const direct = pairOperations(raw);
      const a = decideRegister(fromEdn, model, null, {})!;
      const b = decideRegister(direct, model, null, {})!;
      expect(a.valid, `seed ${seed}`).toBe(b.valid);
      expect(a.valid, `seed ${seed}`).toBe(bruteForceLinearizable(model, direct));
      if (a.valid === false) invalid++;
    }
    expect(invalid).toBeGreaterThan(20);
  });
});
