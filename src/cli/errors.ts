/** Exit codes shared by every command (Jepsen's 0/1/2 plus 3 for a run or input that could not be carried out). */
export const EXIT = { valid: 0, invalid: 1, unknown: 2, error: 3 } as const;

/**
 * A mistake the user can fix (bad flag, bad file, Docker unreachable, port taken). The CLI prints the
 * message alone, never a stack trace, and exits 3. `fix` is the exact action that resolves it.
 */
export class UsageError extends Error {
  constructor(message: string, readonly fix?: string) {
    super(message);
    this.name = 'UsageError';
  }
}
