import { defineModel } from '../../src/core/model.js';
import type { Operation } from '../../src/history/types.js';
import type { Model } from '../types.js';

/**
 * A model written the way a user writes one (src/core's defineModel, a text hash, its own partition): a
 * counter per key with `add n` and `read -> n`. Its `worker` recipe points back at this file, so the
 * checker can rebuild it on worker threads like a built-in.
 */
export function counterModel(): Model<number> {
  const described = defineModel<number>({
    name: 'counter',
    init: () => 0,
    step: (s, op) => {
      if (op.f === 'add') return s + Number(op.input);
      if (op.f === 'read') return op.status !== 'ok' || op.output === s ? s : undefined;
      return undefined;
    },
    hash: (s) => String(s),
    equal: (a, b) => a === b,
    describeOp: (op) => `${op.f} ${String(op.f === 'read' ? op.output : op.input)}`,
    describeState: (s) => String(s),
    partition: (ops: Operation[]) => {
      const parts = new Map<string, Operation[]>();
      for (const op of ops) parts.set(op.key ?? '', [...(parts.get(op.key ?? '') ?? []), op]);
      return parts;
    },
    isReadOnly: (op) => op.f === 'read',
  });
  return { ...described, worker: { module: import.meta.url, export: 'counterModel' } };
}
