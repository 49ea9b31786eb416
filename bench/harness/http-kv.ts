/**
 * A trivial KV over HTTP on loopback, for measuring the harness's own ceiling with a real network hop:
 * GET /k/<key> -> value, PUT /k/<key> body=value, POST /cas/<key> {from,to} (409 on mismatch).
 */
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientError, type CallOptions as ClientCallOptions, type KvClient, type RegisterValue } from '../../src/index.js';
import { MemoryKv } from '../../test/pipeline/fakes/memory-kv.js';

export async function startHttpKv(kv = new MemoryKv()): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [, kind, key] = (req.url ?? '').split('/');
      const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString()) as unknown) : undefined;
      if (kind === 'k' && req.method === 'GET') return res.end(JSON.stringify(kv.read('n1', key)));
      if (kind === 'k' && req.method === 'PUT') {
        kv.write(key, body as RegisterValue);
        return res.end('null');
      }
      if (kind === 'cas') {
        const { from, to } = body as { from: RegisterValue; to: RegisterValue };
        if (kv.cas(key, from, to)) return res.end('null');
        res.statusCode = 409;
        return res.end('null');
      }
      res.statusCode = 404;
      res.end('null');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, server };
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export class HttpKvClient implements KvClient {
  constructor(private readonly port: number) {}

  private call(method: string, path: string, body: unknown, opts: ClientCallOptions): Promise<{ status: number; value: unknown }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request({ host: '127.0.0.1', port: this.port, method, path, agent, timeout: opts.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, value: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
      });
      req.on('timeout', () => req.destroy(new ClientError('timeout', false, 'ETIMEDOUT')));
      req.on('error', (e) => reject(e instanceof ClientError ? e : new ClientError(e.message, false)));
      req.end(payload);
    });
  }

  async read(key: string, opts: ClientCallOptions) {
    return (await this.call('GET', `/k/${key}`, undefined, opts)).value as RegisterValue;
  }
  async write(key: string, value: RegisterValue, opts: ClientCallOptions) {
    await this.call('PUT', `/k/${key}`, value, opts);
  }
  async cas(key: string, from: RegisterValue, to: RegisterValue, opts: ClientCallOptions) {
    const r = await this.call('POST', `/cas/${key}`, { from, to }, opts);
    if (r.status === 409) throw new ClientError('cas mismatch', true, 'cas-mismatch');
  }
  async close() {}
}
