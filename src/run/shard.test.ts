import { describe, expect, it } from 'vitest';
import { inShard, parseShard } from './shard.js';

describe('--shard i/n', () => {
  it('parses i/n and refuses anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(undefined)).toBeUndefined();
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '1', '']) expect(() => parseShard(bad), bad).toThrow(/--shard/);
  });

  it('every item belongs to exactly one of n shards, the same one every time', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    const shards = [1, 2, 3, 4].map((i) => items.filter((k) => inShard(k, { index: i, count: 4 })));
    expect(shards.flat().sort((a, b) => a - b)).toEqual(items);
    expect(shards.map((s) => s.length)).toEqual([6, 6, 6, 5]);
    expect(items.filter((k) => inShard(k, parseShard('3/4')))).toEqual(shards[2]);
  });
});
