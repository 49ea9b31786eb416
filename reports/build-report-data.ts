import type { HistoryOp } from '../src/history/types.js';
import type { Counterexample } from '../checker/types.js';
import { counterexampleData } from './counterexample-data.js';
import { describeOp } from './describe-op.js';
import { nemesisIntervals } from './nemesis-intervals.js';
import type { PairedOp } from './pair-history.js';
import type { OpColumns, ReportData } from './report-data.js';

/** Interns strings into a table, returning their index (keeps per-op columns numeric). */
class Interner {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  id(s: string | undefined): number {
    if (s === undefined) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

const STATUS_CODE = { ok: 0, fail: 1, info: 2 } as const;
const round = (us: number) => Math.round(us * 10) / 10;

/** The last time recorded anywhere in the history (ns). */
export function historyEndNs(history: HistoryOp[]): number {
  let end = 0;
  for (const op of history) if (Number.isFinite(op.time) && op.time > end) end = op.time;
  return end;
}

/**
 * Builds the page's data: one timeline lane per process (sorted numerically, so replacement processes
 * after an info appear below the originals), op columns, nemesis intervals and the counterexample.
 */
export function buildReportData(
  state: string,
  history: HistoryOp[],
  paired: PairedOp[],
  cx: Counterexample | undefined,
): ReportData {
  const endNs = historyEndNs(history);
  const processes = [...new Set(paired.map((op) => op.process))].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
  );
  const laneOf = new Map(processes.map((p, i) => [p, i]));
  const fNames = new Interner();
  const keys = new Interner();
  const nodes = new Interner();
  const errors = new Interner();
  const ops: OpColumns = { lane: [], call: [], ret: [], status: [], f: [], key: [], text: [], idx: [], node: [], err: [] };
  const rowByInvoke = new Map<number, number>();
  paired.forEach((op, row) => {
    ops.lane.push(laneOf.get(op.process)!);
    ops.call.push(round(op.call / 1000));
    ops.ret.push(op.ret === undefined ? -1 : round(op.ret / 1000));
    ops.status.push(STATUS_CODE[op.status]);
    ops.f.push(fNames.id(op.f));
    ops.key.push(keys.id(op.key));
    ops.text.push(describeOp(op.f, op.input, op.output, op.status));
    ops.idx.push(op.invokeIndex);
    ops.node.push(nodes.id(op.node));
    ops.err.push(errors.id(op.error));
    rowByInvoke.set(op.invokeIndex, row);
  });
  return {
    state,
    end: round(endNs / 1000),
    lanes: processes.map((p) => `p${String(p)}`),
    fNames: fNames.values,
    keys: keys.values,
    nodeNames: nodes.values,
    errors: errors.values,
    ops,
    nemesis: nemesisIntervals(history, endNs),
    counterexample: cx ? counterexampleData(cx, paired, rowByInvoke) : null,
  };
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no `</script>` can end it early. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
