import { mkdir, open, readdir, readFile, rename, rm, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { RestoredState } from '../core/raft-node.js';
import type { HardState, Ready, Snapshot } from '../core/types.js';
import { recordsFor, replay, type WalRecord } from '../core/wal-records.js';
import { crc32 } from './crc32.js';
import { decodeFrames, encodeFrame, findFrameAfter } from './wal-codec.js';

const SNAPSHOT = 'snapshot.bin';
/** The durable length of the WAL as last written: [u32 segment][f64 bytes][u32 crc32 of the 12 bytes before]. */
const WATERMARK = 'wal.mark';
const segName = (n: number) => `wal-${String(n).padStart(8, '0')}.log`;

export interface StorageOptions {
  /** Bug knob no-fsync: buffer writes in-process and flush them every `lazyFlushMs`. */
  lazy?: boolean;
  lazyFlushMs?: number;
  log?: (line: string) => void;
}

/**
 * Durable term, vote, log and snapshot in one directory. The log is a sequence of WAL segments of
 * checksummed frames; a new segment starts after each snapshot, and segments wholly covered by the
 * snapshot are deleted, so disk use stays bounded. `persist` returns once the data is fsynced (unless the
 * no-fsync knob is on). Recovery drops a torn tail left by kill -9 in the last segment.
 *
 * Recovery never drops data this node may have acknowledged: a vote or an appended entry it replied to
 * counts towards an election or a commit, and a node that silently forgets it lets a majority form
 * without it (Jepsen found exactly that in NATS 2.12.1, with a truncated or bit-flipped file on a
 * minority of nodes). So damage is told apart from a torn write, and damage refuses to start:
 *  - a bad frame with a good frame after it (a flipped bit, a torn middle) is damage, not a torn tail;
 *  - `wal.mark` records how far the WAL was written after every fsync (written without an fsync of its
 *    own: a process crash keeps it, and after a power loss it can only be behind, never ahead); a
 *    segment shorter than the mark, or missing, lost fsynced frames: truncation or removal.
 * A node that refuses to start stays down and says why; the rest of the cluster keeps every committed
 * entry, and the operator replaces the node (wipe its data and let it catch up).
 */
export class FileStorage {
  private fh!: FileHandle;
  private segment = 0;
  /** Highest entry index written to each live segment. */
  private segMax = new Map<number, number>();
  private hardState: HardState = { term: 0, votedFor: null };
  private lazyBuf: Buffer[] = [];
  private lazyTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Bytes written to the current segment (all fsynced once persist returns). */
  private segBytes = 0;
  private mark!: FileHandle;

  private constructor(readonly dir: string, private readonly opts: StorageOptions) {}

  static async open(dir: string, opts: StorageOptions = {}): Promise<{ storage: FileStorage; restored: RestoredState }> {
    const s = new FileStorage(dir, opts);
    const restored = await s.recover();
    if (opts.lazy) {
      s.lazyTimer = setInterval(() => void s.flushLazy(), opts.lazyFlushMs ?? 1000);
      s.lazyTimer.unref();
    }
    return { storage: s, restored };
  }

  private async recover(): Promise<RestoredState> {
    await mkdir(this.dir, { recursive: true });
    let snapshot: Snapshot | undefined;
    try {
      const { values, torn } = decodeFrames<Snapshot>(await readFile(join(this.dir, SNAPSHOT)));
      if (torn || values.length !== 1) throw new Error(`${SNAPSHOT} is corrupt`);
      snapshot = values[0];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const segs = (await readdir(this.dir))
      .map((f) => /^wal-(\d{8})\.log$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const records: WalRecord[] = [];
    const mark = await this.readMark();
    if (mark && !segs.includes(mark.segment)) {
      throw new Error(`${segName(mark.segment)} is missing, but ${WATERMARK} says ${mark.bytes} bytes of it were fsynced: refusing to start without entries this node may have acknowledged`);
    }
    for (let i = 1; i < segs.length; i++) {
      if (segs[i] !== segs[i - 1] + 1) throw new Error(`${segName(segs[i - 1] + 1)} is missing between ${segName(segs[i - 1])} and ${segName(segs[i])}: refusing to start`);
    }
    for (const [i, n] of segs.entries()) {
      const path = join(this.dir, segName(n));
      const buf = await readFile(path);
      const { values, validBytes, torn } = decodeFrames<WalRecord>(buf);
      if (mark && mark.segment === n && validBytes < mark.bytes) {
        throw new Error(
          `${segName(n)} holds ${validBytes} good bytes, but ${WATERMARK} says ${mark.bytes} were fsynced (truncated or damaged): refusing to start without entries this node may have acknowledged`,
        );
      }
      if (torn) {
        const next = findFrameAfter(buf, validBytes);
        if (next >= 0) throw new Error(`${path} is damaged at byte ${validBytes} (a good frame follows at byte ${next}): refusing to start rather than drop what follows`);
        if (i !== segs.length - 1) throw new Error(`${path} is corrupt at byte ${validBytes} (not the last segment)`);
        this.opts.log?.(`storage: dropped a torn tail of ${buf.length - validBytes} bytes from ${segName(n)}`);
        await truncate(path, validBytes);
      }
      records.push(...values);
      this.segMax.set(n, maxIndex(values));
    }
    for (const r of records) if (r.t === 'hs') this.hardState = { term: r.term, votedFor: r.votedFor };
    this.segment = segs.length > 0 ? segs[segs.length - 1] : 1;
    this.fh = await open(join(this.dir, segName(this.segment)), 'a');
    this.segBytes = (await this.fh.stat()).size;
    // Not append mode: positional writes there go to the end on Linux. Read above, rewritten below.
    this.mark = await open(join(this.dir, WATERMARK), 'w');
    await this.writeMark();
    if (!this.segMax.has(this.segment)) this.segMax.set(this.segment, 0);
    await this.syncDir();
    return replay(snapshot, records);
  }

  private async readMark(): Promise<{ segment: number; bytes: number } | undefined> {
    let buf: Buffer;
    try {
      buf = await readFile(join(this.dir, WATERMARK));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    // A damaged mark cannot say anything: the frames' own checks still hold.
    if (buf.length !== 16 || crc32(buf.subarray(0, 12)) !== buf.readUInt32LE(12)) {
      this.opts.log?.(`storage: ignoring a damaged ${WATERMARK} (${buf.length} bytes)`);
      return undefined;
    }
    return { segment: buf.readUInt32LE(0), bytes: buf.readDoubleLE(4) };
  }

  /** Records how far the current segment is durable (after its fsync; see the class comment). */
  private async writeMark(): Promise<void> {
    const buf = Buffer.alloc(16);
    buf.writeUInt32LE(this.segment, 0);
    buf.writeDoubleLE(this.segBytes, 4);
    buf.writeUInt32LE(crc32(buf.subarray(0, 12)), 12);
    await this.mark.write(buf, 0, 16, 0);
  }

  /** Makes `rd`'s snapshot and log changes durable (fsync), in the order recovery expects. */
  async persist(rd: Ready): Promise<void> {
    if (rd.snapshot) await this.saveSnapshot(rd.snapshot);
    const records = recordsFor(rd);
    if (records.length === 0) return;
    for (const r of records) if (r.t === 'hs') this.hardState = { term: r.term, votedFor: r.votedFor };
    this.segMax.set(this.segment, Math.max(this.segMax.get(this.segment) ?? 0, maxIndex(records)));
    const buf = Buffer.concat(records.map(encodeFrame));
    if (this.opts.lazy) {
      this.lazyBuf.push(buf);
      return;
    }
    await this.fh.write(buf);
    await this.fh.datasync();
    this.segBytes += buf.length;
    await this.writeMark();
  }

  private async saveSnapshot(s: Snapshot): Promise<void> {
    await this.flushLazy();
    const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
    const fh = await open(tmp, 'w');
    await fh.write(encodeFrame(s));
    await fh.sync();
    await fh.close();
    await rename(tmp, join(this.dir, SNAPSHOT));
    // Start a new segment (carrying the current term and vote) so older ones can go.
    await this.fh.close();
    this.segment += 1;
    this.fh = await open(join(this.dir, segName(this.segment)), 'a');
    this.segMax.set(this.segment, 0);
    const hs = encodeFrame({ t: 'hs', ...this.hardState } satisfies WalRecord);
    await this.fh.write(hs);
    await this.fh.datasync();
    await this.syncDir();
    this.segBytes = hs.length;
    await this.writeMark();
    for (const [n, max] of this.segMax) {
      if (n !== this.segment && max <= s.meta.index) {
        await rm(join(this.dir, segName(n)), { force: true });
        this.segMax.delete(n);
      }
    }
  }

  private flushLazy(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.lazyBuf.length === 0) return;
      const buf = Buffer.concat(this.lazyBuf);
      this.lazyBuf = [];
      await this.fh.write(buf);
      await this.fh.datasync();
      this.segBytes += buf.length;
      await this.writeMark();
    });
    return this.flushing;
  }

  private async syncDir(): Promise<void> {
    const d = await open(this.dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  /** Closes the files. Lazy (no-fsync) data still buffered is deliberately dropped, like a crash. */
  async close(): Promise<void> {
    if (this.lazyTimer) clearInterval(this.lazyTimer);
    await this.flushing.catch(() => undefined);
    await this.fh.close();
    await this.mark.close();
  }
}

function maxIndex(records: WalRecord[]): number {
  let m = 0;
  for (const r of records) {
    if (r.t === 'ents') for (const e of r.entries) m = Math.max(m, e.index);
    if (r.t === 'ow') m = Math.max(m, r.entry.index);
  }
  return m;
}
