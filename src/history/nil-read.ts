/**
 * What an `ok` read that returned nil/null means. Both meanings are in use, and a history is written for one:
 * - `unconstrained` (Knossos): register, cas-register and multi-register accept an ok read of nil in any
 *   state — `(or (nil? (:value op)) (= value (:value op)))` in knossos.model — so Jepsen test histories
 *   use nil for "this read saw nothing useful". Such a read constrains nothing and is left out of the check.
 * - `strict` (Porcupine's etcd model, and Faultline's own runs): nil is a value, "the key is absent" or the
 *   initial null; reading it after a write is a stale read.
 * The default follows the source: Jepsen/Knossos EDN is unconstrained; our JSONL and Jepsen logs (the
 * format of Porcupine's etcd data) are strict. Models whose reads are not register reads (kv-append reads
 * nil as "", fifo-queue's nil dequeue means empty, set reads whole sets, mutex has no reads) have no choice
 * to make, and say so when the flag is given.
 */
export type NilReadMeaning = 'unconstrained' | 'strict';

export const NIL_READ_MEANINGS: readonly NilReadMeaning[] = ['unconstrained', 'strict'];

export function defaultNilRead(format: 'jsonl' | 'edn' | 'jepsen-log'): NilReadMeaning {
  return format === 'edn' ? 'unconstrained' : 'strict';
}
