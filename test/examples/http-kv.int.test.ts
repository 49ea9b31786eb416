/**
 * examples/http-kv through its declarative file, on its own image (node only: no shell, iptables or
 * libfaketime): correct reads stay valid under partitions and clock faults, the stale-read switch is
 * caught under partitions, and lease reads — valid while a replica is cut off — are caught once that
 * replica's clock runs behind (a written schedule, so the overlap is certain, not drawn).
 */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDocker } from '../integration/docker-setup.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = `${root}examples/http-kv`;

async function run(args: string[]): Promise<{ exitCode: number; output: string }> {
  const r = await execa('npx', ['tsx', 'src/cli/main.ts', 'run', '--target', 'examples/http-kv/http-kv.yaml', '--nodes', '3', '--time-limit', '30', '--store', 'store/it-http-kv', ...(args.includes('--workload') ? [] : ['--workload', 'register']), ...args], {
    cwd: root,
    reject: false,
    all: true,
    timeout: 240_000,
  });
  return { exitCode: r.exitCode ?? -1, output: (r.all ?? '').split('\n').filter((l) => /verdict|counterexample|rror/.test(l)).join('\n') };
}

describe('examples/http-kv tested through its declarative file', () => {
  beforeAll(async () => {
    await ensureDocker();
    await execa('sh', ['scripts/make-base.sh'], { cwd: example });
    await execa('docker', ['build', '-q', '-t', 'http-kv:local', '.'], { cwd: example });
  });

  it('the image has no shell, iptables or libfaketime', async () => {
    for (const cmd of [['sh', '-c', 'true'], ['iptables', '-L']]) {
      const r = await execa('docker', ['run', '--rm', '--network', 'none', 'http-kv:local', ...cmd], { reject: false });
      expect(r.exitCode).not.toBe(0);
    }
    const lib = await execa('docker', ['run', '--rm', '--network', 'none', 'http-kv:local', 'node', '-e', "process.exit(require('fs').existsSync('/usr/lib/x86_64-linux-gnu/faketime') ? 1 : 0)"], { reject: false });
    expect(lib.exitCode).toBe(0);
  });

  it('reads through the primary: valid under partitions and clock faults', async () => {
    const r = await run(['--nemesis', 'partition,clock', '--nemesis-interval', '3', '--seed', '1']);
    expect(r.exitCode, r.output).toBe(0);
  });

  it('the stale-read switch (reads=local): invalid under partitions', async () => {
    const r = await run(['--nemesis', 'partition', '--nemesis-interval', '3', '--target-opt', 'reads=local', '--seed', '2']);
    expect(r.exitCode, r.output).toBe(1);
  });

  it('lease reads: valid while a replica is cut off, invalid when its clock also runs 10 s behind', async () => {
    // kv (many keys): a replica reads a key locally only when it has no write to it pending, which a single
    // register under constant writes rarely is.
    const control = await run(['--faults-from', 'examples/http-kv/isolated-replica.schedule.json', '--workload', 'kv', '--target-opt', 'reads=lease', '--seed', '3']);
    expect(control.exitCode, control.output).toBe(0);
    const skewed = await run(['--faults-from', 'examples/http-kv/isolated-replica-slow-clock.schedule.json', '--workload', 'kv', '--target-opt', 'reads=lease', '--seed', '3']);
    expect(skewed.exitCode, skewed.output).toBe(1);
  });
});
