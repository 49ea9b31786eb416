/** Errors and exit codes every part of Faultline and every target shares. */

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

/**
 * Thrown by clients. `definite: true` means the request certainly did not take effect (recorded as `fail`);
 * `definite: false` means it may have (timeout, reset after sending: recorded as `info`). `code` is a short
 * machine-readable reason (`cas-mismatch`, `timeout`, `ECONNREFUSED`, ...).
 */
export class ClientError extends Error {
  constructor(message: string, readonly definite: boolean, readonly code?: string) {
    super(message);
    this.name = 'ClientError';
  }
}
