import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRunReport } from '../../reports/render-run-report.js';
import { CASES, copyFixture, embeddedData, FIXTURES, tempDir, text } from './helpers.js';

async function render(name: string) {
  const out = join(tempDir(), `${name}.html`);
  const r = await renderRunReport(join(FIXTURES, name), { outFile: out });
  return { r, html: readFileSync(out, 'utf8') };
}

describe('renderRunReport on the fixture runs', () => {
  it.each(CASES)('%s: renders its state honestly, self-contained, with parseable data', async (name) => {
    const { r, html } = await render(name);
    expect(r.state).toBe(name);
    expect(html).toContain(`<div class="verdict-word" data-testid="verdict">${name}</div>`);
    // Offline: nothing is loaded from elsewhere.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(\s*['"]?https?:/i);
    const data = embeddedData(html);
    expect(data.state).toBe(name);
    expect(data.ops.call.length).toBe(r.ops);
    for (const col of Object.values(data.ops)) expect(col).toHaveLength(r.ops);
  });

  it('valid: shows config, versions, image digests, the reproduce command, nemesis intervals and per-key verdicts', async () => {
    const { html } = await render('valid');
    const t = text(html);
    expect(t).toContain('faultline run --target raftkv --workload kv --nemesis partition,kill --nodes 5 --concurrency 6 --time-limit 20 --seed 7');
    expect(t).toContain('sha256:4f1c0d9e2b7a6c5d8e3f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d');
    expect(t).toMatch(/node v20\.19\.5/);
    expect(t).toMatch(/k1 valid 109/);
    expect(t).toMatch(/timeout after Nms \d+ 0 \d+/);
    expect(t).toContain('4 shown; 0 invalid, 0 unknown.');
    const data = embeddedData(html);
    expect(data.nemesis.map((n) => n.label)).toEqual(['partition n1 n2 | n3 n4 n5', 'kill n3']);
    expect(data.nemesis.every((n) => !n.open && n.end > n.start)).toBe(true);
    // Info ops have no completion time: their bars run to the end of the history.
    const info = data.ops.status.map((s, i) => (s === 2 ? i : -1)).filter((i) => i >= 0);
    expect(info.length).toBeGreaterThan(10);
    expect(info.every((i) => data.ops.ret[i] === -1)).toBe(true);
    // A process whose op ended in info never invokes again, so timeouts create new lanes.
    expect(data.lanes.length).toBeGreaterThan(6);
    expect(data.counterexample).toBeNull();
  });

  it('invalid: states the anomaly in words, names the key and maps the counterexample onto timeline rows', async () => {
    const { html } = await render('invalid');
    const results = JSON.parse(readFileSync(join(FIXTURES, 'invalid', 'results.json'), 'utf8'));
    const cx = results.linearizability.counterexample;
    const t = text(html);
    expect(t).toContain(`Key k2 : ${cx.explanation}`);
    expect(t).toMatch(new RegExp(`The operation that cannot be placed: p${cx.op.process} read → ${cx.op.output} \\(\\s*history\\.jsonl line ${cx.op.invokeIndex + 1}\\)`));
    expect(html).toContain('data-action="jump-counterexample"');
    expect(t).toMatch(/k2 invalid/);
    const data = embeddedData(html);
    const c = data.counterexample!;
    expect(c.key).toBe('k2');
    expect(data.ops.idx[c.failing]).toBe(cx.op.invokeIndex);
    expect(c.minimal.map((r) => data.ops.idx[r]).sort((a, b) => a - b)).toEqual(
      cx.minimal.map((o: { invokeIndex: number }) => o.invokeIndex).sort((a: number, b: number) => a - b),
    );
    expect(c.steps.map((s) => [s.text, s.state])).toEqual(
      cx.partialLinearizations[0].map((s: { state: string }) => [`write ${s.state}`, s.state]),
    );
    expect(c.steps.every((s) => s.op >= 0)).toBe(true);
    expect(c.span[0]).toBeLessThan(c.span[1]);
    // Node logs around the anomaly: timestamped logs show a window with the closest line marked.
    expect(html).toMatch(/<span class="mark">▶ 2026-11-20T02:14:/);
    expect(t).toMatch(/n5 — no timestamps in this log: last \d+ of \d+ lines/);
  });

  it('invalid with keys the checker stopped before: lists them as not checked, after the decided ones', async () => {
    const dir = copyFixture('invalid');
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    for (const k of results.linearizability.keys) {
      if (k.key === 'k3' || k.key === 'k4') Object.assign(k, { valid: 'not-checked', ms: 0, reason: 'not checked: the history is already invalid' });
    }
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
    const out = join(tempDir(), 'not-checked.html');
    await renderRunReport(dir, { outFile: out });
    const t = text(readFileSync(out, 'utf8'));
    expect(t).toContain('1 invalid, 0 unknown, 2 not checked');
    expect(t).toMatch(/k3 not checked 88 \S+ \S+ search not checked: the history is already invalid/);
    expect(t.indexOf('k1 valid')).toBeLessThan(t.indexOf('k3 not checked'));
  });

  it('unknown: says the checker could not decide and why', async () => {
    const t = text((await render('unknown')).html);
    expect(t).toContain('Unknown: the checker ran out of its time or memory budget');
    expect(t).toContain('Reason: time-limit');
    expect(t).toMatch(/k3 unknown \d+ [\d.]+ ms search time-limit/);
  });

  it('empty: says there is nothing to judge', async () => {
    const { html } = await render('empty');
    const t = text(html);
    expect(t).toContain('Empty history: no client operation was recorded');
    expect(t).toContain('No completed operations.');
    expect(t).toContain('No node logs were saved.');
  });

  it('crashed: says the run did not finish, lists what is missing, and still draws what was recorded', async () => {
    const { r, html } = await render('crashed');
    const t = text(html);
    expect(t).toContain('Incomplete run: it stopped before the check finished');
    expect(t).toContain('not recorded (the run did not finish)');
    expect(t).toMatch(/history\.jsonl: the last line \(\d+\) is cut off mid-object \(writing stopped there\); the \d+ complete op\(s\) before it are used/);
    expect(t).toContain('(the check did not run)');
    expect(r.ops).toBeGreaterThan(200);
  });
});

describe('renderRunReport on damaged or hostile input', () => {
  it('renders a directory with no files at all, and corrupt JSON, without throwing', async () => {
    const dir = tempDir();
    let r = await renderRunReport(dir);
    expect(r.state).toBe('crashed');
    expect(text(readFileSync(r.path, 'utf8'))).toContain('test.json is missing');
    writeFileSync(join(dir, 'test.json'), '{"name": ');
    writeFileSync(join(dir, 'results.json'), '[1,');
    r = await renderRunReport(dir);
    expect(text(readFileSync(r.path, 'utf8'))).toMatch(/test\.json could not be parsed/);
  });

  it('reports a run error recorded by the pipeline', async () => {
    const dir = copyFixture('valid');
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ ...results, valid: 'unknown', error: 'cluster never became ready: n3 timed out' }));
    const r = await renderRunReport(dir);
    const t = text(readFileSync(r.path, 'utf8'));
    expect(r.state).toBe('error');
    expect(t).toContain('Reason: cluster never became ready: n3 timed out');
  });

  it('escapes values so no history content can close the data block or inject markup', async () => {
    const dir = join(tempDir(), 'evil');
    mkdirSync(dir);
    const evil = '</script><script>window.pwned=1</script><!--';
    writeFileSync(
      join(dir, 'history.jsonl'),
      [
        { index: 0, type: 'invoke', process: 0, f: 'write', key: evil, value: evil, time: 1 },
        { index: 1, type: 'fail', process: 0, f: 'write', key: evil, value: evil, time: 2, error: `<img src=x onerror=alert(1)>` },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const r = await renderRunReport(dir);
    const html = readFileSync(r.path, 'utf8');
    expect(html).not.toContain('<script>window.pwned');
    expect(html).not.toContain('<img src=x');
    const data = embeddedData(html);
    expect(data.keys).toEqual([evil]);
    expect(data.errors).toEqual(['<img src=x onerror=alert(1)>']);
  });

  it('writes report.html into the run directory by default', async () => {
    const dir = copyFixture('invalid');
    const r = await renderRunReport(dir);
    expect(r.path).toBe(join(dir, 'report.html'));
    expect(r.bytes).toBe(Buffer.byteLength(readFileSync(r.path, 'utf8')));
  });
});
