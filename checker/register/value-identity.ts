import { valueKey } from '../models/value.js';

/**
 * A Map key standing for a register value, equal for exactly the values the register models call equal
 * (checker/models/value.ts valuesEqual): undefined and null are one value, numbers and strings are
 * themselves, objects and arrays are their canonical text behind a NUL prefix. Returns undefined for a
 * value this procedure does not handle (NaN, bigint, a string starting with NUL), so the caller falls back.
 */
export function valueIdentity(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'number':
      return Number.isNaN(v) ? undefined : v;
    case 'string':
      return v.charCodeAt(0) === 0 ? undefined : v;
    case 'boolean':
      return v;
    case 'object':
      return `\u0000${valueKey(v)}`;
    default:
      return undefined;
  }
}
