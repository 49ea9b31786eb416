import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { missingVerbs } from './client.js';
import { ClientError, UsageError } from './errors.js';
import { describeOptions, parseOptions } from './options.js';
import { defineTarget, targetProblems } from './target.js';
import { defineWorkload } from './workload.js';

const valid = {
  name: 'mydb',
  description: 'd',
  capabilities: { partition: true, pause: true, kill: true, clock: false },
  defaultNodes: 3,
  clientPort: 8080,
  image: { name: 'mydb:1' },
  node: () => ({ cmd: ['mydb'], dataDir: '/data' }),
  ready: async () => undefined,
  client: () => ({}),
};

describe('defineTarget', () => {
  it('accepts a complete description and lists every problem of a bad one', () => {
    expect(defineTarget(valid).name).toBe('mydb');
    const bad = { ...valid, name: 'My DB', clientPort: 70000, capabilities: { partition: true }, image: {}, ready: undefined };
    expect(targetProblems(bad)).toEqual([
      'name must be lower-case letters, digits and dashes (at most 31), got "My DB"',
      'clientPort must be a port number (1-65535), got 70000',
      'capabilities.pause must be true or false, got undefined',
      'capabilities.kill must be true or false, got undefined',
      'capabilities.clock must be true or false, got undefined',
      'image needs name (an existing image such as "postgres:16") or contextDir (a directory with a Dockerfile)',
      'ready() is missing (it must be a function)',
    ]);
    expect(() => defineTarget(bad as never)).toThrow(UsageError);
  });

  it('options: typed values, defaults, unknown keys named with the known ones', () => {
    const t = defineTarget({ ...valid, options: z.object({ n: z.number().int().default(2), fast: z.boolean().optional(), mode: z.enum(['a', 'b']).optional() }) });
    expect(t.parseOptions({})).toEqual({ n: 2 });
    expect(t.parseOptions({ n: '5', fast: 'true', mode: 'b' })).toEqual({ n: 5, fast: true, mode: 'b' });
    expect(() => t.parseOptions({ n: '' })).toThrow(/option n= is not valid: expected a number/);
    expect(() => t.parseOptions({ fast: 'yes' })).toThrow(/option fast=yes is not valid: expected true or false/);
    expect(() => t.parseOptions({ speed: '1' })).toThrow(/target mydb has no option "speed"; known options: n, fast, mode/);
    expect(() => defineTarget(valid).parseOptions({ a: '1' })).toThrow(/no option "a"/);
    expect(describeOptions(t.options).map((o) => o.accepts)).toEqual(['a number', 'true or false', 'one of a, b']);
  });

  it('a required option that is not given is named', () => {
    expect(() => parseOptions('x', z.object({ url: z.string() }), {})).toThrow(/option url \(not given\) is not valid/);
  });
});

describe('errors', () => {
  it('instanceof works across copies of the class (a target loaded from another install)', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('faultline.ClientError')]: true, definite: true });
    expect(foreign).toBeInstanceOf(ClientError);
    expect(new Error('x')).not.toBeInstanceOf(ClientError);
    expect(new ClientError('x', false)).not.toBeInstanceOf(UsageError);
    class SubUsage extends UsageError {}
    expect(new SubUsage('x')).toBeInstanceOf(UsageError);
    expect(new UsageError('x')).not.toBeInstanceOf(SubUsage);
  });
});

describe('verbs', () => {
  it('missingVerbs names the methods a client lacks; defineWorkload checks its description', () => {
    expect(missingVerbs({ read() {}, incr() {} }, ['read', 'incr', 'cas'])).toEqual(['cas']);
    expect(() => defineWorkload({ name: 'w', model: 'kv', description: 'd', verbs: 'read' } as never)).toThrow(/workload "w" is not valid: verbs must be a list of strings; stream\(\) is missing/);
  });
});
