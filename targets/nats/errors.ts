/**
 * What an error from the `nats` client means for the history: definite (the op certainly did not take
 * effect: `fail`) or indeterminate (it may have: `info`). Measured on 2.9.10 (see the NATS reference notes):
 * - a read changes nothing, so every failed read is definite;
 * - "wrong last sequence" (api err_code 10071) on a publish with an expected sequence: not stored;
 * - no responders (code 503 without an API error): no stream leader subscribed, nothing stored;
 * - a refused connection: the request was never sent;
 * - a timeout, a lost connection, or any API error not listed: the write may still be applied (8 of 21
 *   timed-out puts were applied later in one leader-pause trial).
 */
import { ClientError } from '../../src/index.js';

export type OpKind = 'read' | 'write';

/** The fields of a NatsError this module looks at (kept structural so tests can build them). */
export interface NatsErrorLike {
  message?: string;
  code?: string;
  api_error?: { code?: number; err_code?: number; description?: string };
}

export const WRONG_LAST_SEQUENCE = 10071;
export const NO_MESSAGE_FOUND = 10037;
export const STREAM_NOT_FOUND = 10059;

/** Error codes (NatsError.code) that mean the request never left the client. */
const NOT_SENT = new Set(['CONNECTION_REFUSED', 'CONNECTION_TIMEOUT']);

function describe(err: NatsErrorLike): string {
  const api = err.api_error;
  if (api) return `${api.description ?? err.message ?? 'JetStream error'} (${api.code ?? '?'}/${api.err_code ?? '?'})`;
  return err.code && err.message && err.message !== err.code ? `${err.code}: ${err.message}` : (err.code ?? err.message ?? 'unknown error');
}

/** Short, stable code for the history's error field. */
function codeOf(err: NatsErrorLike): string {
  const api = err.api_error;
  if (api?.err_code === WRONG_LAST_SEQUENCE) return 'cas-mismatch';
  if (api) return `js-${api.err_code ?? api.code ?? 'error'}`;
  if (err.code === '503') return 'no-responders';
  return (err.code ?? 'error').toLowerCase();
}

export function classifyNatsError(raw: unknown, kind: OpKind): ClientError {
  if (raw instanceof ClientError) return raw;
  const err: NatsErrorLike = typeof raw === 'object' && raw !== null ? (raw as NatsErrorLike) : { message: String(raw) };
  const message = `nats: ${describe(err)}`;
  const code = codeOf(err);
  if (kind === 'read') return new ClientError(message, true, code);
  const api = err.api_error;
  const definite = api ? api.err_code === WRONG_LAST_SEQUENCE : err.code === '503' || NOT_SENT.has(err.code ?? '');
  return new ClientError(message, definite, code);
}

/** A timeout of Faultline's own (the call outlived its budget without an answer). */
export function timeoutError(kind: OpKind, timeoutMs: number): ClientError {
  return new ClientError(`nats: no answer within ${timeoutMs} ms`, kind === 'read', 'timeout');
}
