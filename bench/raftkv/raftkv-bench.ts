/**
 * raftkv benchmarks: 5 real servers in this process on loopback, fsync on, no Docker.
 *   npx tsx bench/raftkv/raftkv-bench.ts [--seconds 10] [--clients 32] [--failovers 20]
 * Prints time to first leader, failover time (median of N leader kills) and acknowledged writes/s, the
 * latter both with the 5 nodes in this process and as 5 separate processes (fairer next to etcd).
 */
import { performance } from 'node:perf_hooks';
import { RaftkvClient } from '../../raftkv/client.js';
import { LocalCluster } from '../../raftkv/server/local-cluster.js';
import { ProcessCluster } from './process-cluster.js';
import { runWriteLoad } from './write-load.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function firstLeader(): Promise<number> {
  const t0 = performance.now();
  const c = await LocalCluster.start({ nodes: 5 });
  try {
    await c.waitForLeader(20_000);
    return performance.now() - t0;
  } finally {
    await c.destroy();
  }
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const clients = arg('clients', 32);
  const failovers = arg('failovers', 20);

  const firsts: number[] = [];
  for (let i = 0; i < 5; i++) firsts.push(await firstLeader());
  console.log(`time to first leader (5 nodes, election 300-600 ms): median ${fmt(median(firsts))} [${firsts.map(fmt).join(', ')}]`);

  const c = await LocalCluster.start({ nodes: 5 });
  try {
    let leader = await c.waitForLeader();
    const times: number[] = [];
    for (let i = 0; i < failovers; i++) {
      // Keep some traffic so the new leader has a real log to take over.
      await new RaftkvClient({ node: leader, host: '127.0.0.1', port: c.clientPorts[c.ids.indexOf(leader)] }).write('k', i, { timeoutMs: 5000 });
      const t0 = performance.now();
      await c.stopNode(leader);
      const next = await c.waitForLeader(20_000);
      times.push(performance.now() - t0);
      await c.startNode(leader);
      leader = await c.waitForLeader(20_000);
      void next;
    }
    console.log(`failover after killing the leader: median ${fmt(median(times))} of ${failovers}, min ${fmt(Math.min(...times))}, max ${fmt(Math.max(...times))}`);

    leader = await c.waitForLeader();
    for (const target of ['leader', 'any'] as const) {
      const endpoints = target === 'leader' ? [leader] : c.ids;
      const r = await runWriteLoad(endpoints.map((id) => ({ node: id, host: '127.0.0.1', port: c.clientPorts[c.ids.indexOf(id)] })), clients, seconds * 1000, (e) => new RaftkvClient(e));
      console.log(
        `raftkv writes via ${target === 'leader' ? 'the leader' : 'all 5 nodes (proxy)'}: ${r.perSecond.toFixed(0)} acknowledged writes/s ` +
          `(${clients} clients, ${seconds}s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors})`,
      );
    }
  } finally {
    await c.destroy();
  }

  // The same load against 5 separate node processes (one event loop each, as in containers).
  const pc = await ProcessCluster.start(5);
  try {
    const leader = await pc.waitForLeader(10_000);
    for (const target of ['leader', 'any'] as const) {
      const ids = target === 'leader' ? [leader] : pc.ids;
      const endpoints = ids.map((id) => ({ node: id, host: '127.0.0.1', port: pc.clientPorts[pc.ids.indexOf(id)] }));
      const r = await runWriteLoad(endpoints, clients, seconds * 1000, (e) => new RaftkvClient(e));
      console.log(
        `raftkv (5 processes) writes via ${target === 'leader' ? 'the leader' : 'all 5 nodes (proxy)'}: ${r.perSecond.toFixed(0)} acknowledged writes/s ` +
          `(${clients} clients, ${seconds}s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors})`,
      );
    }
  } finally {
    await pc.destroy();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
