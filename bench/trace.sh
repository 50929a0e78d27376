#!/usr/bin/env bash
# Benchmark: `saker trace` against strace on the same workloads, in one run.
#
#   bench/trace.sh            # build release saker, then measure
#   ROUNDS=5 bench/trace.sh   # more rounds (default 3); SAKER=/path/to/saker to skip the build
#
# Workloads: (a) dd if=/dev/zero of=/dev/null bs=1 count=200000, (b) an open/read/close loop
# (C program built here), (c) find /usr -xdev. Setups: native, `strace -f -o /dev/null`,
# `saker trace -f -o /dev/null` (full decoding), and both tools with
# `--seccomp-bpf -e trace=openat`, `saker trace -c --ebpf` (counted in the kernel) and
# `saker trace --ebpf` (every call's line from the eBPF capture, never stopping the program).
# Setups run interleaved (round-robin), pinned to one CPU
# (`taskset -c 0`: tracer and tracee share it) and unpinned, because ptrace's cost depends
# mostly on CPU placement. Each figure is the median wall time of the rounds.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
LOOPS=${LOOPS:-20000}
DD_COUNT=${DD_COUNT:-200000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in strace gcc taskset python3; do
    command -v "$tool" >/dev/null || { echo "bench/trace.sh: $tool is required" >&2; exit 2; }
done

if [[ -z "${SAKER:-}" ]]; then
    (cd "$here" && cargo build --release -q -p saker)
    SAKER="${CARGO_TARGET_DIR:-$here/target}/release/saker"
fi
gcc -O2 -o "$work/openloop" "$here/crates/cli/tests/trace-programs/openloop.c"

declare -A workloads=(
    [a_dd]="dd if=/dev/zero of=/dev/null bs=1 count=$DD_COUNT status=none"
    [b_openloop]="$work/openloop $LOOPS"
    [c_find]="find /usr -xdev"
)
setups=(native strace saker strace_seccomp saker_seccomp saker_ebpf_c saker_ebpf)

command_for() { # setup workload-command
    case "$1" in
        native) echo "$2" ;;
        strace) echo "strace -f -o /dev/null $2" ;;
        saker) echo "$SAKER trace -f -o /dev/null $2" ;;
        strace_seccomp) echo "strace -f --seccomp-bpf -e trace=openat -o /dev/null $2" ;;
        saker_seccomp) echo "$SAKER trace -f --seccomp-bpf -e trace=openat -o /dev/null $2" ;;
        saker_ebpf_c) echo "$SAKER trace -f -c --ebpf -o /dev/null $2" ;;
        saker_ebpf) echo "$SAKER trace -f --ebpf -o /dev/null $2" ;;
    esac
}

seconds() { # runs "$@" with output discarded, prints its wall time
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

results="$work/results"
: >"$results"
for placement in pinned unpinned; do
    for round in $(seq "$ROUNDS"); do
        for name in a_dd b_openloop c_find; do
            for setup in "${setups[@]}"; do
                cmd=$(command_for "$setup" "${workloads[$name]}")
                if [[ $placement == pinned ]]; then
                    t=$(seconds taskset -c 0 $cmd)
                else
                    t=$(seconds $cmd)
                fi
                echo "$placement $name $setup $t" >>"$results"
                echo "  round $round $placement $name $setup: ${t}s" >&2
            done
        done
    done
done

python3 - "$results" <<'PY'
import collections, statistics, sys
times = collections.defaultdict(list)
for line in open(sys.argv[1]):
    placement, name, setup, t = line.split()
    times[(placement, name, setup)].append(float(t))
med = {k: statistics.median(v) for k, v in times.items()}
print(f"{'placement':9} {'workload':11} {'native':>8} {'strace':>9} {'saker':>9} {'saker/strace':>12} "
      f"{'strace seccomp':>14} {'saker seccomp':>13} {'saker/strace':>12}")
for placement in ("pinned", "unpinned"):
    for name in ("a_dd", "b_openloop", "c_find"):
        g = lambda s: med[(placement, name, s)]
        n = g("native")
        print(f"{placement:9} {name:11} {n:8.3f} {g('strace'):8.2f}s {g('saker'):8.2f}s {g('saker')/g('strace'):11.2f}x "
              f"{g('strace_seccomp'):13.3f}s {g('saker_seccomp'):12.3f}s {g('saker_seccomp')/g('strace_seccomp'):11.2f}x")
print()
print("Ratios over native (median):")
for placement in ("pinned", "unpinned"):
    for name in ("a_dd", "b_openloop", "c_find"):
        n = med[(placement, name, "native")]
        parts = [f"{s} {med[(placement, name, s)]/n:7.2f}x" for s in ("strace", "saker", "strace_seccomp", "saker_seccomp", "saker_ebpf_c", "saker_ebpf")]
        print(f"  {placement:9} {name:11} " + "  ".join(parts))
PY
