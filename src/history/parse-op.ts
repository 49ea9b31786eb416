import type { HistoryOp, OpType } from './types.js';

const TYPES: ReadonlySet<string> = new Set(['invoke', 'ok', 'fail', 'info']);

/**
 * Checks that a decoded record has the shape of a HistoryOp and returns it (normalised), or a reason it
 * does not. Shared by every reader so all formats accept and reject the same things. A process is an
 * integer or the nemesis marker "nemesis"; anything else (a string "1", a float) is refused rather than
 * guessed at — taking it for the nemesis would silently drop a client op from the check.
 */
export function toHistoryOp(record: unknown, showValue: (v: unknown) => string = (v) => JSON.stringify(v) ?? String(v)): HistoryOp | string {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return 'expected an op object';
  const r = record as Record<string, unknown>;
  if (typeof r.type !== 'string' || !TYPES.has(r.type)) return `"type" must be invoke, ok, fail or info (got ${showValue(r.type)})`;
  let process: HistoryOp['process'];
  if (typeof r.process === 'number' && Number.isSafeInteger(r.process)) process = r.process;
  else if (r.process === 'nemesis') process = 'nemesis';
  else return `"process" must be an integer or "nemesis" (got ${showValue(r.process)})`;
  if (typeof r.f !== 'string') return `"f" must be a string (got ${showValue(r.f)})`;
  const op: HistoryOp = {
    index: typeof r.index === 'number' ? r.index : NaN,
    type: r.type as OpType,
    process,
    f: r.f,
    value: r.value === undefined ? null : r.value,
    time: typeof r.time === 'number' ? r.time : NaN,
  };
  if (r.key !== undefined && r.key !== null) {
    // Keys are compared as text: an object's text is "[object Object]", so two different object keys would be one key.
    if (typeof r.key === 'string') op.key = r.key;
    else if (typeof r.key === 'number' && Number.isFinite(r.key)) op.key = String(r.key);
    else return `"key" must be a string or a number (got ${showValue(r.key)})`;
  }
  if (typeof r.node === 'string') op.node = r.node;
  if (r.error !== undefined && r.error !== null) op.error = typeof r.error === 'string' ? r.error : JSON.stringify(r.error);
  return op;
}
