import type { Operation } from '../../src/history/types.js';
import type { CheckOptions, KeyResult, Model } from '../types.js';

/**
 * Decision procedure for register / cas-register histories whose written values are unique (issue 9).
 * Returns undefined when the history does not have the structure it needs, so the caller falls back to
 * the search. Placeholder until the procedure lands: always falls back.
 */
export function decideRegister(
  _ops: Operation[],
  _model: Model,
  _key: string | null,
  _opts: CheckOptions,
): KeyResult | undefined {
  return undefined;
}
