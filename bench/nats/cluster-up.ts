/**
 * Cluster up time: launch to ready (image already built), `reps` times per size, for any target.
 * `flock /tmp/fl-docker.lock npx tsx bench/nats/cluster-up.ts nats 3,5 3` (also `etcd`, `raftkv`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCluster } from '../../src/runtime/create-cluster.js';
import { loadTarget } from '../../src/targets/registry.js';

async function main(): Promise<void> {
  const targetName = process.argv[2] ?? 'nats';
  const sizes = (process.argv[3] ?? '3,5').split(',').map(Number);
  const reps = Number(process.argv[4] ?? 3);
  const target = await loadTarget(targetName);
  for (const n of sizes) {
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const started = Date.now();
      const cluster = await createCluster({ target, nodes: n, runId: `up-${targetName}-${n}-${i}-${Date.now().toString(36)}`, logDir: mkdtempSync(join(tmpdir(), 'faultline-up-')), origin: 'test', readyTimeoutMs: 120_000 });
      times.push(Date.now() - started);
      await cluster.destroy();
    }
    times.sort((a, b) => a - b);
    console.log(`${targetName} ${n} nodes: up in ${times.map((t) => (t / 1000).toFixed(1)).join(', ')} s (median ${(times[Math.floor(times.length / 2)]! / 1000).toFixed(1)} s)`);
  }
}

await main();
process.exit(0);
