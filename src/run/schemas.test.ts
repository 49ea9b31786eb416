import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { historyOpSchema, jsonSchemaDocuments, runInfoSchema, runResultsSchema, schemaProblem } from './schemas.js';

const schemaDir = fileURLToPath(new URL('../../schemas/', import.meta.url));
const fixtureDir = fileURLToPath(new URL('../../test/fixtures/runs/', import.meta.url));

describe('published JSON Schemas', () => {
  it('schemas/*.schema.json are what the zod schemas generate (run `npm run schemas` after changing them)', () => {
    for (const [file, text] of Object.entries(jsonSchemaDocuments())) {
      expect(readFileSync(`${schemaDir}${file}`, 'utf8'), file).toBe(text);
    }
  });

  it('files written before versioning (version 0) still conform: readers accept them', () => {
    for (const run of ['valid', 'invalid', 'unknown']) {
      expect(schemaProblem(runInfoSchema, JSON.parse(readFileSync(`${fixtureDir}${run}/test.json`, 'utf8'))), run).toBeUndefined();
      expect(schemaProblem(runResultsSchema, JSON.parse(readFileSync(`${fixtureDir}${run}/results.json`, 'utf8'))), run).toBeUndefined();
    }
  });

  it('a key the checker stopped before is "not-checked" (and no other word)', () => {
    const results = JSON.parse(readFileSync(`${fixtureDir}invalid/results.json`, 'utf8'));
    results.linearizability.keys[2].valid = 'not-checked';
    expect(schemaProblem(runResultsSchema, results)).toBeUndefined();
    results.linearizability.keys[2].valid = 'skipped';
    expect(schemaProblem(runResultsSchema, results)).toMatch(/valid/);
  });

  it('a history line without f is rejected, naming the field', () => {
    expect(schemaProblem(historyOpSchema, { index: 0, type: 'invoke', process: 0, value: null, time: 0 })).toMatch(/^f: /);
  });
});
