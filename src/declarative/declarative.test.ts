import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ClientError } from '../core/errors.js';
import { decodeValue } from './client.js';
import { targetJsonSchema } from './json-schema.js';
import { fileProblems, formatProblems } from './loader.js';
import { atPointer, classifyResponse, classifyTransportError } from './outcomes.js';
import { createServer } from 'node:net';
import { nodeNamed, optionsSchema, tcpAnswers } from './target.js';
import { renderJson, renderText, variablesOf } from './templates.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const httpKv = parse(readFileSync(join(root, 'examples/http-kv/http-kv.yaml'), 'utf8')) as Record<string, unknown>;
const clone = () => structuredClone(httpKv) as Record<string, any>;
const problemsOf = (input: unknown) => fileProblems(input).problems.map((p) => `${p.path}: ${p.message}; fix: ${p.fix}`);
const response = (status: number, json?: unknown) => ({ status, ok: status >= 200 && status < 300, text: json === undefined ? '' : JSON.stringify(json), json });

describe('declarative target files: schema errors name the field and the fix', () => {
  it('the example file is valid', () => {
    expect(problemsOf(httpKv)).toEqual([]);
  });
  it('a misspelt field is unknown, with the likely name', () => {
    const f = clone();
    f.node.comand = f.node.command;
    delete f.node.command;
    expect(problemsOf(f)).toEqual(['node.comand: unknown field "comand"; fix: did you mean "command"? fields here: command, env, dataDir, dataFiles']);
  });
  it('a missing field says what to add', () => {
    const f = clone();
    delete f.clientPort;
    expect(problemsOf(f)[0]).toMatch(/^clientPort: is missing; fix: add clientPort \(the port a node serves/);
  });
  it('a bad outcome, a bad pointer and readiness without a check', () => {
    const f = clone();
    f.client.read.outcomes[0].means = 'missing';
    f.client.read.value = 'value';
    f.ready = { leader: true };
    const problems = problemsOf(f);
    expect(problems.some((p) => p.startsWith('client.read.outcomes[0].means:') && p.includes('fix: use one of "ok", "absent", "fail", "cas-mismatch", "info"'))).toBe(true);
    expect(problems.some((p) => p.startsWith('client.read.value: a JSON pointer is ""'))).toBe(true);
    expect(problems.some((p) => p.startsWith('ready: say how readiness is seen'))).toBe(true);
  });
  it('templates are checked before anything starts: unknown variables, options and helpers', () => {
    const f = clone();
    f.client.write.body.value = '{{valeu}}';
    f.node.env.READS = '{{options.raeds}}';
    f.client.cas.path = '/kv/{{urlencod key}}/cas';
    const problems = problemsOf(f);
    expect(problems).toContain('client.write.body.value: template "{{valeu}}": "valeu" is not known here; fix: templates here can use key, value, node, options, and the helpers json, base64, urlencode, eq, peers');
    expect(problems.some((p) => p.startsWith('node.env.READS: template "{{options.raeds}}": "options.raeds" is not an option of this file (options: reads)'))).toBe(true);
    expect(problems.some((p) => p.startsWith('client.cas.path: template') && p.includes('urlencod'))).toBe(true);
  });
  it('the error names the file on every line', () => {
    const f = clone();
    delete f.image;
    const err = formatProblems('/x/mydb.yaml', fileProblems(f).problems);
    expect(err.message).toMatch(/^mydb\.yaml: image: is missing; fix: add image/);
    expect(err.fix).toContain('faultline target check /x/mydb.yaml');
  });
});

describe('templates', () => {
  const nodeCtx = { node: 'n2', nodes: ['n1', 'n2', 'n3'], others: ['n1', 'n3'], index: 2, clientPort: 8080, options: { read: 'serializable' } };
  it('peer lists in the forms clusters want', () => {
    expect(renderText('{{peers}}', nodeCtx)).toBe('n1:8080,n2:8080,n3:8080');
    expect(renderText('{{peers port=2380 format="{name}=http://{host}:{port}"}}', nodeCtx)).toBe('n1=http://n1:2380,n2=http://n2:2380,n3=http://n3:2380');
    expect(renderText('{{peers json=true}}', nodeCtx)).toBe('["n1:8080","n2:8080","n3:8080"]');
    expect(renderText('{{peers others=true sep=" "}}', nodeCtx)).toBe('n1:8080 n3:8080');
    expect(renderText('{{nodes.[0]}}-{{index}}', nodeCtx)).toBe('n1-2');
  });
  it('a lone expression keeps its type in JSON bodies; helpers for etcd-style bodies', () => {
    const ctx = { key: 'r1', value: 5, from: null, to: 'x', options: { read: 'serializable' } };
    expect(renderJson({ value: '{{value}}', from: '{{from}}', text: 'v={{value}}', s: '{{eq options.read "serializable"}}' }, ctx)).toEqual({ value: 5, from: null, text: 'v=5', s: true });
    expect(renderJson({ key: '{{base64 key}}', value: '{{base64 (json value)}}' }, ctx)).toEqual({ key: 'cjE=', value: Buffer.from('5').toString('base64') });
    expect(renderText('/kv/{{urlencode key}}', { key: 'a b/c' })).toBe('/kv/a%20b%2Fc');
  });
  it('finds the variables a template reads, also inside helper arguments', () => {
    expect(variablesOf('{{base64 (json valeu)}} {{options.read}} {{peers port=2380}}')).toEqual([['valeu'], ['options', 'read']]);
  });
});

describe('answers classified by the file\'s rules, then the default', () => {
  const rules = [
    { status: 404 as const, means: 'absent' as const },
    { status: 409 as const, means: 'cas-mismatch' as const },
    { status: 200 as const, pointer: '/succeeded', exists: false, means: 'cas-mismatch' as const },
    { status: '4xx' as const, pointer: '/code', in: [4, 14], means: 'info' as const },
    { error: 'ECONNRESET', means: 'fail' as const },
  ];
  const outcome = (status: number, json?: unknown) => {
    const d = classifyResponse(rules, response(status, json), 'db');
    return d.outcome === 'error' ? `${d.error.definite ? 'fail' : 'info'}:${d.error.code}` : d.outcome;
  };
  it('rules first', () => {
    expect(outcome(404, { error: 'nope' })).toBe('absent');
    expect(outcome(409, {})).toBe('fail:cas-mismatch');
    expect(outcome(200, { header: {} })).toBe('fail:cas-mismatch');
    expect(outcome(200, { succeeded: true })).toBe('ok');
    expect(outcome(400, { code: 14 })).toBe('info:http-400');
  });
  it('then the default: other 4xx definite, 5xx and 408 indeterminate', () => {
    expect(outcome(400, { code: 3 })).toBe('fail:http-400');
    expect(outcome(503)).toBe('info:http-503');
    expect(outcome(408)).toBe('info:http-408');
  });
  it('transport failures keep the kit\'s reading unless a rule says otherwise', () => {
    const reset = classifyTransportError(rules, new ClientError('reset', false, 'ECONNRESET'));
    expect(reset.outcome === 'error' && reset.error.definite).toBe(true);
    const timeout = classifyTransportError(rules, new ClientError('timeout', false, 'timeout'));
    expect(timeout.outcome === 'error' && timeout.error.definite).toBe(false);
  });
  it('values by JSON pointer, decoded', () => {
    const etcd = { kvs: [{ value: Buffer.from('"abc"').toString('base64') }] };
    expect(decodeValue(atPointer(etcd, '/kvs/0/value'), ['base64', 'json'])).toBe('abc');
    expect(atPointer({ 'a/b': { '~': 1 } }, '/a~1b/~0')).toBe(1);
    expect(atPointer({ a: [1] }, '/a/1')).toBeUndefined();
    expect(() => decodeValue({ x: 1 }, [])).toThrow(/not a number, string or null/);
  });
  it('leader answers map to node names', () => {
    expect(nodeNamed('n2', ['n1', 'n2'])).toBe('n2');
    expect(nodeNamed('http://n3:2379', ['n1', 'n3'])).toBe('n3');
    expect(nodeNamed('n1:8080', ['n1'])).toBe('n1');
    expect(nodeNamed('12345', ['n1'])).toBeUndefined();
  });
  it('options become a zod schema: enum with default, typed numbers', () => {
    const s = optionsSchema({ read: { type: 'string', values: ['a', 'b'], default: 'a' }, n: { type: 'number' } });
    expect(s.parse({})).toEqual({ read: 'a' });
    expect(s.safeParse({ read: 'c' }).success).toBe(false);
    expect(s.parse({ n: 3 })).toEqual({ read: 'a', n: 3 });
  });
});

describe('schemas/target.schema.json', () => {
  it('is generated from the zod schema and up to date (regenerate: npm run schemas)', () => {
    expect(readFileSync(join(root, 'schemas/target.schema.json'), 'utf8')).toBe(targetJsonSchema());
  });
  it('accepts the example file and refuses a misspelt field, like the loader', () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(targetJsonSchema()) as object);
    expect(validate(httpKv)).toBe(true);
    const f = clone();
    f.clientPrt = 1;
    expect(validate(f)).toBe(false);
  });
});

describe('TCP readiness through a published port', () => {
  it('a listening server answers; a proxy that accepts and closes at once (nothing behind it) does not', async () => {
    const listening = createServer(() => undefined).listen(0);
    const proxy = createServer((socket) => socket.destroy()).listen(0);
    await new Promise((r) => setTimeout(r, 50));
    const port = (s: typeof listening) => (s.address() as { port: number }).port;
    expect(await tcpAnswers({ node: 'n1', host: '127.0.0.1', port: port(listening) })).toBe(true);
    expect(await tcpAnswers({ node: 'n1', host: '127.0.0.1', port: port(proxy) })).toBe(false);
    listening.close();
    proxy.close();
  });
});
