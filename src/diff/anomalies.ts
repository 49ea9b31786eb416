/**
 * The anomalies of one run, read from its results.json: each non-linearizable key and each kind of problem
 * a workload check reported, in words, with the history lines involved. `id` is what `faultline diff`
 * matches runs by: the check, the kind, the key and the functions of the ops involved, never an op index
 * or an element (those differ between any two runs).
 */
import type { Operation } from '../history/types.js';
import type { RunResults } from '../store/run-files.js';

export interface Anomaly {
  /** check|kind|key|functions: equal ids are "the same anomaly" across runs. */
  id: string;
  /** "linearizability" or the workload check's name ("set"). */
  check: string;
  /** not-linearizable | lost | phantom | duplicated | vanished | failed */
  kind: string;
  key: string | null;
  /** Sorted distinct functions (read, add ...): of the op that cannot be linearized, or of the set ops a kind is about. */
  functions: string[];
  /** One sentence a person can act on. */
  explanation: string;
  /** 1-based history.jsonl lines of the ops involved (the first few). */
  lines: number[];
  /** Elements affected, for set-style anomalies. */
  count?: number;
}

const MAX_LINES = 8;
const MAX_EXAMPLES = 5;

/** history.jsonl line of a history index: the history holds one op per line, index 0 on line 1. */
export const historyLine = (index: number): number => index + 1;

function anomaly(check: string, kind: string, key: string | null, functions: Iterable<string>, rest: Pick<Anomaly, 'explanation' | 'lines'> & { count?: number }): Anomaly {
  const fs = [...new Set(functions)].sort();
  return { id: [check, kind, key ?? '', fs.join(',')].join('|'), check, kind, key, functions: fs, ...rest };
}

function opLines(ops: readonly Operation[]): number[] {
  return [...new Set(ops.map((o) => historyLine(o.invokeIndex)))].sort((a, b) => a - b).slice(0, MAX_LINES);
}

function linearizabilityAnomalies(lin: RunResults['linearizability']): Anomaly[] {
  if (lin.valid !== false) return [];
  const out: Anomaly[] = [];
  for (const k of lin.keys ?? []) {
    if (k.valid !== false) continue;
    const ce = k.counterexample ?? (lin.counterexample && lin.counterexample.key === k.key ? lin.counterexample : undefined);
    if (!ce) {
      out.push(anomaly('linearizability', 'not-linearizable', k.key, [], { explanation: `key ${k.key ?? '(single register)'} is not linearizable`, lines: [] }));
      continue;
    }
    const involved = ce.minimal.length > 0 ? ce.minimal : [ce.op];
    const lines = [historyLine(ce.op.invokeIndex), ...opLines(involved).filter((l) => l !== historyLine(ce.op.invokeIndex))].slice(0, MAX_LINES);
    // Matched by the function of the op that cannot be placed (a stale read is a stale read whichever
    // write or cas it overlapped this time); the explanation names the others.
    out.push(anomaly('linearizability', 'not-linearizable', k.key, [ce.op.f], { explanation: ce.explanation, lines }));
  }
  // An invalid verdict without per-key detail still counts once.
  if (out.length === 0) out.push(anomaly('linearizability', 'not-linearizable', lin.counterexample?.key ?? null, lin.counterexample ? [lin.counterexample.op.f] : [], { explanation: lin.counterexample?.explanation ?? 'not linearizable', lines: lin.counterexample ? [historyLine(lin.counterexample.op.invokeIndex)] : [] }));
  return out;
}

/** What each set-style list means, and which op functions it is about. */
const SET_KINDS: Record<string, { words: string; functions: string[] }> = {
  lost: { words: 'acknowledged adds missing from the final reads', functions: ['add', 'read'] },
  phantom: { words: 'elements read that were never added', functions: ['read'] },
  duplicated: { words: 'elements read more than once in one read', functions: ['add', 'read'] },
  vanished: { words: 'elements seen (or acknowledged) and then missing from a later read', functions: ['add', 'read'] },
};

interface VanishedExplained {
  element: number;
  seenAt: number;
  seenBy: string;
  missingAt: number;
  missingNode?: string;
}

function examples(xs: readonly unknown[]): string {
  return `${xs.slice(0, MAX_EXAMPLES).join(', ')}${xs.length > MAX_EXAMPLES ? ', ...' : ''}`;
}

function workloadAnomalies(check: NonNullable<RunResults['workloadChecks']>[number]): Anomaly[] {
  if (check.valid !== false) return [];
  const details = (check.details ?? {}) as Record<string, unknown>;
  const out: Anomaly[] = [];
  for (const [kind, meaning] of Object.entries(SET_KINDS)) {
    const list = details[kind];
    if (!Array.isArray(list) || list.length === 0) continue;
    let lines: number[] = [];
    let extra = '';
    if (kind === 'vanished' && Array.isArray(details.vanishedExplained) && details.vanishedExplained.length > 0) {
      const first = details.vanishedExplained[0] as VanishedExplained;
      lines = (details.vanishedExplained as VanishedExplained[]).flatMap((v) => [historyLine(v.seenAt), historyLine(v.missingAt)]).slice(0, MAX_LINES);
      extra = `; e.g. ${first.element} known since history line ${historyLine(first.seenAt)} (${first.seenBy}), missing from the read on line ${historyLine(first.missingAt)}${first.missingNode ? ` (node ${first.missingNode})` : ''}`;
    }
    out.push(anomaly(check.name, kind, null, meaning.functions, { explanation: `${list.length} ${meaning.words} (${examples(list)})${extra}`, lines, count: list.length }));
  }
  if (out.length === 0) {
    const reason = typeof details.reason === 'string' ? details.reason : JSON.stringify(check.details).slice(0, 300);
    out.push(anomaly(check.name, 'failed', null, [], { explanation: `${check.name} check failed: ${reason}`, lines: [] }));
  }
  return out;
}

export function runAnomalies(results: RunResults): Anomaly[] {
  return [...linearizabilityAnomalies(results.linearizability), ...(results.workloadChecks ?? []).flatMap(workloadAnomalies)];
}

/** The anomalies of one check (for a JUnit test case). */
export function checkAnomalies(results: RunResults, check: string): Anomaly[] {
  return runAnomalies(results).filter((a) => a.check === check);
}
