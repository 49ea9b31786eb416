import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Entry, Ready } from '../core/types.js';
import { FileStorage } from './storage.js';
import { decodeFrames, encodeFrame } from './wal-codec.js';

const put = (index: number, term: number): Entry => ({ index, term, cmd: { type: 'put', key: 'k', value: index } });
const ready = (p: Partial<Ready>): Ready => ({ entries: [], messages: [], replies: [], logLines: [], ...p });

let dir: string;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('wal-codec', () => {
  it('round-trips frames and stops at a torn or corrupted tail', () => {
    const a = encodeFrame({ a: 1 }), b = encodeFrame({ b: 2 });
    const whole = Buffer.concat([a, b]);
    expect(decodeFrames(whole)).toEqual({ values: [{ a: 1 }, { b: 2 }], validBytes: whole.length, torn: false });
    const torn = whole.subarray(0, whole.length - 3);
    expect(decodeFrames(torn)).toMatchObject({ values: [{ a: 1 }], validBytes: a.length, torn: true });
    const flipped = Buffer.from(whole);
    flipped[whole.length - 2] ^= 0xff; // payload byte of the second frame
    expect(decodeFrames(flipped)).toMatchObject({ values: [{ a: 1 }], torn: true });
  });
});

describe('FileStorage', () => {
  it('recovers term, vote and log, including truncations', async () => {
    dir = await mkdtemp(join(tmpdir(), 'raftkv-st-'));
    const { storage } = await FileStorage.open(dir);
    await storage.persist(ready({ hardState: { term: 2, votedFor: 'n3' }, entries: [put(1, 1), put(2, 1), put(3, 2)] }));
    await storage.persist(ready({ truncateFrom: 3, entries: [put(3, 3)] }));
    await storage.close();
    const { restored, storage: s2 } = await FileStorage.open(dir);
    await s2.close();
    expect(restored.hardState).toEqual({ term: 2, votedFor: 'n3' });
    expect(restored.entries.map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 1], [3, 3]]);
  });

  it('drops a torn tail left by a crash and keeps everything before it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'raftkv-st-'));
    const { storage } = await FileStorage.open(dir);
    await storage.persist(ready({ hardState: { term: 1, votedFor: null }, entries: [put(1, 1), put(2, 1)] }));
    await storage.close();
    const [seg] = (await readdir(dir)).filter((f) => f.startsWith('wal-'));
    const before = (await stat(join(dir, seg))).size;
    const half = encodeFrame({ t: 'ents', entries: [put(3, 1)] });
    await appendFile(join(dir, seg), half.subarray(0, half.length - 5));
    const lines: string[] = [];
    const { restored, storage: s2 } = await FileStorage.open(dir, { log: (l) => lines.push(l) });
    expect(restored.entries.map((e) => e.index)).toEqual([1, 2]);
    expect(lines.join()).toMatch(/torn tail/);
    expect((await stat(join(dir, seg))).size).toBe(before);
    // The log keeps working after the cut.
    await s2.persist(ready({ entries: [put(3, 1)] }));
    await s2.close();
    const { restored: r3, storage: s3 } = await FileStorage.open(dir);
    await s3.close();
    expect(r3.entries.map((e) => e.index)).toEqual([1, 2, 3]);
  });

  it('a snapshot starts a new segment and deletes the ones it covers', async () => {
    dir = await mkdtemp(join(tmpdir(), 'raftkv-st-'));
    const { storage } = await FileStorage.open(dir);
    await storage.persist(ready({ hardState: { term: 4, votedFor: 'n1' }, entries: [1, 2, 3, 4, 5].map((i) => put(i, 4)) }));
    const snap = { meta: { index: 5, term: 4 }, data: { kv: { k: 5 }, sessions: {} } };
    await storage.persist(ready({ snapshot: snap, entries: [put(6, 4)] }));
    await storage.persist(ready({ entries: [put(7, 4)] }));
    await storage.close();
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['snapshot.bin', 'wal-00000002.log', 'wal.mark']);
    const { restored, storage: s2 } = await FileStorage.open(dir);
    await s2.close();
    expect(restored.hardState).toEqual({ term: 4, votedFor: 'n1' });
    expect(restored.snapshot?.meta).toEqual({ index: 5, term: 4 });
    expect(restored.entries.map((e) => e.index)).toEqual([6, 7]);
    expect(decodeFrames(await readFile(join(dir, 'snapshot.bin'))).values).toHaveLength(1);
  });

  it('no-fsync mode loses acknowledged writes that were still buffered at a crash', async () => {
    dir = await mkdtemp(join(tmpdir(), 'raftkv-st-'));
    const { storage } = await FileStorage.open(dir, { lazy: true, lazyFlushMs: 60_000 });
    await storage.persist(ready({ hardState: { term: 1, votedFor: null }, entries: [put(1, 1)] }));
    await storage.close(); // crash before the interval flush
    const { restored, storage: s2 } = await FileStorage.open(dir);
    await s2.close();
    expect(restored.entries).toEqual([]);
  });

  describe('damage is not a torn tail: it refuses to start instead of dropping acknowledged entries', () => {
    async function written(): Promise<string> {
      dir = await mkdtemp(join(tmpdir(), 'raftkv-st-'));
      const { storage } = await FileStorage.open(dir);
      await storage.persist(ready({ hardState: { term: 1, votedFor: 'n2' }, entries: [put(1, 1)] }));
      await storage.persist(ready({ entries: [put(2, 1), put(3, 1)] }));
      await storage.persist(ready({ entries: [put(4, 1)] }));
      await storage.close();
      return join(dir, 'wal-00000001.log');
    }

    it('a flipped bit with good frames after it (told apart from a torn tail even without the mark)', async () => {
      const seg = await written();
      const buf = await readFile(seg);
      buf[20] ^= 0x10;
      await writeFile(seg, buf);
      await expect(FileStorage.open(dir)).rejects.toThrow(/refusing to start/);
      await rm(join(dir, 'wal.mark'));
      await expect(FileStorage.open(dir)).rejects.toThrow(/damaged at byte \d+ \(a good frame follows at byte \d+\): refusing to start/);
    });

    it('a flipped bit in the last frame', async () => {
      const seg = await written();
      const buf = await readFile(seg);
      buf[buf.length - 3] ^= 0x01;
      await writeFile(seg, buf);
      await expect(FileStorage.open(dir)).rejects.toThrow(/were fsynced \(truncated or damaged\): refusing to start/);
    });

    it('a truncation, even at a frame boundary', async () => {
      const seg = await written();
      const frames = decodeFrames(await readFile(seg));
      const last = encodeFrame(frames.values[frames.values.length - 1]).length;
      await truncate(seg, frames.validBytes - last);
      await expect(FileStorage.open(dir)).rejects.toThrow(/holds \d+ good bytes, but wal\.mark says \d+ were fsynced/);
    });

    it('a removed segment', async () => {
      const seg = await written();
      await rm(seg);
      await expect(FileStorage.open(dir)).rejects.toThrow(/wal-00000001\.log is missing, but wal\.mark says/);
    });

    it('a damaged mark is ignored (the frames still check themselves)', async () => {
      await written();
      await writeFile(join(dir, 'wal.mark'), 'garbage');
      const { restored, storage } = await FileStorage.open(dir);
      await storage.close();
      expect(restored.entries.map((e) => e.index)).toEqual([1, 2, 3, 4]);
    });
  });
});
