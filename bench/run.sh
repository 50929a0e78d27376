#!/usr/bin/env bash
# Overhead of `saker run` (default rules, eBPF capture) on three workloads, against the same
# workloads without it, measured in the same run:
#   (a) dd if=/dev/zero of=/dev/null bs=1 count=1000000   syscalls no rule needs
#   (b) open/read/close of a small file, 300k iterations  every open a syscall     target <= 1.35x
#       the default rules need none of these opens: the kernel leaves them out (the open
#       filter); SAKER_ARGS="-o engine.ebpf.drop_unneeded_opens=false" makes every one an
#       event again, which is how the daemon's CPU per event is measured
#   (c) 2000 fork+exec of /bin/true                        process lifecycle        target <= 1.3x
# For each workload: native medians of RUNS (wall, and CPU: user + system of the workload),
# then a fresh `saker run` and the medians with it; the daemon's events seen, drops, CPU time
# per 1M events and RSS. (a)'s goal is a CPU ratio within 3% of the one-probe floor of
# bench/bpf-dispatch.sh (variant execve-tp), run in the same window.
#
#   bench/run.sh                 # builds saker --release first
#   SAKER=/path/to/saker RUNS=5 bench/run.sh
#   SAKER_RUN_ARGS="-c my.yaml" bench/run.sh   # more `saker run` options (bench/response.sh)
#   SAKER_ARGS="-o key=value ..." bench/run.sh   # extra options for the daemon
#   WORKLOADS="b" bench/run.sh                   # some of the workloads only
#
# Needs root (eBPF), gcc. Other load on the machine inflates "events seen": the daemon sees
# the whole host.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
if [ -z "${SAKER:-}" ]; then
  cargo build --release -q -p saker
  SAKER="${CARGO_TARGET_DIR:-target}/release/saker"
fi
[ "$(id -u)" = 0 ] || { echo "bench/run.sh: needs root (eBPF capture)" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill "$daemon" 2>/dev/null || true; rm -rf "$work"' EXIT
daemon=

cat > "$work/openloop.c" <<'C'
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
    long n = atol(argv[2]);
    char buf[64];
    for (long i = 0; i < n; i++) {
        int fd = open(argv[1], O_RDONLY);
        if (fd < 0) return 1;
        if (read(fd, buf, sizeof buf) < 0) return 1;
        close(fd);
    }
    return 0;
}
C
cat > "$work/forkexec.c" <<'C'
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    char *args[] = {"true", NULL};
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) { execv("/bin/true", args); _exit(127); }
        int status;
        if (pid < 0 || waitpid(pid, &status, 0) < 0 || status != 0) return 1;
    }
    return 0;
}
C
gcc -O2 -o "$work/openloop" "$work/openloop.c"
gcc -O2 -o "$work/forkexec" "$work/forkexec.c"
echo "small file contents" > "$work/small.txt"

workload() {
  case "$1" in
    a) dd if=/dev/zero of=/dev/null bs=1 count=1000000 2>/dev/null ;;
    b) "$work/openloop" "$work/small.txt" 300000 ;;
    c) "$work/forkexec" 2000 ;;
  esac
}

# Median wall time and median CPU time (user + system of the workload) in seconds of RUNS
# runs of workload $1, as "wall cpu".
median_time() {
  local walls=() cpus=() TIMEFORMAT='%R %U %S' wall user sys
  for _ in $(seq "$RUNS"); do
    read -r wall user sys < <( { time workload "$1"; } 2>&1 >/dev/null | tail -n 1)
    walls+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.4f", a[int((NR+1)/2)]}'; }
  echo "$(median "${walls[@]}") $(median "${cpus[@]}")"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

start_daemon() {
  # shellcheck disable=SC2086 # SAKER_ARGS is a list of extra options.
  # shellcheck disable=SC2086 # SAKER_RUN_ARGS is a list of options
  "$SAKER" run ${SAKER_RUN_ARGS:-} -o syslog_output.enabled=false -o log_syslog=false -o webserver.enabled=false \
    ${SAKER_ARGS:-} > "$work/alerts.txt" 2> "$work/daemon.err" &
  daemon=$!
  for _ in $(seq 600); do
    grep -q "Watching " "$work/daemon.err" 2>/dev/null && return 0
    kill -0 "$daemon" 2>/dev/null || { cat "$work/daemon.err" >&2; exit 1; }
    sleep 0.1
  done
  echo "saker run did not start" >&2; exit 1
}

stop_daemon() {
  kill -INT "$daemon"; wait "$daemon" || true; daemon=
}

hz=$(getconf CLK_TCK)
# Issue 18's goals: (b) <= 1.35x; (a) within 3% of the one-probe floor that
# bench/bpf-dispatch.sh measures (its execve-tp variant), so no fixed figure here.
declare -A target=([a]=- [b]=1.35 [c]=1.3)
declare -A label=([a]="dd bs=1 count=1M" [b]="open/read/close x300k" [c]="fork+exec x2000")
printf '%-24s %9s %9s %7s %9s %9s %7s %7s %12s %9s %12s %9s\n' workload native_s saker_s ratio \
  cpu_nat_s cpu_sak_s cpu_rat target events dropped daemon_ms/1M rss_MiB
fail=0
for w in ${WORKLOADS:-a b c}; do
  read -r native native_cpu <<<"$(median_time "$w")"
  start_daemon
  c0=$(cpu_ticks "$daemon")
  read -r with with_cpu <<<"$(median_time "$w")"
  sleep 1 # let the daemon drain what is queued
  c1=$(cpu_ticks "$daemon")
  rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$daemon/status")
  stop_daemon
  events=$(awk -F': ' '/^Events seen/ {print $2}' "$work/daemon.err")
  dropped=$(awk -F'[: (]+' '/^Events dropped/ {print $3}' "$work/daemon.err")
  ratio=$(awk -v a="$with" -v b="$native" 'BEGIN {printf "%.3f", a/b}')
  cpu_ratio=$(awk -v a="$with_cpu" -v b="$native_cpu" 'BEGIN {printf "%.3f", b ? a/b : 0}')
  cpu_ms=$(awk -v t="$(( c1 - c0 ))" -v hz="$hz" -v e="$events" 'BEGIN {printf "%.1f", e ? t*1000/hz/e*1e6 : 0}')
  rss=$(awk -v k="$rss_kb" 'BEGIN {printf "%.1f", k/1024}')
  ok=$(awk -v r="$ratio" -v t="${target[$w]}" 'BEGIN {print (t == "-" || r <= t) ? "" : " OVER"}')
  [ "$dropped" = 0 ] || ok="$ok DROPS"
  [ -z "$ok" ] || fail=1
  printf '%-24s %9s %9s %7s %9s %9s %7s %7s %12s %9s %12s %9s%s\n' "(${w}) ${label[$w]}" "$native" "$with" \
    "$ratio" "$native_cpu" "$with_cpu" "$cpu_ratio" "${target[$w]}" "$events" "$dropped" "$cpu_ms" "$rss" "$ok"
done
exit "$fail"
