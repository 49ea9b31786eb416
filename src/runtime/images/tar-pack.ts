/**
 * A small, deterministic tar (ustar + PAX for long names) writer. Docker's `import` and `build` endpoints
 * take tar streams; writing them ourselves keeps the bytes reproducible (fixed mtime, uid 0), so the
 * SHA-256 of the stream is a content hash usable as an image tag.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';

export type TarEntry =
  | { type: 'file'; path: string; mode?: number; content: Buffer | string }
  /** A file whose bytes are read from `source` (on the host) only when the stream reaches it. */
  | { type: 'file'; path: string; mode?: number; source: string }
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'symlink'; path: string; target: string };

const BLOCK = 512;
/** Fixed so identical inputs give identical bytes (and hashes). 2020-01-01T00:00:00Z. */
const FIXED_MTIME = 1577836800;

/** Normalises an entry path: no leading `/` or `./`, forward slashes, no trailing slash. */
export function normaliseTarPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new Error(`tar path escapes the root: ${path}`);
  return parts.join('/');
}

/**
 * Sorts entries, drops duplicates (the last one for a path wins) and adds a `dir` entry for every
 * parent directory that has none, so extractors never have to invent directories.
 */
export function completeEntries(entries: TarEntry[]): TarEntry[] {
  const byPath = new Map<string, TarEntry>();
  for (const e of entries) {
    const path = normaliseTarPath(e.path);
    if (path === '') continue;
    byPath.set(path, { ...e, path } as TarEntry);
  }
  for (const path of [...byPath.keys()]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!byPath.has(parent)) byPath.set(parent, { type: 'dir', path: parent });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  buf.write(value, offset, Math.min(length, Buffer.byteLength(value)), 'utf8');
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  // length-1 octal digits followed by NUL, as ustar expects.
  writeString(buf, offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

/** One 512-byte ustar header. `name` must already fit in 100 bytes (PAX covers longer ones). */
export function tarHeader(h: { name: string; mode: number; size: number; typeflag: string; linkname?: string }): Buffer {
  const buf = Buffer.alloc(BLOCK);
  writeString(buf, 0, 100, h.name);
  writeOctal(buf, 100, 8, h.mode);
  writeOctal(buf, 108, 8, 0);
  writeOctal(buf, 116, 8, 0);
  writeOctal(buf, 124, 12, h.size);
  writeOctal(buf, 136, 12, FIXED_MTIME);
  buf.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  writeString(buf, 156, 1, h.typeflag);
  writeString(buf, 157, 100, h.linkname ?? '');
  writeString(buf, 257, 6, 'ustar\0');
  writeString(buf, 263, 2, '00');
  writeString(buf, 265, 32, 'root');
  writeString(buf, 297, 32, 'root');
  let sum = 0;
  for (const byte of buf) sum += byte;
  writeString(buf, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return buf;
}

/** A PAX record "<len> <key>=<value>\n" where <len> counts the whole record including itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest);
}

function headerBlocks(name: string, mode: number, size: number, typeflag: string, linkname = ''): Buffer[] {
  const needsPax = Buffer.byteLength(name) > 100 || Buffer.byteLength(linkname) > 100;
  const out: Buffer[] = [];
  if (needsPax) {
    let records = paxRecord('path', name);
    if (linkname) records += paxRecord('linkpath', linkname);
    const body = Buffer.from(records);
    out.push(tarHeader({ name: 'PaxHeader', mode: 0o644, size: body.length, typeflag: 'x' }), body, padding(body.length));
  }
  out.push(tarHeader({ name: name.slice(0, 100), mode, size, typeflag, linkname: linkname.slice(0, 100) }));
  return out;
}

/** Yields the tar bytes of `entries` (already completed or not), reading `source` files lazily. */
export async function* tarChunks(entries: TarEntry[]): AsyncGenerator<Buffer> {
  for (const e of completeEntries(entries)) {
    if (e.type === 'dir') {
      yield* headerBlocks(`${e.path}/`, e.mode ?? 0o755, 0, '5');
    } else if (e.type === 'symlink') {
      yield* headerBlocks(e.path, 0o777, 0, '2', e.target);
    } else {
      const content = 'source' in e ? await readFile(e.source) : Buffer.from(e.content);
      yield* headerBlocks(e.path, e.mode ?? 0o644, content.length, '0');
      yield content;
      yield padding(content.length);
    }
  }
  yield Buffer.alloc(BLOCK * 2);
}

export function tarStream(entries: TarEntry[]): Readable {
  return Readable.from(tarChunks(entries), { objectMode: false });
}

export async function tarBuffer(entries: TarEntry[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of tarChunks(entries)) parts.push(chunk);
  return Buffer.concat(parts);
}

/** SHA-256 (hex) of the tar bytes `entries` produce: the content hash images are tagged with. */
export async function tarHash(entries: TarEntry[], salt = ''): Promise<string> {
  const hash = createHash('sha256').update(salt);
  for await (const chunk of tarChunks(entries)) hash.update(chunk);
  return hash.digest('hex');
}
