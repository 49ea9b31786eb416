/**
 * The declarative target file (`--target ./mydb.yaml` or `.json`): a database with an HTTP API tested
 * with no code. This zod schema is the one definition: the loader validates with it, and
 * schemas/target.schema.json is generated from it (`npm run schemas`) for editors.
 * Strings marked "template" are Handlebars templates (see templates.ts for the context and helpers).
 */
import { z } from 'zod';

const jsonPointer = z
  .string()
  .regex(/^(\/.*)?$/, 'a JSON pointer is "" (the whole body) or starts with "/", e.g. /node/value')
  .describe('JSON pointer (RFC 6901) into the JSON answer, e.g. /kvs/0/value; "" is the whole body');

const statusSpec = z
  .union([z.number().int().min(100).max(599), z.string().regex(/^[1-5]xx$/, 'a status class is written 2xx, 4xx, ...'), z.array(z.union([z.number().int().min(100).max(599), z.string().regex(/^[1-5]xx$/)])).min(1)])
  .describe('an HTTP status (404), a class ("4xx"), or a list of them');

const templateString = z.string().describe('template');

/** A JSON body whose strings are templates; a string that is exactly one {{...}} keeps the value's type. */
const bodySpec = z.unknown().describe('request body: a JSON value whose strings are templates ("{{value}}" alone keeps the value typed: 5 stays a number), or one template string sent as text');

const methodSpec = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).describe('HTTP method');

export const OUTCOMES = ['ok', 'absent', 'fail', 'cas-mismatch', 'info'] as const;

export const outcomeRuleSchema = z
  .strictObject({
    status: statusSpec.optional(),
    error: z
      .union([z.string(), z.array(z.string()).min(1)])
      .optional()
      .describe('transport failure codes this rule matches (no answer came): timeout, ECONNREFUSED, ECONNRESET, connection-lost, ...'),
    pointer: jsonPointer.optional().describe('where in the JSON answer to look for equals / in / exists'),
    equals: z.unknown().optional().describe('the value at pointer equals this JSON value'),
    in: z.array(z.unknown()).min(1).optional().describe('the value at pointer is one of these JSON values'),
    exists: z.boolean().optional().describe('whether something is at pointer'),
    bodyMatches: z.string().optional().describe('a regular expression the raw answer text matches'),
    means: z.enum(OUTCOMES).describe('ok; absent (read: the key has no value); fail (certainly not applied); cas-mismatch (cas: the current value differs, certainly not applied); info (may have been applied)'),
  })
  .describe('first matching rule decides; every condition given must hold');

const outcomesSpec = z.array(outcomeRuleSchema).default([]).describe('rules, first match wins; then the client-wide rules; then the default: 2xx ok, 408 and 5xx info, other 4xx fail, refused connection fail, timeout or reset info');

const requestShape = {
  method: methodSpec.default('GET'),
  path: templateString.describe('template: the request path, e.g. /kv/{{urlencode key}}'),
  headers: z.record(z.string(), templateString).optional().describe('extra headers (templates)'),
  body: bodySpec.optional(),
  outcomes: outcomesSpec,
};

const valueSpec = z
  .union([
    jsonPointer,
    z.strictObject({
      pointer: jsonPointer,
      decode: z.array(z.enum(['base64', 'json'])).default([]).describe('applied in order to the string found, e.g. [base64, json] for etcd'),
    }),
  ])
  .describe('where the value is in a read answer: a JSON pointer, or { pointer, decode }');

export const readSchema = z.strictObject({ ...requestShape, value: valueSpec }).describe('read(key) -> value; template context: key, node, options');
export const writeSchema = z.strictObject(requestShape).describe('write(key, value); template context: key, value, node, options');
export const casSchema = z.strictObject(requestShape).describe('cas(key, from, to); template context: key, from, to, node, options; add a rule meaning cas-mismatch');
export const appendSchema = z.strictObject(requestShape).describe('append(key, value) for the set / kv-append workloads; template context: key, value, node, options');

const httpCheck = z.strictObject({
  method: methodSpec.default('GET'),
  path: templateString,
  body: bodySpec.optional(),
  status: statusSpec.default('2xx'),
  pointer: jsonPointer.optional(),
  equals: z.unknown().optional(),
  in: z.array(z.unknown()).min(1).optional(),
  exists: z.boolean().optional(),
});

export const readySchema = z
  .strictObject({
    http: httpCheck.optional().describe('every node answers this request with status (and, when pointer is given, that JSON field)'),
    tcp: z.boolean().optional().describe('every node accepts a TCP connection on the client port'),
    command: z.array(templateString).min(1).optional().describe('a command run inside every node container exits 0 (the image must have it)'),
    leader: z.boolean().default(false).describe('also wait until the leader discovery names a node'),
  })
  .refine((r) => r.http !== undefined || r.tcp === true || r.command !== undefined, { message: 'say how readiness is seen: http, tcp: true, or command' })
  .describe('when the cluster serves requests (all checks, on every node)');

export const leaderSchema = z
  .strictObject({
    method: methodSpec.default('GET'),
    path: templateString,
    body: bodySpec.optional(),
    pointer: jsonPointer.describe('where the leader is named in the answer: a node name, a host:port or URL with the node name as host, or an id (then give self)'),
    self: jsonPointer.optional().describe("where each node's own id is in its answer to the same request; the leader is the node whose id equals the value at pointer"),
  })
  .describe('optional leader discovery, used by leader-aware faults and reports');

const optionSpec = z
  .strictObject({
    type: z.enum(['string', 'number', 'boolean']).default('string'),
    values: z.array(z.string()).min(1).optional().describe('allowed values (a string option)'),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    description: z.string().optional(),
  })
  .describe('a --target-opt key=value; its parsed value is options.<name> in templates');

export const targetFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('path or URL of this JSON Schema, for editors'),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'lower-case letters, digits and dashes, at most 31').describe('names containers and runs'),
    description: z.string().min(1).optional(),
    image: z.string().min(1).describe('an existing image, e.g. myorg/mydb:1.2 (used when present locally, pulled when absent); it needs nothing of Faultline inside'),
    clientPort: z.number().int().min(1).max(65535).describe('the port a node serves its HTTP API on inside its container'),
    nodes: z.number().int().min(1).max(9).default(3).describe('default node count'),
    node: z
      .strictObject({
        command: z.array(templateString).optional().describe('templates: the container command (default: the image CMD)'),
        env: z.record(z.string(), templateString).default({}).describe('templates: environment variables'),
        dataDir: z.string().startsWith('/').describe('directory kept on a volume across restarts'),
        dataFiles: z.string().optional().describe('glob relative to dataDir of the data files disk faults may damage'),
      })
      .describe('how each node runs; template context: node, nodes, index, others, clientPort, options'),
    ready: readySchema,
    leader: leaderSchema.optional(),
    faults: z
      .strictObject({
        partition: z.boolean().default(true),
        pause: z.boolean().default(true),
        kill: z.boolean().default(true),
        clock: z.boolean().default(true).describe('false for programs that do not read time through glibc (Go, static, musl)'),
        disk: z.boolean().default(true),
      })
      .default({ partition: true, pause: true, kill: true, clock: true, disk: true })
      .describe('which faults reach the database; a false one is reported as "not affected"'),
    options: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), optionSpec).default({}).describe('--target-opt options'),
    client: z
      .strictObject({
        headers: z.record(z.string(), templateString).optional(),
        outcomes: outcomesSpec.describe('rules for every verb, after the verb\'s own'),
        read: readSchema,
        write: writeSchema,
        cas: casSchema.optional(),
        append: appendSchema.optional(),
      })
      .describe('the HTTP client, one request per verb'),
  })
  .describe('A Faultline declarative target: an existing image with an HTTP API, tested with no code');

export type TargetFile = z.output<typeof targetFileSchema>;
export type OutcomeRule = z.output<typeof outcomeRuleSchema>;
export type Outcome = (typeof OUTCOMES)[number];
export type RequestSpec = z.output<typeof writeSchema>;
export type ReadSpec = z.output<typeof readSchema>;
