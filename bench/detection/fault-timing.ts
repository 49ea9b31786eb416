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

/** Timed items of one run by group (a nemesis f, a fault family), in the order they happened. */
type Timed = { label: string; ms: number };

/** The n-th item of each group of `a` with the n-th of the same group of `b`: [label, a ms, b ms], in a's time order. */
function pairByGroup(a: Map<string, Timed[]>, b: Map<string, Timed[]>): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (const [group, list] of a) {
    const other = b.get(group) ?? [];
    for (let i = 0; i < Math.min(list.length, other.length); i++) out.push([list[i].label, list[i].ms, other[i].ms]);
  }
  return out.sort((x, y) => x[1] - y[1]);
}

function push(groups: Map<string, Timed[]>, group: string, item: Timed): void {
  const list = groups.get(group);
  if (list) list.push(item);
  else groups.set(group, [item]);
}

/** Pairs the n-th invoke of every nemesis f in both histories: [f, original ms, replay ms]. */
export function pairedOffsets(a: HistoryOp[], b: HistoryOp[]): [string, number, number][] {
  const invokes = (h: HistoryOp[]) => {
    const byF = new Map<string, Timed[]>();
    for (const op of h) if (op.process === 'nemesis' && op.type === 'invoke' && !op.f.startsWith('heal-')) push(byF, op.f, { label: op.f, ms: op.time / 1e6 });
    return byF;
  };
  return pairByGroup(invokes(a), invokes(b));
}

/**
 * The report's fault bands of both runs, paired by family in order: [label, original ms, replay ms] of the
 * time the report shows first for each band (its start op's invoke).
 */
export function pairedBands(a: HistoryOp[], b: HistoryOp[]): [string, number, number][] {
  const bands = (h: HistoryOp[]) => {
    const byKind = new Map<string, Timed[]>();
    const end = h.length > 0 ? h[h.length - 1].time : 0;
    const shownAt = (i: { invokedAt?: number; start: number }) => i.invokedAt ?? i.start;
    for (const i of nemesisIntervals(h, end).sort((x, y) => shownAt(x) - shownAt(y))) push(byKind, i.kind, { label: i.label, ms: shownAt(i) / 1e3 });
    return byKind;
  };
  return pairByGroup(bands(a), bands(b));
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
