/**
 * Pure pieces of etcd's v3 JSON gateway: request bodies, response parsing and error classification.
 * Keys and values travel base64-encoded; Faultline stores values JSON-encoded so numbers, strings and
 * null round-trip. proto3 JSON omits default fields: a missing `kvs` means "no such key" and a missing
 * `succeeded` means the txn compare failed.
 */
import { ClientError, type HttpResponse, type RegisterValue } from '../../src/index.js';

export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
export const unb64 = (text: string): string => Buffer.from(text, 'base64').toString('utf8');

export function encodeValue(value: RegisterValue): string {
  return b64(JSON.stringify(value));
}

/** Decodes a stored value; a value some other tool wrote that is not JSON comes back as its raw string. */
export function decodeValue(encoded: string | undefined): RegisterValue {
  if (encoded === undefined) return '';
  const text = unb64(encoded);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed === 'number' || typeof parsed === 'string') return parsed;
    return text;
  } catch {
    return text;
  }
}

export function rangeRequest(key: string, serializable: boolean): Record<string, unknown> {
  return serializable ? { key: b64(key), serializable: true } : { key: b64(key) };
}

export function putRequest(key: string, value: RegisterValue): Record<string, unknown> {
  return { key: b64(key), value: encodeValue(value) };
}

/** CAS as a txn: compare the current VALUE (or, for `from === null`, that the key does not exist). */
export function casRequest(key: string, from: RegisterValue, to: RegisterValue): Record<string, unknown> {
  const compare =
    from === null
      ? { key: b64(key), target: 'CREATE', result: 'EQUAL', create_revision: '0' }
      : { key: b64(key), target: 'VALUE', result: 'EQUAL', value: encodeValue(from) };
  return {
    compare: [compare],
    success: [{ request_put: { key: b64(key), value: encodeValue(to) } }],
    failure: [{ request_range: { key: b64(key) } }],
  };
}

interface RangeResponse {
  kvs?: { value?: string }[];
}

/** The value of a range response; null when the key does not exist. */
export function parseRangeResponse(body: unknown): RegisterValue {
  const kvs = (body as RangeResponse | null)?.kvs;
  if (!Array.isArray(kvs) || kvs.length === 0) return null;
  return decodeValue(kvs[0]!.value);
}

export function parseTxnSucceeded(body: unknown): boolean {
  return (body as { succeeded?: boolean } | null)?.succeeded === true;
}

/** gRPC status codes the gateway puts in `code`. */
const GRPC = { DEADLINE_EXCEEDED: 4, UNAVAILABLE: 14, UNKNOWN: 2, ABORTED: 10 } as const;

/**
 * An HTTP error from the gateway. 4xx means etcd refused the request (definite), except a 4xx carrying an
 * indeterminate gRPC code such as DEADLINE_EXCEEDED; 5xx (leader lost, request timed out, UNAVAILABLE) may
 * have been applied and is indeterminate.
 */
export function classifyHttpError(status: number, bodyText: string): ClientError {
  let message = bodyText.slice(0, 200);
  let code: number | undefined;
  try {
    const parsed = JSON.parse(bodyText) as { message?: string; error?: string; code?: number };
    message = parsed.message ?? parsed.error ?? message;
    code = parsed.code;
  } catch {
    // not JSON: keep the raw text
  }
  const indeterminateCode = code === GRPC.DEADLINE_EXCEEDED || code === GRPC.UNAVAILABLE || code === GRPC.UNKNOWN;
  const definite = status >= 400 && status < 500 && !indeterminateCode;
  return new ClientError(`etcd HTTP ${status}: ${message}`, definite, code === undefined ? `http-${status}` : `grpc-${code}`);
}

/** classifyHttpError for the kit's HttpClient. */
export const classifyStatus = (response: HttpResponse): ClientError => classifyHttpError(response.status, response.text);
