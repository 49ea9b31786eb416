import { hashText } from '../search/state-hash.js';
import type { Model } from '../types.js';
import { checkInit } from './init.js';
import { showValue, valueKey } from './value.js';

/** State: the canonical keys (valueKey) of the elements, sorted, so equal sets have equal text. */
type SetState = readonly string[];

function insertSorted(s: SetState, k: string): SetState {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  if (s[lo] === k) return s;
  return [...s.slice(0, lo), k, ...s.slice(lo)];
}

function canonicalSet(elements: unknown): string | undefined {
  if (!Array.isArray(elements)) return undefined;
  return [...new Set(elements.map(valueKey))].sort().join('\u0000');
}

/**
 * A grow-only set: add e, and read returning every element (array, order ignored). A read must see
 * exactly the elements added before it in the linearization. `init` may be an array of elements.
 */
export function setModel(init: unknown = null): Model<SetState> {
  checkInit('set', init, Array.isArray, 'a JSON array of its elements', '[1,2]');
  const start: SetState = Array.isArray(init) ? [...new Set(init.map(valueKey))].sort() : [];
  return {
    name: 'set',
    init: () => start,
    step: (s, op) => {
      if (op.f === 'add') return insertSorted(s, valueKey(op.input));
      if (op.f === 'read') {
        if (op.status !== 'ok' || op.output === undefined) return s;
        return canonicalSet(op.output) === s.join('\u0000') ? s : undefined;
      }
      return undefined;
    },
    hash: (s) => hashText(s.join('\u0000')),
    equal: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
    describeOp: (op) => {
      const who = typeof op.process === 'number' ? ` (p${op.process})` : '';
      if (op.f === 'read') return `read -> ${op.status === 'ok' && op.output !== undefined ? showValue(op.output) : '?'}${who}`;
      return `${op.f} ${showValue(op.input)}${who}`;
    },
    describeState: (s) => `{${s.join(', ')}}`,
    async decide(ops, key, opts) {
      const { decideSet } = await import('../set/decide.js');
      return decideSet(ops, this as Model, key, opts);
    },
    worker: { module: import.meta.url, export: 'setModel', args: [init] },
    isReadOnly: (op) => op.f === 'read',
    flow: (op) =>
      op.f === 'add'
        ? { observed: [], produced: [valueKey(op.input)] }
        : { observed: op.status === 'ok' && Array.isArray(op.output) ? op.output.map(valueKey) : [], produced: [] },
    checkOp: (op) => {
      if (op.f !== 'add' && op.f !== 'read') return `model set has no operation "${op.f}" (it knows add, read)`;
      if (op.f === 'read' && op.status === 'ok' && op.output !== undefined && !Array.isArray(op.output)) {
        return `a set read must return an array of elements, got ${showValue(op.output)}`;
      }
      return undefined;
    },
  };
}
