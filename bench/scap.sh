#!/usr/bin/env bash
# Reading .scap files: events read per second by `saker capture print` and `sysdig -r` on the
# same file in the same run (no filter, and `evt.type=open`), and `saker run -e` with the
# default rules. The file is generated with Saker's writer (crates/source/examples/
# scap_synth.rs: processes opening, reading and closing files, connecting, exec'ing; 5M
# events by default). Output goes to /dev/null; each command is pinned to one core and timed
# with wall and CPU (user+sys) time, median of RUNS (default 5).
#
# usage: bench/scap.sh [EVENTS] [RUNS]
# Goals (issue 17/18): capture print >= 2x sysdig's events/s; run -e >= 1M events/s.
set -euo pipefail

events="${1:-5000000}"
runs="${2:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
command -v sysdig >/dev/null || { echo "bench/scap.sh: sysdig is needed (apt-get install --no-install-recommends sysdig)" >&2; exit 2; }

# Two builds: with --example, cargo builds only the example.
cargo build --quiet --release -p saker --bin saker --manifest-path "$root/Cargo.toml"
cargo build --quiet --release -p saker-source --example scap_synth --manifest-path "$root/Cargo.toml"
saker="$target/release/saker"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
file="$work/bench.scap"
"$target/release/examples/scap_synth" "$file" "$events" 2>/dev/null
echo "file: $file, $events events, $(du -m "$file" | cut -f1) MiB"

pin=()
if command -v taskset >/dev/null; then
    pin=(taskset -c "$(($(nproc) - 1))")
fi

# Median wall and CPU seconds of a command over $runs runs.
timing="$work/timing"
measure() {
    local name="$1"; shift
    local walls=() cpus=()
    for _ in $(seq "$runs"); do
        local t
        /usr/bin/time -o "$timing" -f '%e %U %S' "${pin[@]}" "$@" >/dev/null 2>/dev/null
        t="$(tail -1 "$timing")"
        walls+=("$(echo "$t" | awk '{print $1}')")
        cpus+=("$(echo "$t" | awk '{print $2 + $3}')")
    done
    local wall cpu
    wall="$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    cpu="$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    printf '%-28s wall %6.2f s  cpu %6.2f s  %10.0f events/s (cpu)\n' "$name" "$wall" "$cpu" "$(echo "$events $cpu" | awk '{print $1 / ($2 > 0 ? $2 : 1e-9)}')"
    echo "$cpu" > "$work/$name.cpu"
}

measure sysdig_all sysdig -r "$file"
measure saker_print_all "$saker" capture print "$file"
measure sysdig_open sysdig -r "$file" evt.type=open
measure saker_print_open "$saker" capture print "$file" evt.type=open
measure saker_run "$saker" run -o syslog_output.enabled=false -o stdout_output.enabled=false -e "$file"

ratio() { awk -v a="$(cat "$work/$1.cpu")" -v b="$(cat "$work/$2.cpu")" 'BEGIN { printf "%.2f", a / b }'; }
echo "saker capture print vs sysdig -r, no filter: $(ratio sysdig_all saker_print_all)x (goal >= 2x)"
echo "saker capture print vs sysdig -r, evt.type=open: $(ratio sysdig_open saker_print_open)x (goal >= 2x)"
awk -v e="$events" -v c="$(cat "$work/saker_run.cpu")" 'BEGIN { r = e / c; printf "saker run -e: %.0f events/s on one core (goal >= 1000000: %s)\n", r, (r >= 1e6 ? "met" : "NOT met") }'
