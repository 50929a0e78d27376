#!/usr/bin/env bash
# Benchmark: what one `saker trace` costs around a command that does nothing (`true`): the
# tracer's start-up and exit, against native and strace, in one run.
#
#   bench/trace-startup.sh                    # build release saker, then measure
#   ROUNDS=30 SAKER=/path/to/saker bench/trace-startup.sh
#   BASE=/path/to/older/saker bench/trace-startup.sh   # the same setups with a second binary
#
# Setups: native `true`; `strace -o /dev/null true`; `saker trace -o /dev/null true`
# (ptrace); `saker trace --ebpf -o /dev/null true` (loads the capture object, attaches, and
# detaches at exit); `saker trace -c --ebpf true` (the counter object, loaded without the
# kernel's BTF); and two floors: of an eBPF start-up with aya's loader, a process that only
# parses the kernel's BTF as aya must before it loads anything (`dispatch_bench btf-parse`),
# and of one without BTF, a process that attaches one empty raw_tp program to sys_exit and
# exits (`dispatch_bench raw-tp-attach`; the kernel's part of what the counter does). Setups run
# interleaved; each figure is the median of the rounds, wall time and CPU time (user + system
# of the tracer and the command) beside it. The eBPF setups need root.
#
#   SETUPS="native saker_ebpf_c raw_tp_attach" bench/trace-startup.sh   # some of them, in order
#
# Attaching the first program to a tracepoint waits for the rest of an RCU grace period when
# any tracepoint lost its last program shortly before (the kernel's 1->0->1 transition sync,
# kernel/tracepoint.c, tp_rcu_cond_sync): a setup run right after an eBPF setup's exit can pay
# that wait (up to about 20 ms here), a setup run alone does not.
set -euo pipefail

ROUNDS=${ROUNDS:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in strace python3; do
    command -v "$tool" >/dev/null || { echo "bench/trace-startup.sh: $tool is required" >&2; exit 2; }
done
if [[ -z "${SAKER:-}" ]]; then
    (cd "$here" && cargo build --release -q -p saker)
    SAKER="${CARGO_TARGET_DIR:-$here/target}/release/saker"
fi
(cd "$here" && cargo build --release -q -p saker-bpf --example dispatch_bench)
floor="${CARGO_TARGET_DIR:-$here/target}/release/examples/dispatch_bench"

if [[ -n "${SETUPS:-}" ]]; then
    read -r -a setups <<<"$SETUPS"
else
    setups=(native strace saker saker_ebpf saker_ebpf_c btf_parse raw_tp_attach)
    [[ -n "${BASE:-}" ]] && setups+=(base_ebpf base_ebpf_c)
fi

command_for() { # setup
    case "$1" in
        native) echo "true" ;;
        strace) echo "strace -o /dev/null true" ;;
        saker) echo "$SAKER trace -o /dev/null true" ;;
        saker_ebpf) echo "$SAKER trace --ebpf -o /dev/null true" ;;
        saker_ebpf_c) echo "$SAKER trace -c --ebpf -o /dev/null true" ;;
        base_ebpf) echo "$BASE trace --ebpf -o /dev/null true" ;;
        base_ebpf_c) echo "$BASE trace -c --ebpf -o /dev/null true" ;;
        btf_parse) echo "$floor btf-parse" ;;
        raw_tp_attach) echo "$floor raw-tp-attach" ;;
    esac
}

# measure CMD...: "WALL CPU" of one run
. "$here/bench/lib/measure.sh"

results="$work/results"
: >"$results"
for round in $(seq "$ROUNDS"); do
    for setup in "${setups[@]}"; do
        t=$(measure $(command_for "$setup"))
        echo "$setup $t" >>"$results"
    done
done

python3 - "$results" "${setups[@]}" <<'PY'
import collections, statistics, sys
wall, cpu = collections.defaultdict(list), collections.defaultdict(list)
for line in open(sys.argv[1]):
    setup, w, c = line.split()
    wall[setup].append(float(w))
    cpu[setup].append(float(c))
print(f"{'setup':13} {'wall (ms)':>10} {'CPU (ms)':>9}   (median of {len(wall[sys.argv[2]])} rounds)")
for setup in sys.argv[2:]:
    print(f"{setup:13} {statistics.median(wall[setup]) * 1000:10.0f} {statistics.median(cpu[setup]) * 1000:9.0f}")
PY
