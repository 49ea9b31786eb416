/**
 * The last phase: after heal and the quiet period, every node is asked for the workload's final reads
 * (recorded as ordinary ops). A read that fails or times out is retried a few times, as Jepsen's
 * `until-ok` final generators do; an info retires its process like any other.
 */
import type { HistoryRecorder } from '../history/recorder.js';
import type { Client } from '../core/client.js';
import type { PlannedOp, Workload } from '../../workloads/workload.js';
import { closeQuietly } from './client-workers.js';
import { executeOp } from './execute-op.js';

export interface FinalReadsArgs {
  recorder: HistoryRecorder;
  workload: Workload;
  reads: PlannedOp[];
  nodes: readonly string[];
  /** First process id the final reads may use (above every worker's). */
  firstProcess: number;
  opTimeoutMs: number;
  attempts: number;
  openClient(node: string): Client;
  signal?: AbortSignal;
}

/** Resolves with how many final reads succeeded. */
export async function runFinalReads(args: FinalReadsArgs): Promise<number> {
  const perNode = await Promise.all(
    args.nodes.map(async (node, i) => {
      let process = args.firstProcess + i;
      let client = args.openClient(node);
      let okCount = 0;
      try {
        for (const read of args.reads) {
          for (let attempt = 0; attempt < args.attempts; attempt++) {
            if (args.signal?.aborted) return okCount;
            const done = await executeOp({ recorder: args.recorder, workload: args.workload, client, process, node, op: read, timeoutMs: args.opTimeoutMs });
            if (done.type === 'ok') {
              okCount++;
              break;
            }
            if (done.type === 'info') {
              process += args.nodes.length;
              await closeQuietly(client);
              client = args.openClient(node);
            }
          }
        }
        return okCount;
      } finally {
        await closeQuietly(client);
      }
    }),
  );
  return perNode.reduce((a, b) => a + b, 0);
}
