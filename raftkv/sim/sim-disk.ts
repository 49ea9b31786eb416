import type { RestoredState } from '../core/raft-node.js';
import type { Snapshot } from '../core/types.js';
import { replay, type WalRecord } from '../core/wal-records.js';

/**
 * A node's disk in the simulation: records written but not yet synced are lost by a crash, the way
 * an in-process buffer or a power cut loses them.
 */
export class SimDisk {
  private synced: WalRecord[] = [];
  private unsynced: WalRecord[] = [];
  private snapshot: Snapshot | undefined;

  write(records: WalRecord[]): void {
    this.unsynced.push(...records);
  }
  /** Snapshots are written to a temp file, synced and renamed: durable at once. */
  saveSnapshot(s: Snapshot): void {
    this.sync();
    this.snapshot = s;
  }
  sync(): void {
    if (this.unsynced.length > 0) {
      this.synced.push(...this.unsynced);
      this.unsynced = [];
    }
  }
  crash(): void {
    this.unsynced = [];
  }
  recover(): RestoredState {
    return replay(this.snapshot, this.synced);
  }
}
