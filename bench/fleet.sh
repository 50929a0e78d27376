#!/usr/bin/env bash
# Saker in a fleet (issue 21):
#   1. alerts/s into NATS (core and JetStream) and into Redis (stream, XADD MAXLEN ~) from
#      Saker's output stage on one core (taskset -c 0; the servers on core 1), with the Helm
#      chart's settings (buffered_outputs, queue of 100k); target >= 100000 alerts/s each;
#   2. end-to-end latency, submit -> consumer, p50/p99 at a steady RATE (a consumer process
#      on core 1: a NATS subscriber, a Redis XREAD BLOCK);
#   3. RSS of `saker run` with the chart's saker.yaml under bench/run.sh's workloads: the
#      figure deploy/'s memory request and limit are set from (docs/fleet.md).
#
#   bench/fleet.sh                        all, N=1000000 alerts, RATE=20000/s for SECS=10
#   N=20000 SECS=2 RSS=0 bench/fleet.sh   a smoke run (no RSS part)
#
# Needs nats-server and redis-server (Debian packages), and for RSS root, gcc and helm.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
RATE=${RATE:-20000}
SECS=${SECS:-10}
RSS=${RSS:-1}
cargo build --release -q -p saker-output --example broker_bench
BIN=${CARGO_TARGET_DIR:-target}/release/examples/broker_bench
SAKER_CORE="taskset -c 0"
SERVER_CORE="taskset -c 1"
command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ] || { SAKER_CORE=""; SERVER_CORE=""; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }
field() { awk -v k="$1" '$1 == k {print $2}'; }

nats_port=$(free_port)
$SERVER_CORE nats-server -a 127.0.0.1 -p "$nats_port" -js -sd "$work/nats" >"$work/nats.log" 2>&1 &
pids+=($!)
redis_port=$(free_port)
$SERVER_CORE redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
  --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
wait_port "$nats_port"
wait_port "$redis_port"
nats_url="nats://127.0.0.1:$nats_port"
redis_url="redis://127.0.0.1:$redis_port/0"
"$BIN" stream "$nats_url"

echo "== throughput: $N alerts, output stage on one core"
for kind in nats jetstream redis; do
  url=$nats_url
  [ "$kind" = redis ] && url=$redis_url
  out=$($SAKER_CORE "$BIN" throughput "$kind" "$url" "$N")
  printf '%-10s %8s alerts/s wall  %8s alerts/CPU-s  lost %s  (target >= 100000/s)\n' "$kind" \
    "$(echo "$out" | field "${kind}_alerts_per_sec")" \
    "$(echo "$out" | field "${kind}_alerts_per_cpu_sec")" \
    "$(echo "$out" | field "${kind}_lost")"
done

echo "== end-to-end latency at $RATE alerts/s for ${SECS}s (submit -> consumer)"
count=$((RATE * SECS))
for kind in nats redis; do
  url=$nats_url
  [ "$kind" = redis ] && url=$redis_url
  $SERVER_CORE "$BIN" consume "$kind" "$url" "$count" >"$work/consume.out" &
  consumer=$!
  for _ in $(seq 300); do grep -q ready "$work/consume.out" && break; sleep 0.1; done
  $SAKER_CORE "$BIN" produce "$kind" "$url" "$RATE" "$SECS" >/dev/null
  wait "$consumer"
  printf '%-10s p50 %s ms  p99 %s ms\n' "$kind" \
    "$(field "${kind}_latency_p50_ms" <"$work/consume.out")" \
    "$(field "${kind}_latency_p99_ms" <"$work/consume.out")"
done

[ "$RSS" = 1 ] || exit 0
echo "== RSS of saker run with the chart's configuration under bench/run.sh's workloads"
[ "$(id -u)" = 0 ] || { echo "RSS: needs root (eBPF capture)" >&2; exit 2; }
cargo build --release -q -p saker
SAKER_BIN=${CARGO_TARGET_DIR:-target}/release/saker
helm template saker deploy/helm/saker --show-only templates/configmap.yaml |
  python3 -c 'import sys, yaml; print(yaml.safe_load(sys.stdin)["data"]["saker.yaml"])' \
  >"$work/saker.yaml"
# The chart's settings; the rules from the source tree (the image's /etc/saker copies), no
# stdout (the workloads raise no alerts that matter here), the web server on a free port.
# It runs beside bench/run.sh's own saker: the overhead ratios below are not bench/run.sh's
# figures (two daemons watch the workloads), only the RSS is the point here.
: >"$work/saker.log"
"$SAKER_BIN" run -c "$work/saker.yaml" -r crates/engine/rules/saker_rules.yaml \
  -r crates/k8saudit/rules/saker_k8s_audit_rules.yaml -o stdout_output.enabled=false \
  -o webserver.listen_port="$(free_port)" 2>"$work/saker.log" &
pod=$!
pids+=("$pod")
for _ in $(seq 600); do grep -q "Watching " "$work/saker.log" && break; sleep 0.1; done
SAKER="$SAKER_BIN" RUNS=${RUNS:-1} bench/run.sh >"$work/run.out" 2>&1 || { cat "$work/run.out"; exit 1; }
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pod/status")
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pod/status")
sed 's/^/  bench\/run.sh: /' "$work/run.out"
echo "saker with the chart's saker.yaml, after bench/run.sh's workloads:"
echo "  VmRSS $((rss / 1024)) MiB, peak VmHWM $((hwm / 1024)) MiB"
