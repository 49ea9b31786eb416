/**
 * A client over raftkv's HTTP/JSON API, on Faultline's HTTP client. One endpoint per client, no retries of
 * its own: every outcome maps to ok, a definite ClientError (fail) or an indefinite one (info). Writes
 * carry a session (client id + increasing seq), so the server's own retries apply them once.
 */
import { randomUUID } from 'node:crypto';
import { ClientError, HttpClient, type CallOptions, type Endpoint, type HttpResponse, type KvClient, type RegisterValue } from '../src/index.js';

type Body = Record<string, unknown>;

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

const classifyStatus = (response: HttpResponse): ClientError => {
  const body = response.json && typeof response.json === 'object' ? (response.json as Body) : { message: response.text.slice(0, 200) };
  return classifyResponse(response.status, body);
};

export interface RaftkvStatus {
  id: string;
  role: 'leader' | 'follower' | 'candidate';
  term: number;
  leader: string | null;
  commitIndex: number;
  lastApplied: number;
  bugs: string[];
}

export class RaftkvClient implements KvClient {
  readonly clientId = `fl-${randomUUID()}`;
  private seq = 0;
  private readonly http: HttpClient;

  constructor(readonly endpoint: Endpoint) {
    this.http = new HttpClient(endpoint, { name: 'raftkv', classifyStatus });
  }

  private async call(method: 'GET' | 'PUT' | 'POST', path: string, body: Body | undefined, timeoutMs: number): Promise<Body> {
    return ((await this.http.json(method, path, { timeoutMs, body })) ?? {}) as Body;
  }

  private path(key: string, suffix = ''): string {
    return `/kv/${encodeURIComponent(key)}${suffix}`;
  }

  private session(): { client: string; seq: number } {
    return { client: this.clientId, seq: ++this.seq };
  }

  async read(key: string, opts: CallOptions): Promise<RegisterValue> {
    const body = await this.call('GET', this.path(key), undefined, opts.timeoutMs);
    return (body.value ?? null) as RegisterValue;
  }

  async write(key: string, value: RegisterValue, opts: CallOptions): Promise<void> {
    await this.call('PUT', this.path(key), { value, ...this.session() }, opts.timeoutMs);
  }

  async cas(key: string, from: RegisterValue, to: RegisterValue, opts: CallOptions): Promise<void> {
    await this.call('POST', this.path(key, '/cas'), { from, to, ...this.session() }, opts.timeoutMs);
  }

  /** Appends and resolves with the new value (the API returns it). */
  async append(key: string, value: string, opts: CallOptions): Promise<string> {
    const body = await this.call('POST', this.path(key, '/append'), { value, ...this.session() }, opts.timeoutMs);
    return body.value as string;
  }

  /** GET /status of this node. */
  async status(opts: CallOptions): Promise<RaftkvStatus> {
    return (await this.call('GET', '/status', undefined, opts.timeoutMs)) as unknown as RaftkvStatus;
  }

  async close(): Promise<void> {
    // fetch's global dispatcher owns the connections; nothing per client to release.
  }
}
