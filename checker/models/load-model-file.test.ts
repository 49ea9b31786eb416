import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pairOperations } from '../../src/history/pair.js';
import { counterOps, sequentialHistory } from '../../test/fixtures/models/histories.js';
import { usageError } from '../../test/helpers/usage-error.js';
import { checkOperations } from '../index.js';
import { isModelPath } from './index.js';
import { loadModelFile } from './load-model-file.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/models/', import.meta.url));
const load = (name: string) => loadModelFile(name, fixtures);
const scratch = mkdtempSync(join(tmpdir(), 'fl-model-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('--model <file>', () => {
  afterEach(() => {
    delete process.env.FL_MODEL_TRACE;
  });

  it('tells a path from a built-in name', () => {
    expect(['./m.ts', 'models/m', 'm.mts', 'm.js', 'M.MJS', 'C:\\m'].map(isModelPath)).toEqual([true, true, true, true, true, true]);
    expect(['register', 'kv-append', 'm.txt', 'nope'].map(isModelPath)).toEqual([false, false, false, false]);
  });

  it('loads a TypeScript model (default export) with a recipe that points workers at the same file', async () => {
    const model = await load('counter.ts');
    expect(model.name).toBe('counter');
    expect(model.worker).toEqual({ module: pathToFileURL(join(fixtures, 'counter.ts')).href, export: 'default' });
    // The user's own object is left as it was.
    const own = (await import('../../test/fixtures/models/counter.js')).default as object;
    expect('worker' in own).toBe(false);
  });

  it('loads a JavaScript model that is its file\'s one export, without defineModel', async () => {
    const model = await load('max-register.mjs');
    expect(model.name).toBe('max-register');
    expect(model.worker?.export).toBe('maxRegister');
  });

  it('checks a multi-key history on 2 workers with the same per-key results as in-process', async () => {
    const model = await load('counter.ts');
    const ops = pairOperations(sequentialHistory(counterOps(['a', 'b', 'bad', 'c', 'd'], 'bad')));
    const trace = join(scratch, 'threads');
    process.env.FL_MODEL_TRACE = trace;
    const inWorkers = await checkOperations(ops, model, { workers: 2, allKeys: true });
    const threads = new Set(readFileSync(trace, 'utf8').trim().split('\n'));
    const inProcess = await checkOperations(ops, model, { workers: 0, allKeys: true });
    const perKey = (r: typeof inProcess) => r.keys.map((k) => [k.key, k.valid, k.ops, k.counterexample?.explanation]);
    expect(perKey(inWorkers)).toEqual(perKey(inProcess));
    expect(perKey(inProcess).map(([key, valid]) => [key, valid])).toEqual([['a', true], ['b', true], ['bad', false], ['c', true], ['d', true]]);
    expect(inWorkers.model).toBe('counter');
    // Stepped on two worker threads, never in this one.
    expect(threads.size).toBe(2);
    expect(threads.has(String(threadId))).toBe(false);
  });

  it('a model that cannot be loaded on a worker thread: its keys are decided here, no hang', async () => {
    const model = await load('main-thread-only.ts');
    const ops = pairOperations(sequentialHistory(counterOps(['a', 'bad', 'c'], 'bad')));
    const trace = join(scratch, 'main-thread-only');
    process.env.FL_MODEL_TRACE = trace;
    const r = await checkOperations(ops, model, { workers: 2, allKeys: true });
    expect(r.keys.map((k) => [k.key, k.valid])).toEqual([['a', true], ['bad', false], ['c', true]]);
    expect(r.model).toBe('main-thread-only');
    expect(readFileSync(trace, 'utf8').trim().split('\n')).toEqual([String(threadId)]);
    // Said on every key checked here, with the worker's reason: --workers did nothing, and why.
    for (const k of r.keys) expect(k.note).toMatch(/^checked in this thread: the model could not be loaded on a worker thread \(.*main-thread-only\.ts.*refuses to load on a worker thread/);
  });

  it('a missing method: names the file and the field', async () => {
    const err = await usageError(load('missing-step.ts'));
    expect(err.message).toBe('missing-step.ts: model "no-step" is not valid: step() is missing (it must be a function)');
  });

  it('a function instead of a model: says a model file exports the model itself', async () => {
    const err = await usageError(load('factory.mjs'));
    expect(err.message).toMatch(/^factory\.mjs: the default export is a function, but a model file exports the model itself/);
    expect(err.fix).toMatch(/export default defineModel\(\{ name, init, step/);
  });

  it('no model among the exports: names the file and what it exports', async () => {
    const err = await usageError(load('no-model.mjs'));
    expect(err.message).toBe('no-model.mjs exports no model (it exports: describeIt, helper)');
    expect(err.fix).toMatch(/export default defineModel/);
  });

  it('a lone export that is not a valid model: names the export and the field', async () => {
    writeFileSync(join(scratch, 'lone.mjs'), "export const m = { name: 'lone', init: () => 0 };\n");
    const err = await usageError(loadModelFile('lone.mjs', scratch));
    expect(err.message).toMatch(/^lone\.mjs: export "m": model "lone" is not valid: step\(\) is missing/);
  });

  it('two models and no default: asks which', async () => {
    const model = "{ name: 'x', init: () => 0, step: (s) => s, hash: String, equal: (a, b) => a === b, describeOp: String, describeState: String }";
    writeFileSync(join(scratch, 'two.mjs'), `export const one = ${model};\nexport const two = ${model};\n`);
    const err = await usageError(loadModelFile('two.mjs', scratch));
    expect(err.message).toBe('two.mjs exports 2 models (one, two) and no default');
    expect(err.fix).toMatch(/export default one/);
  });

  it('a throw at load, a missing file, an extension Faultline cannot load: name the file', async () => {
    const threw = await usageError(load('throws.ts'));
    expect(threw.message).toBe('model file throws.ts failed to load: FIXTURE_MODEL_SETTING is not set');
    expect(threw.fix).toMatch(/fix the error in throws\.ts/);
    const missing = await usageError(load('./nope.ts'));
    expect(missing.message).toMatch(/^model file \.\/nope\.ts does not exist \(looked at .*nope\.ts\)$/);
    expect(missing.fix).toMatch(/or a built-in model: register, cas-register, kv/);
    writeFileSync(join(scratch, 'model.txt'), 'not code');
    const txt = await usageError(loadModelFile('./model.txt', scratch));
    expect(txt.message).toMatch(/^model file \.\/model\.txt has extension "\.txt", which Faultline cannot load/);
    expect(txt.fix).toBe('use one of .ts, .mts, .js, .mjs');
  });
});
