import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { etcdTarget } from '../../targets/etcd/target.js';
import { raftkvTarget } from '../../targets/raftkv/target.js';
import { knownTargets, loadTarget, targetChoices } from './registry.js';

describe('target registry', () => {
  it('lists the built-in targets from the targets/ folders', () => {
    expect(knownTargets()).toEqual(expect.arrayContaining(['etcd', 'raftkv']));
    expect(targetChoices()).toMatch(/raftkv.*or a target file \(.ts/);
  });

  it('loads a built-in target by name and names the known ones for an unknown name', async () => {
    expect((await loadTarget('etcd')).name).toBe('etcd');
    await expect(loadTarget('mongo')).rejects.toThrow(UsageError);
    await expect(loadTarget('mongo')).rejects.toThrow(new RegExp(`known targets: ${knownTargets().join(', ')}`));
  });

  it('parses etcd options into typed values and rejects bad ones naming the option', () => {
    expect(etcdTarget.parseOptions({ read: 'serializable' })).toEqual({ read: 'serializable' });
    expect(etcdTarget.parseOptions({})).toEqual({ read: 'linearizable' });
    expect(() => etcdTarget.parseOptions({ read: 'stale' })).toThrow(/option read=stale is not valid: expected one of linearizable, serializable/);
    expect(() => etcdTarget.parseOptions({ speed: 'fast' })).toThrow(/no option "speed"/);
  });

  it('raftkv options: numbers are typed, a non-number is a UsageError naming the option, bug knobs are checked', () => {
    expect(raftkvTarget.parseOptions({ 'max-batch': '8', bugs: 'stale-reads' })).toEqual({ 'max-batch': 8, bugs: 'stale-reads' });
    expect(() => raftkvTarget.parseOptions({ 'heartbeat-ms': 'abc' })).toThrow(/option heartbeat-ms=abc is not valid: expected a number/);
    expect(() => raftkvTarget.parseOptions({ 'election-ms': 'abc' })).toThrow(/election-ms=abc.*min-max/);
    expect(() => raftkvTarget.parseOptions({ bugs: 'stale-read' })).toThrow(/unknown raftkv bug knob\(s\): stale-read/);
    expect(() => raftkvTarget.parseOptions({ flavour: 'x' })).toThrow(/known options: bugs/);
    const spec = raftkvTarget.node({ node: 'n1', nodes: ['n1', 'n2'], options: raftkvTarget.parseOptions({ 'max-batch': '8' }) });
    expect(spec.env).toMatchObject({ RAFTKV_ID: 'n1', RAFTKV_MAX_BATCH: '8', RAFTKV_PEERS: 'n1=n1:7000,n2=n2:7000' });
  });
});
