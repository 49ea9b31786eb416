import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import type { Operation } from '../../src/history/types.js';
import { checkOperations } from '../index.js';
import { getModel } from './index.js';

const refusal = (model: string, init: unknown): UsageError => {
  try {
    getModel(model, init);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`model ${model} took --init ${JSON.stringify(init)}`);
};

describe('an initial value a model cannot start from is refused, not ignored', () => {
  it.each([
    ['set', 5, 'a JSON array of its elements'],
    ['fifo-queue', { a: 1 }, 'a JSON array of the queued elements'],
    ['fifo-queue', [1, null], 'none of them null'],
    ['mutex', 'true', 'true (held) or false (free)'],
    ['kv-append', { a: 1 }, "a key's initial text"],
  ])('%s --init %j', (model, init, expected) => {
    const err = refusal(model, init);
    expect(err.message.startsWith(`--init ${JSON.stringify(init)} does not fit model ${model}: it takes `)).toBe(true);
    expect(err.message).toContain(expected);
    expect(err.fix).toMatch(/^for example --init '.+', or leave --init out$/);
  });

  it('values that fit are still taken: a mutex held from the start refuses a first acquire', async () => {
    const acquire: Operation = { id: 0, process: 0, f: 'acquire', input: null, output: null, status: 'ok', call: 0, ret: 1 } as Operation;
    expect((await checkOperations([acquire], getModel('mutex', true))).valid).toBe(false);
    expect((await checkOperations([acquire], getModel('mutex', false))).valid).toBe(true);
    for (const [model, init] of [['set', [1]], ['fifo-queue', [1, 2]], ['kv-append', 'ab'], ['kv-append', 3], ['set', null]] as const) expect(() => getModel(model, init)).not.toThrow();
  });
});

describe('fifo-queue', () => {
  it('an enqueue of nil is refused: a dequeue of nil means the queue was empty, so the two could not be told apart', () => {
    const model = getModel('fifo-queue');
    expect(model.checkOp?.({ f: 'enqueue', input: null } as Operation)).toBe('model fifo-queue cannot enqueue nil: a dequeue of nil means the queue was empty');
    expect(model.checkOp?.({ f: 'enqueue', input: 0 } as Operation)).toBeUndefined();
  });
});
