/** Transition re-exports: Cluster and the image types live in src/core (the public core). */
export type { Cluster, ExecResult } from '../core/cluster.js';
export type { ExistingImage, ImageRecipe, PrepareEnv, TargetImage } from '../core/image.js';
