import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from './config.js';
import { startServer, type RunningServer } from './raftkv-server.js';

/** Free loopback ports, found by binding port 0 (for tests and benchmarks only). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export interface LocalClusterOptions {
  nodes: number;
  /** Extra RAFTKV_* settings for every node. */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

/**
 * N real raftkv servers in this process on loopback ports, each with its own temp data directory, that
 * can be stopped ("killed") and restarted on the same directory and ports.
 */
export class LocalCluster {
  readonly ids: string[];
  readonly servers = new Map<string, RunningServer>();
  private constructor(
    private readonly opts: LocalClusterOptions,
    private readonly peerPorts: number[],
    readonly clientPorts: number[],
    readonly dirs: string[],
  ) {
    this.ids = Array.from({ length: opts.nodes }, (_, i) => `n${i + 1}`);
  }

  static async start(opts: LocalClusterOptions): Promise<LocalCluster> {
    const ports = await freePorts(opts.nodes * 2);
    const dirs = await Promise.all(Array.from({ length: opts.nodes }, () => mkdtemp(join(tmpdir(), 'raftkv-'))));
    const c = new LocalCluster(opts, ports.slice(0, opts.nodes), ports.slice(opts.nodes), dirs);
    await Promise.all(c.ids.map((id) => c.startNode(id)));
    return c;
  }

  async startNode(id: string): Promise<RunningServer> {
    const i = this.ids.indexOf(id);
    const peers = this.ids.map((p, j) => `${p}=127.0.0.1:${this.peerPorts[j]}`).join(',');
    const cfg = parseConfig({
      RAFTKV_ELECTION_MS: '300-600',
      RAFTKV_HEARTBEAT_MS: '50',
      ...this.opts.env,
      RAFTKV_ID: id,
      RAFTKV_PEERS: peers,
      RAFTKV_PORT: String(this.clientPorts[i]),
      RAFTKV_BIND: '127.0.0.1',
      RAFTKV_DATA: this.dirs[i],
    });
    const s = await startServer(cfg, this.opts.log ?? (() => undefined));
    this.servers.set(id, s);
    return s;
  }

  async stopNode(id: string): Promise<void> {
    const s = this.servers.get(id);
    this.servers.delete(id);
    await s?.stop();
  }

  url(id: string, path: string): string {
    return `http://127.0.0.1:${this.clientPorts[this.ids.indexOf(id)]}${path}`;
  }

  /** The node every running node agrees leads, once there is one (polls /status-equivalent state). */
  async waitForLeader(timeoutMs = 10_000, except?: string): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const running = [...this.servers.values()];
      const leaders = running.filter((s) => s.driver.raft.role === 'leader' && s.id !== except);
      if (leaders.length === 1) {
        const l = leaders[0];
        const term = l.driver.raft.currentTerm;
        if (running.every((s) => s.driver.raft.leader === l.id && s.driver.raft.currentTerm === term)) return l.id;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('no leader elected in time');
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.servers.keys()].map((id) => this.stopNode(id)));
  }

  async destroy(): Promise<void> {
    await this.stopAll();
    await Promise.all(this.dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}
