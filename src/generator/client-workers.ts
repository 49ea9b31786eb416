/**
 * C worker loops that drive client ops until the signal aborts. All workers pull from one op stream (so a
 * seed fixes the sequence of ops issued) and share one rate limiter. Thread t is bound to node t mod n;
 * after an `info` it continues as a fresh process with a fresh client (see ProcessTable).
 */
import type { HistoryRecorder } from '../history/recorder.js';
import type { Client } from '../core/client.js';
import type { OpStream, Workload } from '../../workloads/workload.js';
import { executeOp } from './execute-op.js';
import { nodeForThread, ProcessTable } from './processes.js';
import type { RateLimiter } from './rate-limiter.js';
import { withTimeout } from './timeout.js';

export interface ClientWorkersArgs {
  recorder: HistoryRecorder;
  workload: Workload;
  stream: OpStream;
  nodes: readonly string[];
  concurrency: number;
  limiter: RateLimiter;
  opTimeoutMs: number;
  /** Opens a client bound to `node` (called again after an info, as Jepsen reopens clients). */
  openClient(node: string): Client;
  /**
   * Where `node` is reached now (e.g. "host:port"). A node restarted by a fault is published on a new host
   * port; a client that kept the old address would only hear "connection refused" until its process crashed,
   * so the worker opens a fresh client (same process: no op is in flight) when this changes.
   */
  addressOf?(node: string): string;
  signal: AbortSignal;
}

const YIELD_EVERY = 16;

/** Runs the workers; resolves when every worker has seen the abort and its in-flight op has completed. */
export async function runClientWorkers(args: ClientWorkersArgs): Promise<ProcessTable> {
  const processes = new ProcessTable(args.concurrency);
  const workers = Array.from({ length: args.concurrency }, (_, thread) => runWorker(args, processes, thread));
  await Promise.all(workers);
  return processes;
}

async function runWorker(args: ClientWorkersArgs, processes: ProcessTable, thread: number): Promise<void> {
  const node = nodeForThread(thread, args.nodes);
  let client = args.openClient(node);
  let openedAt = args.addressOf?.(node);
  let sinceYield = 0;
  try {
    for (;;) {
      await args.limiter.acquire(args.signal);
      // A client that answers from microtasks alone (an in-process server) would otherwise starve the
      // timers that end the run and flush the history: give the event loop a turn now and then.
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (args.signal.aborted) break;
      if (args.addressOf && args.addressOf(node) !== openedAt) {
        await closeQuietly(client);
        client = args.openClient(node);
        openedAt = args.addressOf(node);
      }
      const op = args.stream.next();
      const done = await executeOp({
        recorder: args.recorder,
        workload: args.workload,
        client,
        process: processes.process(thread),
        node,
        op,
        timeoutMs: args.opTimeoutMs,
      });
      if (done.type === 'info') {
        processes.crash(thread);
        await closeQuietly(client);
        client = args.openClient(node);
        openedAt = args.addressOf?.(node);
      }
    }
  } finally {
    await closeQuietly(client);
  }
}

export async function closeQuietly(client: Client): Promise<void> {
  try {
    await withTimeout(client.close?.() ?? Promise.resolve(), 2000, 'client close');
  } catch {
    // A client that cannot close cleanly has nothing left to tell us.
  }
}
