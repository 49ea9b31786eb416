/**
 * The client a declarative file describes: one HTTP request per verb through the kit's HttpClient, the
 * answer classified by the file's outcome rules, the read value found by JSON pointer and decoded.
 */
import { ClientError } from '../core/errors.js';
import type { CallOptions, Client, Endpoint, RegisterValue } from '../core/client.js';
import { HttpClient, type HttpResponse } from '../kit/http.js';
import { atPointer, classifyResponse, classifyTransportError, pointersIn, type Decision } from './outcomes.js';
import type { OutcomeRule, ReadSpec, RequestSpec, TargetFile } from './schema.js';
import { renderJson, renderText } from './templates.js';
import { closest } from './suggest.js';

/** Turns what is at the value pointer into a register value, applying the decodings in order. */
export function decodeValue(raw: unknown, decode: readonly ('base64' | 'json')[]): RegisterValue {
  let v = raw;
  for (const step of decode) {
    if (typeof v !== 'string') throw new Error(`cannot ${step}-decode a ${v === null ? 'null' : typeof v}`);
    v = step === 'base64' ? Buffer.from(v, 'base64').toString('utf8') : (JSON.parse(v) as unknown);
  }
  if (v === null || typeof v === 'number' || typeof v === 'string') return v;
  throw new Error(`the value is ${Array.isArray(v) ? 'an array' : typeof v}, not a number, string or null`);
}

export class DeclarativeClient implements Client {
  private readonly http: HttpClient;

  constructor(
    private readonly spec: TargetFile,
    private readonly file: string,
    private readonly endpoint: Endpoint,
    private readonly options: Record<string, unknown>,
  ) {
    this.http = new HttpClient(endpoint, { name: spec.name });
    if (!spec.client.cas) (this as { cas?: unknown }).cas = undefined;
    if (!spec.client.append) (this as { append?: unknown }).append = undefined;
  }

  private async call(verb: string, request: RequestSpec, vars: Record<string, unknown>, opts: CallOptions): Promise<{ decision: Decision; response?: HttpResponse }> {
    const ctx = { ...vars, node: this.endpoint.node, options: this.options };
    const headers = Object.fromEntries(Object.entries({ ...this.spec.client.headers, ...request.headers }).map(([k, v]) => [k, renderText(v, ctx)]));
    const body = request.body === undefined ? undefined : typeof request.body === 'string' ? renderText(request.body, ctx) : renderJson(request.body, ctx);
    const rules: OutcomeRule[] = [...request.outcomes, ...this.spec.client.outcomes];
    let response: HttpResponse;
    try {
      response = await this.http.request(request.method, renderText(request.path, ctx), { timeoutMs: opts.timeoutMs, body, headers });
    } catch (err) {
      if (!(err instanceof ClientError)) throw err;
      return { decision: classifyTransportError(rules, err) };
    }
    return { decision: classifyResponse(rules, response, `${this.spec.name} ${verb}`), response };
  }

  private static settle(decision: Decision): void {
    if (decision.outcome === 'error') throw decision.error;
  }

  async read(key: string, opts: CallOptions): Promise<RegisterValue> {
    const spec: ReadSpec = this.spec.client.read;
    const { decision, response } = await this.call('read', spec, { key }, opts);
    DeclarativeClient.settle(decision);
    if (decision.outcome === 'absent') return null;
    const pointer = typeof spec.value === 'string' ? spec.value : spec.value.pointer;
    const decode = typeof spec.value === 'string' ? [] : spec.value.decode;
    const raw = response?.json === undefined ? undefined : atPointer(response.json, pointer);
    if (raw === undefined) {
      const body = response?.text.slice(0, 200) ?? '';
      const guess = response?.json === undefined ? undefined : closest(pointer, pointersIn(response.json).filter((p) => p !== ''));
      throw new ClientError(
        `${this.file}: client.read.value: ${JSON.stringify(pointer)} found nothing in the answer ${body}; fix: ${guess ? `did you mean ${JSON.stringify(guess)}? ` : ''}point value at the field holding the value, or add an outcome rule meaning absent for answers without one`,
        false,
        'bad-response',
      );
    }
    try {
      return decodeValue(raw, decode);
    } catch (err) {
      throw new ClientError(`${this.file}: client.read.value: ${(err as Error).message} (found ${JSON.stringify(raw).slice(0, 100)}); fix: set decode (base64, json) to match how the value is stored`, false, 'bad-response');
    }
  }

  async write(key: string, value: RegisterValue, opts: CallOptions): Promise<void> {
    DeclarativeClient.settle((await this.call('write', this.spec.client.write, { key, value }, opts)).decision);
  }

  async cas(key: string, from: RegisterValue, to: RegisterValue, opts: CallOptions): Promise<void> {
    DeclarativeClient.settle((await this.call('cas', this.spec.client.cas!, { key, from, to }, opts)).decision);
  }

  async append(key: string, value: string, opts: CallOptions): Promise<void> {
    DeclarativeClient.settle((await this.call('append', this.spec.client.append!, { key, value }, opts)).decision);
  }

  async close(): Promise<void> {
    // fetch's global dispatcher owns the connections.
  }
}
