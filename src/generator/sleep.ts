/**
 * Abort-aware waiting. Every waiter on one signal shares ONE 'abort' listener (`aborted(signal)`), so ten
 * workers plus the nemesis sleeping on the main phase's signal do not pile up listeners on it (which
 * is what printed MaxListenersExceededWarning with --concurrency 10).
 */
const abortPromises = new WeakMap<AbortSignal, Promise<void>>();

/** Resolves when `signal` aborts (at once if it already has). One listener per signal, however many callers. */
export function aborted(signal: AbortSignal): Promise<void> {
  let p = abortPromises.get(signal);
  if (!p) {
    p = signal.aborted ? Promise.resolve() : new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    abortPromises.set(signal, p);
  }
  return p;
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects: callers check the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  if (!signal) return elapsed;
  return Promise.race([elapsed, aborted(signal)]).finally(() => clearTimeout(timer));
}
