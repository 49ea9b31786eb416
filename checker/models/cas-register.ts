import type { Model } from '../types.js';
import { checkRegisterOp, describeRegisterOp, isNilRead, registerEqual, registerFlow, registerHash, stepRegister } from './register-ops.js';
import { showValue } from './value.js';

/** A single register with read, write and cas [from, to] (Knossos' cas-register). */
export function casRegisterModel(init: unknown = null): Model<unknown> {
  return {
    name: 'cas-register',
    init: () => init,
    step: (s, op) => stepRegister(s, op, true),
    hash: registerHash,
    equal: registerEqual,
    describeOp: describeRegisterOp,
    describeState: (s) => showValue(s),
    isReadOnly: (op) => op.f === 'read',
    isNilRead,
    flow: registerFlow,
    checkOp: (op) => checkRegisterOp(op, true, 'cas-register'),
    async decide(ops, key, opts) {
      const { decideRegister } = await import('../register/decide.js');
      return decideRegister(ops, this, key, opts, true);
    },
    worker: { module: import.meta.url, export: 'casRegisterModel', args: [init] },
  };
}
