import type { Operation } from '../../src/history/types.js';
import { counterexampleBySearch } from '../counterexample.js';
import { showValue, valueKey } from '../models/value.js';
import { precedes } from '../order.js';
import { showTime } from '../register/explain.js';
import type { Counterexample, Model } from '../types.js';
import type { Element, Violation } from './analyze.js';

/** The elements and ops a violation is made of: projecting the history onto them keeps it non-linearizable. */
export interface Witness {
  elements: Element[];
  /** Ok reads that must stay (their outputs get restricted to the witness and initial elements). */
  reads: Operation[];
}

export function witnessOf(v: Violation): Witness {
  switch (v.kind) {
    case 'phantom':
    case 'missing-init':
      return { elements: [v.element], reads: [v.read] };
    case 'incomparable':
      return { elements: [v.onlyA, v.onlyB], reads: [v.a, v.b] };
    case 'read-before-add':
      return { elements: [v.element], reads: [v.read] };
    case 'read-shrank':
      return { elements: [v.element], reads: [v.first, v.second] };
    case 'add-not-seen':
      return { elements: [v.element], reads: [v.read] };
    case 'add-order':
      return { elements: [v.element, v.laterElement], reads: [v.read] };
  }
}

/**
 * The sub-history on the witness: every add (failed ones included, for the words) of a witness element,
 * and the witness reads with their outputs restricted to the witness and initial elements (the model's
 * initial state still holds those). Projection onto a set of elements, and dropping reads, keeps a
 * linearizable set history linearizable, so a non-linearizable projection proves the verdict.
 */
export function project(ops: readonly Operation[], w: Witness, init: readonly string[]): { ops: Operation[]; restricted: boolean } {
  const keep = new Set([...w.elements.map((e) => e.key), ...init]);
  const elementKeys = new Set(w.elements.map((e) => e.key));
  const reads = new Set(w.reads);
  const out: Operation[] = [];
  let restricted = false;
  for (const op of ops) {
    if (op.f === 'add' && elementKeys.has(valueKey(op.input))) out.push(op);
    else if (reads.has(op)) {
      const all = op.output as unknown[];
      const output = all.filter((x) => keep.has(valueKey(x)));
      if (output.length < all.length) restricted = true;
      out.push({ ...op, output });
    }
  }
  return { ops: out, restricted };
}

/** Plain words for the violation, about the whole history. */
export function explainViolation(model: Model, v: Violation): string {
  // A whole-set read is named by its process and size, not its (long) list: the sentence says what matters.
  const d = (op: Operation) =>
    op.f === 'read' && Array.isArray(op.output)
      ? `read${typeof op.process === 'number' ? ` (p${op.process})` : ''} of ${op.output.length} element${op.output.length === 1 ? '' : 's'}`
      : model.describeOp(op);
  const e = (x: Element) => showValue(x.value);
  const call = (op: Operation) => showTime(op.call);
  const ret = (op: Operation) => showTime(op.ret);
  switch (v.kind) {
    case 'phantom': {
      const why = v.failedAdds.length > 0
        ? `the only add of ${e(v.element)}, ${d(v.failedAdds[0])}, failed, so it never took effect`
        : `no operation added ${e(v.element)} and it is not an initial element`;
      return `${d(v.read)} returned ${e(v.element)}, but ${why}.`;
    }
    case 'missing-init':
      return `${d(v.read)} lacks ${e(v.element)}, an initial element of the set, which never shrinks.`;
    case 'incomparable': {
      const both =
        `${d(v.a)} returned ${e(v.onlyA)} but not ${e(v.onlyB)}, and ${d(v.b)} returned ${e(v.onlyB)} but not ${e(v.onlyA)}`;
      const [first, second, lost] = precedes(v.a, v.b) ? [v.a, v.b, v.onlyA] : precedes(v.b, v.a) ? [v.b, v.a, v.onlyB] : [];
      if (first && second) {
        return (
          `${both}. The first completed at ${ret(first)}, before the second was invoked at ${call(second)}, ` +
          `and the set never shrinks, so the second must hold ${e(lost as Element)} too.`
        );
      }
      return `${both}: the set only grows, so whichever read took effect second must hold both.`;
    }
    case 'read-before-add':
      return (
        `${d(v.read)} returned ${e(v.element)}, but it completed at ${ret(v.read)}, before ${d(v.add)}, the only ` +
        `add of ${e(v.element)}, was invoked at ${call(v.add)}.`
      );
    case 'read-shrank':
      return (
        `${d(v.first)} returned ${e(v.element)} and completed at ${ret(v.first)}, before ${d(v.second)} was invoked ` +
        `at ${call(v.second)}, yet that later read lacks ${e(v.element)}: the set never shrinks.`
      );
    case 'add-not-seen':
      return (
        `${d(v.add)} completed at ${ret(v.add)}, before ${d(v.read)} was invoked at ${call(v.read)}, yet that read ` +
        `lacks ${e(v.element)}.`
      );
    case 'add-order':
      return (
        `${d(v.add)} completed at ${ret(v.add)}, before ${d(v.laterAdd)} was invoked at ${call(v.laterAdd)}, yet ` +
        `${d(v.read)} holds ${e(v.laterElement)} but not ${e(v.element)}.`
      );
  }
}

export interface SetCounterexample {
  counterexample?: Counterexample;
  /** Set when the search did not confirm the projected sub-history (no counterexample then). */
  note?: string;
}

/**
 * A counterexample from the search on the projection of the history onto the witness: a handful of ops,
 * so the search and its shrinking are instant. The decider's verdict stands whatever the search says; if
 * it does not confirm the projection, no counterexample is attached and a note says so.
 */
export function buildSetCounterexample(
  model: Model,
  key: string | null,
  ops: readonly Operation[],
  v: Violation,
  init: readonly string[],
  shrinkMs: number,
): SetCounterexample {
  const w = witnessOf(v);
  const words = explainViolation(model, v);
  const projected = project(ops, w, init);
  const ce = counterexampleBySearch(model, key, projected.ops, shrinkMs);
  if (!ce) {
    return {
      note:
        `set procedure: ${words} The search did not confirm this on the sub-history of elements ` +
        `${w.elements.map((x) => showValue(x.value)).join(', ')}, so no counterexample is attached (please report this).`,
    };
  }
  const restricted = projected.restricted
    ? ` The counterexample keeps only element${w.elements.length === 1 ? '' : 's'} ` +
      `${w.elements.map((x) => showValue(x.value)).join(' and ')}${init.length > 0 ? ' (and the initial elements)' : ''}: ` +
      `reads show their results restricted to ${w.elements.length === 1 ? 'it' : 'them'}.`
    : '';
  ce.explanation = `${words}${restricted} ${ce.explanation}`;
  return { counterexample: ce };
}
