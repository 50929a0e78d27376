#!/usr/bin/env bash
# Benchmark: `saker trace` against strace on the same workloads, in one run.
#
#   bench/trace.sh            # build release saker, then measure
#   ROUNDS=7 bench/trace.sh   # more rounds (default 5); SAKER=/path/to/saker to skip the build
#   BASE=/path/to/older/saker SETUPS="saker_ebpf_c base_ebpf_c" bench/trace.sh   # two builds
#
# Workloads: (a) dd if=/dev/zero of=/dev/null bs=1 count=200000, (b) an open/read/close loop
# (C program built here), (c) find /usr -xdev. Setups: native, `strace -f -o /dev/null`,
# `saker trace -f -o /dev/null` (full decoding), and both tools with
# `--seccomp-bpf -e trace=openat`, `saker trace -c --ebpf` (counted in the kernel) and
# `saker trace --ebpf` (every call's line from the eBPF capture, never stopping the program),
# `saker_ebpf_cw` (`-c -w --ebpf`: every call timed, where `-c` samples; not in the default list),
# and `floor`: bench/lib/floor-tracer.c, a ptrace tracer that only waits for each stop, reads
# the syscall's info and resumes (what any strace-like tracer must do; it prints nothing), so
# saker's and strace's distance to what ptrace allows here is measured in the same run;
# `floor_read` (floor-tracer -r) also reads the tracee memory strace's output shows (data,
# paths, stat buffers, directory entries), one process_vm_readv each: the floor of a tracer
# that prints what strace prints.
# Setups run interleaved (round-robin), pinned to one CPU
# (`taskset -c 0`: tracer and tracee share it) and unpinned, because ptrace's cost depends
# mostly on CPU placement. Each figure is the median of the rounds, wall time and CPU time
# (user + system of the tracer and the traced command) beside it.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
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
gcc -O2 -o "$work/floor-tracer" "$here/bench/lib/floor-tracer.c"

declare -A workloads=(
    [a_dd]="dd if=/dev/zero of=/dev/null bs=1 count=$DD_COUNT status=none"
    [b_openloop]="$work/openloop $LOOPS"
    [c_find]="find /usr -xdev"
)
# SETUPS picks some of them (native is always measured): the eBPF tracer loads for about 0.1 s,
# so its ratios mean something on longer workloads only, where strace would take minutes:
#   SETUPS="saker_ebpf_c saker_ebpf" LOOPS=1000000 DD_COUNT=5000000 bench/trace.sh
read -r -a setups <<<"native ${SETUPS:-strace saker floor floor_read strace_seccomp saker_seccomp saker_ebpf_c saker_ebpf}"

command_for() { # setup workload-command
    case "$1" in
        native) echo "$2" ;;
        strace) echo "strace -f -o /dev/null $2" ;;
        saker) echo "$SAKER trace -f -o /dev/null $2" ;;
        floor) echo "$work/floor-tracer $2" ;;
        floor_read) echo "$work/floor-tracer -r $2" ;;
        strace_seccomp) echo "strace -f --seccomp-bpf -e trace=openat -o /dev/null $2" ;;
        saker_seccomp) echo "$SAKER trace -f --seccomp-bpf -e trace=openat -o /dev/null $2" ;;
        saker_ebpf_c) echo "$SAKER trace -f -c --ebpf -o /dev/null $2" ;;
        saker_ebpf_cw) echo "$SAKER trace -f -c -w --ebpf -o /dev/null $2" ;;
        saker_ebpf) echo "$SAKER trace -f --ebpf -o /dev/null $2" ;;
        base_ebpf_c) echo "$BASE trace -f -c --ebpf -o /dev/null $2" ;;
        base_ebpf) echo "$BASE trace -f --ebpf -o /dev/null $2" ;;
    esac
}

# measure CMD...: "WALL CPU" of one run
. "$here/bench/lib/measure.sh"

results="$work/results"
: >"$results"
for placement in pinned unpinned; do
    for round in $(seq "$ROUNDS"); do
        for name in a_dd b_openloop c_find; do
            for setup in "${setups[@]}"; do
                cmd=$(command_for "$setup" "${workloads[$name]}")
                if [[ $placement == pinned ]]; then
                    t=$(measure taskset -c 0 $cmd)
                else
                    t=$(measure $cmd)
                fi
                echo "$placement $name $setup $t" >>"$results"
                echo "  round $round $placement $name $setup: wall, cpu ${t}s" >&2
            done
        done
    done
done

python3 - "$results" "${setups[@]:1}" <<'PY'
import collections, statistics, sys
wall = collections.defaultdict(list)
cpu = collections.defaultdict(list)
for line in open(sys.argv[1]):
    placement, name, setup, w, c = line.split()
    wall[(placement, name, setup)].append(float(w))
    cpu[(placement, name, setup)].append(float(c))
med_wall = {k: statistics.median(v) for k, v in wall.items()}
med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
workloads = ("a_dd", "b_openloop", "c_find")
measured = sys.argv[2:]
# The strace comparison table needs both tools' setups; the ratio tables show what ran.
if all(s in measured for s in ("strace", "saker", "strace_seccomp", "saker_seccomp")):
    floors = [f for f in ("floor", "floor_read") if f in measured]
    print(f"{'placement':9} {'workload':11} {'native':>8} {'strace':>9} {'saker':>9} {'saker/strace':>12} "
          + "".join(f"{f + '/strace':>17} " for f in floors)
          + f"{'strace seccomp':>14} {'saker seccomp':>13} {'saker/strace':>12}   (wall, median)")
    for placement in ("pinned", "unpinned"):
        for name in workloads:
            g = lambda s: med_wall[(placement, name, s)]
            n = g("native")
            print(f"{placement:9} {name:11} {n:8.3f} {g('strace'):8.2f}s {g('saker'):8.2f}s {g('saker')/g('strace'):11.2f}x "
                  + "".join(f"{g(f)/g('strace'):16.2f}x " for f in floors)
                  + f"{g('strace_seccomp'):13.3f}s {g('saker_seccomp'):12.3f}s {g('saker_seccomp')/g('strace_seccomp'):11.2f}x")
for title, med in (("wall", med_wall), ("CPU (user + system of tracer and tracee)", med_cpu)):
    print()
    print(f"Ratios over native, {title} (median of the rounds):")
    for placement in ("pinned", "unpinned"):
        for name in workloads:
            n = med[(placement, name, "native")]
            parts = [f"{s} {med[(placement, name, s)]/n:7.2f}x" for s in measured]
            print(f"  {placement:9} {name:11} native {n:6.3f}s  " + "  ".join(parts))
PY
