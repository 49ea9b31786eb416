import type { Model } from '../types.js';
import { checkRegisterOp, describeRegisterOp, isNilRead, registerEqual, registerFlow, registerHash, stepRegister } from './register-ops.js';
import { showValue } from './value.js';

/** A single read/write register (no cas). */
export function registerModel(init: unknown = null): Model<unknown> {
  return {
    name: 'register',
    init: () => init,
    step: (s, op) => stepRegister(s, op, false),
    hash: registerHash,
    equal: registerEqual,
    describeOp: describeRegisterOp,
    describeState: (s) => showValue(s),
    isReadOnly: (op) => op.f === 'read',
    isNilRead,
    flow: registerFlow,
    checkOp: (op) => checkRegisterOp(op, false, 'register'),
    async decide(ops, key, opts) {
      const { decideRegister } = await import('../register/decide.js');
      return decideRegister(ops, this, key, opts, false);
    },
    worker: { module: import.meta.url, export: 'registerModel', args: [init] },
  };
}
