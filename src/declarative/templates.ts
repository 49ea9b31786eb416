/**
 * Templates of declarative target files: Handlebars (no HTML escaping, strict: a misspelt variable is an
 * error, not an empty string) with a few helpers clusters need.
 *
 * Node templates see `node` (n2), `nodes` ([n1, n2, n3]), `index` (2), `others` (nodes but this one),
 * `clientPort` and `options`. Client templates see `key`, `value` (write/append), `from`/`to` (cas),
 * `node` and `options`.
 *
 * Helpers: `json x`, `base64 x`, `urlencode x`, `eq a b`, and `peers` for member lists:
 *   {{peers port=2380}}                                        n1:2380,n2:2380,n3:2380
 *   {{peers port=2380 format="{name}=http://{host}:{port}"}}   n1=http://n1:2380,...
 *   {{peers json=true}}                                        ["n1:8080","n2:8080","n3:8080"]
 *   {{peers others=true sep=" "}}                              every node but this one, space-separated
 * A value that is exactly one {{...}} keeps its type in JSON bodies ("{{value}}" with value 5 sends 5).
 */
import Handlebars from 'handlebars';

const hb = Handlebars.create();

interface HelperOptions {
  hash: Record<string, unknown>;
  data: { root: Record<string, unknown> };
}

hb.registerHelper('json', (x: unknown) => JSON.stringify(x === undefined ? null : x));
hb.registerHelper('base64', (x: unknown) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x), 'utf8').toString('base64'));
hb.registerHelper('urlencode', (x: unknown) => encodeURIComponent(String(x)));
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('peers', function (this: unknown, options: HelperOptions) {
  const root = options.data.root;
  const { port, format, sep, json, others } = options.hash;
  const nodes = (root.nodes as string[] | undefined) ?? [];
  const chosen = others === true ? nodes.filter((n) => n !== root.node) : nodes;
  const p = port ?? root.clientPort;
  const pattern = typeof format === 'string' ? format : '{host}:{port}';
  const items = chosen.map((name) =>
    pattern.replace(/\{(name|host|port|index)\}/g, (_, field: string) => (field === 'port' ? String(p) : field === 'index' ? String(nodes.indexOf(name) + 1) : name)),
  );
  return json === true ? JSON.stringify(items) : items.join(typeof sep === 'string' ? sep : ',');
});

// Rendering is synchronous, so one slot is enough to hand a lone expression's value back untouched.
let captured: unknown;
hb.registerHelper('__capture', (x: unknown) => {
  captured = x;
  return '';
});

/** Names of the helpers, so `{{eq a b}}` alone is known to be a call and not a variable. */
const HELPERS = new Set(['json', 'base64', 'urlencode', 'eq', 'peers']);

const SINGLE = /^\{\{\s*([^{}#/!>^&~][^{}]*?)\s*\}\}$/;

const compiled = new Map<string, (ctx: object) => string>();

function compile(template: string): (ctx: object) => string {
  let fn = compiled.get(template);
  if (!fn) {
    fn = hb.compile(template, { noEscape: true, strict: true });
    compiled.set(template, fn);
  }
  return fn;
}

/** Renders a template to text. Throws (with Handlebars' message) on a syntax error or an unknown name. */
export function renderText(template: string, ctx: object): string {
  return compile(template)(ctx);
}

/**
 * Renders a template keeping the type of a lone expression: "{{value}}" with value 5 gives 5, "{{eq a b}}"
 * gives true; anything else gives text.
 */
export function renderTyped(template: string, ctx: object): unknown {
  const m = SINGLE.exec(template);
  if (!m) return renderText(template, ctx);
  const expr = m[1]!.trim();
  const isCall = /\s/.test(expr) || HELPERS.has(expr);
  captured = undefined;
  compile(`{{__capture ${isCall ? `(${expr})` : expr}}}`)(ctx);
  const value = captured;
  captured = undefined;
  return value;
}

/** Renders every string inside a JSON value as a typed template (see renderTyped). */
export function renderJson(value: unknown, ctx: object): unknown {
  if (typeof value === 'string') return renderTyped(value, ctx);
  if (Array.isArray(value)) return value.map((v) => renderJson(v, ctx));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, ctx)]));
  return value;
}

/** Every template string in a JSON value, with its path below `at` (for checking a file before a run). */
export function templatesIn(value: unknown, at: (string | number)[]): { path: (string | number)[]; template: string }[] {
  if (typeof value === 'string') return [{ path: at, template: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => templatesIn(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => templatesIn(v, [...at, k]));
  return [];
}

interface AstNode {
  type: string;
  path?: AstNode;
  params?: AstNode[];
  hash?: { pairs: { value: AstNode }[] };
  parts?: string[];
  data?: boolean;
  body?: AstNode[];
  program?: AstNode;
  inverse?: AstNode;
}

/**
 * The variables a template reads, as path parts (`options.reads` -> ['options', 'reads']), found in its
 * syntax tree: Handlebars' strict mode does not cover helper arguments, so `{{base64 keyy}}` would send
 * "undefined". Paths inside block helpers (`{{#each}}`) are relative to the item and left out.
 */
export function variablesOf(template: string): string[][] {
  const out: string[][] = [];
  const value = (n: AstNode | undefined) => {
    if (!n) return;
    if (n.type === 'PathExpression' && !n.data && n.parts && n.parts.length > 0) out.push(n.parts);
    if (n.type === 'SubExpression') call(n);
  };
  const call = (n: AstNode) => {
    const isCall = (n.params?.length ?? 0) > 0 || (n.hash?.pairs.length ?? 0) > 0 || n.type === 'SubExpression' || HELPERS.has(n.path?.parts?.[0] ?? '');
    if (isCall) {
      n.params?.forEach(value);
      n.hash?.pairs.forEach((p) => value(p.value));
    } else {
      value(n.path);
    }
  };
  const ast = hb.parse(template) as unknown as AstNode;
  for (const statement of ast.body ?? []) {
    if (statement.type === 'MustacheStatement') call(statement);
    if (statement.type === 'BlockStatement') {
      statement.params?.forEach(value);
      statement.hash?.pairs.forEach((p) => value(p.value));
    }
  }
  return out;
}
