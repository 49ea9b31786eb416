import type { Counterexample } from '../checker/types.js';
import type { Operation } from '../src/history/types.js';
import type { CounterexampleData, CounterexampleStep } from './report-data.js';
import { describeOp } from './describe-op.js';
import type { PairedOp } from './pair-history.js';

/**
 * Finds the op a partial-linearization step names. Step ids are Operation ids, whose numbering depends on
 * which (sub-)history the checker searched, so we try, in order: the counterexample's own ops (minimal +
 * failing), the whole history in invoke order (the checker's pairOperations numbering), and the key's
 * sub-history in invoke order; the first space in which every id resolves to an op of the right key wins.
 */
function stepResolver(cx: Counterexample, paired: PairedOp[]): (id: number) => PairedOp | Operation | undefined {
  const ids = cx.partialLinearizations.flat().map((s) => s.opId);
  const own = new Map<number, Operation>();
  for (const op of [...cx.minimal, cx.op]) own.set(op.id, op);
  const global = new Map<number, PairedOp>(paired.map((op, i) => [i, op]));
  const keyOps = cx.key === null ? paired : paired.filter((op) => op.key === cx.key);
  const perKey = new Map<number, PairedOp>(keyOps.map((op, i) => [i, op]));
  const sameKey = (op: PairedOp | Operation | undefined) => op !== undefined && (cx.key === null || op.key === cx.key);
  for (const space of [own, global, perKey] as Map<number, PairedOp | Operation>[]) {
    if (ids.every((id) => sameKey(space.get(id)))) return (id) => space.get(id);
  }
  return (id) => own.get(id);
}

const processName = (p: unknown) => (p === 'nemesis' ? 'nemesis' : `p${String(p)}`);

/** Maps a checker Counterexample onto the report's op rows (rows are indexed by invoke history index). */
export function counterexampleData(
  cx: Counterexample,
  paired: PairedOp[],
  rowByInvoke: Map<number, number>,
): CounterexampleData {
  const rowOf = (op: { invokeIndex: number }) => rowByInvoke.get(op.invokeIndex) ?? -1;
  const textOf = (op: PairedOp | Operation) => describeOp(op.f, op.input, op.output, op.status);
  const resolve = stepResolver(cx, paired);
  // The longest partial linearization is the most informative one: it shows how far any order gets.
  const longest = cx.partialLinearizations.reduce<typeof cx.partialLinearizations[number]>(
    (best, p) => (p.length > best.length ? p : best),
    [],
  );
  const steps: CounterexampleStep[] = longest.map((s) => {
    const op = resolve(s.opId);
    return op
      ? { op: rowOf(op), text: textOf(op), process: processName(op.process), state: s.state }
      : { op: -1, text: `op #${s.opId}`, process: '?', state: s.state };
  });
  const minimal = cx.minimal.map(rowOf).filter((r) => r >= 0);
  const failing = rowOf(cx.op);
  if (failing >= 0 && !minimal.includes(failing)) minimal.push(failing);
  const spanOps = [...cx.minimal, cx.op];
  const calls = spanOps.map((o) => o.call).filter(Number.isFinite);
  const rets = spanOps.map((o) => (Number.isFinite(o.ret) ? o.ret : o.call)).filter(Number.isFinite);
  const span: [number, number] = calls.length ? [Math.min(...calls) / 1000, Math.max(...rets, ...calls) / 1000] : [0, 0];
  return {
    key: cx.key,
    explanation: cx.explanation,
    failing,
    failingText: `${processName(cx.op.process)} ${textOf(cx.op)}`,
    minimal,
    steps,
    span,
  };
}
