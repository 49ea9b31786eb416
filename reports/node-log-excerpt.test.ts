import { describe, expect, it } from 'vitest';
import { excerptLog, lineTime } from './node-log-excerpt.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 20, 2, 0, s)).toISOString();

describe('excerptLog', () => {
  const log = Array.from({ length: 100 }, (_, s) => `${at(s)} INFO tick ${s}`).join('\n') + '\n';
  const anomaly = Date.parse(at(50)) + 500;

  it('shows the lines from 5 s before to 3 s after the anomaly and marks the closest earlier line', () => {
    const ex = excerptLog('n1', log, anomaly);
    expect(ex.mode).toBe('around');
    expect(ex.lines.map((l) => l.text.split(' tick ')[1])).toEqual(['46', '47', '48', '49', '50', '51', '52', '53']);
    expect(ex.lines.filter((l) => l.mark).map((l) => l.text)).toEqual([`${at(50)} INFO tick 50`]);
  });

  it('falls back to the tail when the log has no timestamps', () => {
    const plain = Array.from({ length: 80 }, (_, i) => `line ${i}`).join('\n');
    const ex = excerptLog('n5', plain, anomaly, { maxLines: 10 });
    expect(ex.mode).toBe('tail');
    expect(ex.lines.map((l) => l.text)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${70 + i}`));
    expect(ex.note).toMatch(/no timestamps/);
  });

  it('falls back to the tail without an anomaly time, and caps the window at maxLines', () => {
    expect(excerptLog('n1', log, undefined, { maxLines: 3 }).lines.map((l) => l.text)).toEqual([97, 98, 99].map((s) => `${at(s)} INFO tick ${s}`));
    const dense = excerptLog('n1', log, anomaly, { beforeMs: 40_000, afterMs: 40_000, maxLines: 9 });
    expect(dense.lines).toHaveLength(9);
    expect(dense.lines.findIndex((l) => l.mark)).toBe(6);
  });

  it('reads ISO timestamps with a space, a comma or no zone (taken as UTC)', () => {
    expect(lineTime('2026-11-20 02:00:01,250 WARN x')).toBe(Date.parse('2026-11-20T02:00:01.250Z'));
    expect(lineTime('[n1] 2026-11-20T02:00:01+01:00 x')).toBe(Date.parse('2026-11-20T01:00:01Z'));
    expect(lineTime('no time here')).toBeUndefined();
  });
});
