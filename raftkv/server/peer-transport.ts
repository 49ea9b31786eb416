import http from 'node:http';
import type { Message, NodeId } from '../core/types.js';

const MAX_INFLIGHT_PER_PEER = 8;

/**
 * Raft messages between nodes: batched per peer, POSTed as JSON over keep-alive HTTP, fire-and-forget
 * (Raft tolerates loss, so a failed or slow request is dropped, never retried here). While too many
 * requests to a peer are outstanding (say it is partitioned away), new messages to it are dropped
 * rather than queued without bound.
 */
export class PeerTransport {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: MAX_INFLIGHT_PER_PEER });
  private queues = new Map<NodeId, Message[]>();
  private inflight = new Map<NodeId, number>();
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly peers: Map<NodeId, { host: string; port: number }>,
    private readonly timeoutMs: number,
  ) {}

  send(m: Message): void {
    if (this.closed) return;
    let q = this.queues.get(m.to);
    if (!q) this.queues.set(m.to, (q = []));
    q.push(m);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const [to, msgs] of this.queues) {
      if (msgs.length === 0) continue;
      this.queues.set(to, []);
      const n = this.inflight.get(to) ?? 0;
      if (n >= MAX_INFLIGHT_PER_PEER) continue;
      this.inflight.set(to, n + 1);
      this.post(to, '/raft', msgs).catch(() => undefined).finally(() => this.inflight.set(to, (this.inflight.get(to) ?? 1) - 1));
    }
  }

  /** POSTs JSON to a peer's peer port; resolves with the status and parsed body. */
  post(to: NodeId, path: string, body: unknown, timeoutMs = this.timeoutMs): Promise<{ status: number; body: unknown }> {
    const addr = this.peers.get(to);
    if (!addr) return Promise.reject(new Error(`unknown peer ${to}`));
    const data = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: addr.host, port: addr.port, path, method: 'POST', agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': data.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
            } catch (e) {
              reject(e);
            }
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('peer request timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(data);
    });
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }
}
