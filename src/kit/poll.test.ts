import { describe, expect, it } from 'vitest';
import { pollUntil } from './poll.js';
import { TimeoutError, withTimeout } from './timeout.js';

describe('pollUntil', () => {
  it('resolves once the check says true', async () => {
    let n = 0;
    await pollUntil(() => ++n >= 3 || `only ${n}`, { timeoutMs: 1_000, intervalMs: 1, describe: 'three' });
    expect(n).toBe(3);
  });

  it('rejects after the timeout with the last reason (a string or a throw)', async () => {
    await expect(pollUntil(() => 'n2 silent', { timeoutMs: 30, intervalMs: 5, describe: 'db ready' })).rejects.toThrow(/^db ready: not done after 30 ms \(n2 silent\)$/);
    await expect(
      pollUntil(
        () => {
          throw new Error('ECONNREFUSED');
        },
        { timeoutMs: 20, intervalMs: 5, describe: 'db ready' },
      ),
    ).rejects.toThrow(/\(ECONNREFUSED\)/);
  });
});

describe('withTimeout', () => {
  it('passes the result through, or rejects with a TimeoutError naming the call', async () => {
    expect(await withTimeout(Promise.resolve(4), 50, 'x')).toBe(4);
    const err = await withTimeout(new Promise(() => undefined), 10, 'leader lookup').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toBe('leader lookup timed out after 10 ms');
  });

  it('uses the given error, and a late rejection of the loser is not unhandled', async () => {
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 20));
    await expect(withTimeout(late, 5, 'x', () => new Error('custom'))).rejects.toThrow('custom');
    await new Promise((r) => setTimeout(r, 30));
  });
});
