import { performance } from 'node:perf_hooks';
import type { Endpoint, KvClient } from '../../src/index.js';

export interface LoadResult {
  acked: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** `clients` closed-loop writers, each PUTting distinct values for `ms` milliseconds round-robin over endpoints. */
export async function runWriteLoad(
  endpoints: Endpoint[],
  clients: number,
  ms: number,
  makeClient: (e: Endpoint) => KvClient,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const client = makeClient(endpoints[i % endpoints.length]);
      let n = 0;
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await client.write(`key-${i % 8}`, i * 1_000_000 + n++, { timeoutMs: 5000 });
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
      await client.close();
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return { acked: latencies.length, errors, perSecond: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99) };
}
