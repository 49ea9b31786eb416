import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentHash, inputFingerprint } from './content-hash.js';
import { tarHash, type TarEntry } from './tar-pack.js';

describe('content hash', () => {
  it('equals the tar hash and changes when a source file changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hash-'));
    const cache = join(dir, 'cache');
    const src = join(dir, 'f');
    writeFileSync(src, 'one');
    const entries: TarEntry[] = [{ type: 'file', path: 'f', source: src, mode: 0o644 }];
    const first = await contentHash(entries, 's', cache);
    expect(first).toBe(await tarHash(entries, 's'));
    expect(await contentHash(entries, 's', cache)).toBe(first);
    writeFileSync(src, 'two!');
    utimesSync(src, new Date(), new Date(Date.now() + 5_000));
    const second = await contentHash(entries, 's', cache);
    expect(second).not.toBe(first);
    expect(second).toBe(await tarHash(entries, 's'));
  });

  it('fingerprints inline content and link targets', async () => {
    const a = await inputFingerprint([{ type: 'symlink', path: 'l', target: 'x' }], '');
    const b = await inputFingerprint([{ type: 'symlink', path: 'l', target: 'y' }], '');
    expect(a).not.toBe(b);
  });
});
