/**
 * The faultline/nats image: Debian's nats-server 2.9.10 (one Go binary, linked against libc only) over
 * Faultline's offline base, fetched with `apt-get download` like etcd's packages.
 */
import type { ImageRecipe } from '../../src/index.js';
import { SERVER_BINARY } from './config.js';

export const natsImage: ImageRecipe = {
  repository: 'faultline/nats',
  contextDir: 'docker/nats',
  async prepare({ debianPackage, sharedLibraries }) {
    const tree = await debianPackage('nats-server');
    const binary = `${tree}${SERVER_BINARY}`;
    const files: Record<string, string> = { [binary]: `rootfs${SERVER_BINARY}` };
    for (const lib of await sharedLibraries([binary])) files[lib] = `rootfs${lib}`;
    return files;
  },
};
