import type { Operation } from '../src/history/types.js';
import { precedes } from './order.js';
import type { Model } from './types.js';
import { casArgs, valueKey } from './models/value.js';

/**
 * Values an op observes (a read's result, a cas's expected value, a dequeued element) and values it
 * produces (a write, a cas's new value, an add). Known for the built-in models only.
 */
function flow(modelName: string, op: Operation): { observed: string[]; produced: string[] } | undefined {
  switch (modelName) {
    case 'register':
    case 'cas-register':
    case 'kv': {
      if (op.f === 'read') return { observed: op.status === 'ok' && op.output !== undefined ? [valueKey(op.output)] : [], produced: [] };
      if (op.f === 'write') return { observed: [], produced: [valueKey(op.input)] };
      const args = casArgs(op.input);
      return args ? { observed: [valueKey(args[0])], produced: [valueKey(args[1])] } : undefined;
    }
    case 'set':
      if (op.f === 'add') return { observed: [], produced: [valueKey(op.input)] };
      return { observed: op.status === 'ok' && Array.isArray(op.output) ? op.output.map(valueKey) : [], produced: [] };
    case 'fifo-queue':
      if (op.f === 'enqueue') return { observed: [], produced: [valueKey(op.input)] };
      return { observed: op.status === 'ok' && op.output != null ? [valueKey(op.output)] : [], produced: [] };
    default:
      return undefined;
  }
}

const MODELS_WITH_FLOW = new Set(['register', 'cas-register', 'kv', 'set', 'fifo-queue']);

/**
 * A filter for shrinking: a sub-history is "coherent" when every value it observes that some op of the
 * history being shrunk produced is also produced inside the sub-history (or is the initial value). Without it the
 * shrinker happily keeps a lone `read -> 1` and drops `write 1`, a minimal but useless explanation; a value
 * produced nowhere in that history may still stand alone (that read really came from nowhere).
 */
export function coherenceFilter(model: Model, full: Operation[]): ((ops: Operation[]) => boolean) | undefined {
  if (!MODELS_WITH_FLOW.has(model.name)) return undefined;
  const producedAnywhere = new Set<string>();
  for (const op of full) for (const v of flow(model.name, op)?.produced ?? []) producedAnywhere.add(v);
  const init = model.init();
  const initial = new Set<string>(Array.isArray(init) ? init.map(valueKey) : [valueKey(init)]);
  return (ops) => {
    const producers = new Map<string, Operation[]>();
    for (const op of ops) {
      for (const v of flow(model.name, op)?.produced ?? []) {
        const list = producers.get(v);
        if (list) list.push(op);
        else producers.set(v, [op]);
      }
    }
    for (const op of ops) {
      for (const v of flow(model.name, op)?.observed ?? []) {
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
  if (!MODELS_WITH_FLOW.has(model.name)) return [];
  const init = model.init();
  const initial = new Set<string>(Array.isArray(init) ? init.map(valueKey) : [valueKey(init)]);
  const producedWithin = new Set<string>();
  for (const o of within) for (const v of flow(model.name, o)?.produced ?? []) producedWithin.add(v);
  const notes: string[] = [];
  for (const v of flow(model.name, op)?.observed ?? []) {
    if (producedWithin.has(v) || initial.has(v)) continue;
    const producers = full.filter((o) => o !== op && flow(model.name, o)?.produced.includes(v));
    if (producers.length === 0) notes.push(`no op in the history produces ${v}, and it is not the initial value`);
    else if (producers.every((p) => precedes(op, p))) {
      notes.push(`${producers.slice(0, 3).map((p) => model.describeOp(p)).join(' and ')}, the only op${producers.length > 1 ? 's' : ''} producing ${v}, began after it returned`);
    }
  }
  return notes;
}
