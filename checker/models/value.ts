import { hashText } from '../search/state-hash.js';

/**
 * Canonical text of a JSON-like value: object keys sorted, so equal values give equal text. Used as the
 * state hash and for equality of register values and set/queue elements; it is reversible with JSON.parse.
 */
export function valueKey(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${valueKey(obj[k])}`).join(',')}}`;
}

/**
 * A 32-bit hash consistent with valuesEqual (equal values, equal hashes), without building text for the
 * common values (integers, strings, null): the search hashes a register state on every step.
 */
export function hashValue(v: unknown): number {
  if (v === null || v === undefined) return 0x2545f491;
  if (typeof v === 'number') return (v | 0) === v ? Math.imul(v, 0x9e3779b1) ^ 0x68e31da4 : hashText(String(v));
  if (typeof v === 'string') return hashText(v) ^ 0x1b873593;
  if (typeof v === 'boolean') return v ? 0x7feb352d : 0x846ca68b;
  return hashText(valueKey(v));
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return (a ?? null) === (b ?? null);
  }
  return valueKey(a) === valueKey(b);
}

/** Short human text for a value: 5, "abc", [1,2], null. */
export function showValue(v: unknown): string {
  const text = valueKey(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The `[from, to]` argument of a cas (the op's own array, not a copy), or undefined when malformed. The
 * search steps a cas this way at every try: a new tuple per step was three quarters of what it allocated,
 * and that churn grew V8's young generation by ~16 MB on a 1,000-op register history.
 */
export function casArgs(input: unknown): readonly [unknown, unknown] | undefined {
  return Array.isArray(input) && input.length === 2 ? (input as unknown as readonly [unknown, unknown]) : undefined;
}
