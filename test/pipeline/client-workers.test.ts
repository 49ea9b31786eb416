import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientError } from '../../src/index.js';
import { runClientWorkers } from '../../src/generator/client-workers.js';
import { Prng } from '../../src/generator/prng.js';
import { RateLimiter } from '../../src/generator/rate-limiter.js';
import { HistoryRecorder } from '../../src/history/recorder.js';
import { getWorkload } from '../../workloads/index.js';
import { DirectKvClient, MemoryKv } from './fakes/memory-kv.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('client workers', () => {
  it('open a fresh client, in the same process, when the node is reached at a new address', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fl-workers-'));
    const recorder = new HistoryRecorder(join(dir, 'history.jsonl'));
    const kv = new MemoryKv();
    const workload = getWorkload('register');
    // The node "restarts" after 20 ops: from then on only clients opened at the new address are answered,
    // as a restarted container is published on a new host port and the old one refuses connections.
    let address = 'port-1';
    let applied = 0;
    const opened: string[] = [];
    const controller = new AbortController();
    const processes = await runClientWorkers({
      recorder,
      workload,
      stream: workload.stream(new Prng(5), { activeKeys: 2, opsPerKey: 1000 }),
      nodes: ['n1'],
      concurrency: 1,
      limiter: new RateLimiter(0),
      opTimeoutMs: 1000,
      openClient: (node) => {
        const at = address;
        opened.push(at);
        return new DirectKvClient(kv, node, () => {
          if (at !== address) throw new ClientError('connect ECONNREFUSED', true, 'ECONNREFUSED');
          if (++applied === 20) address = 'port-2';
          if (applied >= 60) controller.abort();
        });
      },
      addressOf: () => address,
      signal: controller.signal,
    });
    recorder.close();
    expect(opened).toEqual(['port-1', 'port-2']);
    const completions = recorder.ops.filter((o) => o.type !== 'invoke');
    expect(completions.filter((o) => String(o.error ?? '').includes('ECONNREFUSED'))).toEqual([]);
    expect(completions.length).toBeGreaterThanOrEqual(60);
    expect(new Set(recorder.ops.map((o) => o.process))).toEqual(new Set([0]));
    expect(processes.maxProcess()).toBe(0);
  });
});
