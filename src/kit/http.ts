/**
 * The one HTTP client for targets (Node's fetch with a per-call timeout). Every failure becomes a
 * ClientError whose `definite` flag the history relies on: a request that certainly never reached the
 * server (connection refused, DNS) or was refused by it (a definite status) is definite; our timeout or a
 * connection lost after sending is indeterminate, since the server may have applied it.
 */
import { ClientError } from '../core/errors.js';
import type { Endpoint } from '../core/client.js';

/** Codes meaning the TCP connection was never established, so the request was never sent. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export interface HttpResponse {
  status: number;
  ok: boolean;
  text: string;
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  json: unknown;
}

export interface HttpCallOptions {
  timeoutMs: number;
  /** Sent as JSON (content-type application/json); a string is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpClientOptions {
  /** Names the server in error messages ("etcd", "raftkv"). Default "server". */
  name?: string;
  /** Maps a non-2xx answer to the error to throw. Default: `statusError`. */
  classifyStatus?(response: HttpResponse): ClientError;
}

function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A failure of fetch itself: our timeout or a reset after sending is indeterminate, a refused connection definite. */
export function transportError(err: unknown, timedOut: boolean, name = 'server'): ClientError {
  if (err instanceof ClientError) return err;
  const errName = (err as { name?: string } | null)?.name;
  if (timedOut || errName === 'AbortError' || errName === 'TimeoutError') return new ClientError(`${name} request timed out`, false, 'timeout');
  const code = causeCode(err);
  const message = err instanceof Error ? `${err.message}${code ? ` (${code})` : ''}` : String(err);
  if (code && NOT_SENT.has(code)) return new ClientError(`${name} unreachable: ${message}`, true, code);
  return new ClientError(`${name} connection lost: ${message}`, false, code ?? 'connection-lost');
}

/**
 * The default reading of a non-2xx status: 4xx means the server refused the request (definite), except
 * 408 (it timed out); 5xx may have been applied (indeterminate).
 */
export function statusError(response: HttpResponse, name = 'server'): ClientError {
  const definite = response.status >= 400 && response.status < 500 && response.status !== 408;
  return new ClientError(`${name} HTTP ${response.status}: ${response.text.slice(0, 200)}`, definite, `http-${response.status}`);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export class HttpClient {
  readonly name: string;

  constructor(
    private readonly base: Endpoint | string,
    private readonly options: HttpClientOptions = {},
  ) {
    this.name = options.name ?? 'server';
  }

  /** Read on every request: a restarted node is published on a new host port, and the endpoint follows it. */
  get baseUrl(): string {
    return typeof this.base === 'string' ? this.base.replace(/\/$/, '') : `http://${this.base.host}:${this.base.port}`;
  }

  /** One request; resolves with any status, throws a classified ClientError only when no answer came. */
  async request(method: string, path: string, call: HttpCallOptions): Promise<HttpResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, call.timeoutMs);
    try {
      const hasBody = call.body !== undefined;
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { ...(hasBody && typeof call.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...call.headers },
        body: hasBody ? (typeof call.body === 'string' ? call.body : JSON.stringify(call.body)) : undefined,
        signal: controller.signal,
      });
      const text = await response.text();
      return { status: response.status, ok: response.ok, text, json: parseJson(text) };
    } catch (err) {
      throw transportError(err, timedOut, this.name);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A request whose 2xx answer is JSON (or empty: null). Throws the classified error for any other status,
   * and an indeterminate one for a 2xx body that is not JSON.
   */
  async json(method: string, path: string, call: HttpCallOptions): Promise<unknown> {
    const response = await this.request(method, path, call);
    if (!response.ok) throw this.options.classifyStatus ? this.options.classifyStatus(response) : statusError(response, this.name);
    if (response.text === '') return null;
    if (response.json === undefined) throw new ClientError(`${this.name} sent a body that is not JSON: ${response.text.slice(0, 100)}`, false, 'bad-response');
    return response.json;
  }

  get(path: string, call: HttpCallOptions): Promise<unknown> {
    return this.json('GET', path, call);
  }

  post(path: string, body: unknown, call: HttpCallOptions): Promise<unknown> {
    return this.json('POST', path, { ...call, body });
  }

  put(path: string, body: unknown, call: HttpCallOptions): Promise<unknown> {
    return this.json('PUT', path, { ...call, body });
  }

  delete(path: string, call: HttpCallOptions): Promise<unknown> {
    return this.json('DELETE', path, call);
  }
}
