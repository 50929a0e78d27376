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
procs=$(ls -d /proc/[0-9]* | wc -l)
echo "processes now: $procs"

hyperfine --warmup 3 --runs "$RUNS" -N --ignore-failure --export-csv "$tmp/times.csv" \
  --command-name 'ps aux' 'ps aux' \
  --command-name 'saker ps' "$SAKER ps" \
  --command-name 'saker secrets' "$SAKER secrets" \
  --command-name 'saker ps --json' "$SAKER ps --json" >&2

# CSV columns: command,mean,stddev,median,user,system,min,max (seconds).
awk -F, -v n="$procs" '
  NR > 1 { mean[$1] = $2; sd[$1] = $3 }
  END {
    printf "\n%-16s %10s %10s\n", "command", "mean ms", "stddev ms"
    for (c in mean) printf "%-16s %10.2f %10.2f\n", c, mean[c] * 1000, sd[c] * 1000
    r = mean["saker ps"] / mean["ps aux"]
    printf "\nprocesses: %d\n", n
    printf "saker ps / ps aux = %.2f  (target <= 1.00: %s)\n", r, (r <= 1.0 ? "met" : "NOT met")
    s = mean["saker secrets"] * 1000
    printf "saker secrets = %.1f ms  (target < 100 ms: %s)\n", s, (s < 100 ? "met" : "NOT met")
  }' "$tmp/times.csv"
