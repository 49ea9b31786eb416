import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../../raftkv/server/local-cluster.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * raftkv nodes as separate OS processes (one event loop each, as in the containers), started from
 * dist/ when built, else from source through tsx. Stopped by PID.
 */
export class ProcessCluster {
  private constructor(readonly ids: string[], readonly clientPorts: number[], private procs: ChildProcess[], private dirs: string[]) {}

  static async start(n: number, env: Record<string, string> = {}): Promise<ProcessCluster> {
    const ports = await freePorts(n * 2);
    const ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
    const dirs = await Promise.all(ids.map(() => mkdtemp(join(tmpdir(), 'raftkv-proc-'))));
    const peers = ids.map((id, i) => `${id}=127.0.0.1:${ports[i]}`).join(',');
    const fromDist = process.env.RAFTKV_BENCH_FROM_DIST === '1';
    const args = fromDist ? [join(root, 'dist/raftkv/server/main.js')] : ['--import', 'tsx', join(root, 'raftkv/server/main.ts')];
    const procs = ids.map((id, i) =>
      spawn(process.execPath, args, {
        cwd: root,
        stdio: ['ignore', 'ignore', 'ignore'],
        env: {
          ...process.env, ...env, RAFTKV_ID: id, RAFTKV_PEERS: peers, RAFTKV_PORT: String(ports[n + i]),
          RAFTKV_BIND: '127.0.0.1', RAFTKV_DATA: dirs[i],
        },
      }),
    );
    const c = new ProcessCluster(ids, ports.slice(n), procs, dirs);
    await c.waitForLeader(30_000);
    return c;
  }

  async waitForLeader(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const st = await Promise.all(this.clientPorts.map(async (p) => (await fetch(`http://127.0.0.1:${p}/status`)).json() as Promise<{ role: string; id: string }>));
        const leader = st.find((s) => s.role === 'leader');
        if (leader) return leader.id;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no leader in time');
  }

  async destroy(): Promise<void> {
    for (const p of this.procs) p.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all(this.dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}
