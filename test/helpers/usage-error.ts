import { expect } from 'vitest';
import { UsageError } from '../../src/core/errors.js';

/** The UsageError `p` rejects with (the test fails when it resolves or rejects with anything else). */
export async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}
