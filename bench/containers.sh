#!/usr/bin/env bash
# Container metadata (saker-container), three figures:
#   1. cost per event with metadata on vs off: bench/run.sh's workloads, once with every
#      container engine asked (the default) and once with none (container_engines.*.enabled=
#      false), in the same run; a podman container runs throughout so container lookups and
#      fields are live. Target: no measurable difference.
#   2. time from a container's start to its metadata being available, podman and containerd:
#      the service follows the runtime's event stream as `saker run` does (target < 100 ms).
#   3. memory per cached container (a Kubernetes-shaped one: labels, mounts, a probe).
#
#   bench/containers.sh                      # builds --release first
#   SAKER=... RUNS=5 N=20 bench/containers.sh
#   PARTS="latency memory" bench/containers.sh
#
# Needs root, podman with saker-test/busybox:latest and its API service
# (scripts/podman-setup.sh --service), containerd (scripts/containerd-setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PARTS=${PARTS:-"events latency memory"}
N=${N:-20}
[ "$(id -u)" = 0 ] || { echo "bench/containers.sh: needs root" >&2; exit 2; }
if [ -z "${SAKER:-}" ]; then
  cargo build --release -q -p saker
  SAKER="${CARGO_TARGET_DIR:-target}/release/saker"
fi
export SAKER
cargo build --release -q -p saker-container --example container_bench
bench="${CARGO_TARGET_DIR:-target}/release/examples/container_bench"

case " $PARTS " in *" events "*)
  name="saker-bench-$$"
  podman run -d --rm --name "$name" saker-test/busybox:latest sleep 3600 >/dev/null
  trap 'podman rm -f -t 0 "$name" >/dev/null 2>&1 || true' EXIT
  # A steady trickle of container events beside the workloads.
  ( while podman exec "$name" true 2>/dev/null; do sleep 0.5; done ) &
  trickle=$!
  off=""
  for e in docker podman containerd cri; do off="$off -o container_engines.$e.enabled=false"; done
  echo "== 1. bench/run.sh, container metadata on (default engines)"
  bench/run.sh || true
  echo "== 1. bench/run.sh, container metadata off"
  SAKER_ARGS="$off" bench/run.sh || true
  kill "$trickle" 2>/dev/null || true
  ;;
esac

case " $PARTS " in *" latency "*)
  echo "== 2. container start -> metadata available ($N containers each)"
  "$bench" latency podman "$N" | tail -1
  if [ -S /run/containerd/containerd.sock ]; then
    if ! ctr -n saker-bench images ls -q | grep -qx localhost/saker-test/busybox:latest; then
      tar=$(mktemp --suffix=.tar)
      podman save --format docker-archive -o "$tar" saker-test/busybox:latest >/dev/null
      ctr -n saker-bench images import "$tar" >/dev/null
      rm -f "$tar"
    fi
    "$bench" latency containerd "$N" | tail -1
  else
    echo "containerd: not running, skipped"
  fi
  ;;
esac

case " $PARTS " in *" memory "*)
  echo "== 3. memory per cached container"
  "$bench" memory 10000
  ;;
esac
