#!/usr/bin/env bash
# Kubernetes audit events/s through POST /k8s-audit into the rules engine, over one kept-alive
# HTTP/1.1 connection (issue 6 target: over 20k events/s with the corpus k8s rules).
#
#   bench/k8s-audit.sh                        # corpus rules if SAKER_FALCO_CORPUS is set
#   EVENTS=100000 BATCHES="1 10 400" bench/k8s-audit.sh
#   RULES=default bench/k8s-audit.sh          # Saker's own k8s audit rules
#
# For each batch size (1 = one Event per request, N = an EventList of N events; the API
# server's webhook sends batches of up to 400 by default) it prints, all measured in one run
# of crates/k8saudit/examples/k8s_audit_bench.rs:
#   baseline   the same POSTs to a handler that only counts (server: HTTP + JSON parse)
#   pipeline   the POSTs through AuditPipeline and the rules (what the daemon does)
#   engine     the same events, already parsed, evaluated in-process (rules + alert text)
# as events per wall-clock second, per CPU second of the process (client + server threads)
# and per CPU second of the server thread alone (what the daemon pays; USER_HZ resolution,
# so use EVENTS large enough for a few seconds of run), and pipeline/baseline throughput per
# process CPU second. On a shared machine the CPU figures are the steadier ones.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
EVENTS="${EVENTS:-50000}"
BATCHES="${BATCHES:-1 10 100 400}"
if [[ -z "${RULES:-}" ]]; then
  if [[ -n "${SAKER_FALCO_CORPUS:-}" && -f "$SAKER_FALCO_CORPUS/k8s_audit_rules.yaml" ]]; then
    RULES="$SAKER_FALCO_CORPUS/k8s_audit_rules.yaml"
  else
    echo "note: SAKER_FALCO_CORPUS not set, using Saker's default k8s audit rules" >&2
    RULES=default
  fi
fi
(cd "$root" && cargo build -q --release -p saker-k8saudit --example k8s_audit_bench)
bench="$target/release/examples/k8s_audit_bench"

echo "rules: $RULES   events per run: $EVENTS"
printf '%6s %9s %10s %11s %10s %11s %11s %11s %8s %7s\n' batch body_B base_ev/s base_ev/cpu \
  pipe_ev/s pipe_ev/cpu pipe_ev/srv engine_ev/s pipe/base alerts
for batch in $BATCHES; do
  out="$("$bench" "$EVENTS" "$batch" "$RULES")"
  get() { awk -v k="$1" '$1 == k { print $2 }' <<<"$out"; }
  body="$(awk '$1 == "k8s_audit_batch" { print $4 }' <<<"$out")"
  printf '%6s %9s %10s %11s %10s %11s %11s %11s %7sx %7s\n' "$batch" "$body" \
    "$(get baseline_events_per_sec)" "$(get baseline_events_per_cpu_sec)" \
    "$(get pipeline_events_per_sec)" "$(get pipeline_events_per_cpu_sec)" \
    "$(get pipeline_events_per_server_cpu_sec)" \
    "$(get engine_only_events_per_sec)" "$(get pipeline_vs_baseline_cpu)" "$(get pipeline_alerts)"
done
