import type { Operation } from '../src/history/types.js';
import { precedes } from './order.js';
import type { Model } from './types.js';
import { valueKey } from './models/value.js';

/**
 * A filter for shrinking: a sub-history is "coherent" when every value it observes that some op of the
 * history being shrunk produced is also produced inside the sub-history (or is the initial value). Without it the
 * shrinker happily keeps a lone `read -> 1` and drops `write 1`, a minimal but useless explanation; a value
 * produced nowhere in that history may still stand alone (that read really came from nowhere).
 */
export function coherenceFilter(model: Model, full: Operation[]): ((ops: Operation[]) => boolean) | undefined {
  const flow = model.flow?.bind(model);
  if (!flow) return undefined;
  const producedAnywhere = new Set<string>();
  for (const op of full) for (const v of flow(op)?.produced ?? []) producedAnywhere.add(v);
  const init = model.init();
  const initial = new Set<string>(Array.isArray(init) ? init.map(valueKey) : [valueKey(init)]);
  return (ops) => {
    const producers = new Map<string, Operation[]>();
    for (const op of ops) {
      for (const v of flow(op)?.produced ?? []) {
        const list = producers.get(v);
        if (list) list.push(op);
        else producers.set(v, [op]);
      }
    }
    for (const op of ops) {
      for (const v of flow(op)?.observed ?? []) {
        if (initial.has(v) || !producedAnywhere.has(v)) continue;
        // A producer that only began after the observer returned cannot explain the observation.
        if (!(producers.get(v) ?? []).some((p) => p !== op && !precedes(op, p))) return false;
      }
    }
    return true;
  };
}

/**
 * Words on where the values an op observes come from, for values nothing in `within` produces: "no op
 * writes 7", or "write 7 (p3) only began after it returned". Empty when every value is accounted for.
 */
export function unexplainedValues(model: Model, op: Operation, within: Operation[], full: Operation[]): string[] {
  const flow = model.flow?.bind(model);
  if (!flow) return [];
  const init = model.init();
  const initial = new Set<string>(Array.isArray(init) ? init.map(valueKey) : [valueKey(init)]);
  const producedWithin = new Set<string>();
  for (const o of within) for (const v of flow(o)?.produced ?? []) producedWithin.add(v);
  const notes: string[] = [];
  for (const v of flow(op)?.observed ?? []) {
    if (producedWithin.has(v) || initial.has(v)) continue;
    const producers = full.filter((o) => o !== op && flow(o)?.produced.includes(v));
    if (producers.length === 0) notes.push(`no op in the history produces ${v}, and it is not the initial value`);
    else if (producers.every((p) => precedes(op, p))) {
      notes.push(`${producers.slice(0, 3).map((p) => model.describeOp(p)).join(' and ')}, the only op${producers.length > 1 ? 's' : ''} producing ${v}, began after it returned`);
    }
  }
  return notes;
}
