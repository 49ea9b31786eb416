/**
 * Reads a declarative target file (.json, .yaml, .yml), validates it against the schema and renders every
 * template once with sample values, so a mistake is found before anything starts. Each problem names the
 * file, the field path and the fix: `mydb.yaml: client.read.value: ...; fix: ...`.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../core/errors.js';
import type { Target } from '../core/target.js';
import { targetFileSchema, type TargetFile } from './schema.js';
import { closest } from './suggest.js';
import { declarativeTarget, nodeContext } from './target.js';
import { renderJson, renderText, templatesIn, variablesOf } from './templates.js';

export interface Problem {
  path: string;
  message: string;
  fix: string;
}

type Path = readonly PropertyKey[];

function pathText(path: Path): string {
  return path.length === 0 ? '(top level)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

interface SchemaLike {
  description?: string;
  _zod: { def: { type: string; innerType?: SchemaLike; in?: SchemaLike; shape?: Record<string, SchemaLike>; element?: SchemaLike; valueType?: SchemaLike; options?: SchemaLike[]; entries?: Record<string, string> } };
  shape?: Record<string, SchemaLike>;
}

function unwrap(s: SchemaLike): SchemaLike {
  let t = s;
  for (let i = 0; i < 10; i++) {
    const d = t._zod.def;
    const inner = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!inner) break;
    t = inner;
  }
  return t;
}

/** The (unwrapped) schema of the field at `path`, following objects, records, arrays and unions' object branches. */
function schemaAt(path: Path): SchemaLike | undefined {
  let s: SchemaLike | undefined = targetFileSchema as unknown as SchemaLike;
  for (const key of path) {
    if (!s) return undefined;
    const u: SchemaLike = unwrap(s);
    const d = u._zod.def;
    if (d.type === 'object') s = (u.shape ?? d.shape)?.[String(key)];
    else if (d.type === 'record') s = d.valueType;
    else if (d.type === 'array') s = d.element;
    else if (d.type === 'union') s = d.options?.map(unwrap).find((o) => o._zod.def.type === 'object')?.shape?.[String(key)];
    else return undefined;
  }
  return s;
}

function describeField(path: Path): string {
  const s = schemaAt(path);
  return s?.description ?? (s ? unwrap(s).description : undefined) ?? '';
}

function knownFields(path: Path): string[] {
  const s = schemaAt(path);
  if (!s) return [];
  const u = unwrap(s);
  return Object.keys(u.shape ?? u._zod.def.shape ?? {});
}

/** One zod issue in words, with the fix. */
export function problemFromIssue(issue: z.core.$ZodIssue, input: unknown): Problem[] {
  const path = issue.path;
  const here = pathText(path);
  const about = describeField(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownFields(path);
      return issue.keys.map((key) => {
        const guess = closest(key, known);
        return {
          path: pathText([...path, key]),
          message: `unknown field "${key}"`,
          fix: `${guess ? `did you mean "${guess}"? ` : ''}fields here: ${known.join(', ')}`,
        };
      });
    }
    case 'invalid_type': {
      let value: unknown = input;
      for (const k of path) value = value === undefined || value === null ? undefined : (value as Record<PropertyKey, unknown>)[k as never];
      if (value === undefined) {
        return [{ path: here, message: 'is missing', fix: `add ${String(path.at(-1) ?? 'it')}${about ? ` (${about})` : ''}` }];
      }
      return [{ path: here, message: `${JSON.stringify(value)} is not ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}`, fix: about ? `give ${about}` : `give a ${issue.expected}` }];
    }
    case 'invalid_value':
      return [{ path: here, message: issue.message, fix: `use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    case 'invalid_union':
      return [{ path: here, message: 'has none of the accepted forms', fix: about ? `give ${about}` : 'see schemas/target.schema.json' }];
    default:
      return [{ path: here, message: issue.message, fix: about ? `expected ${about}` : 'see schemas/target.schema.json' }];
  }
}

function sampleOptions(spec: TargetFile): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(spec.options).map(([k, o]) => [k, o.default ?? o.values?.[0] ?? (o.type === 'number' ? 0 : o.type === 'boolean' ? false : 'x')]),
  );
}

/** Renders every template with sample values: an unknown variable or helper, or bad syntax, is a problem. */
export function templateProblems(spec: TargetFile): Problem[] {
  const options = sampleOptions(spec);
  const nodeCtx = nodeContext('n1', ['n1', 'n2', 'n3'], spec.clientPort, options);
  const verbCtx = {
    read: { key: 'k', node: 'n1', options },
    write: { key: 'k', value: 1, node: 'n1', options },
    cas: { key: 'k', from: 1, to: 2, node: 'n1', options },
    append: { key: 'k', value: 'x', node: 'n1', options },
  };
  const groups: { at: (string | number)[]; value: unknown; ctx: object; names: string }[] = [
    { at: ['node', 'command'], value: spec.node.command, ctx: nodeCtx, names: 'node, nodes, index, others, clientPort, options' },
    { at: ['node', 'env'], value: spec.node.env, ctx: nodeCtx, names: 'node, nodes, index, others, clientPort, options' },
    { at: ['ready', 'http', 'path'], value: spec.ready.http?.path, ctx: nodeCtx, names: 'node, nodes, index, others, clientPort, options' },
    { at: ['ready', 'http', 'body'], value: spec.ready.http?.body, ctx: nodeCtx, names: 'node, nodes, index, others, clientPort, options' },
    { at: ['ready', 'command'], value: spec.ready.command, ctx: nodeCtx, names: 'node, nodes, index, others, clientPort, options' },
    { at: ['leader', 'path'], value: spec.leader?.path, ctx: { node: 'n1', nodes: ['n1', 'n2', 'n3'], options: {} }, names: 'node, nodes' },
    { at: ['leader', 'body'], value: spec.leader?.body, ctx: { node: 'n1', nodes: ['n1', 'n2', 'n3'], options: {} }, names: 'node, nodes' },
    { at: ['client', 'headers'], value: spec.client.headers, ctx: verbCtx.read, names: 'key, node, options' },
  ];
  for (const verb of ['read', 'write', 'cas', 'append'] as const) {
    const r = spec.client[verb];
    if (!r) continue;
    const names = Object.keys(verbCtx[verb]).join(', ');
    groups.push({ at: ['client', verb, 'path'], value: r.path, ctx: verbCtx[verb], names }, { at: ['client', verb, 'headers'], value: r.headers, ctx: verbCtx[verb], names }, { at: ['client', verb, 'body'], value: r.body, ctx: verbCtx[verb], names });
  }
  const problems: Problem[] = [];
  for (const g of groups) {
    if (g.value === undefined) continue;
    for (const { path, template } of templatesIn(g.value, g.at)) {
      try {
        for (const parts of variablesOf(template)) {
          const [root, field] = parts;
          if (!(root! in g.ctx)) throw new Error(`"${root}" is not known here`);
          if (root === 'options' && field !== undefined && !(field in spec.options)) {
            throw new Error(`"options.${field}" is not an option of this file (options: ${Object.keys(spec.options).join(', ') || 'none'})`);
          }
        }
        if (g.at.at(-1) === 'body' && path.length === g.at.length && typeof g.value === 'string') renderText(template, g.ctx);
        else renderJson(template, g.ctx);
      } catch (err) {
        const why = (err as Error).message.split('\n')[0];
        problems.push({ path: pathText(path), message: `template ${JSON.stringify(template)}: ${why}`, fix: `templates here can use ${g.names}, and the helpers json, base64, urlencode, eq, peers` });
      }
    }
  }
  return problems;
}

/** Parses the text of a target file (JSON or YAML by extension); syntax errors name the line. */
export function parseTargetText(text: string, file: string): unknown {
  const name = basename(file);
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new UsageError(`${name}: not valid JSON: ${(err as Error).message}`, 'fix the JSON syntax (or write the file as YAML, .yaml)');
    }
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const where = e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : 'somewhere';
    throw new UsageError(`${name}: not valid YAML at ${where}: ${e.message.split('\n')[0]}`, 'fix the YAML syntax there');
  }
  return doc.toJS() as unknown;
}

/** Every problem of a parsed file (schema, then templates), empty when it is fine. */
export function fileProblems(input: unknown): { spec?: TargetFile; problems: Problem[] } {
  const parsed = targetFileSchema.safeParse(input);
  if (!parsed.success) return { problems: parsed.error.issues.flatMap((i) => problemFromIssue(i, input)) };
  return { spec: parsed.data, problems: templateProblems(parsed.data) };
}

export function formatProblems(file: string, problems: Problem[]): UsageError {
  const name = basename(file);
  const lines = problems.slice(0, 8).map((p) => `${name}: ${p.path}: ${p.message}; fix: ${p.fix}`);
  if (problems.length > 8) lines.push(`(${problems.length - 8} more)`);
  return new UsageError(lines.join('\n'), `correct ${name} (its JSON Schema: schemas/target.schema.json; check it with \`faultline target check ${file}\`)`);
}

/** Reads, validates and checks a target file; returns the parsed file or throws a UsageError listing every problem. */
export function readTargetFile(file: string): TargetFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read target file ${file}: ${(err as Error).message}`, 'give the path of a .json or .yaml target file');
  }
  const { spec, problems } = fileProblems(parseTargetText(text, file));
  if (problems.length > 0 || !spec) throw formatProblems(file, problems);
  return spec;
}

export async function loadDeclarativeTarget(file: string): Promise<Target> {
  return declarativeTarget(readTargetFile(file), file);
}
