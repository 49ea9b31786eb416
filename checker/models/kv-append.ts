import type { Operation } from '../../src/history/types.js';
import { hashText } from '../search/state-hash.js';
import type { Model } from '../types.js';
import { partitionByKey } from './partition-by-key.js';
import { showValue } from './value.js';

const asText = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const FS = ['read', 'get', 'write', 'put', 'append'];

/**
 * Independent string keys with Get/Put/Append (Porcupine's kv model): a missing key reads as "", so an
 * initial value of null means "". get/read compare the whole string; put/write replace it; append concatenates.
 */
export function kvAppendModel(init: unknown = null): Model<string> {
  const start = asText(init);
  return {
    name: 'kv-append',
    init: () => start,
    step: (s: string, op: Operation) => {
      switch (op.f) {
        case 'read':
        case 'get':
          if (op.status !== 'ok' || op.output === undefined) return s;
          return asText(op.output) === s ? s : undefined;
        case 'write':
        case 'put':
          return asText(op.input);
        case 'append':
          return s + asText(op.input);
        default:
          return undefined;
      }
    },
    hash: (s) => hashText(s),
    equal: (a, b) => a === b,
    describeOp: (op) => {
      const key = op.key !== undefined ? ` ${op.key}` : '';
      const who = typeof op.process === 'number' ? ` (p${op.process})` : '';
      if (op.f === 'read' || op.f === 'get') {
        return `${op.f}${key} -> ${op.status === 'ok' && op.output !== undefined ? JSON.stringify(asText(op.output)) : '?'}${who}`;
      }
      return `${op.f}${key} ${JSON.stringify(asText(op.input))}${who}`;
    },
    describeState: (s) => showValue(s),
    worker: { module: import.meta.url, export: 'kvAppendModel', args: [init] },
    partition: partitionByKey,
    isReadOnly: (op) => op.f === 'read' || op.f === 'get',
    checkOp: (op) => (FS.includes(op.f) ? undefined : `model kv-append has no operation "${op.f}" (it knows ${FS.join(', ')})`),
  };
}
