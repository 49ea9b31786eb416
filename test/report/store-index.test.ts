import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRunReport } from '../../reports/render-run-report.js';
import { renderStoreIndex } from '../../reports/render-store-index.js';
import { serveStore } from '../../src/cli/commands/serve.js';
import { UsageError } from '../../src/core/errors.js';
import { listRuns } from '../../src/store/list-runs.js';
import { resolveInside } from '../../src/store/static-server.js';
import { copyFixture, tempDir, text } from './helpers.js';

/** A store with the fixture runs at store/<test>/<timestamp>/, each given its own start time. */
function makeStore(): string {
  const store = tempDir('fl-store-');
  const runs: [string, string, string][] = [
    ['valid', 'raftkv-kv', '20261120T010000.000Z'],
    ['invalid', 'raftkv-kv', '20261120T030000.000Z'],
    ['unknown', 'etcd-register', '20261120T020000.000Z'],
    ['empty', 'raftkv-none', '20261119T230000.000Z'],
    ['crashed', 'raftkv-kv', '20261120T040000.000Z'],
  ];
  for (const [fixture, test, ts] of runs) {
    const dir = join(store, test, ts);
    mkdirSync(join(store, test), { recursive: true });
    copyFixture(fixture, dir);
    const info = JSON.parse(readFileSync(join(dir, 'test.json'), 'utf8'));
    const startedAt = ts.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)/, '$1-$2-$3T$4:$5:$6');
    writeFileSync(join(dir, 'test.json'), JSON.stringify({ ...info, startedAt, ...(info.endedAt ? { endedAt: new Date(Date.parse(startedAt) + 21_000).toISOString() } : {}) }));
  }
  mkdirSync(join(store, 'raftkv-kv', 'not-a-run')); // no run files: not listed
  return store;
}

describe('store index', () => {
  it('lists every run newest first with its verdict, target, workload, nemesis and duration', () => {
    const store = makeStore();
    const runs = listRuns(store);
    expect(runs.map((r) => [r.path, r.state])).toEqual([
      ['raftkv-kv/20261120T040000.000Z', 'crashed'],
      ['raftkv-kv/20261120T030000.000Z', 'invalid'],
      ['etcd-register/20261120T020000.000Z', 'unknown'],
      ['raftkv-kv/20261120T010000.000Z', 'valid'],
      ['raftkv-none/20261119T230000.000Z', 'empty'],
    ]);
    expect(runs[1]).toMatchObject({ target: 'raftkv', workload: 'kv', nemesis: 'partition,kill', nodes: 5, seed: 7 });
    expect(runs[1].durationMs).toBeGreaterThan(20_000);
  });

  it('renders index.html with links to the reports that exist', async () => {
    const store = makeStore();
    await renderRunReport(join(store, 'raftkv-kv', '20261120T030000.000Z'));
    const html = readFileSync(renderStoreIndex(store), 'utf8');
    expect(html).toContain('href="raftkv-kv/20261120T030000.000Z/report.html"');
    expect(html.match(/href="[^"]+report\.html"/g)).toHaveLength(1);
    const t = text(html);
    expect(t).toMatch(/5 runs · 1 crashed · 1 invalid · 1 unknown · 1 valid · 1 empty/);
    expect(t).toContain(`not rendered: faultline report ${join(store, 'raftkv-kv', '20261120T010000.000Z')}`);
    expect(html.indexOf('20261120T040000')).toBeLessThan(html.indexOf('20261119T230000'));
  });

  it('renders an empty store', () => {
    const t = text(readFileSync(renderStoreIndex(tempDir()), 'utf8'));
    expect(t).toContain('No runs stored yet.');
  });
});

describe('faultline serve', () => {
  let store: string;
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    store = makeStore();
    await renderRunReport(join(store, 'raftkv-kv', '20261120T030000.000Z'));
    server = await serveStore(store, 0);
  });
  afterAll(() => server?.close());

  it('serves a fresh index on 127.0.0.1 and the reports it links to', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    // A run rendered after the server started must show up: the index is rebuilt per request.
    await renderRunReport(join(store, 'raftkv-kv', '20261120T010000.000Z'));
    const index = await fetch(server.url);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    const body = await index.text();
    expect(body.match(/href="[^"]+report\.html"/g)).toHaveLength(2);
    const report = await fetch(`${server.url}raftkv-kv/20261120T030000.000Z/report.html`);
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('data-testid="verdict">invalid<');
    const dir = await fetch(`${server.url}raftkv-kv/20261120T030000.000Z/`);
    expect(await dir.text()).toContain('data-testid="verdict">invalid<');
    const jsonl = await fetch(`${server.url}raftkv-kv/20261120T030000.000Z/history.jsonl`);
    expect(jsonl.headers.get('content-type')).toMatch(/ndjson/);
  });

  it('refuses paths outside the store and other methods', async () => {
    expect((await fetch(`${server.url}..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${server.url}raftkv-kv/%2e%2e/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${server.url}nope.html`)).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
    expect(resolveInside('/srv/store', '/../etc/passwd')).toBeNull();
    expect(resolveInside('/srv/store', '/a/../b.html')).toBe('/srv/store/b.html');
    expect(resolveInside('/srv/store', '/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveInside('/srv/store', '/%E0%A4%A')).toBeNull();
  });

  it('turns a busy port or a missing store into a one-line usage error', async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', () => ok()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await serveStore(store, port).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect(err).toMatchObject({ message: `port ${port} on 127.0.0.1 is already in use`, fix: `pick another with --port ${port + 1}` });
    } finally {
      blocker.close();
    }
    await expect(serveStore(join(store, 'missing'), 0)).rejects.toBeInstanceOf(UsageError);
  });
});
