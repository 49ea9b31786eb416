import type { CheckResult } from '../checker/types.js';

const NIL_READ_MEANING = {
  unconstrained: 'unconstrained — an ok read of nil is legal in any state, as in Knossos, and was left out of the check',
  strict: 'strict — an ok read of null is the value null (the initial value, or an absent key), as in Porcupine',
} as const;

/**
 * What the check made of its input, in sentences for the verdict box: the nil-read meaning it used, the ops
 * it did not use and why, and the cut when only the complete part of a cut-off history was checked.
 */
export function describeCheckInput(lin: CheckResult | undefined): string[] {
  if (!lin) return [];
  const out: string[] = [];
  if (lin.truncated) {
    const t = lin.truncated;
    out.push(`Truncated: the history is cut off at line ${t.line} (${t.what}); only the complete operations before the cut were checked (last complete op: line ${t.lastCompleteLine}).`);
  }
  if (lin.nilRead) out.push(`Nil reads: ${NIL_READ_MEANING[lin.nilRead]}.`);
  const u = lin.unused;
  if (u) {
    const parts = [
      u.nemesis ? `${u.nemesis} nemesis records` : '',
      u.failed ? `${u.failed} failed operations (they did not happen)` : '',
      u.infoReads ? `${u.infoReads} reads with an unknown result` : '',
      u.nilReads ? `${u.nilReads} nil reads (unconstrained)` : '',
    ].filter(Boolean);
    if (parts.length) out.push(`Not used by the check: ${parts.join(', ')}.`);
  }
  if (lin.neverCompleted) out.push(`${lin.neverCompleted} operations never completed: checked as indeterminate (they may have taken effect).`);
  return out;
}
