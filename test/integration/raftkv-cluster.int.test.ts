import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster } from '../../src/runtime/create-cluster.js';
import type { DockerCluster } from '../../src/runtime/docker-cluster.js';
import type { KvClient } from '../../src/index.js';
import { raftkvTarget } from '../../targets/raftkv/target.js';
import { ensureDocker, eventually } from './docker-setup.js';

const opts = { timeoutMs: 3_000 };


describe('raftkv on Docker: 5 containers', () => {
  const runId = `it-raftkv-${Date.now().toString(36)}`;
  const logDir = mkdtempSync(join(tmpdir(), 'faultline-it-'));
  let cluster: DockerCluster;
  const client = (node: string): KvClient => raftkvTarget.client(cluster.endpoint(node), raftkvTarget.parseOptions({}));

  beforeAll(async () => {
    await ensureDocker();
    cluster = await createCluster({ target: raftkvTarget, nodes: 5, runId, logDir, origin: 'test', readyTimeoutMs: 60_000 });
  });

  afterAll(async () => {
    await cluster?.destroy();
  });

  it('elects one leader that every node follows', async () => {
    const leader = await raftkvTarget.leader!(cluster);
    expect(cluster.nodes).toContain(leader);
  });

  it('serves writes, cas and reads through any node', async () => {
    await client('n1').write('k', 1, opts);
    expect(await client('n4').read('k', opts)).toBe(1);
    await client('n5').cas('k', 1, 2, opts);
    await expect(client('n2').cas('k', 1, 3, opts)).rejects.toMatchObject({ definite: true });
    expect(await client('n3').read('k', opts)).toBe(2);
  });

  it('survives killing the leader: a new leader keeps the data, the old one rejoins', async () => {
    const old = (await raftkvTarget.leader!(cluster))!;
    await client(old).write('before-kill', 'kept', opts);
    await cluster.kill(old);
    const survivor = cluster.nodes.find((n) => n !== old)!;
    const next = await eventually(async () => {
      const l = await raftkvTarget.leader!(cluster);
      if (!l || l === old) throw new Error('no new leader yet');
      return l;
    });
    expect(next).not.toBe(old);
    expect(await client(survivor).read('before-kill', opts)).toBe('kept');
    await client(next).write('after-kill', 'new', opts);
    await cluster.start(old);
    await eventually(async () => expect(await client(old).read('after-kill', opts)).toBe('new'));
    expect(await client(old).read('before-kill', opts)).toBe('kept');
  });
});
