#!/usr/bin/env node
// The bin stays a thin shim so `npx faultline` works from the compiled output after `npm ci` (which runs `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('faultline: not built yet. Run `npm run build` (npm ci does this through `prepare`).');
  process.exit(3);
}
await import(entry.href);
