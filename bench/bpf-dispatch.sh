#!/usr/bin/env bash
# What does each way of hooking syscalls cost a workload? Runs three workloads natively and
# under each BPF attachment variant, in one run, and prints the median wall time and the ratio
# to native. Needs root (BPF), tracefs, and a release build of the dispatch_bench example.
#
#   bench/bpf-dispatch.sh                 # all variants, RUNS=5
#   RUNS=9 VARIANTS="per-syscall tp_btf" bench/bpf-dispatch.sh
#   BENCH=/path/to/dispatch_bench bench/bpf-dispatch.sh   # another build (e.g. an older commit's)
#
# Variants (crates/bpf/examples/dispatch_bench.rs):
#   execve-tp           one syscalls/sys_exit_execve tracepoint program, nothing else
#   empty-btf           empty tp_btf programs on sys_enter + sys_exit
#   empty-btf-exit      an empty tp_btf program on sys_exit only
#   empty-raw-exit      an empty raw_tp program on sys_exit only (the floor for untimed counting)
#   per-syscall         the capture: one sys_exit_<name> tracepoint per rule syscall (default)
#   per-syscall-wake-each  the same, waking the reader on every record (not in the default list)
#   per-syscall-filtered   the same with saker run's open filter for the default rules (the
#                          opens of (b) are left out in the kernel; not in the default list)
#   tp_btf, raw_tp, raw_syscalls      the capture through one dispatcher on every sys_exit
#   *-enter             the same plus the dispatcher's sys_enter program (durations)
#   count               trace --ebpf -c -w: in-kernel counting on raw_tp sys_enter + sys_exit
#   count-untimed       trace --ebpf -c without times: one raw_tp sys_exit program
# Workloads: (a) dd bs=1 count=1000000, (b) open/read/close x300000, (c) fork+exec x2000,
# (d) dd bs=1 count=200000 (the `trace -c` target of issue 5; not in the default WORKLOADS):
#   VARIANTS="count count-untimed" WORKLOADS=d-dd200k bench/bpf-dispatch.sh
# Each variant alternates native and attached runs (RUNS each, attaching afresh every time) and
# reports minimums: on a shared machine the minimum is the least disturbed run, and alternating
# gives both sides the same load. Columns: native and attached wall time and their ratio; the
# workload's CPU time (user+sys, where the BPF programs run) native and attached and their ratio;
# the reader's CPU per run; events read per run (the whole host's, not only the workload's);
# records dropped in all runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
RUNS="${RUNS:-5}"
VARIANTS="${VARIANTS:-execve-tp empty-btf per-syscall tp_btf tp_btf-enter raw_tp raw_tp-enter raw_syscalls raw_syscalls-enter count count-untimed}"
WORKLOADS="${WORKLOADS:-a-dd b-open c-forkexec}"
if [[ -n "${BENCH:-}" ]]; then
  bench="$BENCH"
else
  (cd "$root" && cargo build -q --release -p saker-bpf --example dispatch_bench)
  bench="$target/release/examples/dispatch_bench"
fi
file="$(mktemp)"; echo "small file for the open loop" > "$file"; trap 'rm -f "$file"' EXIT

declare -A WORK=(
  [a-dd]="dd if=/dev/zero of=/dev/null bs=1 count=1000000"
  [b-open]="$bench open-loop 300000 $file"
  [c-forkexec]="$bench fork-exec 2000"
  [d-dd200k]="dd if=/dev/zero of=/dev/null bs=1 count=200000"
)
printf '%-19s %-10s %7s %7s %6s %7s %7s %6s %8s %8s %5s\n' variant workload base_s wall_s ratio bcpu_s cpu_s ratio reader_s events drops
for w in $WORKLOADS; do
  for v in $VARIANTS; do
    # shellcheck disable=SC2086
    line="$("$bench" run "$v" "$RUNS" -- ${WORK[$w]})"
    get() { sed -E "s/.*[ ]$1=([0-9.]+).*/\1/" <<<" $line"; }
    bw="$(get base_wall_s)"; ww="$(get wall_s)"; bc="$(get base_cpu_s)"; wc="$(get cpu_s)"
    printf '%-19s %-10s %7s %7s %6s %7s %7s %6s %8s %8s %5s\n' "$v" "$w" "$bw" "$ww" \
      "$(awk -v a="$ww" -v b="$bw" 'BEGIN { printf "%.2fx", a / b }')" "$bc" "$wc" \
      "$(awk -v a="$wc" -v b="$bc" 'BEGIN { printf "%.2fx", a / b }')" \
      "$(get reader_cpu_s)" "$(get events)" "$(get drops)"
  done
done
