/**
 * Builds Faultline's images without a registry. The base is `docker import`ed from a rootfs tar (or built
 * FROM a user-named registry image); target images are `docker build`s FROM it with a tar context.
 * Every tag is a content hash of what goes in, so an unchanged recipe is never rebuilt.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { isImageRecipe, type ImageRecipe, type TargetImage } from '../../core/image.js';
import { unpackedPackage } from './debian-packages.js';
import { sharedLibraries } from './ldd.js';
import { assertDockerReachable, docker, dockerStatus, followProgress, withTimeout } from '../docker-client.js';
import { baseRootfsEntries } from './base-image.js';
import { contentHash } from './content-hash.js';
import { hostTreeEntries } from './host-files.js';
import { defaultCacheDir, projectRoot } from './project-root.js';
import { tarStream, type TarEntry } from './tar-pack.js';

export const BASE_REPOSITORY = 'faultline/base';
/** Bump when the way images are assembled changes, so old tags stop matching. */
const RECIPE_VERSION = 'faultline-images-1';
const BUILD_TIMEOUT_MS = 15 * 60_000;

export interface BuildEnv {
  cacheDir: string;
  /** An ordinary registry image to build the base FROM instead of importing a rootfs. */
  baseImage?: string;
  log: (line: string) => void;
  /** Rebuild even when the tag exists. */
  force?: boolean;
}

export function buildEnv(partial: Partial<BuildEnv> = {}): BuildEnv {
  return { cacheDir: defaultCacheDir(), log: () => {}, ...partial };
}

export async function imageExists(ref: string): Promise<boolean> {
  try {
    await withTimeout(docker().getImage(ref).inspect(), 15_000, `inspect image ${ref}`);
    return true;
  } catch (err) {
    if (dockerStatus(err) === 404) return false;
    throw err;
  }
}

function shortHash(hex: string): string {
  return hex.slice(0, 16);
}

function buildFailure(what: string, err: unknown): UsageError {
  const why = err instanceof Error ? err.message : String(err);
  return new UsageError(
    `building ${what} failed: ${why.split('\n')[0]}`,
    'run `faultline doctor`, fix what it reports, then `faultline images build --all` again',
  );
}

/** Ensures the base image exists and returns its tag. */
export async function ensureBaseImage(env: BuildEnv): Promise<string> {
  await assertDockerReachable();
  const full = env.baseImage === undefined;
  const entries = await baseRootfsEntries({ cacheDir: env.cacheDir, log: env.log, full });
  let ref: string;
  if (full) {
    ref = `${BASE_REPOSITORY}:${shortHash(await contentHash(entries, RECIPE_VERSION, env.cacheDir))}`;
  } else {
    const overlay = [
      { type: 'file', path: 'Dockerfile', content: `FROM ${env.baseImage}\nCOPY rootfs/ /\n` } as TarEntry,
      ...entries.map((e) => ({ ...e, path: `rootfs/${e.path.replace(/^\//, '')}` }) as TarEntry),
    ];
    ref = `${BASE_REPOSITORY}:${shortHash(await contentHash(overlay, `${RECIPE_VERSION}:${env.baseImage}`, env.cacheDir))}`;
    if (!env.force && (await imageExists(ref))) return ref;
    env.log(`building ${ref} FROM ${env.baseImage}`);
    await runBuild(overlay, ref, {}, env, `the base image (FROM ${env.baseImage})`);
    return ref;
  }
  if (!env.force && (await imageExists(ref))) return ref;
  env.log(`importing ${ref} from a local rootfs (${entries.length} entries)`);
  const started = Date.now();
  const [repo, tag] = ref.split(':');
  try {
    const stream = await withTimeout(
      docker().importImage(tarStream(entries), { repo, tag, changes: ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] } as object),
      BUILD_TIMEOUT_MS,
      `import ${ref}`,
    );
    await withTimeout(followProgress(stream, (l) => env.log(`  ${l}`)), BUILD_TIMEOUT_MS, `import ${ref}`);
  } catch (err) {
    throw buildFailure(`the base image ${ref}`, err);
  }
  env.log(`imported ${ref} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ref;
}

async function runBuild(
  context: TarEntry[],
  ref: string,
  buildargs: Record<string, string>,
  env: BuildEnv,
  what: string,
): Promise<void> {
  const started = Date.now();
  try {
    const stream = await withTimeout(
      docker().buildImage(tarStream(context), { t: ref, buildargs, rm: true, forcerm: true, labels: { 'faultline.image': '1' } }),
      BUILD_TIMEOUT_MS,
      `build ${ref}`,
    );
    await withTimeout(followProgress(stream, (l) => env.log(`  ${l}`)), BUILD_TIMEOUT_MS, `build ${ref}`);
  } catch (err) {
    throw buildFailure(what, err);
  }
  env.log(`built ${ref} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The tar context of a target recipe: its directory, `files`, and what `prepare` fetched. */
export async function recipeContext(recipe: ImageRecipe, env: BuildEnv): Promise<TarEntry[]> {
  const root = projectRoot();
  const contextDir = isAbsolute(recipe.contextDir) ? recipe.contextDir : join(root, recipe.contextDir);
  if (!existsSync(join(contextDir, 'Dockerfile'))) {
    throw new UsageError(`image recipe ${recipe.repository}: ${contextDir} has no Dockerfile`, 'point contextDir at a directory holding a Dockerfile (an absolute path for a target outside Faultline)');
  }
  const entries = await hostTreeEntries(contextDir, '.');
  const files: Record<string, string> = { ...(recipe.files ?? {}) };
  if (recipe.prepare) {
    Object.assign(
      files,
      await recipe.prepare({
        cacheDir: env.cacheDir,
        log: env.log,
        debianPackage: (name) => unpackedPackage(name, env.cacheDir, env.log),
        sharedLibraries,
      }),
    );
  }
  for (const [source, dest] of Object.entries(files)) {
    const abs = source.startsWith('/') ? source : join(root, source);
    if (!existsSync(abs)) {
      throw new UsageError(`${recipe.repository} needs ${source}, which does not exist`, 'run `npm run build` first');
    }
    entries.push(...(await hostTreeEntries(abs, dest)));
  }
  return entries;
}

/** Ensures the base and the target image of `recipe` exist; returns the target image's tag. */
export async function ensureTargetImage(recipe: ImageRecipe, env: BuildEnv): Promise<string> {
  const base = await ensureBaseImage({ ...env, force: false });
  const context = await recipeContext(recipe, env);
  const ref = `${recipe.repository}:${shortHash(await contentHash(context, `${RECIPE_VERSION}:${base}`, env.cacheDir))}`;
  if (!env.force && (await imageExists(ref))) return ref;
  env.log(`building ${ref} FROM ${base}`);
  await runBuild(context, ref, { BASE_IMAGE: base }, env, `the image ${recipe.repository}`);
  return ref;
}

/** An existing image by name: used when present locally, else pulled; a UsageError says how to get it. */
export async function ensureExistingImage(name: string, env: BuildEnv): Promise<string> {
  await assertDockerReachable();
  if (await imageExists(name)) return name;
  env.log(`image ${name} is not here; pulling it`);
  try {
    const stream = (await withTimeout(docker().pull(name), BUILD_TIMEOUT_MS, `pull ${name}`)) as NodeJS.ReadableStream;
    await withTimeout(followProgress(stream, (l) => env.log(`  ${l}`)), BUILD_TIMEOUT_MS, `pull ${name}`);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UsageError(`image ${name} is neither on this Docker engine nor pullable: ${why}`, `build or load it first (\`docker build -t ${name} .\` or \`docker load\`), or fix the image name`);
  }
  return name;
}

/** The image reference a target's nodes run: its recipe built (cached by content hash), or its existing image. */
export function ensureImage(image: TargetImage, env: BuildEnv): Promise<string> {
  return isImageRecipe(image) ? ensureTargetImage(image, env) : ensureExistingImage(image.name, env);
}

export interface ImageSummary {
  ref: string;
  sizeBytes: number;
  created: Date;
}

/** Every image in a faultline/* repository, newest first. */
export async function listFaultlineImages(): Promise<ImageSummary[]> {
  await assertDockerReachable();
  const images = await withTimeout(docker().listImages(), 15_000, 'list images');
  const out: ImageSummary[] = [];
  for (const image of images) {
    for (const ref of image.RepoTags ?? []) {
      if (ref.startsWith('faultline/')) out.push({ ref, sizeBytes: image.Size, created: new Date(image.Created * 1000) });
    }
  }
  return out.sort((a, b) => b.created.getTime() - a.created.getTime());
}
