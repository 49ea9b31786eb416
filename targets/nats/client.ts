/**
 * A KvClient over JetStream KV with the `nats` npm client: one connection to one server, no reconnects and
 * no retries of its own, so every outcome maps to ok / fail / info (see errors.ts).
 *
 * The KV operations are the ones the library's KV view sends, issued directly so each call gets its own
 * timeout and the errors keep their API codes: put = publish to `$KV.<bucket>.<key>`; cas = read the entry
 * (value and revision), then publish with `Nats-Expected-Last-Subject-Sequence: <revision>` (kv.update);
 * a read is DIRECT.GET (read=direct, any replica) or STREAM.MSG.GET (read=leader) of the subject's last
 * message. Values are stored as JSON. `append` (the set workload) is a cas loop: read, publish the longer
 * string on the read's revision, and on "wrong last sequence" (definitely not stored) read again.
 */
import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection, type StoredMsg } from 'nats';

/** The manager's DIRECT.GET API: present on the implementation, missing from the published type. */
type DirectGet = { direct: { getMessage(stream: string, query: { last_by_subj: string }): Promise<StoredMsg> } };
import { ClientError, withTimeout, type CallOptions, type Endpoint, type KvClient, type RegisterValue } from '../../src/index.js';
import { classifyNatsError, NO_MESSAGE_FOUND, timeoutError, type OpKind } from './errors.js';
import { BUCKET, STREAM, type ReadPath } from './options.js';

export interface NatsClientOptions {
  read: ReadPath;
  /** Connection attempt budget; a refused or timed-out connect is definite (nothing was sent). */
  connectTimeoutMs?: number;
}

interface Session {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager & DirectGet;
}

/** A KV entry as a read sees it: the decoded value and the revision (stream sequence) that wrote it. */
export interface KvEntry {
  value: RegisterValue | string;
  revision: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function subjectFor(key: string): string {
  return `$KV.${BUCKET}.${key}`;
}

export function encodeValue(value: RegisterValue | string): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** A stored message -> entry; a delete/purge marker (never written by Faultline) reads as null. */
export function decodeEntry(msg: Pick<StoredMsg, 'seq' | 'data' | 'header'>): KvEntry {
  const op = msg.header?.get('KV-Operation');
  if (op === 'DEL' || op === 'PURGE') return { value: null, revision: msg.seq };
  const text = decoder.decode(msg.data);
  try {
    return { value: JSON.parse(text) as RegisterValue, revision: msg.seq };
  } catch {
    throw new ClientError(`nats: the value under revision ${msg.seq} is not JSON: ${text.slice(0, 60)}`, true, 'bad-value');
  }
}

/** Whether a get error means "this key has no value" (and not, say, "this server has no such stream"). */
export function isNoMessage(err: unknown, read: ReadPath): boolean {
  const e = err as { code?: string; api_error?: { err_code?: number } };
  if (read === 'leader') return e.api_error?.err_code === NO_MESSAGE_FOUND;
  // DIRECT.GET answers a missing subject with a bare 404 status and no API error.
  return e.code === '404' && e.api_error === undefined;
}

export class NatsKvClient implements KvClient {
  private session?: Promise<Session>;
  private closed = false;

  constructor(
    readonly endpoint: Endpoint,
    private readonly options: NatsClientOptions,
  ) {}

  async read(key: string, opts: CallOptions): Promise<RegisterValue> {
    const entry = await this.call('read', opts, (s) => this.get(s, key));
    return entry === null ? null : (entry.value as RegisterValue);
  }

  async write(key: string, value: RegisterValue, opts: CallOptions): Promise<void> {
    await this.call('write', opts, (s, timeout) => this.publish(s, key, value, undefined, timeout));
  }

  async cas(key: string, from: RegisterValue, to: RegisterValue, opts: CallOptions): Promise<void> {
    const deadline = Date.now() + opts.timeoutMs;
    const current = await this.call('read', opts, (s) => this.get(s, key));
    const found = current === null ? null : current.value;
    if (JSON.stringify(found) !== JSON.stringify(from)) {
      throw new ClientError(`cas mismatch: expected ${JSON.stringify(from)}, found ${JSON.stringify(found)}`, true, 'cas-mismatch');
    }
    // Stored only if the key's last revision is still the one read (0: still absent); a stale read fails here.
    const left = { timeoutMs: Math.max(1, deadline - Date.now()) };
    await this.call('write', left, (s, timeout) => this.publish(s, key, to, current?.revision ?? 0, timeout));
  }

  async append(key: string, suffix: string, opts: CallOptions): Promise<void> {
    const deadline = Date.now() + opts.timeoutMs;
    let attempts = 0;
    for (;;) {
      attempts++;
      const left = () => ({ timeoutMs: Math.max(1, deadline - Date.now()) });
      const current = await this.call('read', left(), (s) => this.get(s, key));
      const before = current === null ? '' : String(current.value ?? '');
      try {
        // Revision 0 on an absent key: stored only if the subject still has no message (kv.create).
        await this.call('write', left(), (s, timeout) => this.publish(s, key, before + suffix, current?.revision ?? 0, timeout));
        return;
      } catch (err) {
        const lostRace = err instanceof ClientError && err.code === 'cas-mismatch';
        if (!lostRace) throw err;
        if (Date.now() >= deadline) {
          throw new ClientError(`append: the key changed under each of ${attempts} attempts`, true, 'append-contended');
        }
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const session = await this.session?.catch(() => undefined);
    this.session = undefined;
    await session?.nc.close();
  }

  /** The entry stored under `key`, or null when the key has none. */
  private async get(s: Session, key: string): Promise<KvEntry | null> {
    const query = { last_by_subj: subjectFor(key) };
    try {
      const msg = this.options.read === 'direct' ? await s.jsm.direct.getMessage(STREAM, query) : await s.jsm.streams.getMessage(STREAM, query);
      return decodeEntry(msg);
    } catch (err) {
      if (isNoMessage(err, this.options.read)) return null;
      throw err;
    }
  }

  private async publish(s: Session, key: string, value: RegisterValue | string, expectedRevision: number | undefined, timeoutMs: number): Promise<number> {
    const ack = await s.js.publish(subjectFor(key), encodeValue(value), {
      timeout: timeoutMs,
      ...(expectedRevision !== undefined ? { expect: { lastSubjectSequence: expectedRevision } } : {}),
    });
    return ack.seq;
  }

  /**
   * Runs `fn` on an open session within `opts.timeoutMs`, classifying any failure. A failure to connect is
   * definite for every kind of op: no request was sent.
   */
  private async call<T>(kind: OpKind, opts: CallOptions, fn: (s: Session, timeoutMs: number) => Promise<T>): Promise<T> {
    const started = Date.now();
    let session: Session;
    try {
      session = await this.open(opts.timeoutMs);
    } catch (err) {
      throw connectError(err);
    }
    const timeoutMs = Math.max(1, opts.timeoutMs - (Date.now() - started));
    try {
      // The library's own request timeout fires first; this guard only catches a call that never settles.
      return await withTimeout(fn(session, timeoutMs), timeoutMs + 50, `nats ${kind}`, () => timeoutError(kind, opts.timeoutMs));
    } catch (err) {
      throw classifyNatsError(err, kind);
    }
  }

  private async open(timeoutMs: number): Promise<Session> {
    if (this.closed) throw new ClientError('nats: client closed', true, 'closed');
    const existing = await this.session?.catch(() => undefined);
    if (existing && !existing.nc.isClosed()) return existing;
    this.session = (async () => {
      const nc = await connect({
        servers: `${this.endpoint.host}:${this.endpoint.port}`,
        name: `faultline-${this.endpoint.node}`,
        timeout: Math.min(timeoutMs, this.options.connectTimeoutMs ?? 2_000),
        // One server per client, as the history records it: never follow the cluster's other URLs
        // (their hostnames only resolve inside the cluster network) and never reconnect behind our back.
        reconnect: false,
        ignoreClusterUpdates: true,
        noRandomize: true,
      });
      return { nc, js: nc.jetstream({ timeout: timeoutMs }), jsm: (await nc.jetstreamManager({ timeout: timeoutMs, checkAPI: false })) as JetStreamManager & DirectGet };
    })();
    return this.session;
  }
}

function connectError(err: unknown): ClientError {
  if (err instanceof ClientError) return err;
  const e = err as { code?: string; message?: string };
  return new ClientError(`nats: cannot connect: ${e.code ?? e.message ?? String(err)}`, true, 'connect');
}
