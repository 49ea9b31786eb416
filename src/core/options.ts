/**
 * Target options: a zod object schema in the target, `--target-opt key=value` strings on the command
 * line. Values are converted to what the schema's field expects (numbers, booleans) and validated; an
 * unknown key or a bad value is a UsageError naming the option and what it accepts.
 */
import { z } from 'zod';
import { UsageError } from './errors.js';

/** The schema of a target's options: `z.object({ 'election-ms': z.number().int().positive().optional() })`. */
export type OptionsSchema = z.ZodObject;

/** Raw `--target-opt` values as given on the command line. */
export type RawOptions = Record<string, string>;

export const noOptions: OptionsSchema = z.object({});

interface ZodLike {
  _zod: { def: { type: string; innerType?: ZodLike; in?: ZodLike; entries?: Record<string, unknown>; values?: unknown[] } };
  description?: string;
}

/** Whether `value` is a zod object schema (checked by shape so a second copy of zod also passes). */
export function isOptionsSchema(value: unknown): value is OptionsSchema {
  const def = (value as ZodLike | undefined)?._zod?.def;
  return def?.type === 'object' && typeof (value as { shape?: unknown }).shape === 'object';
}

/** The innermost type of a field (through optional, default, nullable, pipe/coerce wrappers). */
function baseType(schema: ZodLike): ZodLike {
  let t = schema;
  for (let i = 0; i < 10; i++) {
    const def = t._zod.def;
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!inner) break;
    t = inner;
  }
  return t;
}

/** What a field accepts, in words: "a number", "one of linearizable, serializable", ... */
export function describeOptionType(field: unknown): string {
  const base = baseType(field as ZodLike)._zod.def;
  switch (base.type) {
    case 'number':
    case 'int':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${Object.values(base.entries ?? {}).join(', ')}`;
    case 'literal':
      return `${(base.values ?? []).join(' or ')}`;
    default:
      return 'a string';
  }
}

export interface OptionHelp {
  name: string;
  accepts: string;
  description?: string;
}

/** One line per option, for help texts and error messages. */
export function describeOptions(schema: OptionsSchema): OptionHelp[] {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    accepts: describeOptionType(field),
    description: (field as ZodLike).description,
  }));
}

function convert(field: unknown, raw: string): unknown {
  const type = baseType(field as ZodLike)._zod.def.type;
  if (type === 'number' || type === 'int') return raw.trim() === '' ? Number.NaN : Number(raw);
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

/**
 * Parses `--target-opt` strings with the target's schema into typed values (defaults applied).
 * Throws a UsageError naming the option, what it accepts, and the known options.
 */
export function parseOptions<S extends OptionsSchema>(targetName: string, schema: S, raw: RawOptions): z.output<S> {
  const shape = schema.shape as Record<string, unknown>;
  const known = Object.keys(shape);
  const knownText = known.length === 0 ? `${targetName} takes no options: drop --target-opt` : `options: ${describeOptions(schema).map((o) => `${o.name} (${o.accepts})`).join(', ')}`;
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in shape)) {
      throw new UsageError(`target ${targetName} has no option "${key}"${known.length > 0 ? `; known options: ${known.join(', ')}` : ''}`, knownText);
    }
    converted[key] = convert(shape[key], value);
  }
  const result = schema.safeParse(converted);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const field = shape[key];
  const given = key in raw ? `${key}=${raw[key]}` : `${key} (not given)`;
  const accepts = field ? `: expected ${describeOptionType(field)}` : '';
  throw new UsageError(
    `target ${targetName}: option ${given} is not valid${accepts} (${issue.message})`,
    field ? `use --target-opt ${key}=<${describeOptionType(field)}>` : knownText,
  );
}
