import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientError } from '../../src/core/errors.js';
import { RaftkvClient } from '../client.js';
import { checkLinearizable, type SimOp } from '../sim/lin-check.js';
import { LocalCluster } from './local-cluster.js';

let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.destroy();
  cluster = undefined;
});

/**
 * The real server path (async fsync + group commit, proxy with session retries, restart from disk) under
 * concurrent clients while nodes are killed and restarted; the history must stay linearizable.
 * To watch it catch a knob on the real server: RAFTKV_CHAOS_BUGS=ack-before-commit npx vitest run raftkv/server/chaos.test.ts
 */
describe('raftkv servers under node kills', () => {
  it('keeps a register linearizable while random nodes stop and restart', async () => {
    cluster = await LocalCluster.start({ nodes: 3, env: { RAFTKV_REQUEST_TIMEOUT_MS: '1000', RAFTKV_SNAPSHOT_EVERY: '50', RAFTKV_BUGS: process.env.RAFTKV_CHAOS_BUGS ?? '' } });
    const c = cluster;
    await c.waitForLeader();
    const t0 = performance.now();
    const runMs = 5000;
    const history: SimOp[] = [];
    let next = 0;
    let unique = 0;

    const worker = async (w: number) => {
      let client = new RaftkvClient({ node: c.ids[w % 3], host: '127.0.0.1', port: c.clientPorts[w % 3] });
      while (performance.now() - t0 < runMs) {
        const r = Math.random();
        const f: SimOp['f'] = r < 0.4 ? 'read' : r < 0.75 ? 'write' : 'cas';
        const input = f === 'read' ? null : f === 'write' ? ++unique : [unique - Math.floor(Math.random() * 2), ++unique];
        const op: SimOp = { id: next++, client: `w${w}`, f, key: 'a', input, output: undefined, call: performance.now(), ret: Infinity, status: 'info' };
        try {
          if (f === 'read') op.output = await client.read('a', { timeoutMs: 1500 });
          else if (f === 'write') await client.write('a', input as number, { timeoutMs: 1500 });
          else await client.cas('a', (input as number[])[0], (input as number[])[1], { timeoutMs: 1500 });
          op.status = 'ok';
          op.ret = performance.now();
          history.push(op);
        } catch (e) {
          if (!(e instanceof ClientError)) throw e;
          if (!e.definite) history.push(op); // info: may have happened
          // Jepsen semantics: after an indefinite result use a fresh client (process); also hop nodes.
          const n = Math.floor(Math.random() * 3);
          client = new RaftkvClient({ node: c.ids[n], host: '127.0.0.1', port: c.clientPorts[n] });
        }
      }
    };

    const nemesis = async () => {
      let kills = 0;
      while (performance.now() - t0 < runMs - 1000) {
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 400));
        const victim = c.ids[Math.floor(Math.random() * 3)];
        await c.stopNode(victim);
        kills++;
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 500));
        await c.startNode(victim);
      }
      return kills;
    };

    const [kills] = await Promise.all([nemesis(), ...[0, 1, 2, 3, 4].map(worker)]);
    expect(kills).toBeGreaterThan(2);
    const ok = history.filter((o) => o.status === 'ok').length;
    expect(ok).toBeGreaterThan(20);
    const verdict = checkLinearizable(history, 2_000_000);
    expect(verdict.error).toBeUndefined();
  });
});
