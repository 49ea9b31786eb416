#!/usr/bin/env node
// `prepare` builds a checkout on `npm install` / `npm ci`. npm also runs it on `npm pack` and `npm publish`,
// right after `prepack` has built: skipped there so the package is built once.
import { execSync } from 'node:child_process';

if (!['pack', 'publish'].includes(process.env.npm_command ?? '')) {
  execSync('npm run build', { stdio: 'inherit' });
}
