#!/usr/bin/env bash
# Responses (issue 19): how fast a kill lands, in the kernel and from user space, and what the
# kernel's check costs the workloads of bench/run.sh.
#
#   bench/response.sh              # both parts; builds saker --release first
#   TRIES=200 bench/response.sh latency
#   RUNS=5 bench/response.sh cost
#   SAKER=target/debug/saker TRIES=20 RUNS=1 bench/response.sh   # a smoke run
#
# latency: TRIES execs of a host program that the rules kill: one the kernel decides (a name
#   test: SIGKILL in sched_process_exec, before the program's first instruction), one only
#   user space can (a command-line test: SIGKILL through a pidfd once the alert is raised).
#   Two figures per kind, median and p99 of the tries:
#     signal_us   from the offending syscall's exit (the exec event's time) to the signal, as
#                 each action's record says (`response.latency_us`);
#     e2e_us      what the program's parent sees: fork + execve + the kill + reaping, from
#                 before fork() to waitpid() returning (the exec itself is most of it when
#                 the kernel kills).
#   A try that is not killed by SIGKILL is counted as missed (it would sleep 10 s).
# cost: bench/run.sh's three workloads (dd bs=1, open/read/close, fork+exec) against the same
#   run of `saker run` without responses, with in-kernel rules that never match the workloads
#   (a program-name kill checked at every exec, an open under /etc/ssh/ checked at every open)
#   and with an open rule whose paths share the workload's first directory (/tmp/, so every
#   open takes the path-table lookup). Each line is bench/run.sh's: the ratio to native in the
#   same run; the in-kernel check is the difference between the lines (target: within noise).
#
# Needs root (eBPF), gcc. Wall figures need a quiet machine: other load shows up in both.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
TRIES=${TRIES:-1000}
RUNS=${RUNS:-3}
part="${1:-all}"
if [ -z "${SAKER:-}" ]; then
  cargo build --release -q -p saker
  SAKER="${CARGO_TARGET_DIR:-target}/release/saker"
fi
SAKER=$(realpath "$SAKER")
export SAKER
[ "$(id -u)" = 0 ] || { echo "bench/response.sh: needs root (eBPF capture)" >&2; exit 2; }
work=$(mktemp -d)
daemon=
trap 'if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

# The program to kill: it sleeps 10 s when nobody kills it.
cat > "$work/target.c" <<'C'
#include <time.h>
int main(void) {
    struct timespec t = {10, 0};
    nanosleep(&t, 0);
    return 0;
}
C
# Runs argv[1] argv[2] times; prints the fork-to-reap time in ns of each try and whether
# SIGKILL ended it.
cat > "$work/driver.c" <<'C'
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static long long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}
int main(int argc, char **argv) {
    long n = atol(argv[2]);
    char *args[] = {argv[1], NULL};
    for (long i = 0; i < n; i++) {
        long long t0 = now();
        pid_t pid = fork();
        if (pid == 0) { execv(argv[1], args); _exit(127); }
        int status;
        if (pid < 0 || waitpid(pid, &status, 0) < 0) return 1;
        long long t1 = now();
        printf("%lld %d\n", t1 - t0, WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    }
    return 0;
}
C
gcc -O2 -o "$work/driver" "$work/driver.c"
gcc -O2 -o "$work/srbkernel" "$work/target.c"
cp "$work/srbkernel" "$work/srbuser"

start_daemon() { # config file
  "$SAKER" run -c "$1" -r embedded -r "$work/rules.yaml" > /dev/null 2> "$work/daemon.err" &
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

# median and p99 of the numbers on stdin (one a line), divided by $1.
stats() {
  sort -n | awk -v d="$1" '{a[NR]=$1} END {
    if (NR == 0) { printf "%10s %10s", "-", "-"; exit }
    m = a[int((NR + 1) / 2)]; p = a[int(NR * 0.99 + 0.999)]; if (p == "") p = a[NR];
    printf "%10.1f %10.1f", m / d, p / d }'
}

latency() {
  cat > "$work/rules.yaml" <<'YAML'
- rule: Bench kernel kill
  desc: decided in the kernel (a name)
  condition: spawned_process and proc.name = srbkernel
  output: bench (pid=%proc.pid)
  priority: WARNING
- rule: Bench user kill
  desc: decided in user space (the command line)
  condition: spawned_process and proc.name = srbuser and proc.cmdline contains srbuser
  output: bench (pid=%proc.pid)
  priority: WARNING
YAML
  cat > "$work/latency.yaml" <<YAML
json_output: true
buffered_outputs: false
stdout_output: {enabled: false}
syslog_output: {enabled: false}
webserver: {enabled: false}
file_output: {enabled: true, filename: $work/records.json}
response:
  allow_host: true
  rate_limit: {per_rule: 0, global: 0}
  actions:
    - match: {rule: [Bench kernel kill, Bench user kill]}
      do: kill_process
YAML
  : > "$work/records.json"
  start_daemon "$work/latency.yaml"
  printf '%-8s %6s %7s %10s %10s %10s %10s\n' kill tries missed signal_us p99 e2e_us p99
  for kind in kernel user; do
    "$work/driver" "$work/srb$kind" "$TRIES" > "$work/$kind.txt"
    # The records of this kind: wait until all are written.
    for _ in $(seq 300); do
      n=$(grep -c "\"proc.name\":\"srb$kind\"" "$work/records.json" || true)
      [ "$n" -ge "$(awk '$2 == 1' "$work/$kind.txt" | wc -l)" ] && break
      sleep 0.1
    done
    missed=$(awk '$2 != 1' "$work/$kind.txt" | wc -l)
    signal=$(grep "\"proc.name\":\"srb$kind\"" "$work/records.json" \
      | sed -n 's/.*"response.latency_us":\([0-9]*\).*/\1/p' | stats 1)
    e2e=$(awk '{print $1}' "$work/$kind.txt" | stats 1000)
    printf '%-8s %6s %7s %s %s\n' "$kind" "$TRIES" "$missed" "$signal" "$e2e"
  done
  stop_daemon
}

cost() {
  : > "$work/rules.yaml"
  cat > "$work/none.yaml" <<'YAML'
syslog_output: {enabled: false}
log_syslog: false
webserver: {enabled: false}
YAML
  cat > "$work/kernel.yaml" <<'YAML'
syslog_output: {enabled: false}
log_syslog: false
webserver: {enabled: false}
response:
  actions:
    - match: {rule: Launch Package Management Process in Container}
      do: kill_process
    - match: {rule: Bench ssh keys read}
      do: kill_process
YAML
  cat > "$work/rules.yaml" <<'YAML'
- rule: Bench ssh keys read
  desc: an open the kernel decides; never made by the workloads
  condition: open_read and container and fd.name startswith /etc/ssh/
  output: bench (pid=%proc.pid file=%fd.name)
  priority: WARNING
YAML
  cp "$work/rules.yaml" "$work/rules-etc.yaml"
  sed 's#/etc/ssh/#/tmp/saker-bench-elsewhere/#' "$work/rules-etc.yaml" > "$work/rules-tmp.yaml"
  for setup in none:rules-etc kernel:rules-etc kernel:rules-tmp; do
    config=${setup%%:*} rules=${setup##*:}
    echo "== responses: $config (rules: $rules)"
    "$SAKER" run -c "$work/$config.yaml" -r embedded -r "$work/$rules.yaml" --dry-run \
      | sed -n '/^Responses/,$p' | grep -v "^  Never\|^  Rate" || true
    SAKER_RUN_ARGS="-c $work/$config.yaml -r embedded -r $work/$rules.yaml" RUNS="$RUNS" \
      "$root/bench/run.sh" || true
  done
}

case "$part" in
  latency) latency ;;
  cost) cost ;;
  all) latency; cost ;;
  *) echo "usage: bench/response.sh [latency|cost|all]" >&2; exit 2 ;;
esac
