/** The few lines printed on stdout when a run ends. */
import type { RunDiff } from '../diff/run-diff.js';
import type { RunInfo, RunResults } from '../store/run-files.js';

export function verdictWord(valid: RunResults['valid'], error?: string): string {
  if (error) return 'RUN FAILED';
  return valid === true ? 'VALID' : valid === false ? 'INVALID' : 'UNKNOWN';
}

export function formatSummary(name: string, runDir: string, results: RunResults, reportPath?: string): string {
  const s = results.stats;
  const lin = results.linearizability;
  const lines = [
    `faultline: ${name} finished in ${(s.durationMs / 1000).toFixed(1)} s`,
    `  ops:      ${s.ok} ok, ${s.fail} fail, ${s.info} info (${s.ok + s.fail + s.info} total); nemesis events: ${s.nemesisEvents}`,
    `  verdict:  ${verdictWord(results.valid, results.error)}${results.error ? ` (${results.error})` : ''}`,
    `  linearizability (${lin.model}): ${String(lin.valid)}${lin.keys.length > 1 ? ` over ${lin.keys.length} keys` : ''}, checked in ${(s.checkMs / 1000).toFixed(2)} s${lin.reason ? ` (${lin.reason})` : ''}`,
  ];
  if (lin.counterexample) lines.push(`  counterexample: ${lin.counterexample.explanation}`);
  const notChecked = lin.keys.filter((k) => k.valid === 'not-checked').length;
  if (notChecked > 0) lines.push(`  ${notChecked} of ${lin.keys.length} keys not checked: the history is already invalid (--check-all-keys decides every key)`);
  for (const c of results.workloadChecks ?? []) lines.push(`  ${c.name} check: ${String(c.valid)} ${JSON.stringify(c.details).slice(0, 200)}`);
  lines.push(`  run dir:  ${runDir}`);
  if (reportPath) lines.push(`  report:   ${reportPath}`);
  return lines.join('\n') + '\n';
}

/** `run --json`: the whole outcome as one JSON object on one line (and nothing else on stdout). */
export function runJsonLine(runDir: string, info: RunInfo, results: RunResults, reportPath?: string, comparison?: RunDiff): string {
  const verdict = results.error ? 'error' : results.valid === true ? 'valid' : results.valid === false ? 'invalid' : 'unknown';
  return (
    JSON.stringify(
      {
        verdict,
        seed: info.seed,
        name: info.name,
        runDir,
        ...(reportPath ? { report: reportPath } : {}),
        command: info.command,
        results,
        ...(comparison ? { comparison } : {}),
      },
      (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    ) + '\n'
  );
}
