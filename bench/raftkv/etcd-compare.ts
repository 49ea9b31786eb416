/**
 * The same write load against 5 local etcd processes (for the "at least half of etcd" target):
 *   RAFTKV_BENCH_ETCD=/path/to/etcd npx tsx bench/raftkv/etcd-compare.ts [--seconds 10] [--clients 32]
 * etcd comes from Debian's etcd-server package (see docker/); the processes are stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtcdKvClient } from '../../targets/etcd/client.js';
import { freePorts } from '../../raftkv/server/local-cluster.js';
import { runWriteLoad } from './write-load.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

async function main(): Promise<void> {
  const bin = process.env.RAFTKV_BENCH_ETCD ?? 'etcd';
  const seconds = arg('seconds', 10);
  const clients = arg('clients', 32);
  const n = 5;
  const ports = await freePorts(n * 2);
  const dirs = await Promise.all(Array.from({ length: n }, () => mkdtemp(join(tmpdir(), 'etcd-bench-'))));
  const names = Array.from({ length: n }, (_, i) => `e${i + 1}`);
  const cluster = names.map((nm, i) => `${nm}=http://127.0.0.1:${ports[n + i]}`).join(',');
  const procs: ChildProcess[] = names.map((nm, i) =>
    spawn(bin, [
      '--name', nm, '--data-dir', dirs[i],
      '--listen-client-urls', `http://127.0.0.1:${ports[i]}`, '--advertise-client-urls', `http://127.0.0.1:${ports[i]}`,
      '--listen-peer-urls', `http://127.0.0.1:${ports[n + i]}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${ports[n + i]}`,
      '--initial-cluster', cluster, '--initial-cluster-state', 'new', '--initial-cluster-token', 'bench',
      '--logger', 'zap', '--log-outputs', 'stderr', '--log-level', 'error',
    ], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  try {
    const endpoints = names.map((nm, i) => ({ node: nm, host: '127.0.0.1', port: ports[i] }));
    // Wait until a write succeeds.
    const probe = new EtcdKvClient(endpoints[0]);
    for (let i = 0; ; i++) {
      try {
        await probe.write('probe', 1, { timeoutMs: 1000 });
        break;
      } catch (e) {
        if (i > 100) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const r = await runWriteLoad(endpoints, clients, seconds * 1000, (e) => new EtcdKvClient(e));
    console.log(
      `etcd writes via all 5 nodes: ${r.perSecond.toFixed(0)} acknowledged writes/s ` +
        `(${clients} clients, ${seconds}s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors})`,
    );
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
