#!/bin/sh
# Builds the example's base image with `docker import`: this machine's `node` and the shared libraries it
# links, nothing else — no shell, no iptables, no libfaketime. (With a registry you would start FROM
# node:20-slim instead; Faultline needs nothing of its own inside the image either way.)
set -eu
tag=${1:-http-kv-base:local}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
node=$(readlink -f "$(command -v node)")
mkdir -p "$root/usr/local/bin" "$root/tmp" "$root/etc"
chmod 1777 "$root/tmp"
cp "$node" "$root/usr/local/bin/node"
for lib in $(ldd "$node" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
printf 'root:x:0:0:root:/root:/nonexistent\n' > "$root/etc/passwd"
tar -C "$root" -c . | docker import -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - "$tag" >/dev/null
echo "$tag"
