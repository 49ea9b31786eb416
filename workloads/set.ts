/**
 * A grow-only set: `add e` for unique, increasing integers e, with whole-set reads mixed in (about one op
 * in ten during the main phase), then reads of the whole set on every node at the end.
 * Design choice: the set is ONE key whose value is the space-separated list of elements, and an add is the
 * client's `append(key, " e")`. One key means a read sees every element in one request and can also
 * reveal phantom elements (values nobody added); writing distinct keys could not show either cheaply.
 * Checked as linearizable with the `set` model, plus the workload check below (lost / phantom / duplicate
 * in the final reads, and vanished: an element once known present and missing from a later read, Jepsen
 * set-full's "lost"). Mid-run reads are what let a replica whose state machine diverged (a leader that
 * shows x, a later leader that does not) be caught even when the final state happens to look fine.
 */
import type { HistoryOp } from '../src/history/types.js';
import type { Prng } from '../src/generator/prng.js';
import type { CallOptions, ClientWith } from '../src/core/client.js';
import type { OpStream, PlannedOp, Workload, WorkloadCheck } from './workload.js';

export const SET_KEY = 'faultline-set';

/** Parses the stored string into elements (in stored order, duplicates kept so they can be reported). */
export function parseSetValue(raw: unknown): number[] {
  if (raw === null || raw === undefined || raw === '') return [];
  return String(raw)
    .split(/\s+/)
    .filter((s) => s.length > 0)
    .map(Number);
}

async function applySetOp(client: ClientWith<'read' | 'append'>, op: PlannedOp, call: CallOptions): Promise<unknown> {
  if (op.f === 'add') {
    await client.append(SET_KEY, ` ${op.value as number}`, call);
    return op.value;
  }
  if (op.f === 'read') return parseSetValue(await client.read(SET_KEY, call));
  throw new Error(`set workload cannot apply f=${op.f}`);
}

/** Why an element counts as vanished: where it became known present, and the first read that lacked it. */
export interface VanishedExplanation {
  element: number;
  /** History index of the completion that made the element known present (an ok add, or an ok read containing it). */
  seenAt: number;
  seenBy: 'add' | 'read';
  /** History index of the invoke of the read that lacked it (always after `seenAt`: the two do not overlap). */
  missingInvokedAt: number;
  /** History index of that read's ok completion. */
  missingAt: number;
  missingNode?: string;
}

const MAX_VANISHED_EXPLAINED = 5;

interface OkRead {
  invokeIndex: number;
  completeIndex: number;
  node?: string;
  elements: number[];
}

/**
 * Checks the set history; `finalReadFrom` is the first history index of the final-read phase.
 *
 * Lost: an add acknowledged ok but missing from a successful final read.
 * Phantom: an element in a final read that no add ever invoked. Duplicate: an element stored twice (final reads).
 * Adds that ended in info may or may not be present ("recovered" counts those that are).
 * Vanished (Jepsen set-full's "lost"): element e is known present from the completion of an ok add of e, or
 * of the earliest-completing ok read that contained e; any ok read (mid-run or final) INVOKED after that
 * completion that lacks e shows e vanished. A read concurrent with the add, or with the read that first showed
 * e, may legitimately lack it and does not count. An acknowledged add missing from a final read is therefore
 * both lost and vanished; `vanished` also covers elements that only a read ever showed, and mid-run reads.
 * Any lost, phantom, duplicated or vanished element makes the check invalid; with no successful final read
 * the verdict is unknown unless something vanished (which needs no final read).
 */
export function checkSetHistory(history: readonly HistoryOp[], finalReadFrom: number): WorkloadCheck {
  const invoked = new Set<number>();
  const acknowledged = new Set<number>();
  const finalReads: { node?: string; elements: number[] }[] = [];
  /** Every ok read, in invoke order (the history is in real-time order and indices are dense). */
  const okReads: OkRead[] = [];
  /** Element -> earliest completion index that made it known present, and by what kind of op. */
  const knownAt = new Map<number, { index: number; by: 'add' | 'read' }>();
  const know = (e: number, index: number, by: 'add' | 'read') => {
    const prev = knownAt.get(e);
    if (prev === undefined || index < prev.index) knownAt.set(e, { index, by });
  };
  /** A completion belongs to the latest invoke of its process. */
  const pending = new Map<number | string, HistoryOp>();
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      pending.set(op.process, op);
      if (op.f === 'add') invoked.add(op.value as number);
      continue;
    }
    const inv = pending.get(op.process);
    pending.delete(op.process);
    if (op.type !== 'ok') continue;
    if (op.f === 'add') {
      const e = (inv?.f === 'add' ? inv.value : op.value) as number;
      acknowledged.add(e);
      know(e, op.index, 'add');
    } else if (op.f === 'read') {
      const elements = Array.isArray(op.value) ? (op.value as number[]) : [];
      if (op.index >= finalReadFrom) finalReads.push({ node: op.node, elements });
      for (const e of elements) know(e, op.index, 'read');
      okReads.push({ invokeIndex: inv?.f === 'read' ? inv.index : op.index, completeIndex: op.index, node: op.node ?? inv?.node, elements });
    }
  }

  // Vanished: walk reads in invoke order; an element joins `known` once its known-since completion index is
  // before the read's invoke, and every read from then on must contain it. O(reads x known elements).
  okReads.sort((a, b) => a.invokeIndex - b.invokeIndex);
  const knownOrder = [...knownAt.entries()].sort((a, b) => a[1].index - b[1].index);
  const known: number[] = [];
  let next = 0;
  const firstMissing = new Map<number, OkRead>();
  for (const read of okReads) {
    while (next < knownOrder.length && knownOrder[next][1].index < read.invokeIndex) known.push(knownOrder[next++][0]);
    if (known.length === 0) continue;
    const present = new Set(read.elements);
    for (const e of known) if (!present.has(e) && !firstMissing.has(e)) firstMissing.set(e, read);
  }
  const sorted = (s: Iterable<number>) => [...s].sort((a, b) => a - b);
  const vanished = sorted(firstMissing.keys());
  // Explain the earliest vanishings (by the completion of the read that lacked them), ties by element.
  const explained: VanishedExplanation[] = [...firstMissing.entries()]
    .sort((a, b) => a[1].completeIndex - b[1].completeIndex || a[0] - b[0])
    .slice(0, MAX_VANISHED_EXPLAINED)
    .map(([element, read]) => {
      const seen = knownAt.get(element)!;
      return {
        element,
        seenAt: seen.index,
        seenBy: seen.by,
        missingInvokedAt: read.invokeIndex,
        missingAt: read.completeIndex,
        ...(read.node !== undefined ? { missingNode: read.node } : {}),
      };
    });

  if (finalReads.length === 0) {
    return {
      name: 'set',
      valid: vanished.length > 0 ? false : 'unknown',
      details: { reason: 'no final read succeeded', acknowledged: acknowledged.size, reads: okReads.length, vanished, vanishedExplained: explained },
    };
  }
  const lost = new Set<number>();
  const phantom = new Set<number>();
  const duplicated = new Set<number>();
  const recovered = new Set<number>();
  for (const read of finalReads) {
    const present = new Set<number>();
    for (const e of read.elements) {
      if (present.has(e)) duplicated.add(e);
      present.add(e);
      if (!invoked.has(e)) phantom.add(e);
      else if (!acknowledged.has(e)) recovered.add(e);
    }
    for (const e of acknowledged) if (!present.has(e)) lost.add(e);
  }
  const valid = lost.size === 0 && phantom.size === 0 && duplicated.size === 0 && vanished.length === 0;
  return {
    name: 'set',
    valid,
    details: {
      attempted: invoked.size,
      acknowledged: acknowledged.size,
      reads: okReads.length,
      finalReads: finalReads.length,
      lost: sorted(lost),
      phantom: sorted(phantom),
      duplicated: sorted(duplicated),
      vanished,
      vanishedExplained: explained,
      recovered: sorted(recovered).length,
    },
  };
}

/** During the main phase, one op in READ_ONE_IN is a whole-set read (the rest add the next integer). */
const READ_ONE_IN = 10;

export const setWorkload: Workload<ClientWith<'read' | 'append'>> = {
  name: 'set',
  model: 'set',
  description: 'grow-only set on one key via append, with reads mixed in; checks lost/phantom/duplicate/vanished elements',
  verbs: ['read', 'append'],
  stream(rng: Prng): OpStream {
    let counter = 0;
    return {
      next: () => (rng.int(READ_ONE_IN) === 0 ? { f: 'read', value: null } : { f: 'add', value: ++counter }),
      finalReads: () => [{ f: 'read', value: null }],
    };
  },
  apply: applySetOp,
  check: (history, { finalPhaseIndex }) => [checkSetHistory(history, finalPhaseIndex)],
};
