/** The one withTimeout of Faultline: the controller never hangs on a client, Docker or readiness call. */
export class TimeoutError extends Error {
  constructor(readonly label: string, readonly ms: number, message = `${label} timed out after ${ms} ms`) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/**
 * Rejects when `promise` has not settled within `ms` (with `makeError()`, by default a TimeoutError naming
 * `label`). The loser's result is ignored, a late rejection of it is swallowed, and the timer never keeps
 * Node alive.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, label: string, makeError: () => Error = () => new TimeoutError(label, ms)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(makeError()), ms);
    timer.unref();
  });
  promise.catch(() => undefined);
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}
