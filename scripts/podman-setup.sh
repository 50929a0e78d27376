#!/usr/bin/env bash
# Rootful podman on this kind of machine (no Docker engine, hybrid cgroups), with a local busybox
# image so tests can start real containers without a registry. Mirrors ../shared/tools/podman-setup.
# With --service, also podman's Docker-compatible API on /run/podman/podman.sock.
set -euo pipefail
image=saker-test/busybox:latest
mkdir -p /etc/containers
cat > /etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
if ! podman image exists "$image"; then
  rootfs=$(mktemp -d)
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/root" "$rootfs/tmp" "$rootfs/usr/bin"
  cp /bin/busybox "$rootfs/bin/busybox"
  for c in $("$rootfs/bin/busybox" --list); do [ "$c" = busybox ] || ln -sf busybox "$rootfs/bin/$c"; done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
  echo 'root:x:0:' > "$rootfs/etc/group"
  tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/sh"]' - "$image" >/dev/null
  rm -rf "$rootfs"
fi
podman run --rm "$image" /bin/sh -c 'test -e /proc/self/cgroup'
# --service: podman's Docker-compatible API, which Saker asks for container metadata.
# A socket left by a service that is gone (a restarted machine) is replaced.
api_answers() { curl -sf --max-time 5 --unix-socket /run/podman/podman.sock http://d/_ping >/dev/null; }
if [ "${1:-}" = --service ] && ! api_answers; then
  mkdir -p /run/podman
  rm -f /run/podman/podman.sock
  setsid podman system service --time=0 unix:///run/podman/podman.sock >/dev/null 2>&1 < /dev/null &
  for _ in $(seq 100); do api_answers && break; sleep 0.1; done
  api_answers || { echo "podman system service did not start" >&2; exit 1; }
fi
echo "podman ready: $image"
