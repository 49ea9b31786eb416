import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/errors.js';
import { etcdTarget } from './etcd.js';
import { getTarget, knownTargets } from './registry.js';

describe('target registry', () => {
  it('finds etcd and names the known targets for an unknown one', () => {
    expect(getTarget('etcd')).toBe(etcdTarget);
    expect(() => getTarget('mongo')).toThrow(UsageError);
    expect(() => getTarget('mongo')).toThrow(new RegExp(`known targets: ${knownTargets().join(', ')}`));
  });

  it('validates etcd target options', () => {
    expect(() => etcdTarget.validateOptions({ read: 'serializable' })).not.toThrow();
    expect(() => etcdTarget.validateOptions({ read: 'stale' })).toThrow(/read=stale is not one of/);
    expect(() => etcdTarget.validateOptions({ speed: 'fast' })).toThrow(/no target option "speed"/);
  });
});
