/**
 * What one finished run tells the bench: was a bug detected, when did the first anomaly happen (in the
 * history's own clock, seconds since the run's first op) and what did the checker say, in one line.
 */
import type { Verdict } from '../../checker/types.js';
import { parseJsonlHistory } from '../../src/history/jsonl.js';
import type { HistoryOp } from '../../src/history/types.js';
import type { RunResults } from '../../src/store/run-files.js';

export interface RunFinding {
  verdict: Verdict;
  /** Seconds from the run start to the earliest op that witnesses the anomaly; undefined if none. */
  firstAnomalySec?: number;
  /** One line: the counterexample, the set check's tallies, or why the verdict is unknown. */
  said: string;
}

interface SetDetails {
  lost?: number[];
  vanished?: number[];
  /** History index of the read completion that first missed a known element (workloads/set.ts). */
  vanishedExplained?: { missingAt: number }[];
  duplicated?: number[];
  phantom?: number[];
  reason?: string;
}

const NS_PER_S = 1e9;
const MAX_SAID = 240;

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_SAID ? `${one.slice(0, MAX_SAID - 1)}…` : one;
}

/**
 * Earliest time (ns) an element of the set check's verdict shows up as wrong: a lost element when its add
 * was acknowledged, a duplicated one when its add was invoked, a vanished one when the read that missed
 * it completed. Phantoms have no add, so no time.
 */
function setAnomalyTimeNs(history: readonly HistoryOp[], details: SetDetails): number | undefined {
  const lost = new Set(details.lost ?? []);
  const duplicated = new Set(details.duplicated ?? []);
  let first: number | undefined;
  for (const op of history) {
    if (op.process === 'nemesis' || op.f !== 'add') continue;
    const e = op.value as number;
    const hit = (op.type === 'ok' && lost.has(e)) || (op.type === 'invoke' && duplicated.has(e));
    if (hit && (first === undefined || op.time < first)) first = op.time;
  }
  for (const v of details.vanishedExplained ?? []) {
    const time = history[v.missingAt]?.index === v.missingAt ? history[v.missingAt].time : history.find((op) => op.index === v.missingAt)?.time;
    if (time !== undefined && (first === undefined || time < first)) first = time;
  }
  return first;
}

/** Summarises `results` (and, for the time of a set anomaly, the run's history). */
export function findAnomaly(results: RunResults, history: readonly HistoryOp[]): RunFinding {
  const times: number[] = [];
  const said: string[] = [];
  const lin = results.linearizability;
  if (lin.valid === false) {
    for (const key of lin.keys) {
      if (key.valid === false && key.counterexample) times.push(key.counterexample.op.call);
    }
    const cx = lin.counterexample ?? lin.keys.find((k) => k.counterexample)?.counterexample;
    if (cx) times.push(cx.op.call);
    const invalidKeys = lin.keys.filter((k) => k.valid === false).length;
    said.push(`${lin.model}: ${cx ? cx.explanation : 'not linearizable'}${invalidKeys > 1 ? ` (${invalidKeys} keys invalid)` : ''}`);
  }
  for (const check of results.workloadChecks ?? []) {
    // A passing workload check matters next to an unknown linearizability verdict: it says what was seen.
    if (check.valid === true && results.valid !== true) said.push(`${check.name} check: valid`);
    if (check.valid !== false) continue;
    const d = (check.details ?? {}) as SetDetails;
    const parts = [
      d.lost?.length ? `${d.lost.length} acknowledged lost` : '',
      d.vanished?.length ? `${d.vanished.length} seen then vanished` : '',
      d.duplicated?.length ? `${d.duplicated.length} duplicated` : '',
      d.phantom?.length ? `${d.phantom.length} phantom` : '',
    ].filter(Boolean);
    said.push(`${check.name} check: ${parts.join(', ') || 'invalid'}`);
    const t = setAnomalyTimeNs(history, d);
    if (t !== undefined) times.push(t);
  }
  if (results.valid === 'unknown') {
    const why =
      results.error ??
      lin.reason ??
      (results.workloadChecks ?? []).map((c) => (c.valid === 'unknown' ? `${c.name}: ${(c.details as SetDetails)?.reason ?? 'unknown'}` : '')).find(Boolean) ??
      'unknown';
    said.push(`unknown: ${why}`);
  }
  if (results.valid === true) said.push(`valid (${results.stats.ok} ok, ${results.stats.info} info, ${results.stats.fail} fail)`);
  const finite = times.filter((t) => Number.isFinite(t));
  return {
    verdict: results.valid,
    ...(finite.length > 0 && results.valid === false ? { firstAnomalySec: Math.min(...finite) / NS_PER_S } : {}),
    said: clip(said.join('; ')),
  };
}

/** Reads history.jsonl with the one history reader (a last line cut off by a crash is left out). */
export function parseHistory(text: string): HistoryOp[] {
  return parseJsonlHistory(text, { name: 'history.jsonl', allowTruncated: true });
}
