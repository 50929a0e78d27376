#!/usr/bin/env bash
# Rules-engine evaluation speed: a generated mix of field-level events (1M by default,
# pre-parsed, parsing not timed) against Falco's corpus rules (falco_rules.yaml + incubating
# + sandbox), on one core. Also measures loading+compiling the corpus, the share of rules an
# event meets after event-type indexing, and, as the baseline measured in the same run, the
# plain filter interpreter walking every rule without the index.
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

# One core: pin to the last CPU when taskset exists.
pin=()
if command -v taskset >/dev/null; then
    pin=(taskset -c "$(($(nproc) - 1))")
fi

out="$("${pin[@]}" "$bin" --events "$events" --repeat 3 --baseline-events 20000 \
    "$corpus/falco_rules.yaml" "$corpus/falco-incubating_rules.yaml" "$corpus/falco-sandbox_rules.yaml")"
echo "$out"
echo "$out" | awk '
    /^first_match:/ { for (i = 1; i <= NF; i++) if ($i ~ /^events_per_s=/) { split($i, kv, "="); eps = kv[2] } }
    /^baseline_interpreter_no_index:/ { for (i = 1; i <= NF; i++) if ($i ~ /^events_per_s=/) { split($i, kv, "="); base = kv[2] } }
    END {
        printf "ratio compiled+indexed / interpreter baseline = %.1fx\n", eps / base
        printf "target 3000000 events/s (one core): %s (%.2fx of target)\n", (eps >= 3000000 ? "met" : "NOT met"), eps / 3000000
    }'
