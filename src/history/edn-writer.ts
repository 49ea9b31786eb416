import { UsageError } from '../core/errors.js';
import type { HistoryOp } from './types.js';

/** Characters a keyword may hold without quoting (a conservative subset of Clojure's). */
const KEYWORD = /^[A-Za-z*+!_?<>=-][A-Za-z0-9*+!_?<>=.-]*$/;
/** A key written as a Clojure integer reads back as the same string; anything else stays a string. */
const INTEGER_KEY = /^(0|-?[1-9][0-9]{0,14})$/;

/**
 * Writes a history as Jepsen writes it, for Knossos and other Jepsen tools: a vector of op maps
 * `{:index 0, :time 26387538, :type :invoke, :process 0, :f :read, :value nil}`, one per line, with
 * keywords for :type and :f (and map keys), `:nemesis` for the nemesis, nil, and Jepsen's independent-key
 * tuples `:value [k v]` when every client op has a key (a history where only some do gets a `:key` field
 * instead). `:node` and `:error` follow when known. Reading the text back gives the same ops.
 */
export function toEdnHistory(ops: readonly HistoryOp[]): string {
  const client = ops.filter((op) => op.process !== 'nemesis');
  const tuples = client.length > 0 && client.every((op) => op.key !== undefined);
  const lines = ops.map((op) => ednOp(op, tuples));
  return lines.length === 0 ? '[]\n' : `[${lines.join('\n ')}]\n`;
}

function ednOp(op: HistoryOp, tuples: boolean): string {
  const fields: string[] = [`:index ${ednNumber(op.index)}`, `:time ${ednNumber(op.time)}`, `:type :${op.type}`];
  fields.push(`:process ${op.process === 'nemesis' ? ':nemesis' : ednNumber(op.process)}`);
  fields.push(`:f ${KEYWORD.test(op.f) ? `:${op.f}` : ednString(op.f)}`);
  if (op.process !== 'nemesis' && op.key !== undefined) {
    if (tuples) fields.push(`:value [${ednKey(op.key)} ${ednValue(op.value)}]`);
    else fields.push(`:key ${ednKey(op.key)}`, `:value ${ednValue(op.value)}`);
  } else {
    fields.push(`:value ${ednValue(op.value)}`);
  }
  if (op.node !== undefined) fields.push(`:node ${ednString(op.node)}`);
  if (op.error !== undefined) fields.push(`:error ${ednString(op.error)}`);
  return `{${fields.join(', ')}}`;
}

const ednKey = (key: string): string => (INTEGER_KEY.test(key) ? key : ednString(key));

function ednNumber(n: number): string {
  if (!Number.isFinite(n)) throw new UsageError(`cannot write ${n} as EDN: it is not a finite number`);
  return String(n);
}

function ednString(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

/** A JSON-like value as EDN: null -> nil, arrays -> vectors, objects -> maps with keyword keys where possible. */
export function ednValue(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return ednNumber(v);
  if (typeof v === 'string') return ednString(v);
  if (Array.isArray(v)) return `[${v.map(ednValue).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${KEYWORD.test(k) ? `:${k}` : ednString(k)} ${ednValue(x)}`);
    return `{${entries.join(', ')}}`;
  }
  throw new UsageError(`cannot write a ${typeof v} as EDN`);
}
