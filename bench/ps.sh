#!/usr/bin/env bash
# Times `saker ps` against `ps aux` on the same machine, and `saker secrets`, with N (default
# 2000) extra sleeping processes started here, each with a planted secret in its environment.
#
#   bench/ps.sh                 # builds target/release/saker if needed
#   N=5000 RUNS=30 bench/ps.sh
#   SAKER=/path/to/saker bench/ps.sh
#
# Targets (issue 2): saker ps no slower than ps aux; saker secrets under 100 ms.
# Needs hyperfine. Processes are killed on exit, whatever happens.
set -euo pipefail
N=${N:-2000}
RUNS=${RUNS:-20}
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
SAKER=${SAKER:-$target_dir/release/saker}
if [ ! -x "$SAKER" ]; then
  cargo build --release -p saker
fi
command -v hyperfine >/dev/null || { echo "bench/ps.sh: hyperfine is needed" >&2; exit 2; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  if [ ${#pids[@]} -gt 0 ]; then kill "${pids[@]}" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "starting $N sleeping processes..."
for ((i = 0; i < N; i++)); do
  BENCH_API_TOKEN="tok-$i-9f8e7d6c5b4a" sleep 3600 &
  pids+=($!)
done
procs=$(set -- /proc/[0-9]*; echo $#)
echo "processes now: $procs"

hyperfine --warmup 3 --runs "$RUNS" -N --ignore-failure --export-csv "$tmp/times.csv" \
  --command-name 'ps aux' 'ps aux' \
  --command-name 'saker ps' "$SAKER ps" \
  --command-name 'saker secrets' "$SAKER secrets" \
  --command-name 'saker ps --json' "$SAKER ps --json" >&2

# CSV columns: command,mean,stddev,median,user,system,min,max (seconds). On a shared machine
# wall time is noisy, so CPU time (user + system) is reported too, and medians.
awk -F, -v n="$procs" '
  NR > 1 { mean[$1] = $2; sd[$1] = $3; med[$1] = $4; cpu[$1] = $5 + $6 }
  END {
    printf "\n%-16s %9s %9s %9s %9s\n", "command", "mean ms", "stddev", "median", "cpu ms"
    split("ps aux|saker ps|saker ps --json|saker secrets", order, "|")
    for (i = 1; i <= 4; i++) {
      c = order[i]
      printf "%-16s %9.1f %9.1f %9.1f %9.1f\n", c, mean[c] * 1000, sd[c] * 1000, med[c] * 1000, cpu[c] * 1000
    }
    r = med["saker ps"] / med["ps aux"]
    rc = cpu["saker ps"] / cpu["ps aux"]
    printf "\nprocesses: %d\n", n
    printf "saker ps / ps aux: median wall %.2f, cpu %.2f  (target <= 1.00: %s)\n", r, rc, (r <= 1.0 ? "met" : "NOT met")
    s = med["saker secrets"] * 1000
    printf "saker secrets: median %.1f ms wall, %.1f ms cpu  (target < 100 ms: %s)\n", s, cpu["saker secrets"] * 1000, (s < 100 ? "met" : "NOT met")
  }' "$tmp/times.csv"
