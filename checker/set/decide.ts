import type { Operation } from '../../src/history/types.js';
import type { CheckOptions, KeyResult, Model } from '../types.js';
import { analyzeSet } from './analyze.js';
import { buildSetCounterexample } from './counterexample.js';

/** Shrinking the (tiny) projected counterexample never needs long; a time limit only shortens it. */
const SHRINK_MS = 3000;

/**
 * Decision procedure for the grow-only `set` model when every element is added by at most one non-failed
 * add (see analyze.ts). Polynomial, not a search: the reads' sets must form a chain, and the least
 * linearization points, computed group by group along the chain, must fit in the ops' intervals. Returns
 * undefined when it does not apply (another model, an element added twice, an unknown op), so the caller
 * falls back to the search. Exact: true and false are proofs, never 'unknown'; opts.timeLimit only bounds
 * the shrinking of the counterexample.
 *
 * The counterexample comes from the search run on the history projected onto the few elements and reads
 * the violation is made of. If that search does not confirm it (it should always), the verdict stays false,
 * with no counterexample and a note.
 */
export function decideSet(ops: Operation[], model: Model, key: string | null, opts: CheckOptions): KeyResult | undefined {
  const init = model.init();
  if (!Array.isArray(init) || !init.every((k) => typeof k === 'string')) return undefined;
  const started = Date.now();
  const analysis = analyzeSet(ops, init as string[]);
  if (analysis.kind === 'fallback') return undefined;
  const base = { key, ops: ops.length, algorithm: 'set' as const };
  if (analysis.kind === 'valid') return { ...base, valid: true, ms: Date.now() - started };
  const shrinkMs = opts.timeLimit !== undefined ? Math.min(SHRINK_MS, Math.max(100, opts.timeLimit * 1000)) : SHRINK_MS;
  const built = buildSetCounterexample(model, key, ops, analysis.violation, init as string[], shrinkMs);
  const result: KeyResult = { ...base, valid: false, ms: Date.now() - started };
  if (built.counterexample) result.counterexample = built.counterexample;
  if (built.note) result.note = built.note;
  return result;
}
