#!/bin/sh
# Installs Faultline into this project the way a user would, from the tarball `npm pack` makes of the
# checkout two levels up (with a published package it would be `npm install --save-dev faultline`).
set -eu
here=$(pwd)
repo=$(cd ../.. && pwd)
rm -f faultline-*.tgz
(cd "$repo" && npm pack --silent --pack-destination "$here")
npm install --no-save --no-audit --no-fund ./faultline-*.tgz
npx faultline --version
