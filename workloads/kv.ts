/**
 * Many independent registers (read/write/cas), checked per key with the kv model. Keys rotate: a small set
 * of keys is active at a time and each key is retired after `opsPerKey` ops, as Jepsen's independent
 * tests do, so every per-key history stays small enough to check quickly.
 */
import type { Prng } from '../src/generator/prng.js';
import { applyRegisterOp, registerOps, type RegisterClient } from './register.js';
import type { OpStream, PlannedOp, Workload, WorkloadOptions } from './workload.js';

interface ActiveKey {
  key: string;
  ops: number;
  counter: number;
  recent: number[];
}

export function kvStream(rng: Prng, options: WorkloadOptions): OpStream {
  let nextKeyIndex = 0;
  const seen: string[] = [];
  const fresh = (): ActiveKey => {
    const key = `k${nextKeyIndex++}`;
    seen.push(key);
    return { key, ops: 0, counter: 0, recent: [] };
  };
  const active: ActiveKey[] = Array.from({ length: Math.max(1, options.activeKeys) }, fresh);
  return {
    next(): PlannedOp {
      const slot = rng.int(active.length);
      const k = active[slot];
      const op = registerOps(rng, k.key, () => ++k.counter, k.recent, options.ops);
      if (++k.ops >= options.opsPerKey) active[slot] = fresh();
      return op;
    },
    // Every key ever used, so each per-key history ends with a read on every node.
    finalReads: () => seen.map((key) => ({ f: 'read', key, value: null })),
  };
}

export const kvWorkload: Workload<RegisterClient> = {
  name: 'kv',
  model: 'kv',
  description: 'independent keys, read/write/cas, keys rotate every opsPerKey ops',
  verbs: ['read', 'write', 'cas'],
  stream: kvStream,
  apply: (client, op, call) => applyRegisterOp(client, op.key ?? 'k0', op, call),
};
