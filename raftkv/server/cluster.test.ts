import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RaftkvClient } from '../client.js';
import { LocalCluster } from './local-cluster.js';

/** Real raftkv servers (sockets, fsync'd files) in this process on loopback ports: no Docker. */
let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.destroy();
  cluster = undefined;
});

const opts = { timeoutMs: 3000 };
const clientFor = (c: LocalCluster, id: string) => new RaftkvClient({ node: id, host: '127.0.0.1', port: c.clientPorts[c.ids.indexOf(id)] });

describe('raftkv servers on loopback', () => {
  it('elects, writes, reads through another node, fails over and recovers from disk', async () => {
    cluster = await LocalCluster.start({ nodes: 3, env: { RAFTKV_SNAPSHOT_EVERY: '20' } });
    const leader = await cluster.waitForLeader();
    const follower = cluster.ids.find((id) => id !== leader)!;
    const viaLeader = clientFor(cluster, leader);
    const viaFollower = clientFor(cluster, follower);

    await viaLeader.write('k', 1, opts);
    expect(await viaFollower.read('k', opts)).toBe(1); // proxied to the leader
    await viaFollower.cas('k', 1, 2, opts);
    await expect(viaFollower.cas('k', 1, 3, opts)).rejects.toMatchObject({ definite: true, code: 'cas-mismatch' });
    for (let i = 0; i < 30; i++) await viaFollower.append('log', `${i},`, opts); // enough to snapshot
    expect(await viaLeader.append('log', 'end', opts)).toMatch(/^0,1,2,.*29,end$/);

    // Kill the leader: a new one takes over with the data intact.
    await cluster.stopNode(leader);
    const next = await cluster.waitForLeader(10_000);
    expect(next).not.toBe(leader);
    expect(await clientFor(cluster, next).read('k', opts)).toBe(2);
    await clientFor(cluster, next).write('k', 3, opts);

    // Restart the old leader on its data directory; it catches up and serves the latest value.
    await cluster.startNode(leader);
    await cluster.waitForLeader(10_000);
    expect(await clientFor(cluster, leader).read('k', opts)).toBe(3);

    // Full restart of every node: everything acknowledged survives.
    await cluster.stopAll();
    for (const id of cluster.ids) await cluster.startNode(id);
    await cluster.waitForLeader(10_000);
    expect(await clientFor(cluster, follower).read('k', opts)).toBe(3);
    expect(await clientFor(cluster, follower).read('log', opts)).toMatch(/29,end$/);
    const status = await clientFor(cluster, follower).status(opts);
    expect(status).toMatchObject({ id: follower, bugs: [] });
    expect(['leader', 'follower']).toContain(status.role);
    // 30+ entries with RAFTKV_SNAPSHOT_EVERY=20: every node has compacted into a snapshot.
    for (const d of cluster.dirs) expect(existsSync(join(d, 'snapshot.bin'))).toBe(true);
  });

  it('a node that cannot reach a majority answers not-leader or timeout, never a stale value', async () => {
    cluster = await LocalCluster.start({ nodes: 3, env: { RAFTKV_REQUEST_TIMEOUT_MS: '800' } });
    const leader = await cluster.waitForLeader();
    await clientFor(cluster, leader).write('k', 'v1', opts);
    const others = cluster.ids.filter((id) => id !== leader);
    for (const id of others) await cluster.stopNode(id);
    const err = await clientFor(cluster, leader).read('k', opts).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ClientError' });
    expect(['not-leader', 'timeout']).toContain((err as { code: string }).code);
  });

  it('no-fsync knob: acknowledged writes still buffered in the process are lost when every node dies', async () => {
    cluster = await LocalCluster.start({ nodes: 3, env: { RAFTKV_BUGS: 'no-fsync', RAFTKV_LAZY_FLUSH_MS: '60000' } });
    const leader = await cluster.waitForLeader();
    const c = clientFor(cluster, leader);
    await c.write('k', 'acked', opts);
    expect(await c.read('k', opts)).toBe('acked');
    expect((await c.status(opts)).bugs).toEqual(['no-fsync']);
    await cluster.stopAll(); // like docker kill: the in-process buffer dies with the process
    for (const id of cluster.ids) await cluster.startNode(id);
    const next = await cluster.waitForLeader(10_000);
    expect(await clientFor(cluster, next).read('k', opts)).toBeNull();
  });

  it('refuses to start with an unknown bug knob, naming it', async () => {
    const { parseConfig, ConfigError } = await import('./config.js');
    expect(() => parseConfig({ RAFTKV_ID: 'n1', RAFTKV_PEERS: 'n1=a:1', RAFTKV_BUGS: 'stale-read' })).toThrow(ConfigError);
    expect(() => parseConfig({ RAFTKV_ID: 'n1', RAFTKV_PEERS: 'n1=a:1', RAFTKV_BUGS: 'stale-read' })).toThrow(/stale-read/);
  });
});
