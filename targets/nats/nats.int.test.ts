/**
 * A real 3-node NATS cluster in Docker: readiness, leader discovery, the client's verbs and their error
 * classes, and a kill of the stream leader. About 30-40 s with the image built.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from '../../src/index.js';
import { createCluster } from '../../src/runtime/create-cluster.js';
import type { DockerCluster } from '../../src/runtime/docker-cluster.js';
import { ensureDocker, eventually } from '../../test/integration/docker-setup.js';
import { NatsKvClient } from './client.js';
import { natsTarget } from './target.js';

const call = { timeoutMs: 3_000 };

async function rejection(p: Promise<unknown>): Promise<ClientError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClientError);
  return err as ClientError;
}

describe('NATS JetStream on Docker', () => {
  const runId = `it-nats-${Date.now().toString(36)}`;
  const logDir = mkdtempSync(join(tmpdir(), 'faultline-it-nats-'));
  let cluster: DockerCluster;
  const clients: NatsKvClient[] = [];
  /** read=leader clients: what they read is what the stream leader has applied. */
  const client = (node: string, read: 'direct' | 'leader' = 'leader') => {
    const c = new NatsKvClient(cluster.endpoint(node), { read });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    await ensureDocker();
    cluster = await createCluster({ target: natsTarget, nodes: 3, runId, logDir, origin: 'test', readyTimeoutMs: 60_000, targetOptions: { read: 'leader' } });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await cluster?.destroy();
  });

  it('knows the stream leader by node name', async () => {
    expect(cluster.nodes).toEqual(['n1', 'n2', 'n3']);
    expect(cluster.nodes).toContain(await natsTarget.leader!(cluster));
  });

  it('writes through one node and reads through another; a missing key reads null', async () => {
    await client('n1').write('k1', 42, call);
    expect(await client('n2').read('k1', call)).toBe(42);
    expect(await client('n3').read('missing', call)).toBeNull();
  });

  it('applies a matching cas and refuses a stale one definitely', async () => {
    await client('n1').write('c', 1, call);
    await client('n2').cas('c', 1, 2, call);
    expect(await client('n3').read('c', call)).toBe(2);
    const err = await rejection(client('n1').cas('c', 1, 3, call));
    expect(err.definite).toBe(true);
    expect(err.code).toBe('cas-mismatch');
    expect(await client('n1').read('c', call)).toBe(2);
  });

  it('appends to a string key', async () => {
    const c = client('n2');
    await c.append('s', ' 1', call);
    await c.append('s', ' 2', call);
    expect(await c.read('s', call)).toBe(' 1 2');
  });

  it('a killed server refuses connections definitely; after the stream leader dies another one takes over', async () => {
    const leader = (await natsTarget.leader!(cluster))!;
    const other = cluster.nodes.find((n) => n !== leader)!;
    await cluster.kill(leader);
    const refused = await rejection(new NatsKvClient(cluster.endpoint(leader), { read: 'leader' }).write('k2', 1, call));
    expect(refused.definite).toBe(true);
    // Until a new leader is elected a write fails (no responders: definite) or times out (indeterminate).
    await eventually(() => client(other).write('k2', 7, call), 30_000);
    expect(await client(other).read('k2', call)).toBe(7);
    const next = await eventually(async () => {
      const n = await natsTarget.leader!(cluster);
      if (!n || n === leader) throw new Error(`stream leader still ${n ?? 'unknown'}`);
      return n;
    }, 30_000);
    expect(next).not.toBe(leader);
    await cluster.start(leader);
  });
});
