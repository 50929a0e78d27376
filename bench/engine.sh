#!/usr/bin/env bash
# Rules-engine evaluation speed: a generated mix of field-level events (1M by default,
# pre-parsed, parsing not timed) against Falco's whole corpus (falco_rules.yaml + incubating
# + sandbox + k8s_audit_rules.yaml; syscall events meet only the syscall rules), on one core.
# Also measures loading+compiling the corpus (first load in the process and best of 5, wall and
# CPU time), the share of rules an event meets after event-type indexing, evaluation of a
# cache-resident subset, and, as the baseline measured in the same run, the plain filter
# interpreter walking every rule without the index.
#
# Times are thread CPU time (wall time is printed beside it; on a shared machine it also
# counts other processes). When valgrind is installed, it also counts instructions per event
# of the evaluation loop alone with callgrind (repeatable on a noisy machine); set
# ENGINE_BENCH_CALLGRIND=0 to skip that (it takes about a minute).
#
# usage: SAKER_FALCO_CORPUS=/path/to/falco-rules bench/engine.sh [EVENTS]
set -euo pipefail

corpus="${SAKER_FALCO_CORPUS:-}"
if [[ -z "$corpus" || ! -d "$corpus" ]]; then
    echo "bench/engine.sh: set SAKER_FALCO_CORPUS to the directory with falco_rules.yaml" >&2
    exit 2
fi
events="${1:-1000000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

cargo build --quiet --release -p saker-engine --example engine_bench --manifest-path "$root/Cargo.toml"
bin="$target/release/examples/engine_bench"
rules=("$corpus/falco_rules.yaml" "$corpus/falco-incubating_rules.yaml"
    "$corpus/falco-sandbox_rules.yaml" "$corpus/k8s_audit_rules.yaml")

# One core: pin to the last CPU when taskset exists.
pin=()
if command -v taskset >/dev/null; then
    pin=(taskset -c "$(($(nproc) - 1))")
fi

out="$("${pin[@]}" "$bin" --events "$events" --repeat 3 --baseline-events 20000 "${rules[@]}")"
echo "$out"
echo "$out" | awk '
    /^first_match:/ { for (i = 1; i <= NF; i++) if ($i ~ /^events_per_s=/) { split($i, kv, "="); eps = kv[2] } }
    /^baseline_interpreter_no_index:/ { for (i = 1; i <= NF; i++) if ($i ~ /^events_per_s=/) { split($i, kv, "="); base = kv[2] } }
    /^load_compile_first_ms=/ { split($1, kv, "="); first = kv[2]; cpu = $3; sub(/\)/, "", cpu) }
    END {
        printf "ratio compiled+indexed / interpreter baseline = %.1fx\n", eps / base
        printf "target 3000000 events/s (one core): %s (%.2fx of target)\n", (eps >= 3000000 ? "met" : "NOT met"), eps / 3000000
        printf "target load+compile < 50 ms (first load, cpu %s ms): %s\n", cpu, (cpu + 0 < 50 ? "met" : "NOT met")
    }'

if [[ "${ENGINE_BENCH_CALLGRIND:-1}" != 0 ]] && command -v valgrind >/dev/null; then
    n=10000
    cg="$(mktemp)"
    trap 'rm -f "$cg"' EXIT
    valgrind --tool=callgrind --callgrind-out-file="$cg" --toggle-collect='*eval_pass*' \
        "$bin" --events "$n" --eval-only "${rules[@]}" >/dev/null 2>&1
    instructions="$(callgrind_annotate "$cg" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')"
    echo "callgrind: events=$n instructions_per_event=$((instructions / n)) (first-match evaluation loop only)"
fi
