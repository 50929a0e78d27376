#!/usr/bin/env bash
# Debian's containerd (runc), started by hand on a machine without systemd, for the tests that
# run containers with the kubelet's labels, through ctr and through the CRI. Images come from
# `podman save` tars (no registry).
#
# The CRI plugin gives pod sandboxes oom_score_adj -998, which this kind of machine refuses
# (lowering oom_score_adj needs more than root has here, as raising RLIMIT_NOFILE does):
# restrict_oom_score_adj keeps it at containerd's own, the setting for unprivileged set-ups.
set -euo pipefail
socket=/run/containerd/containerd.sock
config=/etc/containerd/config.toml
mkdir -p /etc/containerd
[ -f "$config" ] || printf 'version = 2\n\n[plugins]\n  [plugins."io.containerd.grpc.v1.cri"]\n' > "$config"
restart=0
if ! grep -q 'restrict_oom_score_adj' "$config"; then
  if grep -q '^  \[plugins."io.containerd.grpc.v1.cri"\]$' "$config"; then
    sed -i 's/^  \[plugins."io.containerd.grpc.v1.cri"\]$/&\n    restrict_oom_score_adj = true/' "$config"
  else
    printf '\n[plugins."io.containerd.grpc.v1.cri"]\n  restrict_oom_score_adj = true\n' >> "$config"
  fi
  restart=1
fi
# A socket nobody answers on is left from a containerd that died (a machine restarted without
# clearing /run): remove it and start a fresh one.
if [ -S "$socket" ] && ! ctr version >/dev/null 2>&1; then
  echo "containerd-setup: $socket does not answer; starting containerd again" >&2
  rm -f "$socket" "$socket.ttrpc"
fi
if [ -S "$socket" ] && [ $restart = 1 ]; then
  echo "containerd-setup: $config changed; restart containerd to apply it" >&2
  exit 1
fi
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
