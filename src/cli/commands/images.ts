import type { CommandModule } from 'yargs';
import { isImageRecipe } from '../../core/image.js';
import type { Target } from '../../core/target.js';
import { buildEnv, ensureBaseImage, ensureTargetImage, listFaultlineImages } from '../../runtime/images/image-builder.js';
import { builtinTargets, loadTarget, targetChoices } from '../../targets/registry.js';
import { UsageError } from '../errors.js';

interface BuildArgs {
  target?: string[];
  all?: boolean;
  'base-image'?: string;
  force?: boolean;
}

const stamp = (started: number) => `${((Date.now() - started) / 1000).toFixed(1)}s`;

/** Which targets `images build` should build: --all, the named ones (names or files), or (neither) only the base. */
export async function targetsToBuild(args: { target?: string[]; all?: boolean }): Promise<Target[]> {
  if (args.all) return builtinTargets();
  // Every one is loaded (and so checked) before any work starts.
  return Promise.all((args.target ?? []).map((spec) => loadTarget(spec)));
}

export function formatSize(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

const build: CommandModule<object, BuildArgs> = {
  command: 'build',
  describe: 'Build the offline base image and target images from local files (no registry needed)',
  builder: (y) =>
    y
      .option('target', { type: 'string', array: true, describe: `target image(s) to build: ${targetChoices()}` })
      .option('all', { type: 'boolean', describe: 'build every target image' })
      .option('base-image', { type: 'string', describe: 'build the base FROM this registry image (e.g. node:22-bookworm-slim or node:24-bookworm-slim) instead of importing a local rootfs' })
      .option('force', { type: 'boolean', describe: 'rebuild even when an image with the same content hash exists' }) as never,
  handler: async (args) => {
    const started = Date.now();
    const env = buildEnv({ baseImage: args['base-image'], force: args.force, log: (line) => console.log(`[${stamp(started)}] ${line}`) });
    const targets = await targetsToBuild(args);
    const base = await ensureBaseImage(env);
    console.log(`base: ${base}`);
    for (const target of targets) {
      // An existing image is used as it is: nothing to build.
      if (!isImageRecipe(target.image)) {
        console.log(`${target.name}: uses ${target.image.name}`);
        continue;
      }
      const ref = await ensureTargetImage(target.image, { ...env, force: args.force });
      console.log(`${target.name}: ${ref}`);
    }
    console.log(`done in ${stamp(started)}`);
  },
};

const list: CommandModule = {
  command: 'list',
  describe: 'List Faultline images and their sizes',
  handler: async () => {
    const images = await listFaultlineImages();
    if (images.length === 0) {
      console.log('no faultline images; build them with `faultline images build --all`');
      return;
    }
    for (const image of images) console.log(`${image.ref.padEnd(40)} ${formatSize(image.sizeBytes).padStart(9)}  ${image.created.toISOString()}`);
  },
};

export const imagesCommand: CommandModule = {
  command: 'images <action>',
  describe: 'Build or list the Docker images Faultline runs targets in',
  builder: (y) => y.command(build as never).command(list).demandCommand(1, 'Name an action: build or list.'),
  handler: () => {
    throw new UsageError('name an action: `faultline images build` or `faultline images list`');
  },
};
