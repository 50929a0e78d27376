#!/bin/sh
# Load + compile time of Falco's rules corpus (budget: 50 ms for the four files), against the
# time to build the YAML trees alone, measured in the same run.
# Usage: bench/rules-load.sh [FILE|DIR...]   (default: the four files of $SAKER_FALCO_CORPUS)
#        bench/rules-load.sh --large [MB]    (generated files of MB MiB, default 50: unused
#                                             lists, unused macros, rules using both; loading
#                                             is linear, so each takes seconds)
set -eu
cd "$(dirname "$0")/.."
: "${SAKER_FALCO_CORPUS:=/work/shared/corpus/falco-rules}"
export SAKER_FALCO_CORPUS
cargo build --quiet --release -p saker-rules --example rules_load
target_dir="${CARGO_TARGET_DIR:-target}"
exec "$target_dir/release/examples/rules_load" "$@"
