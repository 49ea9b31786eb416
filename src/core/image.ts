/** How a target names the image its nodes run: a recipe Faultline builds, or an existing image. */

export interface PrepareEnv {
  /** A directory that survives between builds, for downloads. */
  cacheDir: string;
  log: (line: string) => void;
  /** Downloads the Debian package `name` for the host's release and returns the directory it is unpacked in. */
  debianPackage(name: string): Promise<string>;
  /** The shared libraries `binaries` (absolute host paths) load, as absolute host paths. */
  sharedLibraries(binaries: string[]): Promise<string[]>;
}

/** An image Faultline builds FROM its offline base image (which has iptables and libfaketime). */
export interface ImageRecipe {
  /** Repository name, e.g. faultline/raftkv; the tag is a content hash of the build context. */
  repository: string;
  /**
   * Directory holding a Dockerfile whose FROM is the base (build arg BASE_IMAGE). Absolute, or relative to
   * the Faultline package (built-in recipes); a target in your project passes an absolute path, e.g.
   * `fileURLToPath(new URL('./docker', import.meta.url))`.
   */
  contextDir: string;
  /** Extra files or directories to copy into the context (source path -> path inside the context). */
  files?: Record<string, string>;
  /** Fetches inputs that are not on disk yet and returns more files to copy, same shape as `files`. */
  prepare?(env: PrepareEnv): Promise<Record<string, string>>;
}

/** An image that exists already (e.g. `postgres:16` or your CI's `myorg/mydb:sha`): used when present locally, pulled when absent. */
export interface ExistingImage {
  name: string;
}

export type TargetImage = ImageRecipe | ExistingImage;

export function isImageRecipe(image: TargetImage): image is ImageRecipe {
  return typeof (image as ImageRecipe).contextDir === 'string';
}
