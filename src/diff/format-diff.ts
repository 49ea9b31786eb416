/** A RunDiff in words: for the terminal, the end of `run --compare`, JUnit's system-out and the report. */
import { relative } from 'node:path';
import type { Anomaly } from './anomalies.js';
import type { RunDiff } from './run-diff.js';

const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const ms = (x: number | undefined) => (x === undefined ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function anomalyLine(sign: string, a: Anomaly): string {
  const where = a.lines.length > 0 ? ` (history line${a.lines.length > 1 ? 's' : ''} ${a.lines.slice(0, 4).join(', ')})` : '';
  const fs = a.functions.length > 0 ? ` [${a.functions.join(',')}]` : '';
  return `    ${sign} ${a.check}${a.key !== null ? ` key ${a.key}` : ''} ${a.kind}${fs}: ${a.explanation}${where}`;
}

function shortPath(dir: string, cwd: string): string {
  const rel = relative(cwd, dir);
  return rel && !rel.startsWith('..') ? rel : dir;
}

/**
 * Rows for availability and latency list every f, with a mark on the ones that moved enough to look at:
 * availability by 5 points or more, p99 latency by half or more (and at least 10 ms).
 */
export function formatDiff(diff: RunDiff, cwd = process.cwd()): string {
  const lines = [
    `compared with ${shortPath(diff.baseline.dir, cwd)} (seed ${diff.baseline.seed}, ${diff.baseline.startedAt})`,
    `  verdict:        ${diff.verdict.before} -> ${diff.verdict.after}${diff.verdict.changed ? '  (changed)' : ''}`,
  ];
  if (diff.configChanges.length > 0) lines.push(`  config changed: ${diff.configChanges.join('; ')}`);
  lines.push(`  new anomalies:  ${diff.new.length}`);
  for (const a of diff.new) lines.push(anomalyLine('+', a));
  lines.push(`  resolved:       ${diff.resolved.length}`);
  for (const a of diff.resolved) lines.push(anomalyLine('-', a));
  lines.push(`  still failing:  ${diff.stillFailing.length}`);
  for (const s of diff.stillFailing) lines.push(anomalyLine('=', s.now));
  if (diff.notRechecked.length > 0) {
    lines.push(`  not rechecked:  ${diff.notRechecked.length} (key or check not decided in this run; --check-all-keys decides every key)`);
    for (const a of diff.notRechecked) lines.push(anomalyLine('?', a));
  }
  if (diff.availability.length > 0) {
    const rows = diff.availability.map((r) => {
      const moved = r.before !== undefined && r.after !== undefined && Math.abs(r.after - r.before) >= 0.05;
      return `${r.f} ${pct(r.before)} -> ${pct(r.after)}${moved ? ' (!)' : ''}`;
    });
    lines.push(`  ok share:       ${rows.join(', ')}`);
  }
  if (diff.latency.length > 0) {
    const rows = diff.latency.map((r) => {
      const b = r.before?.p99;
      const a = r.after?.p99;
      const moved = b !== undefined && a !== undefined && Math.abs(a - b) >= 10 && Math.abs(a - b) >= 0.5 * b;
      return `${r.f} ${ms(r.before?.p50)}/${ms(b)} -> ${ms(r.after?.p50)}/${ms(a)}${moved ? ' (!)' : ''}`;
    });
    lines.push(`  latency ms p50/p99: ${rows.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
