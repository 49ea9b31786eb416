/**
 * The harness's own ceiling: how many ops/s `executeRun` can drive and record (history.jsonl written as
 * it happens) against a trivial server, and the latency it adds. Two servers: a direct in-process client
 * (no I/O at all: everything measured is harness) and HTTP on loopback. For HTTP, the same client is also
 * driven by a bare loop with no harness, so the difference is what the harness adds.
 *
 *   npx tsx bench/harness/run-bench.ts [seconds=5] [concurrency=32]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getModel, checkHistory } from '../../checker/index.js';
import { parseJsonlHistory } from '../../src/history/jsonl.js';
import { pairOperations } from '../../src/history/pair.js';
import { resolveConfig } from '../../src/run/config.js';
import { executeRun } from '../../src/run/execute-run.js';
import { ClientError, type KvClient, type Target } from '../../src/index.js';
import { fakeWorld } from '../../test/pipeline/fakes/fake-cluster.js';
import { MemoryKv } from '../../test/pipeline/fakes/memory-kv.js';
import { HttpKvClient, startHttpKv } from './http-kv.js';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 32);
const quiet = { write: () => true, isTTY: false };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** µs from invoke to completion of every op with a known completion time (ok and fail), through the one pairer. */
function latencies(runDir: string): number[] {
  const ops = pairOperations(parseJsonlHistory(readFileSync(join(runDir, 'history.jsonl'), 'utf8'), { name: 'history.jsonl' }));
  return ops
    .filter((op) => Number.isFinite(op.ret))
    .map((op) => (op.ret - op.call) / 1000)
    .sort((a, b) => a - b);
}

async function harness(label: string, clientFor: () => KvClient) {
  const world = fakeWorld();
  const target: Target = { ...world.target, client: () => clientFor() };
  const config = resolveConfig({}, {
    target: 'fake', workload: 'kv', nemesis: [], nodes: 3, concurrency, rate: 0, timeLimit: seconds, quietPeriod: 0,
    seed: 1, store: mkdtempSync(join(tmpdir(), 'faultline-bench-')), opsPerKey: 1000, keys: 16,
  }, () => 1);
  const outcome = await executeRun(config, {
    getTarget: () => target, createCluster: (o) => world.createCluster({ ...o, target }), getModel: (n) => getModel(n), checkHistory,
  }, { stdout: quiet, stderr: quiet, keepHistoryInMemory: false, skipCheck: true });
  const s = outcome.results.stats;
  const done = s.ok + s.fail + s.info;
  const lat = latencies(outcome.runDir);
  const mainSeconds = seconds; // final reads are a few ms; the main phase dominates
  console.log(`${label.padEnd(28)} ${(done / mainSeconds).toFixed(0).padStart(7)} ops/s recorded  (${done} ops, ${s.info} info)  latency µs p50 ${percentile(lat, 50).toFixed(0)} p99 ${percentile(lat, 99).toFixed(0)}`);
}

async function bareHttpLoop(port: number) {
  const client = new HttpKvClient(port);
  const lat: number[] = [];
  let done = 0;
  const until = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const k = `k${n++ % 16}`;
      if (n % 2) await client.read(k, { timeoutMs: 5000 });
      else await client.write(k, n, { timeoutMs: 5000 });
      lat.push((performance.now() - t0) * 1000);
      done++;
    }
  }));
  lat.sort((a, b) => a - b);
  console.log(`${'http, bare loop (no harness)'.padEnd(28)} ${(done / seconds).toFixed(0).padStart(7)} ops/s              (${done} ops)          latency µs p50 ${percentile(lat, 50).toFixed(0)} p99 ${percentile(lat, 99).toFixed(0)}`);
}

console.log(`harness bench: ${seconds}s per case, concurrency ${concurrency}, rate unlimited, node ${process.version}`);
const kv = new MemoryKv();
await harness('direct in-process client', () => new (class {
  read = async (k: string) => kv.read('n1', k);
  write = async (k: string, v: never) => kv.write(k, v);
  cas = async (k: string, f: never, t: never) => { if (!kv.cas(k, f, t)) throw new ClientError('cas mismatch', true); };
  close = async () => undefined;
})() as unknown as KvClient);
const { port, server } = await startHttpKv();
await bareHttpLoop(port);
await harness('http loopback via harness', () => new HttpKvClient(port));
server.close();
process.exit(0);
