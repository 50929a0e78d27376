#!/usr/bin/env bash
# Can slow clients hold Saker's web server? Starts `saker run --disable-source syscall` (no
# capture, no root needed) and attacks its port the two ways issue 14 found:
#   slowloris  N connections that send part of a request's headers and then wait;
#   bigbody    C clients that declare a 12 MB body, send 11 MB of it, and then wait.
# Every second it samples the connections the server holds (saker_webserver_connections_open)
# and its RSS, and prints them with the CPU time it used; /healthz is timed alongside.
#
#   bench/webserver-limits.sh                      # N=500 C=30, default limits
#   N=2000 C=60 HOLD=40 bench/webserver-limits.sh
#   EXTRA="-o webserver.header_timeout_ms=3000" bench/webserver-limits.sh
#   PROFILE=debug N=50 C=5 HOLD=5 bench/webserver-limits.sh   # smoke test
#   SAKER_BIN=/path/to/other/saker bench/webserver-limits.sh    # compare another build
#
# Columns: seconds since the attack started, connections open (the server's metric, and the
# established TCP connections on its port), RSS (MB), CPU seconds of the server so far,
# /healthz answer time (ms, or "-" when it did not answer within 2 s).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
N="${N:-500}"
C="${C:-30}"
HOLD="${HOLD:-45}"
EXTRA="${EXTRA:-}"
PROFILE="${PROFILE:-release}"   # PROFILE=debug for a quick smoke test
if [ -n "${SAKER_BIN:-}" ]; then   # another build to compare with, e.g. main's
  saker="$SAKER_BIN"
else
  (cd "$root" && cargo build -q --profile "${PROFILE/debug/dev}" -p saker)
  saker="$target/$PROFILE/saker"
fi
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true

start_saker() {
  # shellcheck disable=SC2086
  "$saker" run --disable-source syscall -o webserver.listen_port="$port" \
    -o syslog_output.enabled=false -o log_syslog=false -o stdout_output.enabled=false \
    $EXTRA 2>"$work/saker.log" &
  pid=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "saker did not start:"; cat "$work/saker.log"; exit 1
}

sample() { # seconds-since-start
  local open estab rss cpu t0 health
  open="$(curl -s -m 2 "http://127.0.0.1:$port/metrics" | awk '/^saker_webserver_connections_open /{print $2}')"
  # Seen from the kernel too, for a build without that metric.
  estab="$(ss -Htn state established "( sport = :$port )" | wc -l)"
  rss="$(awk '/^VmRSS/{printf "%.1f", $2/1024}' "/proc/$pid/status")"
  cpu="$(awk '{printf "%.2f", ($14+$15)/100}' "/proc/$pid/stat")"
  t0="$(date +%s%N)"
  if curl -sf -m 2 "http://127.0.0.1:$port/healthz" >/dev/null; then
    health="$(( ($(date +%s%N) - t0) / 1000000 ))"
  else
    health="-"
  fi
  printf '%5s %8s %8s %8s %8s %8s\n' "$1" "${open:--}" "$estab" "$rss" "$cpu" "$health"
}

attack() { # kind count
  python3 - "$1" "$2" "$port" "$HOLD" <<'EOF' &
import socket, sys, time
kind, count, port, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
socks = []
for _ in range(count):
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port))
        if kind == "slowloris":
            s.sendall(b"POST /k8s-audit HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        else:
            s.sendall(b"POST /k8s-audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 12582912\r\n\r\n")
            s.settimeout(30)
            chunk = b" " * 65536
            for _ in range(11 * 16):
                s.sendall(chunk)
        socks.append(s)
    except OSError:
        s.close()
time.sleep(hold)
EOF
  attacker=$!
}

run() { # kind count
  start_saker
  printf '\n== %s: %s clients (%s)\n' "$1" "$2" "${EXTRA:-default limits}"
  printf '%5s %8s %8s %8s %8s %8s\n' t_s conns tcp_est rss_mb cpu_s health_ms
  sample idle
  attack "$1" "$2"
  for t in $(seq 1 "$HOLD"); do
    sleep 1
    sample "$t"
  done
  wait "$attacker" 2>/dev/null || true
  sleep 2
  sample after
  curl -s "http://127.0.0.1:$port/metrics" | grep -E '^saker_webserver_(connections_total|timeouts_total|busy_total)' || true
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

run slowloris "$N"
run bigbody "$C"
