import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { KeyResult } from '../checker/types.js';
import { loadReportAssets, packageRoot } from './assets.js';
import { describeCheckInput } from './check-input.js';
import { buildReportData, embedJson, historyEndNs } from './build-report-data.js';
import { formatConfigValue, formatMs, formatVerdict } from './format.js';
import { loadRun, type LoadedRun } from './load-run.js';
import { excerptLog } from './node-log-excerpt.js';
import { pairForReport, type PairedOp } from './pair-history.js';
import { countByF, groupErrors, latencyQuantiles } from './run-stats.js';
import { runState, stateHeadline } from './run-state.js';

export interface RenderedReport {
  path: string;
  bytes: number;
  state: string;
  ops: number;
}

export interface RenderOptions {
  /** Where to write the page (default <runDir>/report.html). */
  outFile?: string;
}

/** Per-key rows beyond this are summarised, so a 10,000-key run keeps a readable (and small) page. */
const MAX_KEY_ROWS = 1000;

let template: Handlebars.TemplateDelegate | undefined;

function compiledTemplate(): Handlebars.TemplateDelegate {
  if (!template) {
    const hb = Handlebars.create();
    hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    template = hb.compile(readFileSync(join(packageRoot(), 'reports', 'templates', 'run-report.hbs'), 'utf8'), {
      strict: false,
    });
  }
  return template;
}

function keyRows(keys: KeyResult[]) {
  const rank = (k: KeyResult) => (k.valid === false ? 0 : k.valid === 'unknown' ? 1 : k.valid === 'not-checked' ? 3 : 2);
  const sorted = [...keys].sort((a, b) => rank(a) - rank(b) || String(a.key).localeCompare(String(b.key)));
  return {
    rows: sorted.slice(0, MAX_KEY_ROWS).map((k) => ({
      key: k.key ?? '(single register)',
      verdict: formatVerdict(k.valid),
      ops: k.ops,
      ms: formatMs(k.ms),
      algorithm: k.algorithm,
      reason: [k.reason, (k as KeyResult & { note?: string }).note].filter(Boolean).join('; '),
      hasCounterexample: k.counterexample !== undefined,
    })),
    more: Math.max(0, sorted.length - MAX_KEY_ROWS),
    invalid: keys.filter((k) => k.valid === false).length,
    unknown: keys.filter((k) => k.valid === 'unknown').length,
    notChecked: keys.filter((k) => k.valid === 'not-checked').length,
  };
}

/** Epoch ms of the anomaly (the failing op's invoke), when both the start time and the op are known. */
function anomalyWallMs(run: LoadedRun, failingCallNs: number | undefined): number | undefined {
  const start = run.info ? Date.parse(run.info.startedAt) : NaN;
  if (Number.isNaN(start) || failingCallNs === undefined) return undefined;
  return start + failingCallNs / 1e6;
}

/** The view model the template renders: every value already in words, so the template has no logic. */
export function reportView(run: LoadedRun) {
  const problems = [...run.problems];
  const paired: PairedOp[] = pairForReport(run.history, problems);
  const state = runState(run, paired.length);
  const lin = run.results?.linearizability;
  const cx = lin?.counterexample ?? lin?.keys?.find((k) => k.counterexample)?.counterexample;
  const data = buildReportData(state, run.history, paired, cx);
  const info = run.info;
  const endNs = historyEndNs(run.history);
  const durationMs =
    run.results?.stats?.durationMs ??
    (info?.endedAt && info.startedAt ? Date.parse(info.endedAt) - Date.parse(info.startedAt) : endNs / 1e6);
  const failingRow = data.counterexample?.failing ?? -1;
  const failingOp = failingRow >= 0 ? paired[failingRow] : undefined;
  const anomalyMs = anomalyWallMs(run, failingOp?.call ?? cx?.op.call);
  const errors = groupErrors(paired);
  const keys = keyRows(lin?.keys ?? []);
  const config = info?.config ?? ({} as Record<string, unknown>);
  const title = info?.name ?? run.dir.split('/').filter(Boolean).slice(-2).join('/');
  return {
    title,
    state,
    headline: stateHeadline(state),
    reason: run.results?.error ?? lin?.reason ?? '',
    unknownKeys: keys.unknown,
    checkInput: describeCheckInput(lin),
    problems,
    anomaly:
      state === 'invalid' && data.counterexample
        ? {
            key: data.counterexample.key,
            explanation: data.counterexample.explanation,
            failingText: data.counterexample.failingText,
            line: failingOp ? failingOp.invokeIndex + 1 : undefined,
            minimalOps: data.counterexample.minimal.length,
          }
        : state === 'invalid'
          ? { key: null, explanation: 'The checker found the history invalid but recorded no counterexample.', failingText: '', minimalOps: 0 }
          : null,
    command: info?.command ?? '',
    seed: info?.seed,
    startedAt: info?.startedAt ?? '—',
    endedAt: info?.endedAt ?? 'not recorded (the run did not finish)',
    summary: {
      ops: paired.length,
      duration: formatMs(durationMs),
      keys: data.keys.length,
      processes: data.lanes.length,
      nemesisEvents: run.history.filter((h) => h.process === 'nemesis' && h.type === 'invoke').length,
      checkMs: run.results ? formatMs(run.results.stats?.checkMs ?? lin?.ms ?? NaN) : '—',
    },
    config: [
      ['target', config.target],
      ['workload', config.workload],
      ['model', info?.model],
      ['nemesis', config.nemesis],
      ['nodes', info?.nodes ?? config.nodes],
      ['concurrency', config.concurrency],
      ['rate', config.rate],
      ['time limit (s)', config.timeLimit],
      ['nemesis interval (s)', config.nemesisInterval],
      ['target options', config.targetOptions],
      ...Object.entries(config)
        .filter(([k]) => !['target', 'workload', 'nemesis', 'nodes', 'concurrency', 'rate', 'timeLimit', 'nemesisInterval', 'targetOptions'].includes(k))
        .map(([k, v]) => [k, v] as [string, unknown]),
    ].map(([name, value]) => ({ name, value: formatConfigValue(value) })),
    unaffected: info?.unaffected ?? [],
    versions: Object.entries(info?.versions ?? {}).map(([name, value]) => ({ name, value: value ?? '—' })),
    images: Object.entries(info?.images ?? {}).map(([name, value]) => ({
      name,
      value: typeof value === 'string' ? value : [value.id, ...value.digests].join(' '),
    })),
    comparison: readComparison(run.dir),
    quantiles: latencyQuantiles(paired).map((q) => ({
      f: q.f,
      count: q.count,
      p50: formatMs(q.p50),
      p90: formatMs(q.p90),
      p99: formatMs(q.p99),
      p999: formatMs(q.p999),
      max: formatMs(q.max),
    })),
    counts: countByF(paired),
    keys,
    workloadChecks: (run.results?.workloadChecks ?? []).map((c) => ({
      name: c.name,
      verdict: formatVerdict(c.valid),
      details: JSON.stringify(c.details, null, 2),
    })),
    errors: { more: errors.more, groups: errors.groups.map((g) => ({ ...g, fs: g.fs.join(', '), line: g.firstIndex + 1 })) },
    nodeLogs: [...run.nodeLogs.entries()].map(([node, text]) => excerptLog(node, text, anomalyMs)),
    logsAnchor: anomalyMs !== undefined ? new Date(anomalyMs).toISOString() : null,
    hasCounterexample: data.counterexample !== null,
    dataJson: embedJson(data),
  };
}

/** The text `run --compare` left in compare.json beside the run, if any. */
function readComparison(dir: string): string | null {
  try {
    const text = (JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as { text?: unknown }).text;
    return typeof text === 'string' ? text : null;
  } catch {
    return null;
  }
}

/**
 * Renders `report.html` for one run directory: a single self-contained page (script, styles and data
 * inlined; no network). Renders every state — valid, invalid, unknown, empty, crashed, error — and never
 * throws for missing or damaged run files (they are listed on the page instead).
 */
export async function renderRunReport(runDir: string, opts: RenderOptions = {}): Promise<RenderedReport> {
  const run = loadRun(runDir);
  const view = reportView(run);
  const assets = await loadReportAssets();
  const html = compiledTemplate()({ ...view, script: assets.script, css: assets.css });
  const path = opts.outFile ?? join(runDir, 'report.html');
  writeFileSync(path, html);
  return { path, bytes: Buffer.byteLength(html), state: view.state, ops: view.summary.ops };
}
