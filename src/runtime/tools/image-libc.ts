/**
 * Which C library a node's image runs on, read from its filesystem without starting it (the archive
 * HEAD call works on a created container). libfaketime is a glibc library: preloading it into a musl
 * process stops that process at startup, so a clock fault on such an image must be refused up front.
 */
import type Docker from 'dockerode';
import { CALL_TIMEOUT_MS, dockerStatus, withTimeout } from '../docker-client.js';

export type Libc = 'glibc' | 'musl' | 'none';

/** Dynamic loaders by C library; a dynamically linked program names one of them as its interpreter. */
export const LOADERS: Record<Exclude<Libc, 'none'>, readonly string[]> = {
  glibc: ['/lib64/ld-linux-x86-64.so.2', '/lib/ld-linux-aarch64.so.1', '/lib/x86_64-linux-gnu/libc.so.6'],
  musl: ['/lib/ld-musl-x86_64.so.1', '/lib/ld-musl-aarch64.so.1'],
};

/** Decides from the set of loader paths present; glibc wins when both are there (glibc programs work). */
export function libcFrom(present: ReadonlySet<string>): { libc: Libc; evidence?: string } {
  for (const libc of ['glibc', 'musl'] as const) {
    const found = LOADERS[libc].find((p) => present.has(p));
    if (found) return { libc, evidence: found };
  }
  return { libc: 'none' };
}

async function exists(container: Docker.Container, path: string): Promise<boolean> {
  try {
    // The answer is a stream (dockerode's isStream): left unread it keeps a Docker socket, and the process, alive.
    const answer = (await withTimeout(container.infoArchive({ path }), CALL_TIMEOUT_MS, `stat ${path}`)) as { destroy?: () => void } | undefined;
    answer?.destroy?.();
    return true;
  } catch (err) {
    if (dockerStatus(err) === 404) return false;
    throw err;
  }
}

export async function containerLibc(container: Docker.Container): Promise<{ libc: Libc; evidence?: string }> {
  const paths = [...LOADERS.glibc, ...LOADERS.musl];
  const found = await Promise.all(paths.map((p) => exists(container, p)));
  return libcFrom(new Set(paths.filter((_, i) => found[i])));
}
