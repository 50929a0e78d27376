#!/usr/bin/env bash
# Debian's containerd (runc), started by hand on a machine without systemd, for the tests that
# run containers with the kubelet's labels. Images come from `podman save` tars (no registry).
set -euo pipefail
socket=/run/containerd/containerd.sock
if [ ! -S "$socket" ]; then
  mkdir -p /var/log
  setsid containerd >/var/log/containerd.log 2>&1 < /dev/null &
  for _ in $(seq 100); do [ -S "$socket" ] && break; sleep 0.1; done
fi
if ! ctr version >/dev/null 2>&1; then
  echo "containerd did not start; its log:" >&2
  tail -20 /var/log/containerd.log >&2 || true
  exit 1
fi
echo "containerd ready: $socket"
