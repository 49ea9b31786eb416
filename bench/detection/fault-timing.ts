/**
 * Fault timing of finished runs, from their histories:
 *   npx tsx bench/detection/fault-timing.ts <run-dir>               how many faults were active at once
 *   npx tsx bench/detection/fault-timing.ts <run-dir> <replay-dir>  the replay's fault ops vs the original's
 * Overlap is read from the report's own intervals (nemesisIntervals); the replay comparison pairs the n-th
 * invoke of each nemesis f in both histories and prints the offset differences (ms from the first op).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryOp } from '../../src/history/types.js';
import { nemesisIntervals } from '../../reports/nemesis-intervals.js';

export function readHistory(dir: string): HistoryOp[] {
  return readFileSync(join(dir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as HistoryOp);
}

/** The largest number of fault intervals active at one moment, the families then, and the seconds with >= 2. */
export function overlap(history: HistoryOp[]): { max: number; families: string[]; atSec: number; secondsWithTwoOrMore: number } {
  const end = history.length > 0 ? history[history.length - 1].time : 0;
  const intervals = nemesisIntervals(history, end).filter((i) => i.end > i.start);
  let best = { max: 0, families: [] as string[], atSec: 0 };
  const points = [...new Set(intervals.flatMap((i) => [i.start, i.end]))].sort((a, b) => a - b);
  let twoOrMore = 0;
  for (let k = 0; k < points.length; k++) {
    const t = points[k];
    const active = intervals.filter((i) => i.start <= t && t < i.end);
    if (active.length > best.max) best = { max: active.length, families: active.map((i) => i.label), atSec: t / 1e6 };
    if (active.length >= 2 && k + 1 < points.length) twoOrMore += (points[k + 1] - t) / 1e6;
  }
  return { ...best, secondsWithTwoOrMore: twoOrMore };
}

/** Pairs the n-th invoke of every nemesis f in both histories: [f, original ms, replay ms]. */
export function pairedOffsets(a: HistoryOp[], b: HistoryOp[]): [string, number, number][] {
  const invokes = (h: HistoryOp[]) => {
    const byF = new Map<string, number[]>();
    for (const op of h) if (op.process === 'nemesis' && op.type === 'invoke' && !op.f.startsWith('heal-')) byF.set(op.f, [...(byF.get(op.f) ?? []), op.time / 1e6]);
    return byF;
  };
  const ia = invokes(a);
  const ib = invokes(b);
  const out: [string, number, number][] = [];
  for (const [f, times] of ia) {
    const other = ib.get(f) ?? [];
    for (let i = 0; i < Math.min(times.length, other.length); i++) out.push([f, times[i], other[i]]);
  }
  return out.sort((x, y) => x[1] - y[1]);
}

/**
 * The report's fault bands of both runs, paired by family in order: [label, original ms, replay ms] of the
 * time the report shows first for each band (its start op's invoke).
 */
export function pairedBands(a: HistoryOp[], b: HistoryOp[]): [string, number, number][] {
  const bands = (h: HistoryOp[]) => {
    const byKind = new Map<string, { label: string; at: number }[]>();
    const end = h.length > 0 ? h[h.length - 1].time : 0;
    for (const i of nemesisIntervals(h, end).sort((x, y) => (x.invokedAt ?? x.start) - (y.invokedAt ?? y.start))) {
      byKind.set(i.kind, [...(byKind.get(i.kind) ?? []), { label: i.label, at: (i.invokedAt ?? i.start) / 1e3 }]);
    }
    return byKind;
  };
  const ba = bands(a);
  const bb = bands(b);
  const out: [string, number, number][] = [];
  for (const [kind, list] of ba) {
    const other = bb.get(kind) ?? [];
    for (let i = 0; i < Math.min(list.length, other.length); i++) out.push([list[i].label, list[i].at, other[i].at]);
  }
  return out.sort((x, y) => x[1] - y[1]);
}

if (process.argv[1]?.endsWith('fault-timing.ts') || process.argv[1]?.endsWith('fault-timing.js')) {
  const [dir, replayDir] = process.argv.slice(2);
  const history = readHistory(dir);
  const o = overlap(history);
  console.log(`${dir}: at most ${o.max} faults active at once (at ${o.atSec.toFixed(1)} s: ${o.families.join(' + ')}); ${o.secondsWithTwoOrMore.toFixed(1)} s with two or more`);
  if (replayDir) {
    const pairs = pairedOffsets(history, readHistory(replayDir));
    const diffs = pairs.map(([, x, y]) => y - x);
    for (const [f, x, y] of pairs) console.log(`  ${f.padEnd(18)} ${x.toFixed(1).padStart(9)} ms  ${y.toFixed(1).padStart(9)} ms  ${(y - x >= 0 ? '+' : '') + (y - x).toFixed(1)} ms`);
    const abs = diffs.map(Math.abs).sort((p, q) => p - q);
    console.log(`${pairs.length} fault ops paired; offset difference: median ${abs[Math.floor(abs.length / 2)]?.toFixed(1)} ms, max ${abs[abs.length - 1]?.toFixed(1)} ms`);
    const bands = pairedBands(history, readHistory(replayDir));
    const bandAbs = bands.map(([, x, y]) => Math.abs(y - x)).sort((p, q) => p - q);
    console.log(`${bands.length} report fault bands paired (time shown = start op's invoke); difference: median ${bandAbs[Math.floor(bandAbs.length / 2)]?.toFixed(1)} ms, max ${bandAbs[bandAbs.length - 1]?.toFixed(1)} ms`);
  }
}
