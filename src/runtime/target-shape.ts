/**
 * The runtime's view of a target: the four things the runtime needs from a target made with
 * `defineTarget` (options parsed, image, per-node spec, readiness).
 */
import type { Target } from '../core/target.js';
import type { TargetImage } from '../core/image.js';
import type { Cluster } from './types.js';

export type AnyTarget = Target;

export interface RuntimeNodeSpec {
  cmd: string[];
  env: Record<string, string>;
  dataDir: string;
}

/** Validates the raw `--target-opt` strings (throws a UsageError naming the option) and returns them parsed. */
export function parsedOptions(target: AnyTarget, raw: Record<string, string>): unknown {
  return target.parseOptions(raw);
}

export async function imageOf(target: AnyTarget): Promise<TargetImage> {
  return target.image;
}

export function nodeSpecOf(target: AnyTarget, node: string, nodes: string[], options: unknown): RuntimeNodeSpec {
  const spec = target.node({ node, nodes, options: options as Record<string, unknown> });
  return { cmd: spec.cmd, env: spec.env ?? {}, dataDir: spec.dataDir };
}

export function waitReady(target: AnyTarget, cluster: Cluster, timeoutMs: number, options: unknown): Promise<void> {
  return target.ready(cluster, timeoutMs, options as Record<string, unknown>);
}
