/**
 * The offline base image's root filesystem, assembled from local files: the host's `node` and the
 * libraries `ldd` lists, iptables (nft and legacy backends, `iptables` = nft) with its xtables modules,
 * libfaketime and a static busybox (both from `apt-get download`), and a few /etc files.
 * With a registry base (`--base-image node:22-bookworm-slim`, a supported Node LTS line) only the Faultline extras are overlaid.
 * It doubles as the tools image of every node's sidecar (iptables, libfaketime under /faultline, a shell):
 * node images, built in or the user's, need none of these.
 */
import { existsSync } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { UsageError } from '../../core/errors.js';
import { unpackedPackage } from './debian-packages.js';
import { hostFileEntry } from './host-files.js';
import { sharedLibraries } from './ldd.js';
import type { TarEntry } from './tar-pack.js';
import { FAKETIME_FILE, FAKETIME_LIBRARY } from '../tools/sidecar.js';

/** Where Debian's package puts libfaketime in the base image. */
export const LIBFAKETIME_PATH = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

const XTABLES_DIR = '/usr/lib/x86_64-linux-gnu/xtables';
const IPTABLES_BINARIES = { nft: '/usr/sbin/xtables-nft-multi', legacy: '/usr/sbin/xtables-legacy-multi' };
/** glibc core libraries: never overlaid onto a registry base (it has its own, matching its programs). */
const CORE_LIBS = /\/(libc|libm|libdl|libpthread|librt|ld-linux-x86-64)\.so/;

export interface BaseRootfsOptions {
  cacheDir: string;
  log: (line: string) => void;
  /** true: a full rootfs for `docker import`; false: only the extras laid over a registry image. */
  full: boolean;
}

function requireHostFile(path: string, fix: string): void {
  if (!existsSync(path)) throw new UsageError(`the host has no ${path}, needed for the offline base image`, fix);
}

export async function baseRootfsEntries(opts: BaseRootfsOptions): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const binaries: string[] = [];

  requireHostFile(IPTABLES_BINARIES.nft, 'install iptables on the host (`apt-get install iptables`)');
  for (const bin of Object.values(IPTABLES_BINARIES)) {
    if (!existsSync(bin)) continue;
    entries.push(await hostFileEntry(bin, bin));
    binaries.push(bin);
  }
  for (const name of ['iptables', 'iptables-save', 'iptables-restore']) {
    entries.push({ type: 'symlink', path: `/usr/sbin/${name}`, target: 'xtables-nft-multi' });
    entries.push({ type: 'symlink', path: `/usr/sbin/${name.replace('iptables', 'iptables-nft')}`, target: 'xtables-nft-multi' });
    if (existsSync(IPTABLES_BINARIES.legacy)) {
      entries.push({ type: 'symlink', path: `/usr/sbin/${name.replace('iptables', 'iptables-legacy')}`, target: 'xtables-legacy-multi' });
    }
  }
  requireHostFile(XTABLES_DIR, 'install iptables on the host (`apt-get install iptables`)');
  for (const module of (await readdir(XTABLES_DIR)).filter((f) => f.endsWith('.so')).sort()) {
    const path = join(XTABLES_DIR, module);
    entries.push(await hostFileEntry(path, path));
    binaries.push(path);
  }

  const faketime = await unpackedPackage('libfaketime', opts.cacheDir, opts.log);
  for (const lib of ['libfaketime.so.1', 'libfaketimeMT.so.1']) {
    const path = `/usr/lib/x86_64-linux-gnu/faketime/${lib}`;
    entries.push(await hostFileEntry(join(faketime, path), path));
  }
  binaries.push(join(faketime, LIBFAKETIME_PATH));
  // The base is also the tools image: its /faultline fills each node's tools volume (see tools/sidecar.ts).
  entries.push(await hostFileEntry(join(faketime, LIBFAKETIME_PATH), FAKETIME_LIBRARY));
  entries.push({ type: 'file', path: FAKETIME_FILE, content: '+0\n', mode: 0o666 });

  if (opts.full) {
    const node = await realpath(process.execPath);
    entries.push(await hostFileEntry(node, '/usr/bin/node'));
    binaries.push(node);

    const busyboxTree = await unpackedPackage('busybox-static', opts.cacheDir, opts.log);
    const busybox = join(busyboxTree, 'bin/busybox');
    entries.push(await hostFileEntry(busybox, '/bin/busybox'));
    // busybox is static, so it runs here on the host to list its applets.
    const { stdout } = await execa(busybox, ['--list-full'], { timeout: 10_000 });
    const taken = new Set(entries.map((e) => e.path.replace(/^\//, '')));
    for (const applet of stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
      if (taken.has(applet) || applet === 'bin/busybox') continue;
      entries.push({ type: 'symlink', path: `/${applet}`, target: '/bin/busybox' });
    }
    entries.push(
      { type: 'file', path: '/etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' },
      { type: 'file', path: '/etc/group', content: 'root:x:0:\nnogroup:x:65534:\n' },
      { type: 'file', path: '/etc/nsswitch.conf', content: 'passwd: files\ngroup: files\nhosts: files dns\n' },
      { type: 'dir', path: '/tmp', mode: 0o1777 },
      { type: 'dir', path: '/root', mode: 0o700 },
      ...['/proc', '/sys', '/dev', '/run', '/var/lib', '/etc/ssl'].map((path): TarEntry => ({ type: 'dir', path })),
    );
  }

  for (const lib of await sharedLibraries(binaries)) {
    if (!opts.full && CORE_LIBS.test(lib)) continue;
    entries.push(await hostFileEntry(lib, lib));
  }
  return entries;
}
