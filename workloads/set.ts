/**
 * A grow-only set: `add e` for unique integers e, then reads of the whole set on every node at the end.
 * Design choice: the set is ONE key whose value is the space-separated list of elements, and an add is the
 * client's `append(key, " e")`. One key means a final read sees every element in one request and can also
 * reveal phantom elements (values nobody added); writing distinct keys could not show either cheaply.
 * Checked as linearizable with the `set` model, plus the workload check below (lost / phantom / duplicate).
 */
import type { HistoryOp } from '../src/history/types.js';
import type { Prng } from '../src/generator/prng.js';
import type { ClientCallOptions, KvClient } from '../src/targets/target.js';
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

async function applySetOp(client: KvClient, op: PlannedOp, call: ClientCallOptions): Promise<unknown> {
  if (op.f === 'add') {
    if (!client.append) throw new Error('the set workload needs a client with append()');
    await client.append(SET_KEY, ` ${op.value as number}`, call);
    return op.value;
  }
  if (op.f === 'read') return parseSetValue(await client.read(SET_KEY, call));
  throw new Error(`set workload cannot apply f=${op.f}`);
}

/**
 * Lost: an add acknowledged ok but missing from a successful final read.
 * Phantom: an element in a read that no add ever invoked. Duplicate: an element stored twice.
 * Adds that ended in info may or may not be present ("recovered" counts those that are).
 */
export function checkSetHistory(history: readonly HistoryOp[], finalReadFrom: number): WorkloadCheck {
  const invoked = new Set<number>();
  const acknowledged = new Set<number>();
  const finalReads: { node?: string; elements: number[] }[] = [];
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.f === 'add') {
      if (op.type === 'invoke') {
        invoked.add(op.value as number);
      } else if (op.type === 'ok') acknowledged.add(op.value as number);
    } else if (op.f === 'read' && op.type === 'ok' && op.index >= finalReadFrom) {
      finalReads.push({ node: op.node, elements: op.value as number[] });
    }
  }
  if (finalReads.length === 0) {
    return { name: 'set', valid: 'unknown', details: { reason: 'no final read succeeded', acknowledged: acknowledged.size } };
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
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  const valid = lost.size === 0 && phantom.size === 0 && duplicated.size === 0;
  return {
    name: 'set',
    valid,
    details: {
      attempted: invoked.size,
      acknowledged: acknowledged.size,
      finalReads: finalReads.length,
      lost: sorted(lost),
      phantom: sorted(phantom),
      duplicated: sorted(duplicated),
      recovered: sorted(recovered).length,
    },
  };
}

export const setWorkload: Workload = {
  name: 'set',
  model: 'set',
  description: 'grow-only set on one key via append; final reads check lost/phantom/duplicate elements',
  requires: 'append',
  stream(_rng: Prng): OpStream {
    let counter = 0;
    return {
      next: () => ({ f: 'add', value: ++counter }),
      finalReads: () => [{ f: 'read', value: null }],
    };
  },
  apply: applySetOp,
  check: (history, { finalPhaseIndex }) => [checkSetHistory(history, finalPhaseIndex)],
};
