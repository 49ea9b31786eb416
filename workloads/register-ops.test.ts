import { describe, expect, it } from 'vitest';
import { Prng } from '../src/generator/prng.js';
import { registerWorkload } from './register.js';
import { kvStream } from './kv.js';

const take = (next: () => { f: string }, n: number) => Array.from({ length: n }, next);

describe('register/kv op kinds (--ops)', () => {
  it('all three kinds, given or not, draw the same sequence (seeds keep their ops)', () => {
    const plain = registerWorkload.stream(new Prng(7), { activeKeys: 1, opsPerKey: 1 });
    const all = registerWorkload.stream(new Prng(7), { activeKeys: 1, opsPerKey: 1, ops: ['read', 'write', 'cas'] });
    expect(take(() => all.next(), 200)).toEqual(take(() => plain.next(), 200));
  });

  it('write,cas issues no reads but both writes and cas', () => {
    const stream = registerWorkload.stream(new Prng(3), { activeKeys: 1, opsPerKey: 1, ops: ['write', 'cas'] });
    const fs = take(() => stream.next(), 300).map((op) => op.f);
    expect(fs).not.toContain('read');
    expect(fs).toContain('write');
    expect(fs).toContain('cas');
    expect(stream.finalReads().map((op) => op.f)).toEqual(['read']);
  });

  it('read,write on kv issues no cas', () => {
    const stream = kvStream(new Prng(5), { activeKeys: 4, opsPerKey: 50, ops: ['read', 'write'] });
    const fs = new Set(take(() => stream.next(), 300).map((op) => op.f));
    expect([...fs].sort()).toEqual(['read', 'write']);
  });
});
