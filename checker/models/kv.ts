import type { Model } from '../types.js';
import { casRegisterModel } from './cas-register.js';
import { partitionByKey } from './partition-by-key.js';
import { checkRegisterOp } from './register-ops.js';

/**
 * Many independent keys, each a cas-register starting at `init`. The history is split by `op.key` and
 * every key is checked on its own; an op without a key belongs to key "".
 */
export function kvModel(init: unknown = null): Model<unknown> {
  return {
    ...casRegisterModel(init),
    name: 'kv',
    partition: partitionByKey,
    checkOp: (op) => checkRegisterOp(op, true, 'kv'),
    worker: { module: import.meta.url, export: 'kvModel', args: [init] },
  };
}
