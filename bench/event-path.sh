#!/usr/bin/env bash
# The daemon's user-space work per event, without the kernel: eBPF ring records of the
# open/read/close loop of bench/run.sh (b), built in memory, through decode -> state -> rules
# (crates/source/examples/event_path_bench.rs). Thread CPU ns per event, median of REPEATS
# passes, for the decode alone, decode + state, and the whole path. Steadier than the live
# figure (bench/run.sh "daemon_ms/1M"), which also counts the ring's cache misses, polls and
# wakeups: compare two builds here first.
#
#   bench/event-path.sh                 # 1M events, 5 repeats
#   EVENTS=2000000 REPEATS=7 bench/event-path.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p saker-source --example event_path_bench
"${CARGO_TARGET_DIR:-target}/release/examples/event_path_bench" "${EVENTS:-1000000}" "${REPEATS:-5}"
