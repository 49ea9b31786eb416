/**
 * A global rate limit shared by all workers (GCRA: each acquire reserves the next slot 1/rate after the
 * previous one). A small burst tolerance lets workers run ahead by up to `burstMs`, because timers below
 * ~1 ms are not reliable and sleeping for every sub-millisecond gap would cap throughput far below the rate.
 */
import { sleep } from './sleep.js';

export class RateLimiter {
  private readonly intervalMs: number;
  private theoreticalArrival = 0;

  /** `rate` ops per second overall; 0 or Infinity = unlimited. */
  constructor(readonly rate: number, private readonly burstMs = 20, private readonly now: () => number = () => performance.now()) {
    this.intervalMs = rate > 0 && Number.isFinite(rate) ? 1000 / rate : 0;
  }

  /** Reserves the next slot; returns how many ms the caller must wait for it (0 = go now). */
  reserve(): number {
    if (this.intervalMs === 0) return 0;
    const now = this.now();
    const slot = Math.max(this.theoreticalArrival, now);
    this.theoreticalArrival = slot + this.intervalMs;
    return Math.max(0, slot - now - this.burstMs);
  }

  /** Waits for this caller's slot. Resolves early (without a slot) when `signal` aborts. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(Math.ceil(wait), signal);
  }
}
