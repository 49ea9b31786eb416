/**
 * A target is the database under test, described in one file with `defineTarget({...})`: how its nodes
 * start, when the cluster is ready, who leads, and how a client talks to a node. The runtime, the run and
 * the CLI consume only this description; built-in targets use nothing more than yours can.
 */
import type { z } from 'zod';
import type { Client, Endpoint } from './client.js';
import type { Cluster } from './cluster.js';
import { UsageError } from './errors.js';
import { isImageRecipe, type TargetImage } from './image.js';
import { isOptionsSchema, noOptions, parseOptions, type OptionsSchema, type RawOptions } from './options.js';

/** Which faults reach the database. A false one is recorded as "not affected" instead of being injected. */
export interface TargetCapabilities {
  /** Network partitions and packet loss (iptables in the node's network namespace). */
  partition: boolean;
  /** Pausing the container (SIGSTOP for every process). */
  pause: boolean;
  /** SIGKILL of the node's process and restart. */
  kill: boolean;
  /** Clock skew with libfaketime. False for binaries that bypass libc time (Go programs such as etcd). */
  clock: boolean;
  /** Corrupting or truncating the data files named by `NodeSpec.dataFiles`. Default true. */
  disk?: boolean;
}

export interface NodeContext<O> {
  /** This node's name (n1..nN), also its hostname on the cluster network. */
  node: string;
  /** Every node of the cluster, this one included. */
  nodes: string[];
  /** The target's options, parsed and validated. */
  options: O;
}

/** How one node's container runs. */
export interface NodeSpec {
  cmd: string[];
  env?: Record<string, string>;
  /** Mounted on a volume that survives restarts of the node. */
  dataDir: string;
  /** A glob relative to `dataDir` of the files disk faults may corrupt or truncate, e.g. `wal-*.log`. */
  dataFiles?: string;
}

/** What a target file writes; `defineTarget` checks it and returns the `Target`. */
export interface TargetDefinition<O = Record<string, unknown>, S extends OptionsSchema = OptionsSchema, C extends Client = Client> {
  /** Lower-case letters, digits and dashes: it names containers and runs. */
  name: string;
  /** One line for `faultline --help` and reports. */
  description: string;
  /** The schema of `--target-opt key=value`; values arrive typed in `node` and `client`. Default: no options. */
  options?: S;
  capabilities: TargetCapabilities;
  defaultNodes: number;
  /** Port a node serves clients on inside its container; Faultline publishes it on 127.0.0.1. */
  clientPort: number;
  image: TargetImage;
  node(ctx: NodeContext<O>): NodeSpec;
  /** Resolves when the cluster serves requests; rejects (with what is missing) after `timeoutMs`. */
  ready(cluster: Cluster, timeoutMs: number, options: O): Promise<void>;
  /** The node that leads now, if the database can say. Used by leader-aware faults. */
  leader?(cluster: Cluster): Promise<string | undefined>;
  /** A client for one node. Creating it must not connect (Faultline checks its verbs before starting). */
  client(endpoint: Endpoint, options: O): C;
}

/** A checked target, as the runtime, the run and the CLI use it. */
export interface Target<O = Record<string, unknown>, C extends Client = Client> extends TargetDefinition<O, OptionsSchema, C> {
  options: OptionsSchema;
  /** `--target-opt` strings -> typed, validated options; a UsageError names a bad or unknown option. */
  parseOptions(raw: RawOptions): O;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;
const CAPABILITIES: (keyof TargetCapabilities)[] = ['partition', 'pause', 'kill', 'clock'];

/** Every problem with a target description, in words (empty when it is fine). */
export function targetProblems(def: unknown): string[] {
  if (typeof def !== 'object' || def === null) return [`a target is an object made with defineTarget({...}), got ${def === null ? 'null' : typeof def}`];
  const d = def as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof d.name !== 'string' || !NAME.test(d.name)) problems.push(`name must be lower-case letters, digits and dashes (at most 31), got ${JSON.stringify(d.name)}`);
  if (typeof d.description !== 'string' || d.description.trim() === '') problems.push('description must be a non-empty string');
  if (!Number.isInteger(d.clientPort) || (d.clientPort as number) < 1 || (d.clientPort as number) > 65535) problems.push(`clientPort must be a port number (1-65535), got ${JSON.stringify(d.clientPort)}`);
  if (!Number.isInteger(d.defaultNodes) || (d.defaultNodes as number) < 1) problems.push(`defaultNodes must be a positive integer, got ${JSON.stringify(d.defaultNodes)}`);
  const caps = d.capabilities as Record<string, unknown> | undefined;
  if (typeof caps !== 'object' || caps === null) problems.push(`capabilities must be an object { ${CAPABILITIES.map((c) => `${c}: boolean`).join(', ')} }`);
  else {
    for (const c of CAPABILITIES) if (typeof caps[c] !== 'boolean') problems.push(`capabilities.${c} must be true or false, got ${JSON.stringify(caps[c])}`);
    if (caps.disk !== undefined && typeof caps.disk !== 'boolean') problems.push(`capabilities.disk must be true or false when given, got ${JSON.stringify(caps.disk)}`);
  }
  const image = d.image as Record<string, unknown> | undefined;
  if (typeof image !== 'object' || image === null) problems.push('image must be { name: "repo:tag" } (an existing image) or { repository, contextDir } (a recipe)');
  else if (isImageRecipe(image as never)) {
    if (typeof image.repository !== 'string' || image.repository === '') problems.push('image.repository must be a non-empty string');
    if (image.prepare !== undefined && typeof image.prepare !== 'function') problems.push('image.prepare must be a function');
  } else if (typeof image.name !== 'string' || image.name === '') problems.push('image needs name (an existing image such as "postgres:16") or contextDir (a directory with a Dockerfile)');
  for (const method of ['node', 'ready', 'client'] as const) {
    if (typeof d[method] !== 'function') problems.push(`${method}() is missing (it must be a function)`);
  }
  if (d.leader !== undefined && typeof d.leader !== 'function') problems.push('leader must be a function when given');
  if (d.options !== undefined && !isOptionsSchema(d.options)) problems.push("options must be a zod object schema: z.object({...}) with the z exported by 'faultline'");
  return problems;
}

/**
 * Checks a target description and returns the target. Throws a UsageError listing everything wrong.
 * Option values reach `node` and `client` typed by the `options` schema.
 */
export function defineTarget<S extends OptionsSchema = z.ZodObject<{}>, C extends Client = Client>(
  def: TargetDefinition<z.output<S>, S, C> & { options?: S },
): Target<z.output<S>, C> {
  const problems = targetProblems(def);
  if (problems.length > 0) {
    const name = typeof (def as { name?: unknown })?.name === 'string' ? ` "${(def as { name: string }).name}"` : '';
    throw new UsageError(`target${name} is not valid: ${problems.join('; ')}`, 'fix the target description (see docs/extending.md)');
  }
  const schema = (def.options ?? noOptions) as OptionsSchema;
  return {
    ...def,
    options: schema,
    parseOptions: (raw: RawOptions) => parseOptions(def.name, schema, raw) as z.output<S>,
  };
}

/** Whether `value` is a target made by defineTarget (any copy of Faultline). */
export function isTarget(value: unknown): value is Target {
  return typeof value === 'object' && value !== null && typeof (value as Target).parseOptions === 'function' && targetProblems(value).length === 0;
}
