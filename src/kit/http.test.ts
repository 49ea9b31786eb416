import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientError } from '../core/errors.js';
import { HttpClient, transportError } from './http.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function serve(handler: http.RequestListener): Promise<HttpClient> {
  server = http.createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return new HttpClient({ node: 'n1', host: '127.0.0.1', port: (server.address() as AddressInfo).port }, { name: 'db' });
}
const reply = (status: number, body: string): http.RequestListener => (_req, res) => res.writeHead(status).end(body);
const call = { timeoutMs: 500 };

describe('kit HttpClient', () => {
  it('sends JSON and returns the parsed answer; an empty 2xx body is null', async () => {
    const seen: string[] = [];
    const c = await serve((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers['content-type']} ${body}`);
        res.writeHead(200).end(req.method === 'DELETE' ? '' : '{"ok":true}');
      });
    });
    expect(await c.post('/kv/a', { v: 1 }, call)).toEqual({ ok: true });
    expect(await c.delete('/kv/a', call)).toBeNull();
    expect(seen[0]).toBe('POST /kv/a application/json {"v":1}');
  });

  it('4xx is definite, 408 and 5xx are indeterminate, a custom classification wins', async () => {
    let status = 409;
    const c = await serve((_req, res) => res.writeHead(status).end('no'));
    await expect(c.get('/', call)).rejects.toMatchObject({ definite: true, code: 'http-409' });
    status = 408;
    await expect(c.get('/', call)).rejects.toMatchObject({ definite: false, code: 'http-408' });
    status = 503;
    await expect(c.get('/', call)).rejects.toMatchObject({ definite: false, code: 'http-503' });
    const custom = new HttpClient(c.baseUrl, { classifyStatus: (r) => new ClientError(`mine ${r.status}`, true, 'mine') });
    await expect(custom.get('/', call)).rejects.toMatchObject({ definite: true, code: 'mine' });
    // request() resolves with any status
    expect((await c.request('GET', '/', call)).status).toBe(503);
  });

  it('follows an endpoint whose port changes (a restarted node is published on a new host port)', async () => {
    const first = await serve(reply(200, '"first"'));
    const firstServer = server!;
    const second = http.createServer(reply(200, '"second"'));
    await new Promise<void>((r) => second.listen(0, '127.0.0.1', r));
    let port = Number(new URL(first.baseUrl).port);
    const endpoint = {
      node: 'n1',
      host: '127.0.0.1',
      get port() {
        return port;
      },
    };
    const c = new HttpClient(endpoint);
    expect(await c.get('/', call)).toBe('first');
    port = (second.address() as AddressInfo).port;
    try {
      expect(await c.get('/', call)).toBe('second');
    } finally {
      second.closeAllConnections();
      await new Promise((r) => second.close(r));
      server = firstServer;
    }
  });

  it('a 2xx body that is not JSON is indeterminate', async () => {
    const c = await serve(reply(200, '<html>'));
    await expect(c.get('/', call)).rejects.toMatchObject({ definite: false, code: 'bad-response' });
  });

  it('our timeout is indeterminate', async () => {
    const c = await serve(() => undefined);
    await expect(c.get('/', { timeoutMs: 100 })).rejects.toMatchObject({ definite: false, code: 'timeout' });
  });

  it('a connection reset after sending is indeterminate', async () => {
    const c = await serve((req) => req.on('data', () => req.socket.destroy()));
    await expect(c.post('/', { a: 1 }, call)).rejects.toMatchObject({ definite: false });
  });

  it('a refused connection is definite', async () => {
    const c = await serve(reply(200, '{}'));
    const port = (server!.address() as AddressInfo).port;
    await new Promise((r) => server!.close(r));
    server = undefined;
    await expect(new HttpClient({ node: 'n1', host: '127.0.0.1', port }).get('/', call)).rejects.toMatchObject({ definite: true, code: 'ECONNREFUSED' });
    void c;
  });

  it('transportError: refused and DNS are definite; resets and aborts are not', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(transportError(refused, false).definite).toBe(true);
    const dns = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }) });
    expect(transportError(dns, false).definite).toBe(true);
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(transportError(reset, false).definite).toBe(false);
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(transportError(abort, true)).toMatchObject({ definite: false, code: 'timeout' });
  });
});
