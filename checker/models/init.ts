import { UsageError } from '../../src/core/errors.js';

/**
 * Refuses an initial value a model cannot start from: without this a model took its empty state instead and
 * said nothing, so `--init` that the user believed in was not what was checked.
 */
export function checkInit(model: string, init: unknown, fits: (v: unknown) => boolean, expected: string, example: string): void {
  if (init === null || init === undefined || fits(init)) return;
  throw new UsageError(`--init ${JSON.stringify(init)} does not fit model ${model}: it takes ${expected}`, `for example --init '${example}', or leave --init out`);
}
