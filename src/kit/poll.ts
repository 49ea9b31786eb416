/** Readiness polling: ask until the answer is yes, and say what was still missing when time runs out. */

export interface PollOptions {
  timeoutMs: number;
  /** Pause between two attempts (default 200 ms). */
  intervalMs?: number;
  /** What is awaited, for the error: "etcd cluster ready". */
  describe: string;
}

/**
 * Calls `check` until it returns true. Any other answer means "not yet": a string says what is missing,
 * and so does the message of a throw. Rejects after `timeoutMs` with the last reason.
 */
export async function pollUntil(check: () => Promise<true | string | false | undefined> | true | string | false | undefined, options: PollOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const answer = await check();
      if (answer === true) return;
      if (typeof answer === 'string') last = answer;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`${options.describe}: not done after ${options.timeoutMs} ms (${last})`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 200, left)));
  }
}
