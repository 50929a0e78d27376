#!/usr/bin/env bash
# Runs CI (`.ci/run`) on fresh clones of this checkout under the conditions that once made the
# suite flaky, back to back, and stops at the first red run:
#   low-pids   pids start at 300 (masks that assumed four-digit pids)
#   wrap       pids start near pid_max, so they wrap around during the run
#   loaded     stress-ng keeps every CPU busy for the whole run
#   serial     one test thread (RUST_TEST_THREADS=1): no test may rely on another's timing
#   plain      as CI runs it
# Usage: scripts/ci-stress.sh [VARIANT...]   (default: all five). Needs root, like CI.
# Every run tests the commit checked out when the script starts (commits made meanwhile wait).
# Logs: ../ci-stress-logs/<variant>.log
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
clone="$root/../ci-stress"
logs="$root/../ci-stress-logs"
mkdir -p "$logs"
commit=$(git rev-parse HEAD)
echo "testing $commit"
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(low-pids wrap loaded serial plain)

command -v stress-ng >/dev/null || { apt-get update -qq && apt-get install -y -qq stress-ng >/dev/null; }

run_variant() {
  local variant=$1 load_pid=""
  rm -rf "$clone"
  git clone -q "$root" "$clone"
  git -C "$clone" checkout -q "$commit"
  local env=(CI=true)
  case "$variant" in
    low-pids) echo 300 > /proc/sys/kernel/ns_last_pid ;;
    wrap) echo $(( $(cat /proc/sys/kernel/pid_max) - 3000 )) > /proc/sys/kernel/ns_last_pid ;;
    loaded) stress-ng --cpu "$(nproc)" --quiet & load_pid=$! ;;
    serial) env+=(RUST_TEST_THREADS=1) ;;
    plain) ;;
    *) echo "unknown variant $variant" >&2; return 2 ;;
  esac
  local start=$SECONDS status=0
  (cd "$clone" && env "${env[@]}" bash .ci/run) > "$logs/$variant.log" 2>&1 || status=$?
  [ -z "$load_pid" ] || { kill "$load_pid"; wait "$load_pid" 2>/dev/null || true; }
  echo "$variant: exit $status in $((SECONDS - start)) s (log: $logs/$variant.log)"
  return "$status"
}

for variant in "${variants[@]}"; do
  run_variant "$variant" || exit 1
done
