import type { Operation } from '../src/history/types.js';
import { searchLinearizable } from './search/wgl.js';
import type { Model } from './types.js';

export interface ShrinkOptions {
  /** Absolute Date.now() at which shrinking stops and returns the smallest failing history so far. */
  deadline: number;
  /** At most this many oracle calls. */
  maxTests?: number;
  /** Candidates failing this filter are not considered (see coherence.ts); checked before the oracle. */
  admissible?: (ops: Operation[]) => boolean;
}

export interface ShrinkResult {
  ops: Operation[];
  /** True when every op is needed (no single op can be removed); false when the budget ran out first. */
  minimal: boolean;
  tests: number;
}

/**
 * Delta debugging (Zeller's ddmin) with the search as the oracle: repeatedly drop chunks of ops while the
 * rest is still not linearizable, ending 1-minimal (removing any one op makes it linearizable) unless the
 * budget runs out. An oracle call that hits the deadline counts as "linearizable" so we never keep a guess.
 */
export function shrinkHistory(model: Model, ops: Operation[], opts: ShrinkOptions): ShrinkResult {
  const maxTests = opts.maxTests ?? 5000;
  let tests = 0;
  let exhausted = false;
  const isBad = (candidate: Operation[]): boolean => {
    if (tests >= maxTests || Date.now() > opts.deadline) {
      exhausted = true;
      return false;
    }
    if (opts.admissible && !opts.admissible(candidate)) return false;
    tests++;
    // Fingerprints first (less memory; they can only miss a linearization), so "not linearizable" is confirmed exactly.
    if (searchLinearizable(model, candidate, { deadline: opts.deadline, keepPartials: 0, fingerprints: true }).valid !== false) return false;
    return searchLinearizable(model, candidate, { deadline: opts.deadline, keepPartials: 0 }).valid === false;
  };

  let current = ops.filter((op) => op.status !== 'fail');
  let n = 2;
  while (current.length >= 2 && !exhausted) {
    const chunks = split(current, n);
    let reduced = false;
    for (const chunk of chunks) {
      if (isBad(chunk)) {
        current = chunk;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && n > 2) {
      for (let i = 0; i < chunks.length && !reduced; i++) {
        const complement = chunks.filter((_, j) => j !== i).flat();
        if (isBad(complement)) {
          current = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
        }
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(n * 2, current.length);
    }
  }
  // With n = 2 the complement test above is the same as the chunk test, so finish with a single-op pass.
  let i = 0;
  while (!exhausted && i < current.length && current.length > 1) {
    const without = current.filter((_, j) => j !== i);
    if (isBad(without)) current = without;
    else i++;
  }
  return { ops: current, minimal: !exhausted, tests };
}

function split<T>(items: T[], n: number): T[][] {
  const out: T[][] = [];
  const size = items.length / n;
  for (let i = 0; i < n; i++) {
    const part = items.slice(Math.round(i * size), Math.round((i + 1) * size));
    if (part.length > 0) out.push(part);
  }
  return out;
}
