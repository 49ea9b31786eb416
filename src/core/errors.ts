/** Errors and exit codes every part of Faultline and every target shares. */

/** Exit codes shared by every command (Jepsen's 0/1/2 plus 3 for a run or input that could not be carried out). */
export const EXIT = { valid: 0, invalid: 1, unknown: 2, error: 3 } as const;

const USAGE_ERROR = Symbol.for('faultline.UsageError');
const CLIENT_ERROR = Symbol.for('faultline.ClientError');

/** `instanceof` by brand for the class itself (any copy), by prototype chain for subclasses. */
function branded(self: Function, base: Function, brand: symbol, value: unknown): boolean {
  if (self !== base) return Function.prototype[Symbol.hasInstance].call(self, value);
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/**
 * A mistake the user can fix (bad flag, bad file, Docker unreachable, port taken). The CLI prints the
 * message alone, never a stack trace, and exits 3. `fix` is the exact action that resolves it.
 */
export class UsageError extends Error {
  /** Brand read by `instanceof`, so an error from a second copy of Faultline (a user's target) still counts. */
  readonly [USAGE_ERROR] = true;
  constructor(message: string, readonly fix?: string) {
    super(message);
    this.name = 'UsageError';
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(this, UsageError, USAGE_ERROR, value);
  }
}

/**
 * Thrown by clients. `definite: true` means the request certainly did not take effect (recorded as `fail`);
 * `definite: false` means it may have (timeout, reset after sending: recorded as `info`). `code` is a short
 * machine-readable reason (`cas-mismatch`, `timeout`, `ECONNREFUSED`, ...).
 */
export class ClientError extends Error {
  /** Brand read by `instanceof`: a target loaded from the user's project may hold its own copy of this class. */
  readonly [CLIENT_ERROR] = true;
  constructor(message: string, readonly definite: boolean, readonly code?: string) {
    super(message);
    this.name = 'ClientError';
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(this, ClientError, CLIENT_ERROR, value);
  }
}
