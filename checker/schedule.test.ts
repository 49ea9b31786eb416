import { describe, expect, it } from 'vitest';
import { kvAppendHistory } from '../bench/checker/kv-append-history.js';
import { pairOperations } from '../src/history/pair.js';
import type { HistoryOp } from '../src/history/types.js';
import { checkOperations, NOT_CHECKED_REASON } from './index.js';
import { getModel } from './models/index.js';

/** A key the search needs many states for (10 clients appending concurrently), valid. */
function hardKey(ops = 300): HistoryOp[] {
  return kvAppendHistory({ clients: 10, ops, keys: 1, broken: 0, seed: 1, latency: 6 }).map((h) => ({ ...h, key: 'hard' }));
}

/** A sequential key whose first get returns what was never appended: invalid at once, but longer than the hard key. */
function easyInvalidKey(ops: number, from: number): HistoryOp[] {
  const out: HistoryOp[] = [];
  let value = '';
  for (let i = 0; i < ops; i++) {
    const get = i % 2 === 1;
    const appended = `x${i} `;
    const t = from + i * 10;
    out.push({ index: 0, time: t, type: 'invoke', process: 1000, f: get ? 'get' : 'append', key: 'easy', value: get ? null : appended });
    if (!get) value += appended;
    out.push({ index: 0, time: t + 5, type: 'ok', process: 1000, f: get ? 'get' : 'append', key: 'easy', value: get ? (i === 1 ? 'never appended' : value) : appended });
  }
  return out;
}

function history(hardOps = 300): ReturnType<typeof pairOperations> {
  const hard = hardKey(hardOps);
  const raw = [...hard, ...easyInvalidKey(hard.length, hard[hard.length - 1].time + 1)].map((h, index) => ({ ...h, index }));
  return pairOperations(raw);
}

describe('key scheduling', () => {
  const model = getModel('kv-append');

  it('an easy invalid key is found while a hard key is still being searched, and the hard key is reported not checked', async () => {
    const ops = history();
    const r = await checkOperations(ops, model, { workers: 0 });
    expect(r.valid).toBe(false);
    const byKey = Object.fromEntries(r.keys.map((k) => [k.key, k]));
    expect(byKey.easy.valid).toBe(false);
    expect(byKey.easy.counterexample?.op.output).toBe('never appended');
    // The hard key has fewer ops, so it was searched first: interleaving is what let the easy key through.
    expect(byKey.hard.ops).toBeLessThan(byKey.easy.ops);
    expect(byKey.hard.valid).toBe('not-checked');
    expect(byKey.hard.reason).toBe(NOT_CHECKED_REASON);
  });

  it('with allKeys every key is decided to the end', async () => {
    const r = await checkOperations(history(), model, { workers: 0, allKeys: true });
    expect(r.valid).toBe(false);
    expect(Object.fromEntries(r.keys.map((k) => [k.key, k.valid]))).toEqual({ hard: true, easy: false });
  });

  it('past half the memory budget, keys are searched one after the other (suspended searches dropped), still to the right verdict', async () => {
    const { heapInUse } = await import('./search/wgl.js');
    // Interleaved (no pressure) the hard key is still open when the easy one is found invalid...
    const interleaved = await checkOperations(history(60), model, { workers: 0 });
    expect(Object.fromEntries(interleaved.keys.map((k) => [k.key, k.valid]))).toEqual({ hard: 'not-checked', easy: false });
    // A budget just above what is in use now: interleaving would be under pressure from the first slice.
    const r = await checkOperations(history(60), model, { workers: 0, maxMemory: heapInUse() * 1.9 });
    expect(r.valid).toBe(false);
    const byKey = Object.fromEntries(r.keys.map((k) => [k.key, k.valid]));
    // One at a time, smaller first: the hard key is decided before the easy one is looked at.
    expect(byKey).toEqual({ hard: true, easy: false });
  });

  it('the exact procedures decide cheap keys first: an invalid register key ends the check before any search', async () => {
    const kv = getModel('kv');
    const raw: HistoryOp[] = [
      // key "a": values repeat, so only the search can decide it; key "b": unique values and a stale read.
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'write', key: 'a', value: 1 },
      { index: 1, time: 1, type: 'ok', process: 0, f: 'write', key: 'a', value: 1 },
      { index: 2, time: 2, type: 'invoke', process: 0, f: 'write', key: 'a', value: 1 },
      { index: 3, time: 3, type: 'ok', process: 0, f: 'write', key: 'a', value: 1 },
      { index: 4, time: 4, type: 'invoke', process: 1, f: 'write', key: 'b', value: 1 },
      { index: 5, time: 5, type: 'ok', process: 1, f: 'write', key: 'b', value: 1 },
      { index: 6, time: 6, type: 'invoke', process: 1, f: 'write', key: 'b', value: 2 },
      { index: 7, time: 7, type: 'ok', process: 1, f: 'write', key: 'b', value: 2 },
      { index: 8, time: 8, type: 'invoke', process: 1, f: 'read', key: 'b', value: null },
      { index: 9, time: 9, type: 'ok', process: 1, f: 'read', key: 'b', value: 1 },
    ];
    const r = await checkOperations(pairOperations(raw), kv, { workers: 0 });
    expect(r.keys.map((k) => [k.key, k.valid, k.algorithm])).toEqual([
      ['a', 'not-checked', 'search'],
      ['b', false, 'register'],
    ]);
    const all = await checkOperations(pairOperations(raw), kv, { workers: 0, allKeys: true });
    expect(all.keys.map((k) => [k.key, k.valid])).toEqual([['a', true], ['b', false]]);
  });
});
