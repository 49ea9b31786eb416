/**
 * A client over etcd's v3 JSON gateway on Faultline's HTTP client: one endpoint per client, no retries and
 * no endpoint switching, so every outcome maps directly to ok / fail (definite) / info (indeterminate).
 */
import { ClientError, HttpClient, type CallOptions, type Endpoint, type KvClient, type RegisterValue } from '../../src/index.js';
import { casRequest, classifyStatus, parseRangeResponse, parseTxnSucceeded, putRequest, rangeRequest } from './gateway.js';

export interface EtcdClientOptions {
  /** Serializable (local, possibly stale) reads instead of linearizable ones. */
  serializableReads: boolean;
}

/** The gateway over HTTP: POSTs JSON, answers JSON, errors classified by etcd's rules. */
export function etcdHttp(endpoint: Endpoint): HttpClient {
  return new HttpClient(endpoint, { name: 'etcd', classifyStatus });
}

export class EtcdKvClient implements KvClient {
  private readonly http: HttpClient;

  constructor(
    readonly endpoint: Endpoint,
    private readonly options: EtcdClientOptions = { serializableReads: false },
  ) {
    this.http = etcdHttp(endpoint);
  }

  async read(key: string, opts: CallOptions): Promise<RegisterValue> {
    return parseRangeResponse(await this.http.post('/v3/kv/range', rangeRequest(key, this.options.serializableReads), opts));
  }

  async write(key: string, value: RegisterValue, opts: CallOptions): Promise<void> {
    await this.http.post('/v3/kv/put', putRequest(key, value), opts);
  }

  async cas(key: string, from: RegisterValue, to: RegisterValue, opts: CallOptions): Promise<void> {
    const body = await this.http.post('/v3/kv/txn', casRequest(key, from, to), opts);
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
