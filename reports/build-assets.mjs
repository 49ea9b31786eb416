#!/usr/bin/env node
// Bundles the report's in-page code (reports/client/main.ts + uPlot) into one IIFE that the renderer inlines
// into every report.html: dist/reports/assets/report-client.js. Run by `npm run build` (after tsc) and, when
// the bundle is missing or older than its sources, by the renderer itself on first use.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const packageRoot = resolve(here, '..');
export const bundlePath = join(packageRoot, 'dist', 'reports', 'assets', 'report-client.js');

/** Builds the bundle and writes it atomically (parallel renders may race); returns its path. */
export async function buildReportAssets({ out = bundlePath, minify = true } = {}) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(packageRoot, 'reports', 'client', 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    minify,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    loader: { '.css': 'text' },
  });
  // `</script` inside the bundle would end the inline <script> element early.
  const code = result.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, out);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildReportAssets();
  console.log(`report assets: ${out}`);
}
