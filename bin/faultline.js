#!/bin/sh
':' //; case "$1" in check) exec node --no-concurrent-recompilation "$0" "$@" ;; *) exec node "$0" "$@" ;; esac
// This file is read twice. Run as a program (an installed bin, `npx faultline`), /bin/sh reads the line
// above and replaces itself with node running this same file; to node that line is a string and a comment.
// `check` is started with V8 compiling optimized code on the main thread: each background compiler thread
// keeps its own malloc arena, 4-5 MB of a short check's peak memory, which no flag can give back once node
// runs. `node bin/faultline.js ...` skips the shell and works the same, with that memory.
// The bin stays a thin shim so `npx faultline` works from the compiled output after `npm ci` (which runs `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('faultline: not built yet. Run `npm run build` (npm ci does this through `prepare`).');
  process.exit(3);
}
await import(entry.href);
