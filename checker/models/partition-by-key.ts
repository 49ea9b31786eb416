import type { Operation } from '../../src/history/types.js';

/**
 * Splits a history by `op.key` (P-compositionality: a history of independent keys is linearizable iff
 * every key's sub-history is). Ops keep their ids, so a result can point back at the full history.
 */
export function partitionByKey(ops: Operation[]): Map<string, Operation[]> {
  const parts = new Map<string, Operation[]>();
  for (const op of ops) {
    const key = op.key ?? '';
    let part = parts.get(key);
    if (!part) parts.set(key, (part = []));
    part.push(op);
  }
  return parts;
}
