/**
 * A KvClient over etcd's v3 JSON gateway with Node's fetch: one endpoint per client, no retries and no
 * endpoint switching, so every outcome maps directly to ok / fail (definite) / info (indeterminate).
 */
import {
  casRequest,
  classifyFetchError,
  classifyHttpError,
  parseRangeResponse,
  parseTxnSucceeded,
  putRequest,
  rangeRequest,
} from './etcd-gateway.js';
import { ClientError, type ClientCallOptions, type Endpoint, type KvClient, type RegisterValue } from './target.js';

export interface EtcdClientOptions {
  /** Serializable (local, possibly stale) reads instead of linearizable ones. */
  serializableReads: boolean;
}

/** POSTs `body` to `path` on `endpoint` and returns the parsed JSON, or throws a classified ClientError. */
export async function etcdPost(endpoint: Endpoint, path: string, body: unknown, timeoutMs: number): Promise<unknown> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await fetch(`http://${endpoint.host}:${endpoint.port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    const text = await response.text();
    if (!response.ok) throw classifyHttpError(response.status, text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ClientError(`etcd sent a body that is not JSON: ${text.slice(0, 100)}`, false, 'bad-response');
    }
  } catch (err) {
    throw classifyFetchError(err, timedOut);
  } finally {
    clearTimeout(timer);
  }
}

export class EtcdKvClient implements KvClient {
  constructor(
    readonly endpoint: Endpoint,
    private readonly options: EtcdClientOptions = { serializableReads: false },
  ) {}

  async read(key: string, opts: ClientCallOptions): Promise<RegisterValue> {
    const body = await etcdPost(this.endpoint, '/v3/kv/range', rangeRequest(key, this.options.serializableReads), opts.timeoutMs);
    return parseRangeResponse(body);
  }

  async write(key: string, value: RegisterValue, opts: ClientCallOptions): Promise<void> {
    await etcdPost(this.endpoint, '/v3/kv/put', putRequest(key, value), opts.timeoutMs);
  }

  async cas(key: string, from: RegisterValue, to: RegisterValue, opts: ClientCallOptions): Promise<void> {
    const body = await etcdPost(this.endpoint, '/v3/kv/txn', casRequest(key, from, to), opts.timeoutMs);
    if (!parseTxnSucceeded(body)) {
      const current = (body as { responses?: { response_range?: unknown }[] }).responses?.[0]?.response_range;
      const actual = current === undefined ? 'unknown' : JSON.stringify(parseRangeResponse(current));
      throw new ClientError(`cas mismatch: expected ${JSON.stringify(from)}, found ${actual}`, true, 'cas-mismatch');
    }
  }

  async close(): Promise<void> {
    // fetch keeps no per-client state worth closing; the global dispatcher pools connections.
  }
}
