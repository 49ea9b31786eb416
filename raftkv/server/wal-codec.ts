import { crc32 } from './crc32.js';

/**
 * Framing for durable files: [u32 length][u32 crc32 of payload][payload (UTF-8 JSON)].
 * A crash mid-write leaves a torn frame at the tail; `decodeFrames` stops at the first frame whose
 * length or checksum does not hold and reports how many bytes were good, so the tail can be cut off.
 */
export function encodeFrame(value: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(value), 'utf8');
  const frame = Buffer.allocUnsafe(8 + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, 8);
  return frame;
}

export function decodeFrames<T>(buf: Buffer): { values: T[]; validBytes: number; torn: boolean } {
  const values: T[] = [];
  let off = 0;
  while (off < buf.length) {
    if (off + 8 > buf.length) break;
    const len = buf.readUInt32LE(off);
    const sum = buf.readUInt32LE(off + 4);
    if (off + 8 + len > buf.length) break;
    const payload = buf.subarray(off + 8, off + 8 + len);
    if (crc32(payload) !== sum) break;
    try {
      values.push(JSON.parse(payload.toString('utf8')) as T);
    } catch {
      break;
    }
    off += 8 + len;
  }
  return { values, validBytes: off, torn: off < buf.length };
}

/**
 * The offset of the first whole, checksummed frame that starts after `from`, or -1. A torn tail (a crash
 * in the middle of an append) has nothing valid after it; damage in the middle of a file does.
 */
export function findFrameAfter(buf: Buffer, from: number): number {
  for (let off = from + 1; off + 8 <= buf.length; off++) {
    const len = buf.readUInt32LE(off);
    if (len === 0 || off + 8 + len > buf.length) continue;
    const payload = buf.subarray(off + 8, off + 8 + len);
    if (crc32(payload) !== buf.readUInt32LE(off + 4)) continue;
    try {
      JSON.parse(payload.toString('utf8'));
      return off;
    } catch {
      // a checksum collision on garbage: keep looking
    }
  }
  return -1;
}
