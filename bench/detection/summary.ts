/**
 * Turns the list of finished bench runs into the tables the README and the store show: per knob (detection
 * rate, median time to the first anomaly, what the checker said) and per soak case (verdict counts).
 */
import type { Verdict } from '../../checker/types.js';

export type BenchPart = 'detection' | 'soak';

/** One finished `faultline run` inside a bench. */
export interface BenchRun {
  part: BenchPart;
  /** The knob (detection) or soak case label. */
  label: string;
  /** workload, nemesis and target options of the run, in words ("set / kill-all / lazy-flush-ms=2000"). */
  setup: string;
  seed: number;
  timeLimit: number;
  /** The exact command that reproduces the run. */
  command: string;
  runDir: string;
  exitCode: number;
  verdict: Verdict;
  firstAnomalySec?: number;
  said: string;
  ops: { ok: number; fail: number; info: number };
  durationMs: number;
  /** Place in the campaign's fixed order (shards run every n-th; a merge sorts by it). */
  position?: number;
}

export interface LabelRow {
  label: string;
  setup: string;
  runs: number;
  timeLimits: number[];
  invalid: number;
  valid: number;
  unknown: number;
  /** invalid / runs (detection rate for a knob; false-alarm rate for a soak case). */
  invalidRate: number;
  medianFirstAnomalySec?: number;
  /** What the checker said on the first invalid run (or the first run when none was invalid). */
  said: string;
  /** Seeds whose run was not invalid (misses, for a knob). */
  notInvalidSeeds: number[];
  /** Seeds and reasons of unknown verdicts. */
  unknowns: { seed: number; said: string }[];
}

export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Groups runs by label, in first-seen order. */
export function summarize(runs: readonly BenchRun[]): LabelRow[] {
  const groups = new Map<string, BenchRun[]>();
  for (const r of runs) {
    const g = groups.get(r.label) ?? [];
    g.push(r);
    groups.set(r.label, g);
  }
  return [...groups.entries()].map(([label, g]) => {
    const invalid = g.filter((r) => r.verdict === false);
    const firstInvalid = invalid[0];
    return {
      label,
      setup: g[0].setup,
      runs: g.length,
      timeLimits: [...new Set(g.map((r) => r.timeLimit))].sort((a, b) => a - b),
      invalid: invalid.length,
      valid: g.filter((r) => r.verdict === true).length,
      unknown: g.filter((r) => r.verdict === 'unknown').length,
      invalidRate: invalid.length / g.length,
      medianFirstAnomalySec: median(invalid.flatMap((r) => (r.firstAnomalySec === undefined ? [] : [r.firstAnomalySec]))),
      said: (firstInvalid ?? g[0]).said,
      notInvalidSeeds: g.filter((r) => r.verdict !== false).map((r) => r.seed),
      unknowns: g.filter((r) => r.verdict === 'unknown').map((r) => ({ seed: r.seed, said: r.said })),
    };
  });
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const secs = (x: number | undefined) => (x === undefined ? '–' : `${x.toFixed(1)} s`);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function detectionMarkdown(rows: readonly LabelRow[]): string {
  const lines = [
    '| knob | workload / nemesis / options | runs × time | detected | median time to first anomaly | checker said (first detection) | missed seeds |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.label} | ${cell(r.setup)} | ${r.runs} × ${r.timeLimits.join('/')} s | ${r.invalid}/${r.runs} (${pct(r.invalidRate)}) | ${secs(r.medianFirstAnomalySec)} | ${cell(r.said)} | ${r.notInvalidSeeds.join(', ') || '–'} |`,
    );
  }
  return lines.join('\n') + '\n';
}

export function soakMarkdown(rows: readonly LabelRow[]): string {
  const lines = ['| case | workload / nemesis | runs × time | valid | invalid | unknown | notes |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const notes = r.invalid > 0 ? `INVALID: ${r.said}` : r.unknowns.map((u) => `seed ${u.seed}: ${u.said}`).join('; ') || '–';
    lines.push(`| ${r.label} | ${cell(r.setup)} | ${r.runs} × ${r.timeLimits.join('/')} s | ${r.valid} | ${r.invalid} | ${r.unknown} | ${cell(notes)} |`);
  }
  return lines.join('\n') + '\n';
}

/** The whole markdown file of a bench: a heading, how it was made, the table, and every run. */
export function benchMarkdown(part: BenchPart, command: string, runs: readonly BenchRun[], startedAt: string): string {
  const rows = summarize(runs);
  const table = part === 'detection' ? detectionMarkdown(rows) : soakMarkdown(rows);
  const perRun = runs.map(
    (r) => `| ${r.label} | ${r.seed} | ${String(r.verdict)} | ${secs(r.firstAnomalySec)} | ${r.ops.ok}/${r.ops.info}/${r.ops.fail} | ${cell(r.said)} | \`${r.runDir}\` |`,
  );
  return [
    `# faultline bench ${part}`,
    '',
    `Started ${startedAt}; regenerate with \`${command}\`.`,
    '',
    table,
    '## Every run',
    '',
    '| label | seed | verdict | first anomaly | ok/info/fail | checker said | run dir |',
    '|---|---|---|---|---|---|---|',
    ...perRun,
    '',
  ].join('\n');
}
