/** Validation of what a user asks a cluster to be, before any Docker object exists. */
import { UsageError } from '../core/errors.js';
import { LIMITS } from '../run/defaults.js';
import { isValidRunId } from './labels.js';

/** From the shared table of defaults and limits, so `run` and `cluster up` refuse the same counts. */
export const MAX_NODES = LIMITS.nodes.max;

/** Node names n1..nN for a count the user typed; anything outside 1..9 (or not an integer) is a UsageError. */
export function nodeNames(count: unknown): string[] {
  const n = typeof count === 'string' && count.trim() !== '' ? Number(count) : count;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_NODES) {
    throw new UsageError(`--nodes must be a whole number from 1 to ${MAX_NODES}, got ${String(count)}`, 'use --nodes 3 or --nodes 5');
  }
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}

export function checkRunId(runId: string): string {
  if (!isValidRunId(runId)) {
    throw new UsageError(`run id "${runId}" is not usable in Docker names`, 'use letters, digits, "_", "." or "-" (max 63 characters)');
  }
  return runId;
}

/** Parses repeated `--target-opt key=value` flags. */
export function parseTargetOptions(pairs: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--target-opt "${pair}" is not key=value`, 'e.g. --target-opt read=serializable');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
