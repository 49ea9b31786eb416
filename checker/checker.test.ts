import { describe, expect, it } from 'vitest';
import { bruteForceLinearizable } from './brute-force.js';
import { checkHistory, checkOperations } from './index.js';
import { getModel } from './models/index.js';
import { searchLinearizable } from './search/wgl.js';
import { OpList } from './testing/ops.js';
import type { Operation } from '../src/history/types.js';
import type { HistoryOp } from '../src/history/types.js';

const both = (model: string, ops: Operation[], init: unknown = null) => {
  const m = getModel(model, init);
  const search = searchLinearizable(m, ops).valid;
  const brute = bruteForceLinearizable(m, ops);
  expect(search).toBe(brute);
  return search;
};

describe('register / cas-register: classic histories', () => {
  it('sequential write then read of the written value is linearizable', () => {
    expect(both('register', new OpList().w(0, 1, 0, 1).r(1, 1, 2, 3).ops)).toBe(true);
  });
  it('stale read: a read after a completed overwrite returns the old value', () => {
    const ops = new OpList().w(0, 1, 0, 1).w(0, 2, 2, 3).r(1, 1, 4, 5).ops;
    expect(both('register', ops)).toBe(false);
  });
  it('a read concurrent with the overwrite may see either value', () => {
    const ops = new OpList().w(0, 1, 0, 1).w(0, 2, 2, 5).r(1, 1, 3, 4).r(2, 2, 3, 6).ops;
    expect(both('register', ops)).toBe(true);
  });
  it('lost write: an acknowledged write is never visible, later reads see the older value', () => {
    const ops = new OpList().w(0, 1, 0, 1).w(1, 2, 2, 3).r(2, 1, 4, 5).r(2, 1, 6, 7).ops;
    expect(both('register', ops)).toBe(false);
  });
  it('reading the initial value after a write completed is a stale read (null is a real value)', () => {
    expect(both('register', new OpList().w(0, 1, 0, 1).r(1, null, 2, 3).ops)).toBe(false);
    expect(both('register', new OpList().r(1, null, 0, 1).w(0, 1, 2, 3).ops)).toBe(true);
  });
  it('the initial value is configurable', () => {
    expect(both('register', new OpList().r(0, 0, 0, 1).ops, 0)).toBe(true);
    expect(both('register', new OpList().r(0, 0, 0, 1).ops, null)).toBe(false);
  });
  it('cas on a value never written is not linearizable', () => {
    const ops = new OpList().w(0, 1, 0, 1).cas(1, 7, 8, 2, 3).ops;
    expect(both('cas-register', ops)).toBe(false);
  });
  it('cas from the current value succeeds and is visible', () => {
    const ops = new OpList().w(0, 1, 0, 1).cas(1, 1, 8, 2, 3).r(0, 8, 4, 5).ops;
    expect(both('cas-register', ops)).toBe(true);
  });
  it('a failed cas is dropped: it never happened', () => {
    const ops = new OpList().w(0, 1, 0, 1).cas(1, 7, 8, 2, 3, 'fail').r(0, 1, 4, 5).ops;
    expect(both('cas-register', ops)).toBe(true);
  });
  it('a read of a value only an info write could have produced IS linearizable', () => {
    const ops = new OpList().w(0, 1, 0, 1).w(1, 9, 2, undefined, 'info').r(2, 9, 10, 11).ops;
    expect(both('register', ops)).toBe(true);
  });
  it('an info write may also never take effect', () => {
    const ops = new OpList().w(0, 1, 0, 1).w(1, 9, 2, undefined, 'info').r(2, 1, 10, 11).r(2, 1, 12, 13).ops;
    expect(both('register', ops)).toBe(true);
  });
  it('an info write cannot take effect before its call', () => {
    const ops = new OpList().r(2, 9, 0, 1).w(1, 9, 2, undefined, 'info').ops;
    expect(both('register', ops)).toBe(false);
  });
  it('an info cas whose compare never matched is simply omitted', () => {
    const ops = new OpList().w(0, 1, 0, 1).cas(1, 5, 6, 2, undefined, 'info').r(2, 1, 3, 4).ops;
    expect(both('cas-register', ops)).toBe(true);
  });
  it('an info read constrains nothing', () => {
    expect(both('register', new OpList().w(0, 1, 0, 1).r(1, undefined, 2, undefined, 'info').ops)).toBe(true);
  });
  it('register rejects cas with a clear error', async () => {
    await expect(checkOperations(new OpList().cas(0, 1, 2, 0, 1).ops, getModel('register'), {})).rejects.toThrow(/no operation "cas"/);
  });
});

describe('kv: keys are independent', () => {
  it('same values on different keys do not interfere', () => {
    const ops = new OpList().w(0, 1, 0, 1, 'ok', 'a').w(1, 2, 2, 3, 'ok', 'b').r(2, 1, 4, 5, 'ok', 'a').r(2, 2, 6, 7, 'ok', 'b').ops;
    return checkOperations(ops, getModel('kv'), {}).then((r) => {
      expect(r.valid).toBe(true);
      expect(r.keys.map((k) => k.key).sort()).toEqual(['a', 'b']);
    });
  });
  it('a stale read on one key fails that key only, with a counterexample naming it', async () => {
    const ops = new OpList()
      .w(0, 1, 0, 1, 'ok', 'a')
      .w(0, 2, 2, 3, 'ok', 'a')
      .r(1, 1, 4, 5, 'ok', 'a')
      .w(2, 5, 0, 9, 'ok', 'b')
      .r(3, 5, 10, 11, 'ok', 'b').ops;
    const r = await checkOperations(ops, getModel('kv'), { algorithm: 'search' });
    expect(r.valid).toBe(false);
    expect(r.keys.find((k) => k.key === 'b')?.valid).toBe(true);
    const cx = r.counterexample!;
    expect(cx.key).toBe('a');
    expect(cx.op.f).toBe('read');
    expect(cx.minimal.map((o) => o.id).sort()).toEqual([0, 1, 2]);
    expect(cx.explanation).toMatch(/read a -> 1 \(p1\) cannot be linearized on key a/);
    expect(cx.explanation).toMatch(/write a 1 \(p0\) before write a 2 \(p0\)/);
    expect(cx.partialLinearizations[0].map((s) => s.state)).toEqual(['1', '2']);
  });
});

describe('kv-append', () => {
  const m = getModel('kv-append');
  it('a missing key reads as "" and appends concatenate', () => {
    const ops = new OpList().f(0, 'get', null, '', 0, 1).f(0, 'append', 'x', null, 2, 3).f(1, 'append', 'y', null, 4, 5).f(2, 'get', null, 'xy', 6, 7).ops;
    expect(searchLinearizable(m, ops).valid).toBe(true);
    expect(bruteForceLinearizable(m, ops)).toBe(true);
  });
  it('concurrent appends can land in either order, but a read must be consistent with one', () => {
    const ops = new OpList().f(0, 'append', 'x', null, 0, 5).f(1, 'append', 'y', null, 1, 6).f(2, 'get', null, 'yx', 7, 8).ops;
    expect(searchLinearizable(m, ops).valid).toBe(true);
    const bad = new OpList().f(0, 'append', 'x', null, 0, 1).f(1, 'append', 'y', null, 2, 3).f(2, 'get', null, 'yx', 4, 5).ops;
    expect(searchLinearizable(m, bad).valid).toBe(false);
    expect(bruteForceLinearizable(m, bad)).toBe(false);
  });
  it('values that are not text are refused, not stringified (every object read as "[object Object]": a read of another object passed)', async () => {
    const objects = new OpList().f(0, 'append', { a: 1 }, null, 0, 1).f(1, 'get', null, { b: 2 }, 2, 3).ops;
    await expect(checkOperations(objects, m)).rejects.toThrow(/history index 0: model kv-append holds text: append of \{"a":1\} is not a string or number/);
    const arrays = new OpList().f(0, 'append', 'x', null, 0, 1).f(1, 'get', null, ['x'], 2, 3).ops;
    await expect(checkOperations(arrays, m)).rejects.toThrow(/get returned \["x"\] is not a string or number/);
    // A get whose result is unknown has no value to refuse; numbers and nil are text.
    const fine = new OpList().f(0, 'append', 1, null, 0, 1).f(1, 'get', null, null, 2, undefined, 'info').f(2, 'get', null, '1', 4, 5).ops;
    expect((await checkOperations(fine, m)).valid).toBe(true);
  });
  it('put replaces the value', () => {
    const ops = new OpList().f(0, 'append', 'x', null, 0, 1).f(0, 'put', 'z', null, 2, 3).f(1, 'get', null, 'zx', 4, 5).ops;
    expect(searchLinearizable(m, ops).valid).toBe(false);
  });
});

describe('mutex', () => {
  const m = getModel('mutex');
  it('two overlapping acquires without release cannot both succeed', () => {
    const ops = new OpList().f(0, 'acquire', null, null, 0, 3).f(1, 'acquire', null, null, 1, 4).ops;
    expect(searchLinearizable(m, ops).valid).toBe(false);
    expect(bruteForceLinearizable(m, ops)).toBe(false);
  });
  it('acquire, release, acquire is fine; release of a free lock is not', () => {
    expect(searchLinearizable(m, new OpList().f(0, 'acquire', null, null, 0, 1).f(0, 'release', null, null, 2, 3).f(1, 'acquire', null, null, 4, 5).ops).valid).toBe(true);
    expect(searchLinearizable(m, new OpList().f(0, 'release', null, null, 0, 1).ops).valid).toBe(false);
  });
  it('a release concurrent with the second acquire lets it succeed', () => {
    const ops = new OpList().f(0, 'acquire', null, null, 0, 1).f(0, 'release', null, null, 2, 5).f(1, 'acquire', null, null, 3, 6).ops;
    expect(searchLinearizable(m, ops).valid).toBe(true);
  });
});

describe('set', () => {
  const m = getModel('set');
  it('a read sees exactly the adds before it; order of elements is irrelevant', () => {
    const ops = new OpList().f(0, 'add', 1, null, 0, 1).f(1, 'add', 2, null, 2, 3).f(2, 'read', null, [2, 1], 4, 5).ops;
    expect(searchLinearizable(m, ops).valid).toBe(true);
  });
  it('a lost add (completed, never read) is not linearizable', () => {
    const ops = new OpList().f(0, 'add', 1, null, 0, 1).f(1, 'add', 2, null, 2, 3).f(2, 'read', null, [2], 4, 5).ops;
    expect(searchLinearizable(m, ops).valid).toBe(false);
    expect(bruteForceLinearizable(m, ops)).toBe(false);
  });
  it('a read may or may not include a concurrent add', () => {
    const ops = new OpList().f(0, 'add', 1, null, 0, 5).f(1, 'read', null, [], 1, 2).f(2, 'read', null, [1], 3, 4).ops;
    expect(searchLinearizable(m, ops).valid).toBe(true);
  });
  it('an element seen then gone is not linearizable', () => {
    const ops = new OpList().f(0, 'add', 1, null, 0, 5).f(1, 'read', null, [1], 1, 2).f(2, 'read', null, [], 3, 4).ops;
    expect(searchLinearizable(m, ops).valid).toBe(false);
  });
});

describe('fifo-queue', () => {
  const m = getModel('fifo-queue');
  it('dequeues come out in enqueue order', () => {
    const ops = new OpList().f(0, 'enqueue', 1, null, 0, 1).f(0, 'enqueue', 2, null, 2, 3).f(1, 'dequeue', null, 1, 4, 5).f(1, 'dequeue', null, 2, 6, 7).ops;
    expect(searchLinearizable(m, ops).valid).toBe(true);
  });
  it('out-of-order dequeue is not linearizable', () => {
    const ops = new OpList().f(0, 'enqueue', 1, null, 0, 1).f(0, 'enqueue', 2, null, 2, 3).f(1, 'dequeue', null, 2, 4, 5).ops;
    expect(searchLinearizable(m, ops).valid).toBe(false);
    expect(bruteForceLinearizable(m, ops)).toBe(false);
  });
  it('concurrent enqueues can be dequeued in either order; an empty dequeue needs an empty queue', () => {
    const ops = new OpList().f(0, 'enqueue', 1, null, 0, 4).f(1, 'enqueue', 2, null, 1, 5).f(2, 'dequeue', null, 2, 6, 7).ops;
    expect(searchLinearizable(m, ops).valid).toBe(true);
    expect(searchLinearizable(m, new OpList().f(0, 'enqueue', 1, null, 0, 1).f(1, 'dequeue', null, null, 2, 3).ops).valid).toBe(false);
  });
});

describe('checkHistory on raw ops', () => {
  it('pairs, skips nemesis ops and reports counts', async () => {
    const raw: HistoryOp[] = [
      { index: 0, type: 'invoke', process: 0, f: 'write', value: 1, time: 10 },
      { index: 1, type: 'info', process: 'nemesis', f: 'start-partition', value: null, time: 11 },
      { index: 2, type: 'ok', process: 0, f: 'write', value: 1, time: 12 },
      { index: 3, type: 'invoke', process: 1, f: 'read', value: null, time: 13 },
      { index: 4, type: 'ok', process: 1, f: 'read', value: 1, time: 14 },
    ];
    const r = await checkHistory(raw, getModel('register'), {});
    expect(r).toMatchObject({ valid: true, ops: 2, model: 'register' });
  });
  it('a time limit already spent gives unknown, never a guess', async () => {
    // 14 concurrent writes, then a read of a value nobody wrote: refuting it means trying every subset
    // of writes (far more than the 4096 steps between clock checks), so a spent budget must stop it.
    const l = new OpList();
    for (let i = 0; i < 14; i++) l.w(i, i, i, 100 + i);
    l.r(20, 99, 200, 201);
    const r = await checkOperations(l.ops, getModel('register'), { timeLimit: 0, algorithm: 'search' });
    expect(r.valid).toBe('unknown');
    expect(r.reason).toBe('time-limit');
    const unlimited = await checkOperations(l.ops, getModel('register'), { algorithm: 'search' });
    expect(unlimited.valid).toBe(false);
  });
});

describe('budgets and algorithm choice', () => {
  const hard = () => {
    const l = new OpList();
    for (let i = 0; i < 14; i++) l.w(i, i, i, 100 + i);
    l.r(20, 99, 200, 201);
    return l.ops;
  };
  it('a memory budget already exceeded gives unknown (memory-limit), never a crash or a guess', async () => {
    const r = await checkOperations(hard(), getModel('register'), { maxMemory: 1, algorithm: 'search', workers: 0 });
    expect(r.valid).toBe('unknown');
    expect(r.reason).toBe('memory-limit');
  });
  it('--algorithm register on a history it cannot decide falls back to the search and says so', async () => {
    const ops = new OpList().f(0, 'acquire', null, null, 0, 1).f(0, 'release', null, null, 2, 3).ops;
    const r = await checkOperations(ops, getModel('mutex'), { algorithm: 'register' });
    expect(r.valid).toBe(true);
    expect(r.keys[0].algorithm).toBe('search');
    expect(r.keys[0].note).toMatch(/decided by the search instead/);
    const auto = await checkOperations(ops, getModel('mutex'), {});
    expect(auto.keys[0].note).toBeUndefined();
  });
});
