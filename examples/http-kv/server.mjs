// http-kv: a small replicated key-value store over HTTP, with no dependencies, to show how Faultline tests
// a database of your own. One primary (PRIMARY) owns every write and cas and keeps them in an fsynced log
// file; replicas forward writes to it and receive its log through pushes every 100 ms. A write is
// acknowledged once every replica has it, or once the read lease the primary last gave an unreachable
// replica has run out (so a replica that serves reads from its copy never serves a stale one).
//
// READS chooses where a replica's reads come from:
//   primary (default) forwarded to the primary: linearizable under any fault;
//   lease             served locally while the replica's lease (primary time + 1 s) lasts by its own wall
//                     clock: correct while clocks agree, stale when a clock is skewed (clock faults);
//   local             served from the local copy whatever its age: the stale-read bug (partitions).
//
// The primary answers reads only with committed writes (those it may acknowledge), so a
// replica whose lease still runs never lags behind a value some client has already seen; and a replica
// reads a key locally only when its last write there is known committed (else through the primary).
//
// API: GET /kv/:key -> 200 {value} | 404; PUT /kv/:key {value}; POST /kv/:key/cas {from, to} -> 200 | 409
// {current}; GET /status -> {node, primary, version}. Errors: 503 {error} = not done (definite),
// 504 {error} = unknown (the primary may have applied it).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const NODE = process.env.NODE_NAME ?? 'n1';
const PRIMARY = process.env.PRIMARY ?? 'n1';
const PEERS = (process.env.PEERS ?? '').split(',').filter(Boolean); // host:port of every node
const PORT = Number(process.env.PORT ?? 8080);
const DATA = process.env.DATA_DIR ?? '/data';
const READS = process.env.READS ?? 'primary';
const LEASE_MS = 1000;
const PUSH_MS = 100;
const isPrimary = NODE === PRIMARY;
const primaryAddr = PEERS.find((p) => p.split(':')[0] === PRIMARY) ?? `${PRIMARY}:${PORT}`;
const replicas = PEERS.filter((p) => p.split(':')[0] !== PRIMARY);

if (!['primary', 'lease', 'local'].includes(READS)) throw new Error(`READS must be primary, lease or local, not ${READS}`);

/** key -> value; `log` holds every applied write in order, `version` is its length. */
const store = new Map();
let log = [];
let leaseUntil = 0; // replica: the primary's time (ms) until which local reads are allowed
let stableKnown = 0; // replica: the primary said every write up to here is committed
let lastPushMono = -Infinity; // replica: when the last push arrived, by the monotonic clock
const lastVersion = new Map(); // key -> version of the last write to it in the log

// Primary: replay the log file, then hold off writes for one lease, since leases given before a restart are unknown.
const logFile = join(DATA, 'log.jsonl');
const startedAt = Date.now();
if (isPrimary) {
  mkdirSync(DATA, { recursive: true });
  if (existsSync(logFile)) {
    for (const line of readFileSync(logFile, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line);
        store.set(entry.key, entry.value);
        log.push(entry);
      } catch {
        break; // a torn last line from a crash: it was never acknowledged
      }
    }
  }
}
const logFd = isPrimary ? openSync(logFile, 'a') : undefined;

function apply(entry) {
  store.set(entry.key, entry.value);
  lastVersion.set(entry.key, entry.version);
  log.push(entry);
  if (logFd !== undefined) {
    writeSync(logFd, JSON.stringify(entry) + '\n');
    fsyncSync(logFd);
  }
}

/** Per replica: highest version it confirmed, and the lease end it was last sent (primary clock). */
const acked = new Map(replicas.map((r) => [r, 0]));
const granted = new Map(replicas.map((r) => [r, 0]));
const waiters = [];
/** Every write up to this version may be acknowledged; the primary's reads see exactly those. */
let committed = log.length;
const committedStore = new Map(store);
function advanceCommitted(to) {
  for (; committed < to; committed++) committedStore.set(log[committed].key, log[committed].value);
}

async function post(addr, path, body, timeoutMs) {
  const res = await fetch(`http://${addr}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

async function pushTo(replica) {
  const from = acked.get(replica);
  const sentAt = Date.now();
  granted.set(replica, sentAt + LEASE_MS);
  try {
    const r = await post(replica, '/internal/push', { from, entries: log.slice(from), sentAt, committed }, 300);
    if (typeof r.body.version === 'number') acked.set(replica, r.body.version);
  } catch {
    // unreachable: its lease runs out on its own
  }
  settleWaiters();
}

function settleWaiters() {
  const now = Date.now();
  for (let i = waiters.length - 1; i >= 0; i--) {
    const w = waiters[i];
    if (w.pending.every((r) => acked.get(r) >= w.version || now > w.grantAtApply.get(r))) {
      waiters.splice(i, 1);
      advanceCommitted(w.version);
      w.resolve();
    }
  }
}

/** Resolves when a write at `version` can be acknowledged (see the top of the file). */
function replicated(version) {
  const grantAtApply = new Map(granted);
  return new Promise((resolve) => {
    waiters.push({ version, pending: replicas, grantAtApply, resolve });
    settleWaiters();
  });
}

if (isPrimary && replicas.length > 0) {
  const round = () => Promise.all(replicas.map(pushTo)).finally(() => setTimeout(round, PUSH_MS));
  round();
  setInterval(settleWaiters, 50);
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

/** Relays a request to the primary: refused = 503 (not done), no answer = 504 (unknown). */
async function forward(req, res, body) {
  // Cut off from the primary (no push for a while, by the monotonic clock): refuse at once rather than
  // hold the client for a timeout; nothing was sent, so the refusal is definite.
  if (performance.now() - lastPushMono > 500) return send(res, 503, { error: 'primary unreachable (no replication for 500 ms)' });
  try {
    const r = await fetch(`http://${primaryAddr}${req.url}`, {
      method: req.method,
      headers: { 'content-type': 'application/json' },
      body: req.method === 'GET' ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(1000),
    });
    send(res, r.status, await r.json().catch(() => ({})));
  } catch (err) {
    const refused = err?.cause?.code === 'ECONNREFUSED' || err?.cause?.code === 'ENOTFOUND' || err?.cause?.code === 'EAI_AGAIN';
    send(res, refused ? 503 : 504, { error: refused ? 'primary unreachable' : 'primary did not answer' });
  }
}

async function primaryHandle(req, res, key, action, body) {
  // Leases given before a restart are unknown: wait until any of them has run out.
  if (Date.now() < startedAt + LEASE_MS) return send(res, 503, { error: 'primary starting' });
  // Committed values only: a write still waiting for a cut-off replica's lease must not be seen here
  // while that replica may still serve the value before it.
  if (req.method === 'GET') return committedStore.has(key) ? send(res, 200, { value: committedStore.get(key) }) : send(res, 404, { error: 'not found' });
  if (req.method === 'PUT' && !action) {
    apply({ key, value: body.value, version: log.length + 1 });
    await replicated(log.length);
    return send(res, 200, { ok: true });
  }
  if (req.method === 'POST' && action === 'cas') {
    const current = store.has(key) ? store.get(key) : null;
    if (JSON.stringify(current) !== JSON.stringify(body.from ?? null)) return send(res, 409, { error: 'cas mismatch', current });
    apply({ key, value: body.to, version: log.length + 1 });
    await replicated(log.length);
    return send(res, 200, { ok: true });
  }
  send(res, 400, { error: 'bad request' });
}

createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://x');
    const body = req.method === 'GET' ? {} : await readBody(req);
    if (url.pathname === '/status') return send(res, 200, { node: NODE, primary: PRIMARY, version: log.length, reads: READS });
    if (url.pathname === '/internal/push' && !isPrimary) {
      lastPushMono = performance.now();
      if (body.from <= log.length) {
        for (const entry of body.entries.slice(log.length - body.from)) apply(entry);
        leaseUntil = body.sentAt + LEASE_MS;
        stableKnown = Math.max(stableKnown, body.committed);
      }
      return send(res, 200, { version: log.length });
    }
    const m = /^\/kv\/([^/]+)(?:\/(cas))?$/.exec(url.pathname);
    if (!m) return send(res, 404, { error: 'no such route' });
    const key = decodeURIComponent(m[1]);
    if (isPrimary) return await primaryHandle(req, res, key, m[2], body);
    // A key with a write not yet known committed is read through the primary: the write may be acknowledged
    // only once this replica has it (or its lease ran out), so serving the old value would be stale.
    const settled = (lastVersion.get(key) ?? 0) <= stableKnown;
    const local = req.method === 'GET' && (READS === 'local' || (READS === 'lease' && settled && Date.now() < leaseUntil));
    if (local) return store.has(key) ? send(res, 200, { value: store.get(key) }) : send(res, 404, { error: 'not found' });
    return await forward(req, res, body);
  } catch (err) {
    send(res, 500, { error: String(err?.message ?? err) });
  }
}).listen(PORT, () => console.log(`http-kv ${NODE} (${isPrimary ? 'primary' : `replica of ${PRIMARY}`}, reads: ${READS}) on :${PORT}`));

process.on('SIGTERM', () => {
  if (logFd !== undefined) closeSync(logFd);
  process.exit(0);
});
