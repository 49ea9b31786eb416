import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { missingVerbs } from '../../src/core/client.js';
import { loadTargetFile } from '../../src/targets/load-target-file.js';
import { loadTarget } from '../../src/targets/registry.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const load = (name: string) => loadTargetFile(name, fixtures);

async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

describe('--target <file>', () => {
  it('loads a TypeScript target: typed options, verbs beyond read/write/cas', async () => {
    const target = await load('echo-target.ts');
    expect(target.name).toBe('echo');
    const options = target.parseOptions({ replicas: '5' });
    expect(options).toEqual({ prefix: 'v-', replicas: 5 });
    expect(target.node({ node: 'n2', nodes: ['n1', 'n2'], options }).cmd).toEqual(['echo', 'n2', '5']);
    const client = target.client({ node: 'n1', host: '127.0.0.1', port: 1 }, options);
    expect(await client.read!('k', { timeoutMs: 10 })).toBe('v-k');
    expect(missingVerbs(client, ['read', 'ping', 'append'])).toEqual(['append']);
  });

  it('a bad option value names the option and what it accepts', async () => {
    const target = await load('echo-target.ts');
    const err = await usageError(Promise.resolve().then(() => target.parseOptions({ replicas: 'three' })));
    expect(err.message).toMatch(/target echo: option replicas=three is not valid: expected a number/);
  });

  it('a complete description exported without defineTarget is accepted once checked', async () => {
    expect((await load('plain.mjs')).capabilities.pause).toBe(false);
  });

  it('a missing method: names the file and the method', async () => {
    const err = await usageError(load('missing-method.ts'));
    expect(err.message).toMatch(/^missing-method\.ts: target "no-client" is not valid: client\(\) is missing/);
  });

  it('an invalid option schema: names the file and the field', async () => {
    const err = await usageError(load('bad-options.mjs'));
    expect(err.message).toMatch(/^bad-options\.mjs: the exported target is not valid: options must be a zod object schema/);
  });

  it('a throw at load: names the file and the error', async () => {
    const err = await usageError(load('throws.ts'));
    expect(err.message).toMatch(/^target file throws\.ts failed to load: FIXTURE_PORT is not set/);
    expect(err.fix).toMatch(/throws\.ts/);
  });

  it('a syntax error: names the file', async () => {
    const err = await usageError(load('syntax-error.ts'));
    expect(err.message).toMatch(/^target file syntax-error\.ts failed to load/);
  });

  it('no exported target: names the file and what it exports', async () => {
    const err = await usageError(load('no-export.js'));
    expect(err.message).toMatch(/^no-export\.js exports no target \(it exports: describeIt, helper\)/);
    expect(err.fix).toMatch(/export default defineTarget/);
  });

  it('a file that does not exist, or an extension Faultline cannot load', async () => {
    expect((await usageError(load('nope.ts'))).message).toMatch(/target file nope\.ts does not exist/);
    const err = await usageError(load('notes.txt'));
    expect(err.message).toMatch(/target file notes\.txt has extension "\.txt", which Faultline cannot load/);
    expect(err.fix).toMatch(/\.ts, .*\.yaml/);
  });

  it('a .ts/.js file in a CommonJS project: says to rename it or set "type": "module"', async () => {
    const err = await usageError(load('cjs-project/target.js'));
    expect(err.message).toMatch(/^target file cjs-project\/target\.js would load as CommonJS \(.*cjs-project\/package\.json has "type": "commonjs"\)/);
    expect(err.fix).toMatch(/rename it to target\.mjs, or set "type": "module"/);
  });

  it('a declarative file goes to the declarative loader', async () => {
    const target = await loadTarget(fileURLToPath(new URL('../../examples/etcd/etcd.yaml', import.meta.url)));
    expect(target.clientPort).toBe(2379);
    expect(typeof target.parseOptions).toBe('function');
  });

  it('loadTarget tells a path from a built-in name', async () => {
    expect((await loadTarget(`${fixtures}echo-target.ts`)).name).toBe('echo');
    expect((await usageError(loadTarget('./no/such/target.ts'))).message).toMatch(/does not exist/);
  });
});
