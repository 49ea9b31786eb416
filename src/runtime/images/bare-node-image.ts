/**
 * A "user's image" for tests and examples: this machine's `node` and the libraries it links, imported
 * with `docker import` — no shell, no iptables, no libfaketime, nothing of Faultline's. Faults on it must
 * come from outside (see tools/sidecar.ts).
 */
import { realpath } from 'node:fs/promises';
import { docker, followProgress, withTimeout } from '../docker-client.js';
import { hostFileEntry } from './host-files.js';
import { imageExists } from './image-builder.js';
import { sharedLibraries } from './ldd.js';
import { tarStream, type TarEntry } from './tar-pack.js';

export async function bareNodeImageEntries(): Promise<TarEntry[]> {
  const node = await realpath(process.execPath);
  const entries: TarEntry[] = [await hostFileEntry(node, '/usr/local/bin/node')];
  for (const lib of await sharedLibraries([node])) entries.push(await hostFileEntry(lib, lib));
  entries.push({ type: 'file', path: '/etc/passwd', content: 'root:x:0:0:root:/root:/nonexistent\n' }, { type: 'dir', path: '/tmp', mode: 0o1777 });
  return entries;
}

/** Imports the bare image as `ref` unless it exists; returns `ref`. */
export async function ensureBareNodeImage(ref: string): Promise<string> {
  if (await imageExists(ref)) return ref;
  const [repo, tag] = ref.split(':');
  const stream = await withTimeout(
    docker().importImage(tarStream(await bareNodeImageEntries()), { repo, tag, changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin'] } as object),
    300_000,
    `import ${ref}`,
  );
  await withTimeout(followProgress(stream, () => undefined), 300_000, `import ${ref}`);
  return ref;
}
