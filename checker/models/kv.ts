import type { Model } from '../types.js';
import { partitionByKey } from './partition-by-key.js';
import { checkRegisterOp, describeRegisterOp, registerEqual, registerHash, stepRegister } from './register-ops.js';
import { showValue } from './value.js';

/**
 * Many independent keys, each a cas-register starting at `init`. The history is split by `op.key` and
 * every key is checked on its own; an op without a key belongs to key "".
 */
export function kvModel(init: unknown = null): Model<unknown> {
  return {
    name: 'kv',
    init: () => init,
    step: (s, op) => stepRegister(s, op, true),
    hash: registerHash,
    equal: registerEqual,
    describeOp: describeRegisterOp,
    describeState: (s) => showValue(s),
    partition: partitionByKey,
    isReadOnly: (op) => op.f === 'read',
    checkOp: (op) => checkRegisterOp(op, true, 'kv'),
  };
}
