/**
 * The runtime's view of a target while the built-in targets move onto the public API: it accepts both the
 * older in-repo shape (imageRecipe/nodeSpec/waitReady/validateOptions) and the public one made with
 * `defineTarget` (image/node/ready/parseOptions), and offers the four things the runtime needs.
 * Delete the older branch once no target uses it.
 */
import type { Target as PublicTarget } from '../core/target.js';
import type { TargetImage } from '../core/image.js';
import type { Cluster } from './types.js';
import type { Target as InRepoTarget } from '../targets/target.js';

export type AnyTarget = PublicTarget | InRepoTarget;

export interface RuntimeNodeSpec {
  cmd: string[];
  env: Record<string, string>;
  dataDir: string;
}

function isPublic(target: AnyTarget): target is PublicTarget {
  return typeof (target as PublicTarget).parseOptions === 'function';
}

/** Validates the raw `--target-opt` strings (throws a UsageError naming the option) and returns them parsed. */
export function parsedOptions(target: AnyTarget, raw: Record<string, string>): unknown {
  if (isPublic(target)) return target.parseOptions(raw);
  target.validateOptions(raw);
  return raw;
}

export async function imageOf(target: AnyTarget): Promise<TargetImage> {
  return isPublic(target) ? target.image : ((await target.imageRecipe()) as TargetImage);
}

export function nodeSpecOf(target: AnyTarget, node: string, nodes: string[], options: unknown): RuntimeNodeSpec {
  if (isPublic(target)) {
    const spec = target.node({ node, nodes, options: options as Record<string, unknown> });
    return { cmd: spec.cmd, env: spec.env ?? {}, dataDir: spec.dataDir };
  }
  return target.nodeSpec(node, nodes, options as Record<string, string>);
}

export function waitReady(target: AnyTarget, cluster: Cluster, timeoutMs: number, options: unknown): Promise<void> {
  return isPublic(target) ? target.ready(cluster as never, timeoutMs, options as Record<string, unknown>) : target.waitReady(cluster, timeoutMs);
}
