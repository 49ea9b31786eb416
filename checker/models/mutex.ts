import type { Model } from '../types.js';
import { checkInit } from './init.js';

/** A lock: acquire is legal only when free, release only when held (Knossos' mutex). State: held or not. */
export function mutexModel(init: unknown = null): Model<boolean> {
  checkInit('mutex', init, (v) => typeof v === 'boolean', 'true (held) or false (free)', 'true');
  const held = init === true;
  return {
    name: 'mutex',
    init: () => held,
    step: (s, op) => {
      if (op.f === 'acquire') return s ? undefined : true;
      if (op.f === 'release') return s ? false : undefined;
      return undefined;
    },
    hash: (s) => (s ? 1 : 0),
    equal: (a, b) => a === b,
    describeOp: (op) => `${op.f}${typeof op.process === 'number' ? ` (p${op.process})` : ''}`,
    describeState: (s) => (s ? 'held' : 'free'),
    worker: { module: import.meta.url, export: 'mutexModel', args: [init] },
    checkOp: (op) =>
      op.f === 'acquire' || op.f === 'release' ? undefined : `model mutex has no operation "${op.f}" (it knows acquire, release)`,
  };
}
