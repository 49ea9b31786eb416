/** Reading a schedule back: a hand-written file is validated like a config, each error naming the entry and field. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScheduleNodes, parseSchedule, readSchedule, SCHEDULE_FORMAT, scheduleFile } from '../../nemesis/schedule-file.js';

const ok = {
  format: SCHEDULE_FORMAT,
  entries: [
    { atMs: 1000, fault: 'kill', op: 'start', plan: { nodes: ['n2'] } },
    { atMs: 2500, fault: 'kill', op: 'stop' },
    { atMs: 1200, lane: 'p', fault: 'partition', op: 'start', plan: { kind: 'halves', grudge: { n1: ['n2'], n2: ['n1'] }, groups: [['n1'], ['n2']] } },
  ],
};

const message = (raw: unknown) => {
  try {
    parseSchedule(raw, 'my.json');
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
};

describe('schedule files', () => {
  it('accepts a hand-written schedule; a missing lane is the fault name', () => {
    const s = parseSchedule(ok, 'my.json');
    expect(s.entries.map((e) => e.lane)).toEqual(['kill', 'kill', 'p']);
    expect(s.mode).toBe('replay');
  });

  it('names the entry and the field of every kind of mistake', () => {
    const bad = (i: number, patch: Record<string, unknown>) => ({ ...ok, entries: ok.entries.map((e, j) => (j === i ? { ...e, ...patch } : e)) });
    expect(message(bad(0, { fault: 'explode' }))).toMatch(/^schedule my\.json: entries\[0\]\.fault: must be one of: partition, pause, kill/);
    expect(message(bad(1, { atMs: -5 }))).toBe('schedule my.json: entries[1].atMs: must not be negative');
    expect(message(bad(0, { plan: { nodes: [] } }))).toBe('schedule my.json: entries[0].plan.nodes: must name at least one node');
    expect(message(bad(0, { plan: undefined }))).toMatch(/entries\[0\]\.plan: a start needs its plan/);
    expect(message(bad(2, { plan: { kind: 'sideways', grudge: {} } }))).toMatch(/^schedule my\.json: entries\[2\]\.plan\.kind: /);
    expect(message(bad(1, { when: 3 }))).toMatch(/entries\[1\]: unknown field\(s\) when/);
    expect(message({ entries: [] })).toMatch(/format: must be "faultline-schedule\/1"/);
  });

  it('refuses a schedule naming nodes the cluster does not have', () => {
    const s = parseSchedule({ ...ok, entries: [...ok.entries, { atMs: 3000, fault: 'pause', op: 'start', plan: { nodes: ['n7'] } }] }, 'my.json');
    expect(() => checkScheduleNodes(s, ['n1', 'n2', 'n3', 'n4', 'n5'], 'my.json')).toThrow(/entries\[3\]\.plan names node\(s\) n7, but the cluster has n1, n2, n3, n4, n5/);
    expect(() => checkScheduleNodes(parseSchedule(ok, 'x'), ['n1', 'n2'], 'x')).not.toThrow();
  });

  it('reads a run directory (its schedule.json) or a file, and says what is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-sched-'));
    writeFileSync(join(dir, 'schedule.json'), JSON.stringify(scheduleFile('composed', ['n1', 'n2'], parseSchedule(ok, 'x').entries)));
    expect(readSchedule(dir).entries).toHaveLength(3);
    expect(() => readSchedule(join(dir, 'nope'))).toThrow(/cannot read schedule .*nope: ENOENT/);
    writeFileSync(join(dir, 'broken.json'), '{');
    expect(() => readSchedule(join(dir, 'broken.json'))).toThrow(/is not valid JSON/);
  });
});
