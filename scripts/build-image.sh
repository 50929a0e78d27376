#!/usr/bin/env bash
# Builds the Saker OCI image with podman, FROM scratch: the release binary, the shared
# libraries `ldd` names (glibc: the same binary as on a host, with glibc's allocator), the
# packaged configuration and default rules, and the host's CA bundle. Prints the image's size.
#
#   scripts/build-image.sh                      build target/release/saker, then the image
#   scripts/build-image.sh --binary PATH        use a binary already built
#   scripts/build-image.sh --tag NAME           image name (default localhost/saker:VERSION
#                                               and localhost/saker:latest)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=""
tag=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build-image.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$binary" ]; then
  (cd "$root" && cargo build --release --locked -p saker)
  binary="$root/target/release/saker"
fi
[ -x "$binary" ] || { echo "build-image.sh: $binary is not an executable" >&2; exit 2; }
version=$("$binary" --version | awk '{print $2}')
[ -n "$tag" ] || tag="localhost/saker:$version"

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
rootfs="$context/rootfs"
install -d -m 0755 "$rootfs/usr/bin" "$rootfs/etc/saker/rules.d" "$rootfs/var/lib/saker" \
  "$rootfs/tmp" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
chmod 1777 "$rootfs/tmp"
# Debug sections are most of the file; symbols stay, so a backtrace still names functions.
objcopy --strip-debug "$binary" "$rootfs/usr/bin/saker"
chmod 0755 "$rootfs/usr/bin/saker"

# Every library the dynamic loader resolves, and the loader itself, at the paths the binary
# names (cp --parents keeps /lib/x86_64-linux-gnu/... and /lib64/...).
libs=$(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
[ -n "$libs" ] || { echo "build-image.sh: ldd found no libraries for $binary" >&2; exit 2; }
for lib in $libs; do
  cp --parents -L "$lib" "$rootfs"
done

# Configuration and rules where packaging/saker.yaml expects them (as scripts/install.sh lays
# them out), with the web server on every interface for the kubelet's probes and the
# Service, and JSON alerts (the shape fleet consumers parse).
sed -e 's/^  listen_address: 127.0.0.1$/  listen_address: 0.0.0.0/' \
    -e 's/^json_output: false$/json_output: true/' \
    -e 's/^log_syslog: true$/log_syslog: false/' \
    -e '/^syslog_output:/,/^[a-z]/ s/^  enabled: true$/  enabled: false/' \
  "$root/packaging/saker.yaml" > "$rootfs/etc/saker/saker.yaml"
install -m 0644 "$root/crates/engine/rules/saker_rules.yaml" "$rootfs/etc/saker/saker_rules.yaml"
install -m 0644 "$root/crates/k8saudit/rules/saker_k8s_audit_rules.yaml" \
  "$rootfs/etc/saker/saker_k8s_audit_rules.yaml"
printf '# Your rules and overrides (a ConfigMap replaces this file in deploy/).\n[]\n' \
  > "$rootfs/etc/saker/saker_rules.local.yaml"
# user.name of host processes: the DaemonSet mounts the host's files over these.
printf 'root:x:0:0:root:/root:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
# TLS roots for nats_output/redis_output/http_output to public endpoints.
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
fi

for line in '^json_output: true$' '^  listen_address: 0.0.0.0$' '^log_syslog: false$'; do
  grep -q "$line" "$rootfs/etc/saker/saker.yaml" ||
    { echo "build-image.sh: packaging/saker.yaml changed: '$line' not set in the image's copy" >&2; exit 2; }
done
# The image must accept its own configuration and rules.
"$rootfs/usr/bin/saker" config show -c "$rootfs/etc/saker/saker.yaml" 2>&1 >/dev/null |
  { ! grep . ; } || { echo "build-image.sh: the image's saker.yaml has warnings" >&2; exit 2; }
"$rootfs/usr/bin/saker" rules validate -q "$rootfs/etc/saker/saker_rules.yaml" \
  "$rootfs/etc/saker/saker_k8s_audit_rules.yaml" "$rootfs/etc/saker/saker_rules.local.yaml" >/dev/null

podman build --quiet -f "$root/packaging/Containerfile" -t "$tag" -t localhost/saker:latest \
  "$context" >/dev/null
size=$(podman image inspect --format '{{.Size}}' "$tag")
echo "built $tag: $size bytes ($(( size / 1024 / 1024 )) MiB); rootfs: $(du -sh "$rootfs" | cut -f1)"
