/**
 * A KvClient over raftkv's HTTP/JSON API (Node's fetch + AbortController). One endpoint per client, no
 * retries of its own: every outcome maps to ok, a definite ClientError (fail) or an indefinite one (info).
 * Writes carry a session (client id + increasing seq), so the server's own retries apply them once.
 */
import { randomUUID } from 'node:crypto';
import { ClientError, type ClientCallOptions, type Endpoint, type KvClient, type RegisterValue } from '../src/targets/target.js';

type Body = Record<string, unknown>;

/** Error codes whose request certainly did not reach a server (safe to call definite). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Maps a non-2xx raftkv response to a ClientError with the API's definite flag. */
export function classifyResponse(status: number, body: Body): ClientError {
  const code = typeof body.error === 'string' ? body.error : `http-${status}`;
  const leader = typeof body.leader === 'string' ? ` (leader ${body.leader})` : '';
  switch (code) {
    case 'cas-mismatch':
      return new ClientError(`cas mismatch: current value ${JSON.stringify(body.current)}`, true, code);
    case 'not-leader':
      return new ClientError(`node knows no reachable leader${leader}`, true, code);
    case 'timeout':
      return new ClientError('server timed out; the operation may have applied', false, code);
    case 'bad-request':
    case 'not-a-string':
      return new ClientError(`${code}: ${String(body.message ?? JSON.stringify(body.current))}`, true, code);
    default:
      // Unknown failures are indeterminate unless the server said otherwise.
      return new ClientError(`HTTP ${status}: ${JSON.stringify(body).slice(0, 200)}`, body.definite === true, code);
  }
}

/** Maps a fetch failure: refused connection = definite; timeout or reset after sending = indefinite. */
export function classifyFetchError(err: unknown, timedOut: boolean): ClientError {
  if (err instanceof ClientError) return err;
  if (timedOut) return new ClientError('request timed out', false, 'timeout');
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  if (code && NOT_SENT_CODES.has(code)) return new ClientError(`connection failed: ${code}`, true, code);
  return new ClientError(`connection lost: ${code ?? cause?.message ?? (err as Error).message}`, false, code ?? 'connection-lost');
}

export class RaftkvClient implements KvClient {
  readonly clientId = `fl-${randomUUID()}`;
  private seq = 0;

  constructor(readonly endpoint: Endpoint) {}

  private async call(method: 'GET' | 'PUT' | 'POST', path: string, body: Body | undefined, timeoutMs: number): Promise<Body> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const res = await fetch(`http://${this.endpoint.host}:${this.endpoint.port}${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : undefined,
        body: body ? JSON.stringify(body) : undefined,
        signal: controller.signal,
      });
      const text = await res.text();
      let parsed: Body;
      try {
        parsed = text ? (JSON.parse(text) as Body) : {};
      } catch {
        throw new ClientError(`raftkv sent a body that is not JSON: ${text.slice(0, 100)}`, false, 'bad-response');
      }
      if (!res.ok) throw classifyResponse(res.status, parsed);
      return parsed;
    } catch (err) {
      throw classifyFetchError(err, timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  private path(key: string, suffix = ''): string {
    return `/kv/${encodeURIComponent(key)}${suffix}`;
  }

  private session(): { client: string; seq: number } {
    return { client: this.clientId, seq: ++this.seq };
  }

  async read(key: string, opts: ClientCallOptions): Promise<RegisterValue> {
    const body = await this.call('GET', this.path(key), undefined, opts.timeoutMs);
    return (body.value ?? null) as RegisterValue;
  }

  async write(key: string, value: RegisterValue, opts: ClientCallOptions): Promise<void> {
    await this.call('PUT', this.path(key), { value, ...this.session() }, opts.timeoutMs);
  }

  async cas(key: string, from: RegisterValue, to: RegisterValue, opts: ClientCallOptions): Promise<void> {
    await this.call('POST', this.path(key, '/cas'), { from, to, ...this.session() }, opts.timeoutMs);
  }

  async append(key: string, value: string, opts: ClientCallOptions): Promise<void> {
    await this.call('POST', this.path(key, '/append'), { value, ...this.session() }, opts.timeoutMs);
  }

  /** Append returning the new value (the API gives it; KvClient's append does not need it). */
  async appendReturning(key: string, value: string, opts: ClientCallOptions): Promise<string> {
    const body = await this.call('POST', this.path(key, '/append'), { value, ...this.session() }, opts.timeoutMs);
    return body.value as string;
  }

  /** GET /status of this node. */
  async status(opts: ClientCallOptions): Promise<{ id: string; role: string; term: number; leader: string | null; commitIndex: number; lastApplied: number; bugs: string[] }> {
    return (await this.call('GET', '/status', undefined, opts.timeoutMs)) as never;
  }

  async close(): Promise<void> {
    // fetch's global dispatcher owns the connections; nothing per client to release.
  }
}
