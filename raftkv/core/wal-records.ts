import type { RestoredState } from './raft-node.js';
import type { Entry, HardState, Ready, Snapshot } from './types.js';

/**
 * What the write-ahead log holds, one record per change. Both the file storage (server/storage.ts) and
 * the simulated disk (sim/sim-disk.ts) store these and rebuild a node with `replay`.
 */
export type WalRecord =
  | { t: 'hs'; term: number; votedFor: string | null }
  | { t: 'ents'; entries: Entry[] }
  | { t: 'trunc'; from: number }
  | { t: 'ow'; entry: Entry };

/** The WAL records for one Ready, in the order they must be written (the snapshot is saved separately). */
export function recordsFor(rd: Ready): WalRecord[] {
  const out: WalRecord[] = [];
  if (rd.hardState) out.push({ t: 'hs', ...rd.hardState });
  if (rd.truncateFrom !== undefined) out.push({ t: 'trunc', from: rd.truncateFrom });
  for (const e of rd.overwrites ?? []) out.push({ t: 'ow', entry: e });
  if (rd.entries.length > 0) out.push({ t: 'ents', entries: rd.entries });
  return out;
}

/** Rebuilds term, vote and log from the last durable snapshot and the records written after it. */
export function replay(snapshot: Snapshot | undefined, records: Iterable<WalRecord>): RestoredState {
  let hardState: HardState = { term: 0, votedFor: null };
  const base = snapshot?.meta.index ?? 0;
  const log: Entry[] = []; // log[i] has index base + 1 + i
  const last = () => base + log.length;
  for (const r of records) {
    switch (r.t) {
      case 'hs':
        hardState = { term: r.term, votedFor: r.votedFor };
        break;
      case 'trunc':
        if (r.from <= last()) log.length = Math.max(0, r.from - base - 1);
        break;
      case 'ow':
        if (r.entry.index > base && r.entry.index <= last()) log[r.entry.index - base - 1] = r.entry;
        else if (r.entry.index === last() + 1) log.push(r.entry);
        break;
      case 'ents':
        for (const e of r.entries) {
          if (e.index <= base) continue;
          if (e.index <= last()) log.length = e.index - base - 1; // re-written index: later record wins
          if (e.index !== last() + 1) throw new Error(`WAL gap: entry ${e.index} after ${last()}`);
          log.push(e);
        }
        break;
    }
  }
  return { hardState, snapshot, entries: log };
}
