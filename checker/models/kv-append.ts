import type { Operation } from '../../src/history/types.js';
import type { Model } from '../types.js';
import { checkInit } from './init.js';
import { partitionByKey } from './partition-by-key.js';
import { showValue } from './value.js';

const asText = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
/**
 * Values whose text is theirs: every object would be "[object Object]" and [1, [2]] the same as "1,2", so
 * an append of one value and a read of another would compare equal (checkOp refuses them).
 */
const isText = (v: unknown): boolean => v === null || v === undefined || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const FS = ['read', 'get', 'write', 'put', 'append'];

/**
 * A key's value with a polynomial hash of its text, carried along so an append hashes only what it
 * appends: hash(a + b) = hash(a) * B^|b| + hash(b). Hashing the whole text on every step flattened the
 * rope V8 builds for `a + b`, and a quarter of the search's time went to collecting those copies.
 */
interface Text {
  readonly text: string;
  readonly hash: number;
}

const B = 0x01000193;

function polyHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, B) + text.charCodeAt(i)) | 0;
  return h;
}

/** B^k mod 2^32. */
function powB(k: number): number {
  let result = 1;
  let base = B;
  for (let e = k; e > 0; e >>>= 1) {
    if (e & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
  }
  return result;
}

const textOf = (text: string): Text => ({ text, hash: polyHash(text) });

function appendText(s: Text, tail: string): Text {
  return { text: s.text + tail, hash: (Math.imul(s.hash, powB(tail.length)) + polyHash(tail)) | 0 };
}

/**
 * Independent string keys with Get/Put/Append (Porcupine's kv model): a missing key reads as "", so an
 * initial value of null means "". get/read compare the whole string; put/write replace it; append concatenates.
 */
export function kvAppendModel(init: unknown = null): Model<Text> {
  checkInit('kv-append', init, isText, "a key's initial text (a string or a number)", '"ab"');
  const start = textOf(asText(init));
  return {
    name: 'kv-append',
    init: () => start,
    step: (s: Text, op: Operation) => {
      switch (op.f) {
        case 'read':
        case 'get':
          if (op.status !== 'ok' || op.output === undefined) return s;
          return asText(op.output) === s.text ? s : undefined;
        case 'write':
        case 'put':
          return textOf(asText(op.input));
        case 'append':
          return appendText(s, asText(op.input));
        default:
          return undefined;
      }
    },
    hash: (s) => s.hash,
    equal: (a, b) => a === b || (a.hash === b.hash && a.text === b.text),
    describeOp: (op) => {
      const key = op.key !== undefined ? ` ${op.key}` : '';
      const who = typeof op.process === 'number' ? ` (p${op.process})` : '';
      if (op.f === 'read' || op.f === 'get') {
        return `${op.f}${key} -> ${op.status === 'ok' && op.output !== undefined ? JSON.stringify(asText(op.output)) : '?'}${who}`;
      }
      return `${op.f}${key} ${JSON.stringify(asText(op.input))}${who}`;
    },
    describeState: (s) => showValue(s.text),
    worker: { module: import.meta.url, export: 'kvAppendModel', args: [init] },
    partition: partitionByKey,
    isReadOnly: (op) => op.f === 'read' || op.f === 'get',
    checkOp: (op) => {
      if (!FS.includes(op.f)) return `model kv-append has no operation "${op.f}" (it knows ${FS.join(', ')})`;
      const read = op.f === 'read' || op.f === 'get';
      const value = read ? op.output : op.input;
      if ((read && op.status !== 'ok') || isText(value)) return undefined;
      return `model kv-append holds text: ${op.f} ${read ? 'returned' : 'of'} ${showValue(value)} is not a string or number (its text would be a guess)`;
    },
  };
}
