import { describe, expect, it } from 'vitest';
import { CONFIG_ENV, CONFIG_PATH, natsCommand, natsConfig } from './config.js';
import { bucketReplicas, natsOptions } from './options.js';
import { parseOptions } from '../../src/index.js';

describe('natsConfig', () => {
  it('names the server after the node and routes to every node by hostname', () => {
    const conf = natsConfig('n2', ['n1', 'n2', 'n3']);
    expect(conf).toContain('server_name: n2\n');
    expect(conf).toContain('listen: 0.0.0.0:4222\n');
    expect(conf).toContain('routes: [nats-route://n1:6222, nats-route://n2:6222, nats-route://n3:6222]');
    expect(conf).toMatch(/jetstream \{ store_dir: "\/data"/);
    expect(conf).toContain('name: faultline');
  });

  it('has five routes on five nodes', () => {
    const conf = natsConfig('n5', ['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(conf.match(/nats-route:\/\//g)).toHaveLength(5);
  });

  it('refuses a node outside the cluster', () => {
    expect(() => natsConfig('n4', ['n1', 'n2', 'n3'])).toThrow(/n4 is not one of/);
  });

  it('writes the config from the environment and execs the server as the main process', () => {
    const [sh, flag, script] = natsCommand();
    expect([sh, flag]).toEqual(['/bin/sh', '-c']);
    expect(script).toContain(`"$${CONFIG_ENV}" > ${CONFIG_PATH}`);
    expect(script).toMatch(/&& exec \/usr\/sbin\/nats-server -c \/etc\/nats\/nats.conf$/);
  });
});

describe('nats options', () => {
  it('defaults to direct reads and every node a replica', () => {
    const options = parseOptions('nats', natsOptions, {});
    expect(options.read).toBe('direct');
    expect(bucketReplicas(options, 3)).toBe(3);
    expect(bucketReplicas(options, 7)).toBe(5);
  });

  it('parses read=leader and replicas=3', () => {
    const options = parseOptions('nats', natsOptions, { read: 'leader', replicas: '3' });
    expect(options).toEqual({ read: 'leader', replicas: 3 });
    expect(bucketReplicas(options, 5)).toBe(3);
  });

  it('names the bad option', () => {
    expect(() => parseOptions('nats', natsOptions, { read: 'follower' })).toThrow(/read=follower/);
    expect(() => parseOptions('nats', natsOptions, { replicas: 'abc' })).toThrow(/replicas=abc/);
    expect(() => parseOptions('nats', natsOptions, { replicas: '6' })).toThrow(/replicas=6/);
    expect(() => parseOptions('nats', natsOptions, { fsync: 'always' })).toThrow(/no option "fsync"/);
  });

  it('refuses more replicas than nodes', () => {
    expect(() => bucketReplicas({ replicas: 5 }, 3)).toThrow(/replicas=5 exceeds the 3 nodes/);
  });
});
