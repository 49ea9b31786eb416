import type { HistoryOp } from '../../src/history/types.js';

/**
 * Makes one ok read impossible: it returns a value written only by a write invoked after the read
 * completed (a read from the future), or, when there is none, a value no op ever wrote. Values must be
 * unique per key for the first kind to be a certain anomaly. Returns the index of the changed completion.
 */
export function injectReadAnomaly(history: HistoryOp[], pick: number): number | undefined {
  const reads = history.filter((h) => h.type === 'ok' && h.f === 'read');
  if (reads.length === 0) return undefined;
  const read = reads[pick % reads.length];
  const future = history.find(
    (h) => h.type === 'invoke' && h.f === 'write' && h.index > read.index && h.key === read.key && h.value !== read.value,
  );
  read.value = future ? future.value : -1;
  return read.index;
}
