/**
 * The reports in a real browser: Debian's chromium driven by playwright-core, fully offline (every request
 * that is not file: or data: is aborted and counted). Install chromium with scripts/ensure-test-packages.sh.
 * Also measures a 100,000-op report (page size, time to interactive): printed, and written to
 * $REPORT_BENCH_OUT when set; figures, not assertions, since the machine is shared.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRunReport } from '../../reports/render-run-report.js';
import { injectStaleRead, simulateKvRun } from '../fixtures/runs/generate-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'runs');
const SHOTS = process.env.REPORT_SHOTS_DIR;

interface Loaded {
  page: Page;
  errors: string[];
  external: string[];
}

describe.skipIf(!haveChromium)(`report in chromium${haveChromium ? '' : ' (skipped: /usr/bin/chromium missing; run scripts/ensure-test-packages.sh)'}`, () => {
  let context: BrowserContext;
  const out = mkdtempSync(join(tmpdir(), 'fl-browser-'));
  const external: string[] = [];

  beforeAll(async () => {
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'fl-chromium-profile-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      external.push(url);
      return route.abort();
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
  });

  async function open(file: string): Promise<Loaded> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    return { page, errors, external };
  }

  const range = async (page: Page) => {
    const [t0, t1] = await page.$eval('#timeline-canvas', (c) => [Number((c as HTMLElement).dataset.t0), Number((c as HTMLElement).dataset.t1)]);
    return { t0, t1, span: t1 - t0 };
  };

  /** The canvas pixel (CSS coordinates) as [r, g, b]. */
  const pixel = (page: Page, x: number, y: number) =>
    page.$eval(
      '#timeline-canvas',
      (c, [px, py]) => {
        const canvas = c as HTMLCanvasElement;
        const dpr = canvas.width / canvas.clientWidth;
        return [...canvas.getContext('2d')!.getImageData(Math.round(px * dpr), Math.round(py * dpr), 1, 1).data.slice(0, 3)];
      },
      [x, y],
    );

  it('valid report: loads offline without console errors, shows the verdict, zooms and pans', async () => {
    const file = join(out, 'valid.html');
    await renderRunReport(join(FIXTURES, 'valid'), { outFile: file });
    const { page, errors } = await open(file);
    expect(await page.getByTestId('verdict').textContent()).toBe('valid');
    expect(await page.getByTestId('verdict').isVisible()).toBe(true);
    expect(await page.locator('#latency-chart canvas').count()).toBeGreaterThan(0);
    const before = await range(page);
    const box = (await page.locator('#timeline-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -600);
    await page.waitForTimeout(100);
    const zoomed = await range(page);
    expect(zoomed.span).toBeLessThan(before.span * 0.7);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 200, box.y + box.height - 20, { steps: 4 });
    await page.mouse.up();
    await page.waitForTimeout(50);
    const panned = await range(page);
    expect(panned.t0).toBeLessThan(zoomed.t0);
    expect(panned.span).toBeCloseTo(zoomed.span, 0);
    await page.click('button[data-action="zoom-out"]');
    await page.waitForTimeout(50);
    expect((await range(page)).span).toBeCloseTo(Math.min(zoomed.span * 2, before.span), -1);
    if (SHOTS) {
      await page.click('button[data-action="zoom-reset"]');
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'valid-report.png'), fullPage: true });
    }
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });

  it('drag-selecting a time range on the latency chart zooms the timeline to it', async () => {
    const file = join(out, 'valid-select.html');
    await renderRunReport(join(FIXTURES, 'valid'), { outFile: file });
    const { page, errors } = await open(file);
    const before = await range(page);
    const over = page.locator('#latency-chart .u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(100);
    const after = await range(page);
    // A quarter of the chart's x range (0 .. end of history) is about a quarter of the run.
    expect(after.span).toBeLessThan(before.span * 0.35);
    expect(after.span).toBeGreaterThan(before.span * 0.15);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the key filter hides operations on other keys', async () => {
    const file = join(out, 'valid-filter.html');
    await renderRunReport(join(FIXTURES, 'valid'), { outFile: file });
    const { page, errors } = await open(file);
    type Tl = { setRange(a: number, b: number, redraw?: boolean): void; showOp(r: number): void; draw(): void; positionOf(r: number): { x: number; y: number } | null };
    // An ok op on k3, zoomed in so its bar is wide.
    const pos = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById('fl-data')!.textContent!);
      const k3 = data.keys.indexOf('k3');
      const row = data.ops.status.findIndex((st: number, i: number) => st === 0 && data.ops.key[i] === k3);
      const tl = (window as unknown as { faultlineTimeline: Tl }).faultlineTimeline;
      tl.showOp(row);
      const d = data.ops.ret[row] - data.ops.call[row];
      tl.setRange(data.ops.call[row] - 3 * d, data.ops.ret[row] + 3 * d, false);
      tl.draw();
      return tl.positionOf(row);
    });
    expect(await pixel(page, pos!.x, pos!.y)).toEqual([0x6d, 0xb6, 0xfe]);
    await page.selectOption('#key-filter', { label: 'k1' });
    await page.waitForTimeout(50);
    expect(await pixel(page, pos!.x, pos!.y)).not.toEqual([0x6d, 0xb6, 0xfe]);
    await page.selectOption('#key-filter', { label: 'k3' });
    await page.waitForTimeout(50);
    expect(await pixel(page, pos!.x, pos!.y)).toEqual([0x6d, 0xb6, 0xfe]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('invalid report: states the anomaly, highlights the failing op, and jumps to it on the timeline', async () => {
    const file = join(out, 'invalid.html');
    await renderRunReport(join(FIXTURES, 'invalid'), { outFile: file });
    const { page, errors } = await open(file);
    expect(await page.getByTestId('verdict').textContent()).toBe('invalid');
    expect(await page.getByTestId('anomaly').isVisible()).toBe(true);
    expect(await page.getByTestId('anomaly').textContent()).toMatch(/Key k2: read by p\d+ returned \d+/);
    // Counterexample section: three ops drawn, the failing one in red; the steps end with it.
    expect(await page.locator('#cx-diagram .cx-op').count()).toBe(3);
    expect(await page.locator('#cx-diagram rect[fill="#d0021b"]').count()).toBe(1);
    expect(await page.locator('#cx-steps li').count()).toBe(3);
    expect(await page.getByTestId('cx-failing').textContent()).toMatch(/read → \d+ — cannot be placed next/);

    const whole = await range(page);
    await page.click('.anomaly button[data-action="jump-counterexample"]');
    await page.waitForTimeout(150);
    const data = await page.$eval('#fl-data', (e) => JSON.parse(e.textContent!) as { counterexample: { span: [number, number]; failing: number } });
    const view = await range(page);
    expect(view.span).toBeLessThan(whole.span / 5);
    expect(view.t0).toBeLessThanOrEqual(data.counterexample.span[0]);
    expect(view.t1).toBeGreaterThanOrEqual(data.counterexample.span[1]);
    // The failing op is painted in the highlight red, and hovering it says it cannot be linearized.
    const pos = await page.evaluate((row) => (window as unknown as { faultlineTimeline: { positionOf(r: number): { x: number; y: number } | null } }).faultlineTimeline.positionOf(row), data.counterexample.failing);
    expect(pos).not.toBeNull();
    expect(await pixel(page, pos!.x, pos!.y)).toEqual([0xd0, 0x02, 0x1b]);
    const box = (await page.locator('#timeline-canvas').boundingBox())!;
    await page.mouse.move(box.x + pos!.x, box.y + pos!.y);
    await expect.poll(() => page.locator('#tooltip').textContent()).toMatch(/cannot be linearized/);
    expect(await page.locator('#tooltip').isVisible()).toBe(true);
    // Its processes are pinned to adjacent lanes at the top, however far apart their process ids are.
    const cxRows = await page.evaluate(() => JSON.parse(document.getElementById('fl-data')!.textContent!).counterexample.minimal as number[]);
    const ys = await Promise.all(cxRows.map((row) => page.evaluate((r) => (window as unknown as { faultlineTimeline: { positionOf(r: number): { y: number } | null } }).faultlineTimeline.positionOf(r)!.y, row)));
    expect(new Set(ys).size).toBe(3);
    expect(Math.max(...ys) - Math.min(...ys)).toBe(2 * 18);
    // Turning the highlight off repaints the op in its ordinary ok colour (lanes back in process order).
    await page.mouse.move(0, 0);
    await page.uncheck('#highlight-cx');
    const plain = await page.evaluate((row) => {
      const tl = (window as unknown as { faultlineTimeline: { showOp(r: number): void; draw(): void; positionOf(r: number): { x: number; y: number } | null } }).faultlineTimeline;
      tl.showOp(row);
      tl.draw();
      return tl.positionOf(row);
    }, data.counterexample.failing);
    expect(await pixel(page, plain!.x, plain!.y)).toEqual([0x6d, 0xb6, 0xfe]);
    await page.check('#highlight-cx');
    if (SHOTS) {
      await page.click('.toolbar button[data-action="jump-counterexample"]');
      await page.waitForTimeout(100);
      await page.screenshot({ path: join(SHOTS, 'invalid-timeline.png') });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOTS, 'invalid-report.png'), fullPage: true });
    }
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });

  it.each(['unknown', 'empty', 'crashed'])('%s report loads without errors', async (name) => {
    const file = join(out, `${name}.html`);
    await renderRunReport(join(FIXTURES, name), { outFile: file });
    const { page, errors } = await open(file);
    expect(await page.getByTestId('verdict').textContent()).toBe(name);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });

  it('100,000-op report: stays under 20 MB and becomes interactive (figures printed, not asserted)', async () => {
    const dir = join(out, 'big');
    mkdirSync(dir, { recursive: true });
    const sim = simulateKvRun({ seed: 42, workers: 64, keys: 200, durationS: 480, gapMs: 250 });
    const cx = injectStaleRead(sim.history, 'k7', sim.endNs / 2);
    const clientOps = sim.ops.length;
    writeFileSync(join(dir, 'history.jsonl'), sim.history.map((h) => JSON.stringify(h)).join('\n') + '\n');
    const startedAt = '2026-11-20T02:00:00.000Z';
    writeFileSync(
      join(dir, 'test.json'),
      JSON.stringify({
        name: 'raftkv-kv-100k', startedAt, endedAt: new Date(Date.parse(startedAt) + sim.endNs / 1e6).toISOString(), command: 'faultline run --seed 42', seed: 42,
        config: { target: 'raftkv', workload: 'kv', nemesis: ['partition', 'kill'], nodes: 5, concurrency: 64, rate: 0, timeLimit: 480, nemesisInterval: 60, targetOptions: {} },
        model: 'cas-register', versions: { faultline: '0.1.0', node: process.version }, images: {}, nodes: ['n1', 'n2', 'n3', 'n4', 'n5'],
      }),
    );
    const keys = [...new Set(sim.ops.map((o) => o.key))].sort().map((key) => ({ key, valid: key === 'k7' ? false : true, ops: 0, ms: 1, algorithm: 'search', ...(key === 'k7' ? { counterexample: cx } : {}) }));
    writeFileSync(
      join(dir, 'results.json'),
      JSON.stringify({ valid: false, linearizability: { valid: false, model: 'cas-register', ops: clientOps, ms: 900, keys, counterexample: cx }, stats: { ok: 0, fail: 0, info: 0, byF: {}, nemesisEvents: 4, durationMs: sim.endNs / 1e6, checkMs: 900 } }),
    );
    expect(clientOps).toBeGreaterThanOrEqual(100_000);
    const renderStart = performance.now();
    const rendered = await renderRunReport(dir);
    const renderMs = performance.now() - renderStart;
    const bytes = statSync(rendered.path).size;
    expect(bytes).toBeLessThan(20 * 1024 * 1024);

    const loadStart = Date.now();
    const { page, errors } = await open(rendered.path);
    const wallMs = Date.now() - loadStart;
    const readyMs = Number(await page.getAttribute('body', 'data-ready-ms'));
    // One zoom step at full extent, measured in the page: how long a redraw of the whole history takes.
    const redrawMs = await page.evaluate(() => {
      const tl = (window as unknown as { faultlineTimeline: { draw(): void } }).faultlineTimeline;
      const t = performance.now();
      for (let i = 0; i < 5; i++) tl.draw();
      return (performance.now() - t) / 5;
    });
    await page.click('.anomaly button[data-action="jump-counterexample"]');
    expect(await page.getByTestId('verdict').textContent()).toBe('invalid');
    const figures = {
      ops: clientOps,
      historyLines: sim.history.length,
      lanes: (await page.$eval('#fl-data', (e) => (JSON.parse(e.textContent!) as { lanes: string[] }).lanes.length)),
      pageBytes: bytes,
      pageMiB: +(bytes / 1048576).toFixed(2),
      renderMs: Math.round(renderMs),
      timeToInteractiveMs: readyMs,
      gotoToReadyWallMs: wallMs,
      fullRedrawMs: +redrawMs.toFixed(1),
    };
    console.log(`100k-op report: ${JSON.stringify(figures)}`);
    if (process.env.REPORT_BENCH_OUT) writeFileSync(process.env.REPORT_BENCH_OUT, JSON.stringify(figures, null, 2));
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'big-100k.png') });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
    void readFileSync;
  }, 240_000);
});
