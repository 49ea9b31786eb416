import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/generator/prng.js';
import { nodeForThread, ProcessTable } from '../../src/generator/processes.js';
import { RateLimiter } from '../../src/generator/rate-limiter.js';
import { getWorkload } from '../../workloads/index.js';
import { kvStream } from '../../workloads/kv.js';

const take = (stream: { next(): unknown }, n: number) => Array.from({ length: n }, () => stream.next());
const opts = { activeKeys: 3, opsPerKey: 10 };

describe('seeded PRNG', () => {
  it('reproduces the same sequence for the same seed and a different one for another seed', () => {
    const a = Array.from({ length: 100 }, ((r) => () => r.nextU32())(new Prng(42)));
    const b = Array.from({ length: 100 }, ((r) => () => r.nextU32())(new Prng(42)));
    const c = Array.from({ length: 100 }, ((r) => () => r.nextU32())(new Prng(43)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
  it('int(n) stays in range and covers it', () => {
    const r = new Prng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(7);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(7);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
  });
  it('forks are independent of each other and of the parent state', () => {
    const p = new Prng(9);
    const f1 = p.fork('ops').nextU32();
    p.nextU32();
    expect(p.fork('ops').nextU32()).toBe(f1);
    expect(p.fork('nemesis').nextU32()).not.toBe(f1);
  });
});

describe('op streams', () => {
  for (const name of ['register', 'kv', 'set']) {
    it(`${name}: same seed, same ops; other seed, other ops`, () => {
      const w = getWorkload(name);
      const a = take(w.stream(new Prng(7), opts), 300);
      expect(take(w.stream(new Prng(7), opts), 300)).toEqual(a);
      if (name !== 'set') expect(take(w.stream(new Prng(8), opts), 300)).not.toEqual(a);
    });
  }
  it('every written value is unique within its key', () => {
    for (const name of ['register', 'kv']) {
      const ops = take(getWorkload(name).stream(new Prng(3), opts), 5000) as { f: string; key?: string; value: unknown }[];
      const written = new Map<string, Set<unknown>>();
      for (const op of ops) {
        const v = op.f === 'write' ? op.value : op.f === 'cas' ? (op.value as unknown[])[1] : undefined;
        if (v === undefined) continue;
        const set = written.get(op.key ?? '') ?? new Set();
        expect(set.has(v)).toBe(false);
        set.add(v);
        written.set(op.key ?? '', set);
      }
    }
  });
  it('kv keys rotate: no key sees more than opsPerKey ops, and final reads cover every key', () => {
    const stream = kvStream(new Prng(5), opts);
    const ops = take(stream, 1000) as { key: string }[];
    const perKey = new Map<string, number>();
    for (const op of ops) perKey.set(op.key, (perKey.get(op.key) ?? 0) + 1);
    expect(Math.max(...perKey.values())).toBeLessThanOrEqual(10);
    expect(perKey.size).toBeGreaterThanOrEqual(100);
    const finalKeys = new Set(stream.finalReads().map((r) => r.key));
    for (const k of perKey.keys()) expect(finalKeys.has(k)).toBe(true);
  });
  it('register ops mix read, write and cas', () => {
    const fs = new Set((take(getWorkload('register').stream(new Prng(1), opts), 100) as { f: string }[]).map((o) => o.f));
    expect([...fs].sort()).toEqual(['cas', 'read', 'write']);
  });
});

describe('process ids', () => {
  it('after an info the thread takes process old + concurrency', () => {
    const t = new ProcessTable(4);
    expect(t.process(2)).toBe(2);
    expect(t.crash(2)).toBe(6);
    expect(t.crash(2)).toBe(10);
    expect(t.process(1)).toBe(1);
    expect(t.maxProcess()).toBe(10);
  });
  it('threads are bound to nodes round-robin', () => {
    expect([0, 1, 2, 3, 4].map((t) => nodeForThread(t, ['n1', 'n2', 'n3']))).toEqual(['n1', 'n2', 'n3', 'n1', 'n2']);
  });
});

describe('rate limiter', () => {
  it('reserves slots 1/rate apart, with the burst tolerance up front (fake clock)', () => {
    let now = 1000;
    const strict = new RateLimiter(100, 0, () => now);
    expect([0, 1, 2, 3].map(() => strict.reserve())).toEqual([0, 10, 20, 30]);
    const bursty = new RateLimiter(100, 20, () => now);
    expect([0, 1, 2, 3, 4].map(() => bursty.reserve())).toEqual([0, 0, 0, 10, 20]);
    now += 1000; // idle time does not bank more than the burst
    expect([0, 1, 2, 3].map(() => bursty.reserve())).toEqual([0, 0, 0, 10]);
  });
  it('rate 0 means unlimited', () => {
    const unlimited = new RateLimiter(0, 0, () => 0);
    expect([0, 1, 2].map(() => unlimited.reserve())).toEqual([0, 0, 0]);
  });
});

describe('sleep on a shared signal', () => {
  it('many sleepers on one signal add one abort listener, and all wake on abort', async () => {
    const { EventEmitter } = await import('node:events');
    const { sleep } = await import('../../src/generator/sleep.js');
    const ac = new AbortController();
    const sleepers = Array.from({ length: 50 }, () => sleep(60_000, ac.signal));
    expect(EventEmitter.getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    ac.abort();
    await Promise.all(sleepers);
    // Later sleepers on the aborted signal return at once and add nothing.
    await sleep(60_000, ac.signal);
    expect(EventEmitter.getEventListeners(ac.signal, 'abort').length).toBeLessThanOrEqual(1);
  });
});
