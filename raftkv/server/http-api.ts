import http from 'node:http';
import type { Bugs } from '../bugs.js';
import type { Json, Message, NodeId, Outcome, WriteCommand } from '../core/types.js';
import type { RaftDriver } from './raft-driver.js';
import type { ClientOp, RequestRouter } from './request-router.js';

const MAX_BODY = 16 * 1024 * 1024;

class BadRequest extends Error {}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

function readBody(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new BadRequest('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new BadRequest('body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

/** The HTTP status and JSON body for an outcome (the API contract in the raftkv issue). */
export function outcomeResponse(op: ClientOp, o: Outcome): { status: number; body: unknown } {
  switch (o.kind) {
    case 'ok':
      if (op.kind === 'read') return { status: 200, body: { value: o.value ?? null } };
      if (op.cmd.type === 'append') return { status: 200, body: { ok: true, value: o.value ?? null } };
      return { status: 200, body: { ok: true } };
    case 'cas-mismatch':
      return { status: 409, body: { error: 'cas-mismatch', definite: true, current: o.current } };
    case 'not-a-string':
      return { status: 409, body: { error: 'not-a-string', definite: true, current: o.current } };
    case 'not-leader':
      return { status: 503, body: { error: 'not-leader', definite: true, leader: o.leader } };
    case 'unknown':
      return { status: 504, body: { error: 'timeout', definite: false, reason: o.reason } };
  }
}

function session(b: Record<string, unknown>): { client?: string; seq?: number } {
  if (b.client === undefined && b.seq === undefined) return {};
  if (typeof b.client !== 'string' || !Number.isInteger(b.seq)) throw new BadRequest('"client" must be a string and "seq" an integer, together');
  return { client: b.client, seq: b.seq as number };
}

/** Turns a client HTTP request into a ClientOp, or throws BadRequest. */
export function parseClientRequest(method: string, path: string, body: unknown): ClientOp | 'status' {
  if (method === 'GET' && path === '/status') return 'status';
  const m = /^\/kv\/([^/]+)(\/cas|\/append)?$/.exec(path);
  if (!m) throw new BadRequest(`no route for ${method} ${path}`);
  const key = decodeURIComponent(m[1]);
  if (method === 'GET' && !m[2]) return { kind: 'read', key };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('body must be a JSON object');
  const b = body as Record<string, unknown>;
  let cmd: WriteCommand;
  if (method === 'PUT' && !m[2]) {
    if (!('value' in b)) throw new BadRequest('PUT needs {"value": ...}');
    cmd = { type: 'put', key, value: b.value as Json, ...session(b) };
  } else if (method === 'POST' && m[2] === '/cas') {
    if (!('from' in b) || !('to' in b)) throw new BadRequest('cas needs {"from": ..., "to": ...}');
    cmd = { type: 'cas', key, from: b.from as Json, to: b.to as Json, ...session(b) };
  } else if (method === 'POST' && m[2] === '/append') {
    if (typeof b.value !== 'string') throw new BadRequest('append needs {"value": <string>}');
    cmd = { type: 'append', key, value: b.value, ...session(b) };
  } else {
    throw new BadRequest(`no route for ${method} ${path}`);
  }
  return { kind: 'write', cmd };
}

export interface ApiDeps {
  id: NodeId;
  driver: RaftDriver;
  router: RequestRouter;
  bugs: Bugs;
  requestTimeoutMs: number;
}

/** Client API: GET/PUT /kv/:key, POST /kv/:key/cas, POST /kv/:key/append, GET /status. */
export function clientApi(d: ApiDeps): http.RequestListener {
  return (req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://x');
        const body = req.method === 'GET' ? undefined : await readBody(req);
        const op = parseClientRequest(req.method ?? 'GET', url.pathname, body);
        if (op === 'status') {
          const r = d.driver.raft;
          const role = r.role === 'precandidate' ? 'candidate' : r.role;
          return send(res, 200, {
            id: d.id, role, term: r.currentTerm, leader: r.leader, commitIndex: r.commitIndex,
            lastApplied: r.lastApplied, lastIndex: r.log.lastIndex, lastTerm: r.log.lastTerm, bugs: d.bugs.list(),
          });
        }
        const outcome = await d.router.execute(op, d.requestTimeoutMs, true);
        const { status, body: out } = outcomeResponse(op, outcome);
        send(res, status, out);
      } catch (e) {
        if (e instanceof BadRequest) send(res, 400, { error: 'bad-request', definite: true, message: e.message });
        else send(res, 500, { error: 'internal', definite: false, message: (e as Error).message });
      }
    })();
  };
}

/** Peer API: POST /raft (a batch of Raft messages), POST /forward (a client op from a follower proxy). */
export function peerApi(d: ApiDeps): http.RequestListener {
  return (req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        if (req.method === 'POST' && req.url === '/raft') {
          res.writeHead(204).end();
          d.driver.receive(body as Message[]);
          return;
        }
        if (req.method === 'POST' && req.url === '/forward') {
          const { op, timeoutMs } = body as { op: ClientOp; timeoutMs: number };
          const outcome = await d.router.execute(op, Math.min(timeoutMs, d.requestTimeoutMs), false);
          return send(res, 200, outcome);
        }
        send(res, 404, { error: 'not-found' });
      } catch (e) {
        send(res, 400, { error: 'bad-request', message: (e as Error).message });
      }
    })();
  };
}
