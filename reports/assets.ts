import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The faultline package root, found by walking up from this file (works from reports/ and dist/reports/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'faultline') return dir;
      } catch {
        // keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('faultline package root not found');
    dir = parent;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

export interface ReportAssets {
  script: string;
  css: string;
}

let cached: ReportAssets | undefined;

/**
 * The inlined in-page script and styles. The script is the esbuild bundle that `npm run build` writes to
 * dist/reports/assets/report-client.js; when it is missing, or older than reports/client/ (a source
 * checkout), it is rebuilt here on first use and cached in dist/ (needs the esbuild dev dependency).
 */
export async function loadReportAssets(): Promise<ReportAssets> {
  if (cached) return cached;
  const root = packageRoot();
  const bundle = join(root, 'dist', 'reports', 'assets', 'report-client.js');
  const clientDir = join(root, 'reports', 'client');
  const stale = !existsSync(bundle) || (existsSync(clientDir) && newestMtime(clientDir) > statSync(bundle).mtimeMs);
  if (stale) {
    try {
      const builder = (await import(pathToFileURL(join(root, 'reports', 'build-assets.mjs')).href)) as {
        buildReportAssets(opts: { out: string }): Promise<string>;
      };
      await builder.buildReportAssets({ out: bundle });
    } catch (e) {
      if (!existsSync(bundle)) {
        throw new Error(`report bundle missing and could not be built (run \`npm run build\`): ${(e as Error).message}`);
      }
    }
  }
  // uPlot's own stylesheet travels inside the bundle (imported as text), so only ours is read here.
  const css = readFileSync(join(root, 'reports', 'templates', 'report.css'), 'utf8');
  cached = { script: readFileSync(bundle, 'utf8'), css };
  return cached;
}
