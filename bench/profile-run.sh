#!/usr/bin/env bash
# Where `saker run` spends its time on the open/read/close loop of bench/run.sh (b): the BPF
# side (bpftool's per-program run time with kernel.bpf_stats_enabled=1, and `perf record` of
# the workload's CPU, where the programs run) and the user side (`perf record -g` of the
# daemon). The workload is pinned to CPU 0; the daemon to CPU 1 when PIN_DAEMON=1.
#
#   bench/profile-run.sh                      # builds saker --release first
#   SAKER=/path/to/saker ITER=300000 TOP=25 bench/profile-run.sh
#   SAKER_ARGS="-o engine.ebpf.drop_unneeded_opens=false" bench/profile-run.sh
#       every open reported (the kernel's open filter off), so that the daemon's side shows
#       the cost per event, as bench/run.sh measures it
#
# Needs root, gcc, perf (Debian linux-perf), bpftool. Writes the perf data to $OUT (default a
# temporary directory, removed at exit unless OUT is set).
set -euo pipefail
cd "$(dirname "$0")/.."
ITER=${ITER:-300000}
TOP=${TOP:-25}
if [ -z "${SAKER:-}" ]; then
  cargo build --release -q -p saker
  SAKER="${CARGO_TARGET_DIR:-target}/release/saker"
fi
[ "$(id -u)" = 0 ] || { echo "bench/profile-run.sh: needs root" >&2; exit 2; }
for tool in perf bpftool gcc taskset; do
  command -v "$tool" >/dev/null || { echo "bench/profile-run.sh: needs $tool" >&2; exit 2; }
done
keep=${OUT:-}
work=${OUT:-$(mktemp -d)}
mkdir -p "$work"
stats_before=$(sysctl -n kernel.bpf_stats_enabled)
daemon=
cleanup() {
  [ -z "$daemon" ] || kill -INT "$daemon" 2>/dev/null || true
  sysctl -q -w kernel.bpf_stats_enabled="$stats_before"
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/openloop.c" <<'C'
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
    long n = atol(argv[2]);
    char buf[64];
    for (long i = 0; i < n; i++) {
        int fd = open(argv[1], O_RDONLY);
        if (fd < 0) return 1;
        if (read(fd, buf, sizeof buf) < 0) return 1;
        close(fd);
    }
    return 0;
}
C
gcc -O2 -o "$work/openloop" "$work/openloop.c"
echo "small file contents" > "$work/small.txt"

pin_daemon=()
[ "${PIN_DAEMON:-0}" = 1 ] && pin_daemon=(taskset -c 1)
# shellcheck disable=SC2086 # SAKER_ARGS is a list of extra options.
"${pin_daemon[@]}" "$SAKER" run -o syslog_output.enabled=false -o log_syslog=false \
  -o webserver.enabled=false ${SAKER_ARGS:-} > "$work/alerts.txt" 2> "$work/daemon.err" &
daemon=$!
for _ in $(seq 600); do
  grep -q "Watching " "$work/daemon.err" 2>/dev/null && break
  kill -0 "$daemon" 2>/dev/null || { cat "$work/daemon.err" >&2; exit 1; }
  sleep 0.1
done

sysctl -q -w kernel.bpf_stats_enabled=1
# Per-program run time: bpftool prints run_time_ns and run_cnt once stats are on.
prog_stats() {
  bpftool prog show -j | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["id"], p.get("name", "?"), p.get("run_cnt", 0), p.get("run_time_ns", 0))'
}
prog_stats > "$work/stats0"
perf record -q -g -o "$work/daemon.data" -p "$daemon" 2>/dev/null &
perf_daemon=$!
sleep 0.5
c0=$(awk '{print $14 + $15}' "/proc/$daemon/stat")
t0=$(date +%s%N)
# The BPF programs run in the traced task: recording the workload alone keeps other
# processes of the host out of the BPF-side profile.
perf record -q -g -o "$work/workload.data" -- /usr/bin/time -f '%U %S' -o "$work/time" \
  taskset -c 0 "$work/openloop" "$work/small.txt" "$ITER" 2>/dev/null
t1=$(date +%s%N)
sleep 1 # the daemon drains what is queued
c1=$(awk '{print $14 + $15}' "/proc/$daemon/stat")
kill -INT "$perf_daemon"; wait "$perf_daemon" 2>/dev/null || true
prog_stats > "$work/stats1"
kill -INT "$daemon"; wait "$daemon" || true; daemon=

echo "workload: open/read/close x$ITER, wall $(( (t1 - t0) / 1000000 )) ms, user+sys $(cat "$work/time") s"
grep -E '^Events (seen|dropped)' "$work/daemon.err"
events=$(awk -F': ' '/^Events seen/ {print $2}' "$work/daemon.err")
awk -v t="$(( c1 - c0 ))" -v hz="$(getconf CLK_TCK)" -v e="$events" \
  'BEGIN {printf "daemon CPU %.0f ms, %.1f ms per 1M events seen\n", t*1000/hz, e ? t*1000/hz/e*1e6 : 0}'
echo
echo "BPF programs during the run (bpftool, kernel.bpf_stats_enabled=1):"
printf '%-20s %10s %12s %8s\n' program runs run_time_ms ns/run
join <(sort "$work/stats0") <(sort "$work/stats1") | awk '{
  runs = $6 - $3; ns = $7 - $4
  if (runs > 0) printf "%-20s %10d %12.1f %8.0f\n", $2, runs, ns / 1e6, ns / runs }'
echo
echo "User side: perf report of the daemon (self time, top $TOP):"
perf report -i "$work/daemon.data" --no-children --sort symbol --stdio 2>/dev/null \
  | grep -E '^ +[0-9.]+%' | head -n "$TOP" | sed 's/ *-  *- *$//'
echo
echo "Workload (BPF programs run in the traced task; top $TOP):"
perf report -i "$work/workload.data" --no-children --sort symbol --stdio 2>/dev/null \
  | grep -E '^ +[0-9.]+%' | head -n "$TOP" | sed 's/ *-  *- *$//' 
