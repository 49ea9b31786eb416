/**
 * Validates run directories against the published JSON Schemas (schemas/*.schema.json) with ajv, an
 * independent validator: what the pipeline writes must match what the repository documents.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

const schemaDir = fileURLToPath(new URL('../../schemas/', import.meta.url));
const ajv = new Ajv2020({ allErrors: false, strict: false });
const load = (file: string) => ajv.compile(JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as object);
const validators = {
  test: load('test.schema.json'),
  results: load('results.schema.json'),
  historyOp: load('history-op.schema.json'),
};

/** Problems found in one run directory ([] when every file conforms). */
export function runDirSchemaProblems(dir: string): string[] {
  const problems: string[] = [];
  const check = (what: string, v: (typeof validators)[keyof typeof validators], value: unknown) => {
    if (!v(value)) problems.push(`${what}: ${ajv.errorsText(v.errors)}`);
  };
  const json = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown;
  if (existsSync(join(dir, 'test.json'))) check(`${dir}/test.json`, validators.test, json('test.json'));
  if (existsSync(join(dir, 'results.json'))) check(`${dir}/results.json`, validators.results, json('results.json'));
  if (existsSync(join(dir, 'history.jsonl'))) {
    readFileSync(join(dir, 'history.jsonl'), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() !== '') check(`${dir}/history.jsonl line ${i + 1}`, validators.historyOp, JSON.parse(line));
      });
  }
  return problems;
}

/** Every run directory (store/<test>/<timestamp>) under `store`. */
export function runDirsIn(store: string): string[] {
  if (!existsSync(store)) return [];
  const dirs: string[] = [];
  for (const test of readdirSync(store)) {
    const testDir = join(store, test);
    if (!lstatSync(testDir).isDirectory()) continue;
    for (const stamp of readdirSync(testDir)) {
      const dir = join(testDir, stamp);
      if (lstatSync(dir).isDirectory() && existsSync(join(dir, 'test.json'))) dirs.push(dir);
    }
  }
  return dirs;
}
