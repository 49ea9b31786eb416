/**
 * junit.xml for CI: one testsuite, one testcase per check (linearizability, then each workload check).
 * invalid -> <failure>, unknown or a failed run -> <error> (a nightly run must never go green on unknown).
 *
 * What each reader needs, and where this file puts it:
 * - the failure message names the op and its history.jsonl line; the body holds every anomaly's
 *   explanation with its lines, the command that reproduces the run and the report's path (GitHub's test
 *   reporters show message and body only);
 * - `[[ATTACHMENT|path]]` in each testcase's system-out, pointing at report.html: Jenkins' JUnit
 *   attachments plugin wants an absolute path, GitLab a path relative to the project directory
 *   ($CI_PROJECT_DIR); `attachments: 'relative'` writes the latter (see the README's CI section);
 * - the seed, the command, target, workload, nemesis and images as suite properties.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { checkAnomalies, type Anomaly } from '../diff/anomalies.js';
import type { RunInfo, RunResults } from '../store/run-files.js';

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 forbids most control characters even when escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export type AttachmentPaths = 'absolute' | 'relative';

export interface JunitOptions {
  /** The run directory (report.html and history.jsonl are in it). */
  runDir: string;
  /** absolute (Jenkins, default) or relative to `baseDir` (GitLab). */
  attachments?: AttachmentPaths;
  /** What relative paths are relative to: the project directory ($CI_PROJECT_DIR, else the cwd). */
  baseDir?: string;
  /** Extra text for every testcase's system-out, e.g. the comparison with the previous run. */
  systemOut?: string;
}

interface Case {
  name: string;
  seconds: number;
  failure?: { message: string; body: string };
  error?: { message: string; body: string; type: 'unknown' | 'run-failed' };
}

function anomalyText(a: Anomaly): string {
  const where = a.lines.length > 0 ? ` [history.jsonl line${a.lines.length > 1 ? 's' : ''} ${a.lines.join(', ')}]` : '';
  return `- ${a.key !== null ? `key ${a.key}: ` : ''}${a.explanation}${where}`;
}

export function junitXml(info: RunInfo, results: RunResults, opts: JunitOptions): string {
  const runDir = resolve(opts.runDir);
  const base = resolve(opts.baseDir ?? process.cwd());
  const pathFor = (file: string) => {
    const abs = resolve(runDir, file);
    if (opts.attachments !== 'relative') return abs;
    const rel = relative(base, abs);
    // Outside the project directory a relative path would climb out of it: GitLab cannot serve that.
    return rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
  };
  const reportPath = pathFor('report.html');
  const historyPath = pathFor('history.jsonl');
  const trailer = [`reproduce: ${info.command}`, `report:    ${reportPath}`, `history:   ${historyPath}`, `run dir:   ${pathFor('.')}`].join('\n');
  const body = (lines: string[]) => [...lines, '', trailer].join('\n');

  const cases: Case[] = [];
  const lin = results.linearizability;
  const linCase: Case = { name: `linearizability (${lin.model})`, seconds: lin.ms / 1000 };
  if (results.error) {
    linCase.error = { message: `run failed: ${results.error}`, body: body([results.error]), type: 'run-failed' };
  } else if (lin.valid === false) {
    const anomalies = checkAnomalies(results, 'linearizability');
    const ce = lin.counterexample;
    const op = ce
      ? `${ce.key !== null ? `key ${ce.key}: ` : ''}${ce.op.f} by process ${ce.op.process} (op #${ce.op.id}, history.jsonl line ${ce.op.invokeIndex + 1}) cannot be linearized`
      : `${anomalies.length} key(s) cannot be linearized`;
    const keys = anomalies.length > 1 ? ` (${anomalies.length} keys)` : '';
    linCase.failure = { message: `not linearizable${keys}: ${op}`, body: body(anomalies.map(anomalyText)) };
  } else if (lin.valid === 'unknown') {
    linCase.error = { message: `linearizability unknown${lin.reason ? `: ${lin.reason}` : ''}`, body: body([`the checker could not decide${lin.reason ? ` (${lin.reason})` : ''}; raise --check-time-limit or shorten the run`]), type: 'unknown' };
  }
  cases.push(linCase);
  for (const check of results.workloadChecks ?? []) {
    const c: Case = { name: `${check.name} check`, seconds: 0 };
    if (check.valid === false) {
      const anomalies = checkAnomalies(results, check.name);
      c.failure = { message: `${check.name} check failed: ${anomalies.map((a) => `${a.count ?? ''} ${a.kind}`.trim()).join(', ')}`, body: body(anomalies.map(anomalyText)) };
    } else if (check.valid === 'unknown') {
      c.error = { message: `${check.name} check unknown`, body: body([JSON.stringify(check.details)]), type: 'unknown' };
    }
    cases.push(c);
  }
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const props: [string, string][] = [
    ['seed', String(info.seed)],
    ['command', info.command],
    ['target', info.config.target],
    ['workload', info.config.workload],
    ['nemesis', info.config.nemesis.join(',') || 'none'],
    ...Object.entries(info.versions).filter((e): e is [string, string] => e[1] !== undefined).map(([k, v]): [string, string] => [`version:${k}`, v]),
    ...Object.entries(info.images).map(([tag, image]): [string, string] => [`image:${tag}`, typeof image === 'string' ? image : image.id]),
  ];
  const systemOut = [`[[ATTACHMENT|${reportPath}]]`, ...(opts.systemOut ? [opts.systemOut] : [])].join('\n');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="faultline" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${escapeXml(info.name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" timestamp="${escapeXml(info.startedAt)}" time="${(results.stats.durationMs / 1000).toFixed(3)}">`,
    '    <properties>',
    ...props.map(([k, v]) => `      <property name="${escapeXml(k)}" value="${escapeXml(v)}"/>`),
    '    </properties>',
  ];
  for (const c of cases) {
    lines.push(`    <testcase classname="${escapeXml(info.name)}" name="${escapeXml(c.name)}" time="${c.seconds.toFixed(3)}">`);
    const problem = c.failure ? (['failure', { ...c.failure, type: 'invalid' }] as const) : c.error ? (['error', c.error] as const) : undefined;
    if (problem) lines.push(`      <${problem[0]} message="${escapeXml(problem[1].message)}" type="${problem[1].type}">${escapeXml(problem[1].body)}</${problem[0]}>`);
    lines.push(`      <system-out>${escapeXml(systemOut)}</system-out>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
