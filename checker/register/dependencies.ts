import type { Operation } from '../../src/history/types.js';
import { casArgs } from '../models/value.js';
import { valueIdentity } from './value-identity.js';

/**
 * Read-from dependencies between ops of a unique-valued register history: an ok read of v and a cas from
 * v depend on the one op that wrote v. Used to keep counterexamples closed (a read never appears without
 * the write it read) and to remove an op together with everything that observed it.
 */
export function writtenValue(op: Operation): unknown {
  if (op.f === 'write') return op.input ?? null;
  if (op.f === 'cas') return casArgs(op.input)?.[1] ?? null;
  return undefined;
}

export function observedValue(op: Operation): unknown {
  if (op.f === 'read') return op.status === 'ok' && op.output !== undefined ? (op.output ?? null) : undefined;
  if (op.f === 'cas') return casArgs(op.input)?.[0] ?? null;
  return undefined;
}

/** Ops of `ops` that depend, directly or through cas chains, on `root` (root included). */
export function dependentsOf(ops: readonly Operation[], root: Operation): Set<Operation> {
  const byObserved = new Map<unknown, Operation[]>();
  for (const op of ops) {
    if (op.status === 'fail') continue;
    const v = observedValue(op);
    if (v === undefined) continue;
    const id = valueIdentity(v);
    let list = byObserved.get(id);
    if (!list) byObserved.set(id, (list = []));
    list.push(op);
  }
  const out = new Set<Operation>([root]);
  const work = [root];
  while (work.length > 0) {
    const op = work.pop()!;
    if (op.status === 'fail' || (op.f !== 'write' && op.f !== 'cas')) continue;
    for (const d of byObserved.get(valueIdentity(writtenValue(op))) ?? []) {
      if (!out.has(d)) {
        out.add(d);
        work.push(d);
      }
    }
  }
  return out;
}
