#!/usr/bin/env bash
# Makes a Docker engine reachable: when `docker info` fails on Debian as root, installs Debian's docker.io
# and starts dockerd in the background. Safe to run repeatedly.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "ensure-docker: no Docker engine reachable and not root; start Docker yourself (or set DOCKER_HOST)" >&2
  exit 3
fi
if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-docker: installing Debian's docker.io" >&2
  export DEBIAN_FRONTEND=noninteractive
  # apt may be busy (another install in progress): wait for the lock rather than fail.
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq docker.io >/dev/null
fi
if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "ensure-docker: starting dockerd (log: /var/log/faultline-dockerd.log)" >&2
  nohup dockerd >/var/log/faultline-dockerd.log 2>&1 &
fi
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then echo "ensure-docker: engine ready" >&2; exit 0; fi
  sleep 1
done
echo "ensure-docker: dockerd did not become ready in 60 s; see /var/log/faultline-dockerd.log" >&2
tail -n 20 /var/log/faultline-dockerd.log >&2 || true
exit 3
