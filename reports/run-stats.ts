import type { PairedOp } from './pair-history.js';

export interface CountRow {
  f: string;
  ok: number;
  fail: number;
  info: number;
  total: number;
}

/** ok/fail/info counts per op kind, from the history itself (results.json may be absent after a crash). */
export function countByF(ops: PairedOp[]): CountRow[] {
  const rows = new Map<string, CountRow>();
  for (const op of ops) {
    const row = rows.get(op.f) ?? { f: op.f, ok: 0, fail: 0, info: 0, total: 0 };
    row[op.status]++;
    row.total++;
    rows.set(op.f, row);
  }
  return [...rows.values()].sort((a, b) => b.total - a.total || a.f.localeCompare(b.f));
}

export interface QuantileRow {
  f: string;
  count: number;
  /** milliseconds */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Nearest-rank quantile of an ascending array. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

/**
 * Latency quantiles per op kind over ops with a known completion (ok and fail); info ops have no
 * latency, since nobody knows when (or whether) they finished. The last row, "all", pools every kind.
 */
export function latencyQuantiles(ops: PairedOp[]): QuantileRow[] {
  const byF = new Map<string, number[]>();
  const all: number[] = [];
  for (const op of ops) {
    if (op.ret === undefined) continue;
    const ms = (op.ret - op.call) / 1e6;
    (byF.get(op.f) ?? byF.set(op.f, []).get(op.f)!).push(ms);
    all.push(ms);
  }
  const row = (f: string, xs: number[]): QuantileRow => {
    xs.sort((a, b) => a - b);
    return {
      f,
      count: xs.length,
      p50: quantile(xs, 0.5),
      p90: quantile(xs, 0.9),
      p99: quantile(xs, 0.99),
      p999: quantile(xs, 0.999),
      max: xs[xs.length - 1],
    };
  };
  const rows = [...byF.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([f, xs]) => row(f, xs));
  if (rows.length > 1) rows.push(row('all', all));
  return rows;
}

export interface ErrorGroup {
  message: string;
  count: number;
  fail: number;
  info: number;
  fs: string[];
  /** History index of the first completion with this message. */
  firstIndex: number;
}

/**
 * Groups fail/info completions by error message. Numbers are masked ("timeout after 1503ms" and
 * "timeout after 998ms" are the same problem), and the first occurrence is kept for linking.
 */
export function groupErrors(ops: PairedOp[], limit = 50): { groups: ErrorGroup[]; more: number } {
  const groups = new Map<string, ErrorGroup>();
  for (const op of ops) {
    if (op.status === 'ok') continue;
    const raw = op.error ?? (op.completeIndex === undefined ? '(no completion recorded)' : '(no error message)');
    const message = raw.replace(/\d+(\.\d+)?/g, 'N');
    let g = groups.get(message);
    if (!g) {
      g = { message, count: 0, fail: 0, info: 0, fs: [], firstIndex: op.completeIndex ?? op.invokeIndex };
      groups.set(message, g);
    }
    g.count++;
    if (op.status === 'fail') g.fail++;
    else g.info++;
    if (!g.fs.includes(op.f)) g.fs.push(op.f);
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || a.firstIndex - b.firstIndex);
  return { groups: sorted.slice(0, limit), more: Math.max(0, sorted.length - limit) };
}
