import type { Operation } from '../../src/history/types.js';
import type { CheckOptions, KeyResult, Model } from '../types.js';
import { analyzeRegister } from './analyze.js';
import { buildCounterexample } from './counterexample.js';

/**
 * Decision procedure for register / cas-register histories (and one key of kv) whose written values are
 * unique (issue 9). Polynomial, not a search: versions from values (Elle), cas chains, and Gibbons &
 * Korach's zone argument over the chains; see analyze.ts. Returns undefined when the history does not
 * have the structure it needs (a value written twice, an unsupported value), so the caller
 * falls back to the search. Exact: true and false are proofs. The decision itself is O(n log n) and is never
 * cut short (a million ops take about a second), so it never answers 'unknown'; opts.timeLimit only bounds
 * the shrinking of a counterexample, which then may be less than minimal.
 */
export function decideRegister(
  ops: Operation[],
  model: Model,
  key: string | null,
  opts: CheckOptions,
  allowCas = true,
): KeyResult | undefined {
  const started = Date.now();
  const deadline = opts.timeLimit !== undefined ? started + opts.timeLimit * 1000 : Infinity;
  const init = model.init();
  const analysis = analyzeRegister(ops, init, allowCas);
  if (analysis.kind === 'fallback') return undefined;
  const base = { key, ops: ops.length, algorithm: 'register' as const };
  if (analysis.kind === 'valid') return { ...base, valid: true, ms: Date.now() - started };
  const counterexample = buildCounterexample(
    model, key, ops, analysis.versions, analysis.contradiction, init, allowCas, deadline,
  );
  return { ...base, valid: false, ms: Date.now() - started, counterexample };
}
