/** Op counts and latencies for results.json and the summary: client completions by type and by f. */
import { pairOperations } from '../history/pair.js';
import { quantile } from '../../reports/run-stats.js';
import type { HistoryOp } from '../history/types.js';
import type { RunResults } from '../store/run-files.js';

export function completionStats(history: readonly HistoryOp[]): Pick<RunResults['stats'], 'ok' | 'fail' | 'info' | 'byF'> {
  const stats = { ok: 0, fail: 0, info: 0, byF: {} as RunResults['stats']['byF'] };
  for (const op of history) {
    if (op.process === 'nemesis' || op.type === 'invoke') continue;
    stats[op.type]++;
    const byF = (stats.byF[op.f] ??= { ok: 0, fail: 0, info: 0 });
    byF[op.type]++;
  }
  return stats;
}

export type LatencySummary = NonNullable<RunResults['stats']['latencyMs']>[string];

/**
 * Latency per f (and "all") in ms over ops with a known completion (ok and fail): info ops have no
 * latency. Undefined when the history cannot be paired (a malformed history is the checker's to report).
 */
export function latencyStats(history: readonly HistoryOp[]): RunResults['stats']['latencyMs'] {
  let ops;
  try {
    ops = pairOperations(history as HistoryOp[]);
  } catch {
    return undefined;
  }
  const byF = new Map<string, number[]>([['all', []]]);
  for (const op of ops) {
    if (op.status === 'info' || !Number.isFinite(op.ret)) continue;
    const ms = (op.ret - op.call) / 1e6;
    (byF.get(op.f) ?? byF.set(op.f, []).get(op.f)!).push(ms);
    byF.get('all')!.push(ms);
  }
  const out: Record<string, LatencySummary> = {};
  for (const [f, xs] of byF) {
    if (xs.length === 0) continue;
    xs.sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    out[f] = { count: xs.length, p50: round(quantile(xs, 0.5)), p99: round(quantile(xs, 0.99)), max: round(xs[xs.length - 1]) };
  }
  return out;
}
