/** Op counts for results.json and the summary: client completions by type and by f. */
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
