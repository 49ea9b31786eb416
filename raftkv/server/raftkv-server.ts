import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_RAFT_CONFIG, type Outcome } from '../core/types.js';
import type { ServerConfig } from './config.js';
import { clientApi, peerApi, type ApiDeps } from './http-api.js';
import { PeerTransport } from './peer-transport.js';
import { RaftDriver } from './raft-driver.js';
import { NotDeliveredError, RequestRouter, type ClientOp } from './request-router.js';
import { FileStorage } from './storage.js';

export interface RunningServer {
  id: string;
  clientPort: number;
  peerPort: number;
  driver: RaftDriver;
  /** Stops serving and closes files. Data buffered by the no-fsync knob is lost, as in a crash. */
  stop(): Promise<void>;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Starts one raftkv node: recovers from its data directory, then serves the client and peer ports. */
export async function startServer(cfg: ServerConfig, log: (line: string) => void = defaultLog(cfg.id)): Promise<RunningServer> {
  const { storage, restored } = await FileStorage.open(cfg.dataDir, {
    lazy: cfg.bugs.has('no-fsync'),
    lazyFlushMs: cfg.lazyFlushMs,
    log,
  });
  log(
    `starting: term=${restored.hardState.term} vote=${restored.hardState.votedFor ?? '-'} ` +
      `snapshot=${restored.snapshot?.meta.index ?? 0} log=${restored.entries.length} entries bugs=[${cfg.bugs.list().join(',')}]`,
  );
  const transport = new PeerTransport(cfg.peers, Math.max(cfg.electionMinMs, 500));
  const driver = new RaftDriver(
    {
      ...DEFAULT_RAFT_CONFIG,
      id: cfg.id,
      members: [...cfg.peers.keys()],
      electionMinMs: cfg.electionMinMs,
      electionMaxMs: cfg.electionMaxMs,
      heartbeatMs: cfg.heartbeatMs,
      leaseMs: cfg.leaseMs,
      readMode: cfg.readMode,
      snapshotEvery: cfg.snapshotEvery,
      maxBatch: cfg.maxBatch,
    },
    cfg.bugs,
    restored,
    storage,
    (m) => transport.send(m),
    log,
  );
  const forward = async (leader: string, op: ClientOp, timeoutMs: number): Promise<Outcome> => {
    try {
      const r = await transport.post(leader, '/forward', { op, timeoutMs }, timeoutMs + 200);
      if (r.status !== 200) throw new Error(`forward got HTTP ${r.status}`);
      return r.body as Outcome;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ECONNREFUSED') throw new NotDeliveredError('leader refused the connection');
      throw e;
    }
  };
  const router = new RequestRouter(cfg.id, driver, cfg.bugs, forward);
  const deps: ApiDeps = { id: cfg.id, driver, router, bugs: cfg.bugs, requestTimeoutMs: cfg.requestTimeoutMs };
  const client = http.createServer({ keepAlive: true }, clientApi(deps));
  const peer = http.createServer({ keepAlive: true }, peerApi(deps));
  const peerPort = await listen(peer, cfg.peerPort, cfg.bindHost);
  const clientPort = await listen(client, cfg.port, cfg.bindHost);
  driver.start();
  log(`serving clients on ${cfg.bindHost}:${clientPort}, peers on ${cfg.bindHost}:${peerPort}`);
  return {
    id: cfg.id,
    clientPort,
    peerPort,
    driver,
    async stop() {
      driver.stop();
      transport.close();
      client.closeAllConnections();
      peer.closeAllConnections();
      await Promise.all([new Promise((r) => client.close(r)), new Promise((r) => peer.close(r))]);
      await storage.close();
    },
  };
}

export function defaultLog(id: string): (line: string) => void {
  return (line) => process.stderr.write(`${new Date().toISOString()} ${id} ${line}\n`);
}
