/**
 * The published shapes of a run directory's files, one zod schema each: test.json (RunInfo), results.json
 * (RunResults) and one line of history.jsonl (HistoryOp). `schemas/*.schema.json` is generated from these
 * (`npm run schemas`; a test fails when they drift), and the pipeline validates what it writes.
 *
 * Versions: test.json and results.json carry `schemaVersion`; a file without it is version 0 (written
 * before versioning; same fields, and test.json's `images` mapped a tag to an id string). history.jsonl
 * stays one op per line with nothing else in it, because "history line N" (JUnit, the report, `check`
 * errors) must stay op index N-1: its version is `historySchemaVersion` in the test.json beside it.
 * Bump a version when a field changes meaning or a required field is added; new optional fields do not.
 */
import { z } from 'zod';

export const TEST_JSON_SCHEMA_VERSION = 1;
export const RESULTS_JSON_SCHEMA_VERSION = 1;
export const HISTORY_SCHEMA_VERSION = 1;

const verdict = z.union([z.literal(true), z.literal(false), z.literal('unknown')]).describe('true = valid, false = invalid, "unknown" = not decided');
/** JSON has no Infinity: an info op's completion time is written as null. */
const jsonTime = z.number().nullable();

export const historyOpSchema = z
  .object({
    index: z.number().int().min(0).describe('dense 0-based position; history.jsonl line = index + 1'),
    type: z.enum(['invoke', 'ok', 'fail', 'info']),
    process: z.union([z.number().int(), z.literal('nemesis')]),
    f: z.string().describe('read, write, cas, add, ... or a nemesis function such as start-partition'),
    key: z.string().optional(),
    value: z.unknown().describe('invoke: the argument; completion: the result'),
    time: z.number().describe('nanoseconds since the first op, monotonic'),
    node: z.string().optional(),
    error: z.string().optional(),
  })
  .describe('One line of history.jsonl');

const operationSchema = z
  .object({
    id: z.number().int(),
    process: z.union([z.number().int(), z.literal('nemesis')]),
    f: z.string(),
    key: z.string().optional(),
    input: z.unknown(),
    output: z.unknown(),
    status: z.enum(['ok', 'fail', 'info']),
    call: z.number(),
    ret: jsonTime,
    invokeIndex: z.number().int().describe('history index of the invoke (history.jsonl line = invokeIndex + 1)'),
    completeIndex: z.number().int().optional(),
    node: z.string().optional(),
    error: z.string().optional(),
  })
  .describe('An invocation paired with its completion');

const counterexampleSchema = z.object({
  key: z.string().nullable(),
  op: operationSchema,
  partialLinearizations: z.array(z.array(z.object({ opId: z.number().int(), state: z.string() }))),
  minimal: z.array(operationSchema),
  explanation: z.string(),
});

const keyResultSchema = z.object({
  key: z.string().nullable(),
  valid: z
    .union([verdict, z.literal('not-checked')])
    .describe('as the run\'s verdict, or "not-checked": the check stopped at an invalid key before deciding this one (run --check-all-keys decides every key)'),
  ops: z.number().int(),
  ms: z.number(),
  algorithm: z.string(),
  statesExplored: z.number().optional(),
  reason: z.string().optional(),
  counterexample: counterexampleSchema.optional(),
  note: z.string().optional(),
});

const checkResultSchema = z.object({
  valid: verdict,
  model: z.string(),
  ops: z.number().int(),
  ms: z.number(),
  keys: z.array(keyResultSchema),
  counterexample: counterexampleSchema.optional(),
  reason: z.string().optional(),
  nilRead: z.enum(['unconstrained', 'strict']).optional().describe('what an ok read of nil meant (absent when the model has no nil reads)'),
  unused: z
    .object({ nemesis: z.number().int(), failed: z.number().int(), infoReads: z.number().int(), nilReads: z.number().int() })
    .optional()
    .describe('ops the check did not use, by why (client ops once per invoke/completion pair, nemesis once per record)'),
  neverCompleted: z.number().int().optional().describe('client invokes without a completion, checked as indeterminate'),
  truncated: z
    .object({ line: z.number().int(), what: z.string(), lastCompleteLine: z.number().int(), lastCompleteOp: z.string().optional() })
    .optional()
    .describe('the input was cut off here; only the complete ops before the cut were checked'),
});

const imageSchema = z.union([
  z.string().describe('version 0: the image id'),
  z.object({
    id: z.string().describe('the image id (sha256:...)'),
    digests: z.array(z.string()).describe('registry digests (repo@sha256:...); empty for images built locally and never pushed'),
    created: z.string().optional(),
  }),
]);

export const runInfoSchema = z
  .object({
    schemaVersion: z.number().int().optional().describe('absent = 0'),
    historySchemaVersion: z.number().int().optional().describe('version of the history.jsonl lines beside this file; absent = 0'),
    name: z.string(),
    startedAt: z.string(),
    endedAt: z.string().optional(),
    command: z.string().describe('the command that reproduces the run (every field spelled out, with --seed)'),
    seed: z.number().int(),
    config: z
      .object({
        target: z.string(),
        workload: z.string(),
        nemesis: z.array(z.string()),
        nodes: z.number().int(),
        concurrency: z.number().int(),
        rate: z.number(),
        timeLimit: z.number(),
        nemesisInterval: z.number(),
        targetOptions: z.record(z.string(), z.string()),
      })
      .catchall(z.unknown())
      .describe('the resolved run configuration (run.json field names)'),
    model: z.string(),
    versions: z
      .object({ faultline: z.string(), node: z.string(), docker: z.string().optional(), target: z.string().optional() })
      .catchall(z.string().optional())
      .describe('tool versions: faultline, node, docker (engine), target when known'),
    images: z.record(z.string(), imageSchema).describe('image tag -> id and digests, as the engine reported them when the cluster started'),
    nodes: z.array(z.string()),
    unaffected: z.array(z.string()).optional(),
    ci: z.object({ name: z.string().nullable(), isPR: z.boolean().nullable() }).optional().describe('the CI system that ran it, if any'),
  })
  .describe('test.json: what was run (written at the start, completed at the end)');

const workloadCheckSchema = z.object({ name: z.string(), valid: verdict, details: z.unknown() });

export const runResultsSchema = z
  .object({
    schemaVersion: z.number().int().optional().describe('absent = 0'),
    valid: verdict,
    linearizability: checkResultSchema,
    workloadChecks: z.array(workloadCheckSchema).optional(),
    stats: z.object({
      ok: z.number().int(),
      fail: z.number().int(),
      info: z.number().int(),
      byF: z.record(z.string(), z.object({ ok: z.number().int(), fail: z.number().int(), info: z.number().int() })),
      nemesisEvents: z.number().int(),
      durationMs: z.number(),
      checkMs: z.number(),
      latencyMs: z
        .record(z.string(), z.object({ count: z.number().int(), p50: z.number(), p99: z.number(), max: z.number() }))
        .optional()
        .describe('per f, plus "all": latency of ok and fail ops in ms'),
    }),
    error: z.string().optional().describe('set when the run itself failed (exit 3): why'),
  })
  .describe('results.json: the verdict and what the checkers found');

/** The published files, by name under schemas/. */
export const publishedSchemas = {
  'test.schema.json': { schema: runInfoSchema, title: 'Faultline test.json', version: TEST_JSON_SCHEMA_VERSION },
  'results.schema.json': { schema: runResultsSchema, title: 'Faultline results.json', version: RESULTS_JSON_SCHEMA_VERSION },
  'history-op.schema.json': { schema: historyOpSchema, title: 'Faultline history.jsonl line', version: HISTORY_SCHEMA_VERSION },
} as const;

/** The JSON Schema documents as they are published (stable key order, so the files diff cleanly). */
export function jsonSchemaDocuments(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, { schema, title, version }] of Object.entries(publishedSchemas)) {
    const { $schema, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
    const doc = { $schema, title, 'x-faultline-schema-version': version, ...json };
    out[file] = JSON.stringify(doc, null, 2) + '\n';
  }
  return out;
}

/** First problem of `value` against `schema`, in words (path: message), or undefined when it conforms. */
export function schemaProblem(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
