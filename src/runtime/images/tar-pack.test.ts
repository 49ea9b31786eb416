import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completeEntries, normaliseTarPath, paxRecord, tarBuffer, tarHash, tarHeader, type TarEntry } from './tar-pack.js';

function extract(buf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'tar-test-'));
  const file = join(dir, 'a.tar');
  writeFileSync(file, buf);
  execFileSync('tar', ['-xf', file, '-C', dir]);
  return dir;
}

describe('tar packer', () => {
  it('writes files, modes, symlinks and long names that GNU tar extracts', async () => {
    const src = join(mkdtempSync(join(tmpdir(), 'tar-src-')), 'bin');
    writeFileSync(src, 'from disk');
    const longName = `deep/${'x'.repeat(120)}/file.txt`;
    const dir = extract(
      await tarBuffer([
        { type: 'file', path: '/usr/bin/tool', content: '#!/bin/sh\necho hi\n', mode: 0o755 },
        { type: 'file', path: 'etc/from-disk', source: src },
        { type: 'symlink', path: 'bin/sh', target: '/usr/bin/tool' },
        { type: 'file', path: longName, content: 'long' },
        { type: 'dir', path: 'tmp', mode: 0o1777 },
      ]),
    );
    expect(readFileSync(join(dir, 'usr/bin/tool'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(statSync(join(dir, 'usr/bin/tool')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(dir, 'etc/from-disk'), 'utf8')).toBe('from disk');
    expect(readlinkSync(join(dir, 'bin/sh'))).toBe('/usr/bin/tool');
    expect(readFileSync(join(dir, longName), 'utf8')).toBe('long');
    expect(statSync(join(dir, 'tmp')).mode & 0o1777).toBe(0o1777);
  });

  it('is deterministic: same entries in any order give the same hash, other content another', async () => {
    const a: TarEntry[] = [
      { type: 'file', path: 'a', content: '1' },
      { type: 'file', path: 'b/c', content: '2' },
    ];
    expect(await tarHash(a)).toBe(await tarHash([...a].reverse()));
    expect(await tarHash(a)).not.toBe(await tarHash([{ type: 'file', path: 'a', content: '1!' }, a[1]!]));
    expect(await tarHash(a, 'salt')).not.toBe(await tarHash(a));
  });

  it('adds missing parent directories and lets the last entry for a path win', () => {
    const entries = completeEntries([
      { type: 'file', path: '/x/y/z', content: 'old' },
      { type: 'file', path: 'x/y/z', content: 'new' },
    ]);
    expect(entries.map((e) => `${e.type}:${e.path}`)).toEqual(['dir:x', 'dir:x/y', 'file:x/y/z']);
    expect((entries[2] as { content: string }).content).toBe('new');
  });

  it('rejects paths that escape the root', () => {
    expect(() => normaliseTarPath('../etc/passwd')).toThrow(/escapes/);
    expect(normaliseTarPath('./a//b/')).toBe('a/b');
  });

  it('computes ustar checksums and self-describing PAX record lengths', () => {
    const h = tarHeader({ name: 'f', mode: 0o644, size: 3, typeflag: '0' });
    const stored = parseInt(h.subarray(148, 154).toString(), 8);
    const copy = Buffer.from(h);
    copy.fill(0x20, 148, 156);
    expect(stored).toBe(copy.reduce((s, b) => s + b, 0));
    for (const value of ['a', 'x'.repeat(90), 'x'.repeat(95)]) {
      const record = paxRecord('path', value);
      expect(Number(record.split(' ')[0])).toBe(Buffer.byteLength(record));
    }
  });
});
