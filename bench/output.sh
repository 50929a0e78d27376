#!/usr/bin/env bash
# Output-stage throughput and memory (issue 6), on one core (taskset -c 0).
#
# Figures are alerts per CPU-second of the whole process (user + system, all threads), which
# stays meaningful on a shared machine; wall-clock rates are printed too. The baseline,
# measured in the same run, is the text encoder alone; the JSON and file figures are also
# given as ratios to it. Target (issue 6): > 200000 alerts/s for JSON + file channel.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
cargo build --release -q -p saker-output --example output_bench
BIN=${CARGO_TARGET_DIR:-target}/release/examples/output_bench
PIN="taskset -c 0"
command -v taskset >/dev/null || PIN=""

field() { awk -v k="$1" '$1 == k {print $2}'; }
text_out=$($PIN "$BIN" text "$N")
json_out=$($PIN "$BIN" json "$N")
clone_out=$($PIN "$BIN" clone "$N")
file_out=$($PIN "$BIN" file "$N")
mem_out=$("$BIN" memory 100000)

text=$(echo "$text_out" | field text_alerts_per_cpu_sec)
json=$(echo "$json_out" | field json_alerts_per_cpu_sec)
clone=$(echo "$clone_out" | field clone_alerts_per_cpu_sec)
file=$(echo "$file_out" | field file_alerts_per_cpu_sec)
file_wall=$(echo "$file_out" | field file_alerts_per_sec)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", a/b}'; }

echo "text encoder (baseline):         ${text} alerts/CPU-s"
echo "JSON encoder:                    ${json} alerts/CPU-s  ($(ratio "$json" "$text")x baseline; target > 200000)"
echo "making the alerts (Alert clone): ${clone} alerts/CPU-s  (included in the next line)"
echo "submit -> JSON -> queue -> file: ${file} alerts/CPU-s  ($(ratio "$file" "$text")x baseline; target > 200000; wall ${file_wall}/s)"
echo "queue of 100k pending alerts (JSON-encoded, one stuck channel):"
echo "$mem_out" | sed 's/^/  /'

# POST /k8s-audit through the web server (client and server on the same core, one kept-alive
# connection; the handler only counts: the rules are the engine's part of issue 6's target).
cargo build --release -q -p saker-server --example audit_bench
ABIN=${CARGO_TARGET_DIR:-target}/release/examples/audit_bench
single_out=$($PIN "$ABIN" 20000 1)
batched_out=$($PIN "$ABIN" 100000 100)
echo "POST /k8s-audit, one Event per request:        $(echo "$single_out" | field k8s_audit_events_per_cpu_sec) events/CPU-s, wall $(echo "$single_out" | field k8s_audit_events_per_sec)/s (target > 20000 incl. rules)"
echo "POST /k8s-audit, EventList of 100 per request: $(echo "$batched_out" | field k8s_audit_events_per_cpu_sec) events/CPU-s, wall $(echo "$batched_out" | field k8s_audit_events_per_sec)/s"
