import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RaftkvClient } from './client.js';
import { freePorts } from './server/local-cluster.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A fake raftkv node whose answer the test chooses; records request bodies. */
async function fake(handler: http.RequestListener): Promise<RaftkvClient> {
  server = http.createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return new RaftkvClient({ node: 'n1', host: '127.0.0.1', port: (server.address() as AddressInfo).port });
}
const reply = (status: number, body: unknown): http.RequestListener => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const opts = { timeoutMs: 500 };

describe('RaftkvClient error classification', () => {
  it('409 cas-mismatch is definite', async () => {
    const c = await fake(reply(409, { error: 'cas-mismatch', definite: true, current: 3 }));
    await expect(c.cas('k', 1, 2, opts)).rejects.toMatchObject({ definite: true, code: 'cas-mismatch' });
  });
  it('503 not-leader is definite', async () => {
    const c = await fake(reply(503, { error: 'not-leader', definite: true, leader: null }));
    await expect(c.write('k', 1, opts)).rejects.toMatchObject({ definite: true, code: 'not-leader' });
  });
  it('504 timeout is indefinite', async () => {
    const c = await fake(reply(504, { error: 'timeout', definite: false }));
    await expect(c.write('k', 1, opts)).rejects.toMatchObject({ definite: false, code: 'timeout' });
  });
  it('a per-call timeout is indefinite', async () => {
    const c = await fake(() => undefined); // never answers
    await expect(c.write('k', 1, { timeoutMs: 100 })).rejects.toMatchObject({ definite: false, code: 'timeout' });
  });
  it('a connection reset after the request was sent is indefinite', async () => {
    const c = await fake((req) => req.on('data', () => req.socket.destroy()));
    await expect(c.write('k', 1, opts)).rejects.toMatchObject({ definite: false });
  });
  it('a refused connection is definite', async () => {
    const [port] = await freePorts(1);
    const c = new RaftkvClient({ node: 'n1', host: '127.0.0.1', port });
    await expect(c.write('k', 1, opts)).rejects.toMatchObject({ definite: true, code: 'ECONNREFUSED' });
  });
  it('sends a session with increasing seq on writes, none on reads', async () => {
    const bodies: unknown[] = [];
    const c = await fake((req, res) => {
      let s = '';
      req.on('data', (d) => (s += d));
      req.on('end', () => {
        bodies.push(s ? JSON.parse(s) : null);
        res.writeHead(200).end(JSON.stringify(req.method === 'GET' ? { value: 'v' } : { ok: true, value: 'ab' }));
      });
    });
    await c.write('k', 1, opts);
    expect(await c.read('k', opts)).toBe('v');
    await c.cas('k', 1, 2, opts);
    await c.append('k', 'b', opts);
    expect(bodies).toEqual([
      { value: 1, client: c.clientId, seq: 1 },
      null,
      { from: 1, to: 2, client: c.clientId, seq: 2 },
      { value: 'b', client: c.clientId, seq: 3 },
    ]);
  });
});
