import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { benchRunConfig, describeSetup, selectRecipes, type BenchOptions } from './run-bench.js';
import { DETECTION_RECIPES, FINDING_RECIPES, KNOB_NAMES, SOAK_RECIPES } from './recipes.js';

const options = (over: Partial<BenchOptions> = {}): BenchOptions => ({
  part: 'detection', runs: 5, timeLimit: 60, baseSeed: 10, store: 'store', command: 'x', log: () => undefined, ...over,
});

describe('selectRecipes', () => {
  it('runs every knob by default, or the ones named, in the order named', () => {
    expect(selectRecipes('detection', undefined).map((r) => r.label)).toEqual([...KNOB_NAMES, ...FINDING_RECIPES.map((r) => r.label)]);
    expect(selectRecipes('detection', ['no-fsync', 'stale-reads']).map((r) => r.label)).toEqual(['no-fsync', 'stale-reads']);
  });

  it('rejects an unknown knob with a usage error listing the known ones', () => {
    expect(() => selectRecipes('detection', ['stale-read'])).toThrow(UsageError);
    expect(() => selectRecipes('detection', ['stale-read'])).toThrow(/stale-read/);
    // Real-system findings by label or by target.
    expect(selectRecipes('detection', ['nats cas race']).map((r) => r.label)).toEqual(['nats cas race']);
    expect(selectRecipes('detection', ['nats']).map((r) => r.config.target)).toEqual(FINDING_RECIPES.map(() => 'nats'));
  });

  it('picks soak cases by target or by full label', () => {
    expect(selectRecipes('soak', ['etcd']).map((r) => r.label)).toEqual(['etcd partition', 'etcd kill', 'etcd pause', 'etcd loss', 'etcd lagging-star', 'etcd figure8', 'etcd composed', 'etcd disk']);
    expect(selectRecipes('soak', ['raftkv kill']).map((r) => r.label)).toEqual(['raftkv kill']);
    expect(selectRecipes('soak', []).length).toBe(SOAK_RECIPES.length);
    expect(() => selectRecipes('soak', ['zookeeper'])).toThrow(UsageError);
  });
});

describe('benchRunConfig', () => {
  it('every recipe is a valid `faultline run` configuration with its knob switched on', () => {
    for (const knob of KNOB_NAMES) {
      const c = benchRunConfig(options(), DETECTION_RECIPES[knob], 0, '/tmp/runs');
      expect(c.targetOptions.bugs).toBe(knob);
      expect(c.target).toBe('raftkv');
    }
    for (const r of SOAK_RECIPES) expect(benchRunConfig(options({ part: 'soak' }), r, 0, '/tmp/runs').targetOptions.bugs).toBeUndefined();
  });

  it('run i gets seed base+i, the bench time limit, its own store and name; overrides win over the recipe', () => {
    const c = benchRunConfig(options({ overrides: { nodes: 3 } }), DETECTION_RECIPES['no-fsync'], 2, '/tmp/runs');
    expect(c).toMatchObject({ seed: 12, timeLimit: 60, store: '/tmp/runs', name: 'detection-no-fsync', nodes: 3, nemesis: ['kill-all'] });
    expect(c.targetOptions).toEqual({ bugs: 'no-fsync', 'lazy-flush-ms': '2000' });
  });

  it('soak labels become valid run names', () => {
    expect(benchRunConfig(options({ part: 'soak' }), SOAK_RECIPES[0], 0, '/tmp/runs').name).toBe('soak-raftkv-partition');
  });
});

describe('describeSetup', () => {
  it('names workload, faults with their interval, and target options other than the knob', () => {
    const c = benchRunConfig(options(), DETECTION_RECIPES['no-fsync'], 0, '/tmp/runs');
    expect(describeSetup(c)).toBe('set / kill-all every 4 s / lazy-flush-ms=2000');
  });
});
