import { describe, expect, it } from 'vitest';
import { pairOperations } from '../../src/history/pair.js';
import { getModel } from '../../checker/models/index.js';
import { searchLinearizable } from '../../checker/search/wgl.js';
import { decideRegister } from '../../checker/register/decide.js';
import { hotKeyHistory, injectStaleRead } from './generate.js';

const model = getModel('cas-register');

describe('hot-key histories', () => {
  it('are linearizable, and the twin with a stale read is not (register path and search agree)', () => {
    for (const info of [0, 0.05]) {
      const raw = hotKeyHistory({ clients: 5, ops: 300, info, seed: 9 });
      const valid = pairOperations(raw);
      expect(decideRegister(valid, model, null, {})?.valid).toBe(true);
      expect(searchLinearizable(model, valid, { deadline: Date.now() + 20000 }).valid).toBe(true);
      injectStaleRead(raw);
      const invalid = pairOperations(raw);
      const r = decideRegister(invalid, model, null, {});
      expect(r?.valid).toBe(false);
      expect(r?.counterexample?.explanation).toMatch(/returned \d+, but \d+ (was overwritten by|had already been replaced by)/);
    }
  });
});
