import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { listRuns } from '../src/store/list-runs.js';
import { packageRoot } from './assets.js';
import { formatMs } from './format.js';

let template: Handlebars.TemplateDelegate | undefined;

/** Encodes each path segment for an href (test names and timestamps may hold ':' or spaces). */
const href = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/** The store index page as a string (no scripts: a plain table that opens anywhere). */
export function storeIndexHtml(storeDir: string, now = new Date()): string {
  const runs = listRuns(storeDir);
  const root = packageRoot();
  template ??= Handlebars.create().compile(readFileSync(join(root, 'reports', 'templates', 'store-index.hbs'), 'utf8'));
  const totals = new Map<string, number>();
  for (const r of runs) totals.set(r.state, (totals.get(r.state) ?? 0) + 1);
  return template({
    css: readFileSync(join(root, 'reports', 'templates', 'report.css'), 'utf8'),
    generatedAt: now.toISOString(),
    totals: [...totals.entries()].map(([state, count]) => ({ state, count })),
    runs: runs.map((r) => ({
      ...r,
      duration: r.durationMs === undefined ? '—' : formatMs(r.durationMs),
      href: `${href(r.path)}/report.html`,
      dirArg: join(storeDir, r.path),
    })),
  });
}

/** Writes `<storeDir>/index.html` listing every stored run, newest first; returns its path. */
export function renderStoreIndex(storeDir: string): string {
  const path = join(storeDir, 'index.html');
  writeFileSync(path, storeIndexHtml(storeDir));
  return path;
}
