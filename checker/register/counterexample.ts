import type { Operation } from '../../src/history/types.js';
import type { Counterexample, Model, PartialLinearizationStep } from '../types.js';
import { analyzeRegister, type Contradiction } from './analyze.js';
import { dependentsOf, writtenValue } from './dependencies.js';
import { explain } from './explain.js';
import { valueIdentity } from './value-identity.js';
import type { Versions } from './versions.js';
import { linearize } from './witness.js';

/** The ops (indices into the analysed history) that a contradiction is made of. */
function contradictionOps(c: Contradiction): number[] {
  switch (c.kind) {
    case 'unwritten':
      return [c.op];
    case 'double-successor':
      return [c.first, c.second];
    case 'cycle':
      return c.ops;
    case 'internal':
      return [c.late, c.early];
    case 'conflict': {
      const x = c.chains[c.x];
      const y = c.chains[c.y];
      const ops = [x.release.op, y.deadline.op];
      if (c.x !== 0) ops.push(y.release.op, x.deadline.op);
      return ops.filter((i) => i >= 0);
    }
  }
}

/**
 * Adds what the chosen ops need to mean the same in a sub-history: the writer of every value read or
 * cas'ed from, and for an indeterminate writer the op that observed its value (which forces it to have
 * taken effect).
 */
function closeOverSources(vs: Versions, seed: number[]): Set<number> {
  const set = new Set<number>();
  const work = [...seed];
  while (work.length > 0) {
    const i = work.pop()!;
    if (set.has(i)) continue;
    set.add(i);
    const src = vs.sourceOf[i];
    if (src > 0) work.push(vs.writer[src]);
    const v = vs.versionOf[i];
    if (v > 0 && vs.ops[i].status === 'info' && vs.observedBy[v] >= 0) work.push(vs.observedBy[v]);
  }
  return set;
}

const isInvalid = (ops: Operation[], init: unknown, allowCas: boolean) =>
  analyzeRegister(ops, init, allowCas).kind === 'invalid';

/**
 * Shrinks a non-linearizable sub-history until removing any op together with the ops that observed its
 * value makes it linearizable. (Removing a write alone would leave its reads reading a value nobody wrote,
 * which is a different, trivial contradiction; so minimality is over read-from-closed sub-histories.)
 */
export function shrink(ops: Operation[], init: unknown, allowCas: boolean, deadline: number): Operation[] {
  let current = ops;
  let changed = true;
  while (changed && Date.now() < deadline) {
    changed = false;
    for (let i = current.length - 1; i >= 0; i--) {
      const drop = dependentsOf(current, current[i]);
      const rest = current.filter((op) => !drop.has(op));
      if (rest.length > 0 && isInvalid(rest, init, allowCas)) {
        current = rest;
        changed = true;
        break;
      }
    }
  }
  return current;
}

export function buildCounterexample(
  model: Model,
  key: string | null,
  ops: readonly Operation[],
  versions: Versions,
  contradiction: Contradiction,
  init: unknown,
  allowCas: boolean,
  deadline: number,
): Counterexample {
  const chosen = closeOverSources(versions, contradictionOps(contradiction));
  let minimal = [...chosen].sort((a, b) => a - b).map((i) => ops[i]);
  if (isInvalid(minimal, init, allowCas)) minimal = shrink(minimal, init, allowCas, deadline);

  // Failed writers, to explain a read of a value that only a failed op wrote.
  const failedWriters = new Map<unknown, Operation>();
  for (const op of ops) {
    if (op.status === 'fail' && (op.f === 'write' || op.f === 'cas')) failedWriters.set(valueIdentity(writtenValue(op)), op);
  }
  const again = analyzeRegister(minimal, init, allowCas);
  const words =
    again.kind === 'invalid'
      ? explain(model, minimal, again.versions, again.contradiction, failedWriters, valueIdentity)
      : explain(model, ops, versions, contradiction, failedWriters, valueIdentity);

  return {
    key,
    op: words.op,
    partialLinearizations: [partialLinearization(model, minimal, words.op, init, allowCas)],
    minimal,
    explanation: words.explanation,
  };
}

/** A linearization of the minimal sub-history without the failing op (and what observed it), with states. */
function partialLinearization(
  model: Model,
  minimal: Operation[],
  failing: Operation,
  init: unknown,
  allowCas: boolean,
): PartialLinearizationStep[] {
  const drop = dependentsOf(minimal, failing);
  const rest = minimal.filter((op) => !drop.has(op));
  const a = analyzeRegister(rest, init, allowCas);
  if (a.kind !== 'valid') return [];
  const steps: PartialLinearizationStep[] = [];
  let state = model.init();
  for (const i of linearize(a.versions, a.bounds, a.chains, a.order)) {
    const op = rest[i];
    state = model.step(state, op) ?? state;
    steps.push({ opId: op.id, state: model.describeState(state) });
  }
  return steps;
}
