#!/usr/bin/env bash
# Kubernetes audit events/s through POST /k8s-audit into the rules engine, over CONNS kept-alive
# HTTP/1.1 connections sending at once (issue 6 target: over 20k events/s with the corpus k8s
# rules).
#
#   bench/k8s-audit.sh                        # corpus rules if SAKER_FALCO_CORPUS is set
#   EVENTS=100000 BATCHES="1 10 400" CONNS="1 4 16" bench/k8s-audit.sh
#   RULES=default bench/k8s-audit.sh          # Saker's own k8s audit rules
#
# For each number of connections (the API server's webhook backend in blocking mode sends one
# request per audited API request, from many goroutines at once) and each batch size (1 = one
# Event per request, N = an EventList of N events; the batching backend sends up to 400) it
# prints, all measured in one run of crates/k8saudit/examples/k8s_audit_bench.rs:
#   baseline   the same POSTs to a handler that only counts (server: HTTP + JSON parse)
#   pipeline   the POSTs through AuditPipeline and the rules, alerts only counted
#   daemon     as pipeline, alerts to the metrics, the JSON encoder, the output queue and a
#              file channel on /dev/null (what `saker run` does)
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
CONNS="${CONNS:-1 4 16}"
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

echo "rules: $RULES   events per run: $EVENTS   load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%5s %6s %8s %10s %11s %11s %10s %11s %11s %11s %13s %11s %9s %7s\n' conns batch body_B \
  base_ev/s base_ev/cpu base_ev/srv pipe_ev/s pipe_ev/cpu pipe_ev/srv daemon_ev/s \
  daemon_ev/srv engine_ev/s pipe/base alerts
for conns in $CONNS; do
  for batch in $BATCHES; do
    out="$("$bench" "$EVENTS" "$batch" "$RULES" "$conns")"
    get() { awk -v k="$1" '$1 == k { print $2 }' <<<"$out"; }
    body="$(awk '$1 == "k8s_audit_batch" { print $4 }' <<<"$out")"
    printf '%5s %6s %8s %10s %11s %11s %10s %11s %11s %11s %13s %11s %8sx %7s\n' "$conns" \
      "$batch" "$body" "$(get baseline_events_per_sec)" "$(get baseline_events_per_cpu_sec)" \
      "$(get baseline_events_per_server_cpu_sec)" \
      "$(get pipeline_events_per_sec)" "$(get pipeline_events_per_cpu_sec)" \
      "$(get pipeline_events_per_server_cpu_sec)" "$(get daemon_events_per_sec)" \
      "$(get daemon_events_per_server_cpu_sec)" "$(get engine_only_events_per_sec)" \
      "$(get pipeline_vs_baseline_cpu)" "$(get pipeline_alerts)"
  done
done
