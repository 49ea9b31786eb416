import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistory, getModel } from '../../checker/index.js';
import { renderRunReport } from '../../reports/render-run-report.js';
import type { HistoryOp } from '../../src/history/types.js';
import type { RunResults } from '../../src/store/run-files.js';
import { copyFixture, embeddedData, text } from './helpers.js';

/** The report must render what the real checker produces, not only the hand-written fixture results. */
describe('report from the real checker', () => {
  it('agrees with the fixtures and draws the checker’s own counterexample', async () => {
    const dir = copyFixture('invalid');
    const history = readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HistoryOp);
    const lin = await checkHistory(history, getModel('kv'), { workers: 0, timeLimit: 30 });
    expect(lin.valid).toBe(false);
    const old = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults;
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ ...old, valid: lin.valid, linearizability: lin }));
    const r = await renderRunReport(dir);
    const html = readFileSync(r.path, 'utf8');
    const cx = lin.counterexample!;
    expect(text(html)).toContain(cx.explanation);
    const data = embeddedData(html);
    expect(data.ops.idx[data.counterexample!.failing]).toBe(cx.op.invokeIndex);
    expect(data.counterexample!.minimal).toHaveLength(cx.minimal.length);
    expect(data.counterexample!.steps.map((s) => s.op >= 0)).toEqual(cx.partialLinearizations[0].map(() => true));
  });
});
