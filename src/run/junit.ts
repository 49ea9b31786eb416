/**
 * junit.xml for CI: one testsuite, one testcase per check (linearizability, then each workload check).
 * invalid -> <failure> naming the op; unknown -> <error> (a nightly run must never go green on unknown).
 * The seed and the reproduce command are properties.
 */
import type { RunInfo, RunResults } from '../store/run-files.js';

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 forbids most control characters even when escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

interface Case {
  name: string;
  seconds: number;
  failure?: { message: string; body: string };
  error?: { message: string; body: string };
}

export function junitXml(info: RunInfo, results: RunResults): string {
  const cases: Case[] = [];
  const lin = results.linearizability;
  const linCase: Case = { name: `linearizability (${lin.model})`, seconds: lin.ms / 1000 };
  if (results.error) {
    linCase.error = { message: `run failed: ${results.error}`, body: results.error };
  } else if (lin.valid === false) {
    const ce = lin.counterexample;
    const op = ce ? `${ce.key !== null ? `key ${ce.key}: ` : ''}op #${ce.op.id} (${ce.op.f} by process ${ce.op.process}, history line ${ce.op.invokeIndex})` : 'an op';
    linCase.failure = { message: `not linearizable: ${op} cannot be linearized`, body: ce?.explanation ?? '' };
  } else if (lin.valid === 'unknown') {
    linCase.error = { message: `linearizability unknown${lin.reason ? `: ${lin.reason}` : ''}`, body: '' };
  }
  cases.push(linCase);
  for (const check of results.workloadChecks ?? []) {
    const c: Case = { name: `${check.name} check`, seconds: 0 };
    const details = JSON.stringify(check.details);
    if (check.valid === false) c.failure = { message: `${check.name} check failed`, body: details };
    else if (check.valid === 'unknown') c.error = { message: `${check.name} check unknown`, body: details };
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
    ...Object.entries(info.images).map(([tag, id]): [string, string] => [`image:${tag}`, id]),
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="faultline" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${escapeXml(info.name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" timestamp="${escapeXml(info.startedAt)}" time="${(results.stats.durationMs / 1000).toFixed(3)}">`,
    '    <properties>',
    ...props.map(([k, v]) => `      <property name="${escapeXml(k)}" value="${escapeXml(v)}"/>`),
    '    </properties>',
  ];
  for (const c of cases) {
    const open = `    <testcase classname="${escapeXml(info.name)}" name="${escapeXml(c.name)}" time="${c.seconds.toFixed(3)}"`;
    const problem = c.failure ? ['failure', c.failure] as const : c.error ? ['error', c.error] as const : undefined;
    if (!problem) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    lines.push(`      <${problem[0]} message="${escapeXml(problem[1].message)}">${escapeXml(problem[1].body)}</${problem[0]}>`);
    lines.push('    </testcase>');
  }
  lines.push('    <system-out>[[ATTACHMENT|report.html]]</system-out>', '  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
