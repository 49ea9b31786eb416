/**
 * One client op, recorded the Jepsen way: the invoke is recorded before the request is sent, the
 * completion when its outcome is known. A definite ClientError becomes `fail`; anything else (timeout,
 * connection lost, unexpected error) becomes `info`, because the request may still have taken effect.
 */
import type { HistoryRecorder } from '../history/recorder.js';
import type { HistoryOp } from '../history/types.js';
import { ClientError } from '../core/errors.js';
import type { Client } from '../core/client.js';
import type { PlannedOp, Workload } from '../../workloads/workload.js';
import { withTimeout } from './timeout.js';

export interface ExecuteOpArgs {
  recorder: HistoryRecorder;
  workload: Workload;
  client: Client;
  process: number;
  node: string;
  op: PlannedOp;
  /** Passed to the client; the controller's own guard fires a little later so the client can answer first. */
  timeoutMs: number;
}

/** Extra time the guard allows beyond the client's own timeout before declaring the op `info`. */
const GUARD_GRACE_MS = 1000;

export async function executeOp(args: ExecuteOpArgs): Promise<HistoryOp> {
  const { recorder, op, process, node } = args;
  recorder.record({ type: 'invoke', process, f: op.f, key: op.key, value: op.value, node });
  try {
    const value = await withTimeout(
      args.workload.apply(args.client, op, { timeoutMs: args.timeoutMs }),
      args.timeoutMs + GUARD_GRACE_MS,
      `${op.f} on ${node}`,
    );
    return recorder.record({ type: 'ok', process, f: op.f, key: op.key, value, node });
  } catch (err) {
    const definite = err instanceof ClientError && err.definite;
    return recorder.record({
      type: definite ? 'fail' : 'info',
      process,
      f: op.f,
      key: op.key,
      value: op.value,
      node,
      error: errorText(err),
    });
  }
}

function errorText(err: unknown): string {
  if (err instanceof ClientError && err.code) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
