import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { checkRunId, nodeNames, parseTargetOptions } from './cluster-options.js';
import { LABEL, newRunId, runIdFor, runLabels } from './labels.js';
import { targetFileOf } from '../targets/registry.js';
import { LineSplitter, timestampToSince } from './log-follower.js';

describe('cluster options', () => {
  it('names nodes n1..nN for 1..9 and refuses anything else', () => {
    expect(nodeNames(3)).toEqual(['n1', 'n2', 'n3']);
    expect(nodeNames('5')).toHaveLength(5);
    expect(nodeNames(9)).toHaveLength(9);
    for (const bad of [0, 10, -1, 2.5, 'x', undefined, NaN]) expect(() => nodeNames(bad)).toThrow(UsageError);
  });

  it('accepts generated run ids and refuses ones Docker cannot name', () => {
    expect(checkRunId(newRunId())).toMatch(/^\d{14}-[a-z0-9]+$/);
    expect(() => checkRunId('bad id')).toThrow(UsageError);
    expect(() => checkRunId('-x')).toThrow(UsageError);
  });

  it('makes a run id from any test name: "+" of a multi-fault default name replaced, long names cut, the stamp kept whole', () => {
    const stamp = '2026-11-23T165440.728Z';
    expect(runIdFor('raftkv-set-figure8+lagging-star', stamp)).toBe(`raftkv-set-figure8_lagging-star-${stamp}`);
    const long = runIdFor('raftkv-register-partition+pause+kill+clock+loss+kill-all', stamp);
    expect(long).toHaveLength(63);
    expect(long.endsWith(`-${stamp}`)).toBe(true);
    expect(checkRunId(long)).toBe(long);
    expect(runIdFor('+++', stamp)).toBe(`run-${stamp}`);
  });

  it('parses key=value target options', () => {
    expect(parseTargetOptions(['read=serializable', 'a=b=c'])).toEqual({ read: 'serializable', a: 'b=c' });
    expect(() => parseTargetOptions(['novalue'])).toThrow(/not key=value/);
  });
});

describe('target source label', () => {
  it('records the absolute path of a target file, and nothing for a built-in name', () => {
    const file = targetFileOf('./examples/etcd/etcd.yaml');
    expect(file).toBe(`${process.cwd()}/examples/etcd/etcd.yaml`);
    expect(runLabels('r1', 'etcd', 'cluster-up', file)[LABEL.targetSource]).toBe(file);
    expect(targetFileOf('raftkv')).toBeUndefined();
    expect(LABEL.targetSource in runLabels('r1', 'raftkv', 'run', targetFileOf('raftkv'))).toBe(false);
  });
});

describe('log following helpers', () => {
  it('turns Docker timestamps into `since` values with nanoseconds', () => {
    expect(timestampToSince('2026-11-23T11:36:02.986512471Z')).toBe(`${Date.UTC(2026, 10, 23, 11, 36, 2) / 1000}.986512471`);
    expect(timestampToSince('2026-11-23T11:36:02Z')).toMatch(/\.000000000$/);
    expect(() => timestampToSince('yesterday')).toThrow();
  });

  it('splits chunks into whole lines, keeping a partial tail', () => {
    const s = new LineSplitter();
    expect(s.push('a\nb')).toEqual(['a']);
    expect(s.push('c\nd\n')).toEqual(['bc', 'd']);
    expect(s.push('tail')).toEqual([]);
    expect(s.flush()).toEqual(['tail']);
  });
});
