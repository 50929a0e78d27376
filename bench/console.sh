#!/usr/bin/env bash
# The web console under load (issue 20): does it keep up with 10k alerts/s reaching open pages
# without slowing the engine, and does the page stay responsive with 100k alerts in history?
#
#   bench/console.sh                      # both parts
#   ALERTS=200000 PAGES="0 5" bench/console.sh stream
#   HISTORY=100000 bench/console.sh render
#
# stream: crates/console/examples/console_bench.rs runs an engine thread on events that each
#   raise one alert, handing them to the console as `saker run` does; PAGES is the number of
#   open pages (server-sent-event clients on the real web server). Flat out, the engine's
#   events/s and CPU seconds with 0 and 5 pages, next to the baseline without a console
#   (pages = none), tell what the console costs the engine. Paced at RATE alerts/s (10k),
#   every page must get every alert: delivered_min = alerts, lagged = 0, and catch_up_ms is
#   how long after the engine's last alert the slowest page had it. CPU seconds per thread:
#   the engine, the console thread, the web server (every page's stream) and the test's own
#   page readers (not Saker's cost). Wall figures need a quiet machine; CPU ones less so.
# render: 100k alerts in the history, the page in headless Chromium (WebDriver): load and
#   render times, a free-text filter over the whole history, then 10k alerts/s for 5 s into
#   the open page (longest unresponsive stretch, rows kept, JS heap before and after).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
ALERTS="${ALERTS:-200000}"
PAGES="${PAGES:-0 5}"
RATE="${RATE:-10000}"
PACED_SECONDS="${PACED_SECONDS:-10}"
HISTORY="${HISTORY:-100000}"
part="${1:-all}"
(cd "$root" && cargo build -q --release -p saker-console --example console_bench)
bench="$target/release/examples/console_bench"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)   cpus: $(nproc)"

get() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }

if [[ "$part" == all || "$part" == stream ]]; then
  echo
  echo "== engine flat out, $ALERTS alerts (one per event)"
  printf '%6s %12s %10s %11s %13s %7s %8s %11s %11s %10s\n' pages engine_ev/s engine_cpu \
    vs_baseline delivered_min lagged dropped catch_up_ms console_cpu server_cpu
  baseline=""
  for pages in -1 $PAGES; do
    out="$("$bench" stream "$ALERTS" "$pages")"
    eps="$(get engine_events_per_sec "$out")"
    [[ -z "$baseline" ]] && baseline="$eps"
    printf '%6s %12s %10s %10.2fx %13s %7s %8s %11s %11s %10s\n' \
      "$([[ $pages == -1 ]] && echo none || echo "$pages")" "$eps" \
      "$(get engine_cpu_sec "$out")" "$(awk -v a="$eps" -v b="$baseline" 'BEGIN { print a / b }')" \
      "$(get delivered_min "$out")" "$(get lagged "$out")" "$(get console_dropped "$out")" \
      "$(get catch_up_ms "$out")" "$(get console_thread_cpu_sec "$out")" \
      "$(get server_thread_cpu_sec "$out")"
  done
  echo
  echo "== paced at $RATE alerts/s for ${PACED_SECONDS}s"
  printf '%6s %8s %13s %7s %8s %11s %10s %11s %10s %11s\n' pages alerts delivered_min lagged \
    dropped catch_up_ms engine_cpu console_cpu server_cpu readers_cpu
  for pages in $PAGES; do
    out="$("$bench" stream "$((RATE * PACED_SECONDS))" "$pages" "$RATE")"
    printf '%6s %8s %13s %7s %8s %11s %10s %11s %10s %11s\n' "$pages" "$(get alerts "$out")" \
      "$(get delivered_min "$out")" "$(get lagged "$out")" "$(get console_dropped "$out")" \
      "$(get catch_up_ms "$out")" "$(get engine_cpu_sec "$out")" \
      "$(get console_thread_cpu_sec "$out")" "$(get server_thread_cpu_sec "$out")" \
      "$(get page_readers_cpu_sec "$out")"
  done
fi

if [[ "$part" == all || "$part" == render ]]; then
  echo
  echo "== the page with $HISTORY alerts in history (headless Chromium)"
  "$bench" render "$HISTORY"
fi
