import { parentPort } from 'node:worker_threads';
import type { Operation } from '../src/history/types.js';
import { checkKeyBySearch } from './check-key.js';
import { getModel } from './models/index.js';
import type { KeyResult } from './types.js';

/** Messages between checker/pool.ts and this worker thread. */
export interface WorkerRequest {
  kind: 'check';
  model: { name: string; init: unknown };
  key: string | null;
  ops: Operation[];
  deadline?: number;
  shrinkUntil?: number;
  maxHeapBytes?: number;
}

export type WorkerReply = { kind: 'ready' } | { kind: 'result'; result: KeyResult };

// Only act as a worker when started as one (importing this file for its types does nothing).
if (parentPort) {
  const port = parentPort;
  port.on('message', (req: WorkerRequest) => {
    const model = getModel(req.model.name, req.model.init);
    const result = checkKeyBySearch(model, req.key, req.ops, { deadline: req.deadline, maxHeapBytes: req.maxHeapBytes, shrinkUntil: req.shrinkUntil });
    port.postMessage({ kind: 'result', result } satisfies WorkerReply);
  });
  port.postMessage({ kind: 'ready' } satisfies WorkerReply);
}
