import type { Operation } from '../../src/history/types.js';
import { casArgs } from '../models/value.js';
import { before, type OpPoints } from './points.js';
import { valueIdentity } from './value-identity.js';

/**
 * The version structure of a register history whose written values are unique (Elle-style inference):
 * every value is one version, created by the one write or cas that wrote it; version 0 is the initial
 * value. Ok reads and successful cas ops observe a version; a cas a->b fixes b as the immediate successor
 * of a. Indeterminate (info) writers take effect exactly when their value is observed (an unobserved one
 * is indistinguishable from one that never happened, so it is dropped); fail ops and info reads constrain
 * nothing. Sizes are linear in the history: a few typed arrays and one Map from value to version.
 */
export interface Versions {
  ops: readonly Operation[];
  points: OpPoints;
  count: number;
  /** Version -> the op that wrote it (-1 for the initial version). */
  writer: Int32Array;
  /** Version -> 1 when it took effect (always for ok writers and the initial value). */
  effective: Uint8Array;
  /** Version -> the first op that observed it (a read, or a cas from it), -1 if none. */
  observedBy: Int32Array;
  /** Version -> its successor fixed by a cas from it (-1 if none). */
  succ: Int32Array;
  /** Version -> the version a cas writer started from (-1 for writes and the initial version). */
  pred: Int32Array;
  /** Linked lists of the ok reads of each version. */
  readHead: Int32Array;
  nextRead: Int32Array;
  /** Version -> its value, for explanations. */
  values: unknown[];
  /** Op index -> the version it observes (ok read / cas from) or -1. */
  sourceOf: Int32Array;
  /** Op index -> the version it writes or -1. */
  versionOf: Int32Array;
}

export type StructuralContradiction =
  /** An ok read, or a cas that took effect, observes a value no surviving op wrote. */
  | { kind: 'unwritten'; op: number; value: unknown }
  /** Two cas ops that both took effect start from the same version: only one can follow it. */
  | { kind: 'double-successor'; first: number; second: number }
  /** Cas ops whose versions only follow each other and never reach a write or the initial value. */
  | { kind: 'cycle'; ops: number[] };

export type BuildResult =
  | { kind: 'versions'; versions: Versions }
  | { kind: 'contradiction'; versions: Versions; contradiction: StructuralContradiction }
  | { kind: 'fallback'; reason: string };

export function buildVersions(
  ops: readonly Operation[],
  points: OpPoints,
  init: unknown,
  allowCas: boolean,
): BuildResult {
  const n = ops.length;
  const idOfValue = new Map<unknown, number>();
  const initId = valueIdentity(init);
  if (initId === undefined) return { kind: 'fallback', reason: 'initial value not supported' };
  idOfValue.set(initId, 0);

  // Pass 1: one version per value written by a write or cas that may have happened.
  const versionOf = new Int32Array(n).fill(-1);
  const writers: number[] = [-1];
  const values: unknown[] = [init];
  for (let i = 0; i < n; i++) {
    const op = ops[i];
    if (op.f === 'read') continue;
    if (op.f !== 'write' && op.f !== 'cas') return { kind: 'fallback', reason: `operation ${op.f}` };
    let written: unknown;
    if (op.f === 'cas') {
      if (!allowCas) return { kind: 'fallback', reason: 'cas on a model without cas' };
      const args = casArgs(op.input);
      if (!args) return { kind: 'fallback', reason: 'malformed cas' };
      written = args[1] ?? null;
    } else {
      written = op.input ?? null;
    }
    if (op.status === 'fail') continue;
    const id = valueIdentity(written);
    if (id === undefined) return { kind: 'fallback', reason: 'value not supported' };
    if (idOfValue.has(id)) return { kind: 'fallback', reason: 'a value is written more than once' };
    const v = writers.length;
    idOfValue.set(id, v);
    writers.push(i);
    values.push(written);
    versionOf[i] = v;
  }

  const count = writers.length;
  const versions: Versions = {
    ops,
    points,
    count,
    writer: Int32Array.from(writers),
    effective: new Uint8Array(count),
    observedBy: new Int32Array(count).fill(-1),
    succ: new Int32Array(count).fill(-1),
    pred: new Int32Array(count).fill(-1),
    readHead: new Int32Array(count).fill(-1),
    nextRead: new Int32Array(n).fill(-1),
    values,
    sourceOf: new Int32Array(n).fill(-1),
    versionOf,
  };
  const { writer, effective, observedBy, succ, pred, readHead, nextRead, sourceOf } = versions;
  effective[0] = 1;
  let firstContradiction: StructuralContradiction | undefined;
  const contradict = (c: StructuralContradiction) => {
    firstContradiction ??= c;
  };

  // Pass 2: what ok reads and cas ops observe. Reads are linked in reverse op order (order is irrelevant).
  const casFrom = new Int32Array(n).fill(-1); // cas op -> version of its `from`
  for (let i = 0; i < n; i++) {
    const op = ops[i];
    if (op.status === 'fail') continue;
    if (op.f === 'read') {
      if (op.status !== 'ok' || op.output === undefined) continue;
      const id = valueIdentity(op.output);
      if (id === undefined) return { kind: 'fallback', reason: 'value not supported' };
      const v = idOfValue.get(id);
      if (v === undefined) {
        contradict({ kind: 'unwritten', op: i, value: op.output });
        continue;
      }
      sourceOf[i] = v;
      nextRead[i] = readHead[v];
      readHead[v] = i;
      if (observedBy[v] < 0) observedBy[v] = i;
    } else if (op.f === 'cas') {
      const args = casArgs(op.input)!;
      const id = valueIdentity(args[0] ?? null);
      if (id === undefined) return { kind: 'fallback', reason: 'value not supported' };
      const v = idOfValue.get(id);
      if (v === undefined) {
        // An info cas from a value nobody wrote can only have never happened; an ok one is impossible.
        if (op.status === 'ok') contradict({ kind: 'unwritten', op: i, value: args[0] });
        continue;
      }
      casFrom[i] = v;
      if (op.status === 'ok') {
        sourceOf[i] = v;
        if (observedBy[v] < 0) observedBy[v] = i;
      }
    }
  }
  if (firstContradiction) return { kind: 'contradiction', versions, contradiction: firstContradiction };

  // Pass 3: an info writer took effect iff its value was observed; an info cas that took effect observes its
  // `from` in turn, so propagate backwards along cas chains until nothing changes.
  const work: number[] = [];
  for (let v = 1; v < count; v++) {
    const w = writer[v];
    if (ops[w].status === 'ok' || observedBy[v] >= 0) work.push(v);
  }
  while (work.length > 0) {
    const v = work.pop()!;
    if (effective[v]) continue;
    effective[v] = 1;
    const w = writer[v];
    if (ops[w].f !== 'cas') continue;
    const from = casFrom[w];
    if (from < 0) {
      // info cas from an unwritten value, yet its value was observed
      contradict({ kind: 'unwritten', op: w, value: casArgs(ops[w].input)![0] });
      continue;
    }
    sourceOf[w] = from;
    if (observedBy[from] < 0) observedBy[from] = w;
    if (!effective[from]) work.push(from);
  }
  if (firstContradiction) return { kind: 'contradiction', versions, contradiction: firstContradiction };

  // Pass 4: cas chains. Each version has at most one successor.
  for (let v = 1; v < count; v++) {
    if (!effective[v]) continue;
    const w = writer[v];
    if (ops[w].f !== 'cas') continue;
    const from = casFrom[w];
    if (succ[from] >= 0) {
      const other = writer[succ[from]];
      const [first, second] = before(points.callT[other], points.callK[other], points.callT[w], points.callK[w])
        ? [other, w]
        : [w, other];
      contradict({ kind: 'double-successor', first, second });
      continue;
    }
    succ[from] = v;
    pred[v] = from;
  }
  if (firstContradiction) return { kind: 'contradiction', versions, contradiction: firstContradiction };
  return { kind: 'versions', versions };
}

/** Versions reachable from chain heads (the initial value, effective writes); the rest lie on cas cycles. */
export function findCasCycle(versions: Versions, visited: Uint8Array): number[] | undefined {
  const { count, effective, pred, writer } = versions;
  for (let v = 0; v < count; v++) {
    if (!effective[v] || visited[v]) continue;
    // Walk predecessors until a version repeats: that loop is the cycle.
    const seen = new Map<number, number>();
    let u = v;
    const path: number[] = [];
    while (!seen.has(u)) {
      seen.set(u, path.length);
      path.push(u);
      u = pred[u];
    }
    return path.slice(seen.get(u)).map((x) => writer[x]);
  }
  return undefined;
}
