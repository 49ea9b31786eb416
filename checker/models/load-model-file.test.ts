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
    expect(model.worker).toEqual({ module: pathToFileURL(join(fixtures, 'counter.ts')).href, export: 'default', path: 'counter.ts' });
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

describe('--model <file> whose own code throws', () => {
  afterEach(() => {
    delete process.env.FL_MODEL_THROW_IN;
    delete process.env.FL_MODEL_THROW_KEY;
  });
  // The line of throwing.ts that throws, as the message must give it.
  const throwLine = readFileSync(join(fixtures, 'throwing.ts'), 'utf8').split('\n').findIndex((l) => l.includes('throw new Error')) + 1;
  const ops = pairOperations(sequentialHistory(counterOps(['k0', 'k1', 'k2', 'k3', 'k4', 'k5'], 'k4')));

  /** The error a check of `ops` with throwing.ts ends with, in this thread and on 2 workers: the same. */
  async function thrown(fn: string, key?: string) {
    process.env.FL_MODEL_THROW_IN = fn;
    if (key) process.env.FL_MODEL_THROW_KEY = key;
    const model = await load('throwing.ts');
    const inProcess = await usageError(checkOperations(ops, model, { workers: 0, allKeys: true }));
    const onWorkers = await usageError(checkOperations(ops, model, { workers: 2, allKeys: true }));
    expect([onWorkers.message, onWorkers.fix]).toEqual([inProcess.message, inProcess.fix]);
    return inProcess;
  }

  it('step(): a usage error naming the file, the function, the op, the state and the line, alike on workers', async () => {
    const err = await thrown('step');
    expect(err.message).toBe(`throwing.ts: step() threw on "read -> 3" (process 0, history index 22) in state "total 3" at line ${throwLine}: a bug in step`);
    expect(err.fix).toBe('fix step() in throwing.ts');
  });

  it('hash() and checkOp(): named with what they were given', async () => {
    expect((await thrown('hash')).message).toBe(`throwing.ts: hash() threw on state "total 1" at line ${throwLine}: a bug in hash`);
    expect((await thrown('checkOp')).message).toBe(`throwing.ts: checkOp() threw on "read -> 3" (process 0, history index 22) at line ${throwLine}: a bug in checkOp`);
  });

  it('describeOp() explaining an invalid key: the op is named by its f and position instead', async () => {
    const err = await thrown('describeOp', 'k4');
    expect(err.message).toBe(`throwing.ts: describeOp() threw on the read (process 0, history index 28) at line ${throwLine}: a bug in describeOp`);
    expect(err.fix).toBe('fix describeOp() in throwing.ts');
  });
});
