import { hashText } from '../search/state-hash.js';
import type { Model } from '../types.js';
import { checkInit } from './init.js';
import { showValue, valueKey } from './value.js';

/** State: canonical keys (valueKey) of the queued elements, head first. */
type QueueState = readonly string[];

/**
 * A FIFO queue: enqueue e; dequeue returns the head. An ok dequeue returning null/nothing means the queue
 * was empty. A dequeue with unknown result (info) that took effect removed the head, whatever it was.
 */
export function fifoQueueModel(init: unknown = null): Model<QueueState> {
  checkInit('fifo-queue', init, (v) => Array.isArray(v) && v.every((e) => e !== null), 'a JSON array of the queued elements, head first, none of them null', '[1,2]');
  const start: QueueState = Array.isArray(init) ? init.map(valueKey) : [];
  return {
    name: 'fifo-queue',
    init: () => start,
    step: (s, op) => {
      if (op.f === 'enqueue') return [...s, valueKey(op.input)];
      if (op.f === 'dequeue') {
        if (op.status !== 'ok') return s.length === 0 ? s : s.slice(1);
        if (op.output === null || op.output === undefined) return s.length === 0 ? s : undefined;
        return s.length > 0 && s[0] === valueKey(op.output) ? s.slice(1) : undefined;
      }
      return undefined;
    },
    hash: (s) => hashText(s.join('\u0000')),
    equal: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
    describeOp: (op) => {
      const who = typeof op.process === 'number' ? ` (p${op.process})` : '';
      if (op.f === 'dequeue') return `dequeue -> ${op.status === 'ok' ? showValue(op.output ?? null) : '?'}${who}`;
      return `${op.f} ${showValue(op.input)}${who}`;
    },
    describeState: (s) => `[${s.join(', ')}]`,
    flow: (op) =>
      op.f === 'enqueue'
        ? { observed: [], produced: [valueKey(op.input)] }
        : { observed: op.status === 'ok' && op.output != null ? [valueKey(op.output)] : [], produced: [] },
    worker: { module: import.meta.url, export: 'fifoQueueModel', args: [init] },
    checkOp: (op) => {
      if (op.f !== 'enqueue' && op.f !== 'dequeue') return `model fifo-queue has no operation "${op.f}" (it knows enqueue, dequeue)`;
      // A dequeue of nil means "the queue was empty", so a queued nil could not be told from an empty queue.
      if (op.f === 'enqueue' && (op.input === null || op.input === undefined)) return 'model fifo-queue cannot enqueue nil: a dequeue of nil means the queue was empty';
      return undefined;
    },
  };
}
