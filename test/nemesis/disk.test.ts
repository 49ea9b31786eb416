/**
 * Disk faults without Docker: the helper scripts run under the host's /bin/sh on a temporary directory
 * standing in for the node's data volume, so truncation, bit flips and removal are checked byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/generator/prng.js';
import { actionScript, diskFault, globToRegExp, parseActionOutput, parseTruncate, type DiskAction } from '../../nemesis/disk.js';
import { FakeCluster, fakeWorld } from '../pipeline/fakes/fake-cluster.js';

const sh = (script: string) => {
  try {
    return { exitCode: 0, stdout: execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' }), stderr: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { exitCode: e.status, stdout: e.stdout, stderr: e.stderr };
  }
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff));

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-disk-'));
  writeFileSync(join(dir, 'wal-00000001.log'), bytes(1000));
  writeFileSync(join(dir, 'wal-00000002.log'), bytes(300));
  writeFileSync(join(dir, 'snapshot.bin'), bytes(50));
  return dir;
}

/** A fake cluster whose data volumes are directories on this machine (one per node). */
function diskCluster(dirs: Record<string, string>) {
  const world = fakeWorld();
  const cluster = new FakeCluster(world.target, 5);
  const target = {
    ...world.target,
    node: ({ node }: { node: string }) => ({ cmd: [], dataDir: dirs[node] ?? '/nonexistent', dataFiles: 'wal-*.log' }),
    parseOptions: () => ({}),
  };
  (cluster as unknown as { dataVolume: unknown }).dataVolume = async (node: string, cmd: string[]) => {
    cluster.calls.push({ method: 'dataVolume', node, args: cmd });
    if (cluster.states.get(node) !== 'exited') throw new Error(`${node} is running: its volume is in use`);
    return sh(cmd[2]);
  };
  return { cluster, target };
}

describe('disk fault helpers', () => {
  it('globs match whole paths; * stays inside a directory, ** crosses them', () => {
    expect(globToRegExp('/data/wal-*.log').test('/data/wal-00000001.log')).toBe(true);
    expect(globToRegExp('/data/wal-*.log').test('/data/sub/wal-1.log')).toBe(false);
    expect(globToRegExp('/var/lib/etcd/member/**').test('/var/lib/etcd/member/wal/0000.wal')).toBe(true);
    expect(globToRegExp('/data/x.log').test('/data/xylog')).toBe(false);
  });

  it('parses truncation sizes: bytes, fractions, percentages', () => {
    expect(parseTruncate('4096')).toEqual({ bytes: 4096 });
    expect(parseTruncate('0.25')).toEqual({ fraction: 0.25 });
    expect(parseTruncate('50%')).toEqual({ fraction: 0.5 });
    expect(parseTruncate('150%')).toBeUndefined();
    expect(parseTruncate('lots')).toBeUndefined();
  });

  it('truncate records the cut bytes\' length and sha256 and cuts exactly there', () => {
    const dir = dataDir();
    const file = join(dir, 'wal-00000001.log');
    const action: DiskAction = { kind: 'truncate', node: 'n1', file, toBytes: 640 };
    const r = sh(actionScript(action));
    expect(r.exitCode).toBe(0);
    expect(parseActionOutput(action, r.stdout)).toEqual({ kind: 'truncate', file, size: 1000, toBytes: 640, cutBytes: 360, cutSha256: sha(bytes(1000).subarray(640)) });
    expect(readFileSync(file)).toEqual(bytes(1000).subarray(0, 640));
  });

  it('truncate never extends a file shorter than the plan says (a replay on a new cluster)', () => {
    const dir = dataDir();
    const file = join(dir, 'snapshot.bin');
    const action: DiskAction = { kind: 'truncate', node: 'n1', file, toBytes: 500 };
    expect(parseActionOutput(action, sh(actionScript(action)).stdout)).toMatchObject({ size: 50, cutBytes: 0 });
    expect(readFileSync(file)).toEqual(bytes(50));
  });

  it('bitflip flips exactly the given bits and records each byte before and after', () => {
    const dir = dataDir();
    const file = join(dir, 'wal-00000002.log');
    const action: DiskAction = { kind: 'bitflip', node: 'n1', file, flips: [{ offset: 0, bit: 0 }, { offset: 17, bit: 7 }, { offset: 299, bit: 3 }] };
    const r = sh(actionScript(action));
    const out = parseActionOutput(action, r.stdout);
    const want = bytes(300);
    const expected = Buffer.from(want);
    expected[0] ^= 1;
    expected[17] ^= 128;
    expected[299] ^= 8;
    expect(readFileSync(file)).toEqual(expected);
    expect(out.flips).toEqual([
      { offset: 0, before: want[0], after: expected[0] },
      { offset: 17, before: want[17], after: expected[17] },
      { offset: 299, before: want[299], after: expected[299] },
    ]);
  });

  it('remove records the file\'s size and sha256, then deletes it; a missing file is said so', () => {
    const dir = dataDir();
    const file = join(dir, 'snapshot.bin');
    const action: DiskAction = { kind: 'remove', node: 'n1', file };
    expect(parseActionOutput(action, sh(actionScript(action)).stdout)).toEqual({ kind: 'remove', file, size: 50, sha256: sha(bytes(50)) });
    expect(existsSync(file)).toBe(false);
    const again = sh(actionScript(action));
    expect(again.exitCode).toBe(3);
    expect(parseActionOutput(action, again.stdout)).toMatchObject({ missing: true });
  });
});

describe('disk fault', () => {
  it('stops a minority, damages one data file each with the volume unmounted, restarts them, and records a plan that replays byte for byte', async () => {
    const dirs = { n1: dataDir(), n2: dataDir(), n3: dataDir(), n4: dataDir(), n5: dataDir() };
    const copies = Object.fromEntries(Object.entries(dirs).map(([n, d]) => {
      const copy = mkdtempSync(join(tmpdir(), 'faultline-disk-copy-'));
      cpSync(d, copy, { recursive: true });
      return [n, copy];
    }));
    const { cluster, target } = diskCluster(dirs);
    const ctx = { cluster, target: target as never, rng: new Prng(4), callTimeoutMs: 5000 };
    const fault = diskFault(['truncate', 'bitflip', 'remove'], { flips: 4, settleMs: 10 }, ['all']);
    const result = await fault.start(ctx);
    const nodes = result.nodes as string[];
    expect(nodes).toHaveLength(2);
    for (const n of nodes) {
      const calls = cluster.calls.filter((c) => c.node === n).map((c) => c.method);
      expect(calls).toEqual(['kill', 'dataVolume', 'dataVolume', 'start']);
      expect((result.disk as Record<string, Record<string, unknown>>)[n]).toMatchObject({ before: 'running', after: 'running' });
    }
    const plan = result.plan as { actions: DiskAction[] };
    expect(plan.actions.map((a) => a.node)).toEqual([...nodes].sort());
    for (const a of plan.actions) expect(a.file).toMatch(/wal-0000000[12]\.log$/);

    // The same plan on the untouched copies gives the same bytes (only the directory differs).
    const { cluster: c2, target: t2 } = diskCluster(copies);
    const replanned = { actions: plan.actions.map((a) => ({ ...a, file: a.file.replace(dirs[a.node as keyof typeof dirs], copies[a.node]) })) };
    await diskFault(['truncate'], { flips: 1, settleMs: 10 }).start({ cluster: c2, target: t2 as never, rng: new Prng(99), callTimeoutMs: 5000 }, replanned);
    for (const a of plan.actions) {
      const name = a.file.split('/').pop()!;
      const original = join(dirs[a.node as keyof typeof dirs], name);
      const replayed = join(copies[a.node], name);
      expect(existsSync(replayed)).toBe(existsSync(original));
      if (existsSync(original)) expect(readFileSync(replayed)).toEqual(readFileSync(original));
    }
  });

  it('leaves a node another fault had killed stopped, and thaws a paused one before stopping it', async () => {
    const dirs = { n1: dataDir(), n2: dataDir() };
    const { cluster, target } = diskCluster(dirs);
    await cluster.kill('n1');
    await cluster.pause('n2');
    const ctx = { cluster, target: target as never, rng: new Prng(1), callTimeoutMs: 5000 };
    const plan = { actions: [{ kind: 'remove', node: 'n1', file: join(dirs.n1, 'wal-00000002.log') }, { kind: 'remove', node: 'n2', file: join(dirs.n2, 'wal-00000002.log') }] };
    const result = await diskFault(['remove'], { flips: 1, settleMs: 10 }).start(ctx, plan);
    expect(result.disk).toMatchObject({ n1: { before: 'exited', after: 'left stopped (it was down before)' }, n2: { before: 'paused', after: 'running' } });
    expect(cluster.states.get('n1')).toBe('exited');
    expect(cluster.calls.filter((c) => c.node === 'n2').map((c) => c.method)).toEqual(['pause', 'unpause', 'kill', 'dataVolume', 'start']);
  });

  it('keeps its damage on one minority for the whole run', async () => {
    const dirs = { n1: dataDir(), n2: dataDir(), n3: dataDir(), n4: dataDir(), n5: dataDir() };
    const { cluster, target } = diskCluster(dirs);
    const ctx = { cluster, target: target as never, rng: new Prng(8), callTimeoutMs: 5000 };
    const fault = diskFault(['bitflip'], { flips: 1, settleMs: 1 });
    const hit = new Set<string>();
    for (let i = 0; i < 8; i++) for (const n of (await fault.start(ctx)).nodes as string[]) hit.add(n);
    expect(hit.size).toBe(2);
  });

  it('a heal during a disk start does not restart the node under it; the start restarts it itself', async () => {
    const dirs = { n1: dataDir() };
    const { cluster, target } = diskCluster(dirs);
    const inner = (cluster as unknown as { dataVolume: (n: string, c: string[]) => Promise<unknown> }).dataVolume;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    (cluster as unknown as { dataVolume: unknown }).dataVolume = async (n: string, c: string[]) => {
      await gate;
      return inner(n, c);
    };
    const ctx = { cluster, target: target as never, rng: new Prng(1), callTimeoutMs: 5000 };
    const fault = diskFault(['remove'], { flips: 1, settleMs: 1 });
    const starting = fault.start(ctx, { actions: [{ kind: 'remove', node: 'n1', file: join(dirs.n1, 'wal-00000002.log') }] });
    while (cluster.states.get('n1') !== 'exited') await new Promise((r) => setTimeout(r, 1));
    expect(await fault.heal(ctx)).toEqual({ nodes: [] });
    expect(cluster.states.get('n1')).toBe('exited');
    release();
    expect(await starting).toMatchObject({ disk: { n1: { kind: 'remove', after: 'running' } } });
    expect(cluster.calls.filter((c) => c.node === 'n1').map((c) => c.method)).toEqual(['kill', 'dataVolume', 'start']);
  });
});
