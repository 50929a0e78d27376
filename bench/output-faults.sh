#!/usr/bin/env bash
# Alerts raised vs delivered vs dropped, per channel, while the receivers fail (issue 14).
# Starts `saker run --disable-source syscall` with every output channel on, each to a real
# receiver run here, posts k8s audit events at a steady rate (each one raises alerts), and
# breaks the receivers mid-stream:
#   stdout   a FIFO whose reader is killed, then started again
#   syslog   a datagram socket whose "daemon" exits, then binds again
#   file     a 1 MB tmpfs that fills up, then gets room again (root; else the file is on /tmp)
#   program  `while read` into a file, killed with SIGKILL (Saker restarts it)
#   http     a collector that is down for DOWN seconds, then back on its port
# Once every receiver is back (and 5 s more), SIGTERM; then it prints Saker's per-channel
# exit summary next to what each receiver actually got: delivered must equal received, and
# raised = delivered + dropped.
#
#   bench/output-faults.sh                   # EVENTS=400 at RATE=20/s, DOWN=20 s
#   EVENTS=2000 RATE=200 DOWN=5 bench/output-faults.sh
#   PROFILE=debug EVENTS=60 RATE=20 DOWN=1 bench/output-faults.sh   # smoke test
#   SAKER_BIN=/path/to/other/saker bench/output-faults.sh           # compare another build
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
PROFILE="${PROFILE:-release}"
if [ -n "${SAKER_BIN:-}" ]; then   # another build to compare with, e.g. main's
  export SAKER="$SAKER_BIN"
else
  (cd "$root" && cargo build -q --profile "${PROFILE/debug/dev}" -p saker)
  export SAKER="$target/$PROFILE/saker"
fi
export EVENTS="${EVENTS:-400}" RATE="${RATE:-20}" DOWN="${DOWN:-20}"
exec python3 - <<'EOF'
import atexit, http.server, json, os, shutil, signal, socket, socketserver, subprocess, sys, tempfile, threading, time

saker, events, rate, down = os.environ["SAKER"], int(os.environ["EVENTS"]), float(os.environ["RATE"]), float(os.environ["DOWN"])
work = tempfile.mkdtemp(prefix="saker-faults-")
def path(name): return os.path.join(work, name)
def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

# --- receivers -------------------------------------------------------------------------
received = {"stdout": [], "syslog": [], "http": []}

fifo = path("stdout.fifo"); os.mkfifo(fifo)
def fifo_reader():
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    stop = threading.Event()
    def run():
        line = b""
        while True:
            try:
                b = os.read(fd, 1)
            except BlockingIOError:
                b = None
            if b:
                if b == b"\n":
                    received["stdout"].append(line.decode(errors="replace")); line = b""
                else:
                    line += b
            elif stop.is_set():
                os.close(fd); return
            else:
                time.sleep(0.002)
    t = threading.Thread(target=run, daemon=True); t.start()
    return stop, t
stdout_reader = fifo_reader()

syslog_path = path("log")
def syslog_daemon():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(syslog_path)
    def run():
        while True:
            try:
                data = s.recv(65536)
            except OSError:
                return
            if not data:
                return
            message = data.decode(errors="replace")
            received["syslog"].append(message[message.find("{"):] if "{" in message else message)
    threading.Thread(target=run, daemon=True).start()
    return s
syslog = syslog_daemon()

disk = path("disk"); os.mkdir(disk)
on_tmpfs = os.geteuid() == 0 and subprocess.call(["mount", "-t", "tmpfs", "-o", "size=1m", "saker-bench", disk]) == 0
alert_file = os.path.join(disk, "alerts.json")
def clean_up():
    if on_tmpfs:
        subprocess.call(["umount", disk])
    shutil.rmtree(work, ignore_errors=True)
atexit.register(clean_up)

program_out = path("program.out")
marker = f"saker-bench-{os.getpid()}"
program = f"while read -r l; do printf '%s\\n' \"$l\" >> '{program_out}'; done # {marker}"

http_port = port()
collector_down = threading.Event()
class Collector(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if collector_down.is_set():
            # Down: kept-alive connections die too, without an answer.
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        received["http"].append(body.decode())
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    allow_reuse_address = True; daemon_threads = True
def collector():
    s = Server(("127.0.0.1", http_port), Collector)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    return s
http_server = collector()

# --- saker -------------------------------------------------------------------------------
web_port = port()
rules = path("rules.yaml")
open(rules, "w").write("- rule: Bench Namespace\n  desc: every namespace\n  condition: ka.target.resource = namespaces and ka.verb = create\n  output: bench namespace %ka.target.name\n  priority: NOTICE\n  source: k8s_audit\n")
args = [saker, "run", "--disable-source", "syscall", "-r", rules, "--json",
        "-o", f"webserver.listen_port={web_port}",
        "-o", "syslog_output.enabled=true", "-o", f"syslog_output.socket={syslog_path}", "-o", "log_syslog=false",
        "-o", "file_output.enabled=true", "-o", "file_output.keep_alive=true", "-o", f"file_output.filename={alert_file}",
        "-o", "program_output.enabled=true", "-o", "program_output.keep_alive=true", "-o", f"program_output.program={program}",
        "-o", "http_output.enabled=true", "-o", f"http_output.url=http://127.0.0.1:{http_port}/",
        "-o", "http_output.max_retries=3"]
fifo_w = os.open(fifo, os.O_WRONLY)
proc = subprocess.Popen(args, stdout=fifo_w, stderr=subprocess.PIPE, text=True)
os.close(fifo_w)
log = []
threading.Thread(target=lambda: [log.append(l) for l in proc.stderr], daemon=True).start()
for _ in range(400):
    try:
        socket.create_connection(("127.0.0.1", web_port), timeout=0.2).close(); break
    except OSError:
        if proc.poll() is not None:
            time.sleep(0.2); sys.exit("saker run ended:\n" + "".join(log))
        time.sleep(0.05)

def post(i):
    event = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "auditID": str(i), "stage": "ResponseComplete",
             "verb": "create", "user": {"username": "bench"}, "objectRef": {"resource": "namespaces", "name": f"ns-{i}"},
             "responseStatus": {"code": 201}, "stageTimestamp": "2026-11-28T10:00:00.000000Z"}
    body = json.dumps(event).encode()
    s = socket.create_connection(("127.0.0.1", web_port))
    s.sendall(b"POST /k8s-audit HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    while s.recv(4096): pass
    s.close()

# --- the faults, at a quarter of the run -----------------------------------------------------
def faults():
    global stdout_reader, syslog, http_server
    time.sleep(events / rate / 4)
    stop, t = stdout_reader; stop.set(); t.join()
    syslog.close(); os.unlink(syslog_path)
    collector_down.set(); http_server.shutdown(); http_server.server_close()
    if on_tmpfs:
        fd = os.open(os.path.join(disk, "filler"), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True: os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        os.close(fd)
    # The program: a child of saker (whose own command line names the marker too).
    for pid in subprocess.run(["pgrep", "-P", str(proc.pid), "-f", marker], capture_output=True, text=True).stdout.split():
        try: os.kill(int(pid), signal.SIGKILL)
        except ProcessLookupError: pass
    time.sleep(down)
    stdout_reader = fifo_reader()
    syslog = syslog_daemon()
    collector_down.clear(); http_server = collector()
    if on_tmpfs:
        os.unlink(os.path.join(disk, "filler"))
breaker = threading.Thread(target=faults, daemon=True)
breaker.start()

start = time.time()
for i in range(events):
    try:
        post(i)
    except OSError as e:
        time.sleep(0.5)
        sys.exit(f"posting event {i}: {e}; saker run: {proc.poll()}\n" + "".join(log))
    time.sleep(max(0, start + (i + 1) / rate - time.time()))
# Every receiver is back before the end: what a channel held for it can still arrive.
breaker.join()
time.sleep(5)
proc.send_signal(signal.SIGTERM)
proc.wait(timeout=60)
time.sleep(0.5)
stop, t = stdout_reader; stop.set(); t.join()

def lines(p):
    try: return [l for l in open(p, errors="replace").read().splitlines() if l]
    except FileNotFoundError: return []
got = {"stdout": [l[l.find('{"hostname"'):] for l in received["stdout"] if '{"hostname"' in l],
       "syslog": received["syslog"], "file": lines(alert_file), "program": lines(program_out), "http": received["http"]}
whole = lambda ls: sum(1 for l in ls if l.startswith("{") and l.endswith("}"))
raised = next((int(l.split(": ")[1]) for l in log if l.startswith("Alerts: ")), None)
print(f"events posted {events} at {rate}/s, receivers down {down} s from t={events / rate / 4:.0f} s"
      f"{'' if on_tmpfs else ' (file: no tmpfs, not root: no full disk)'}; alerts raised: {raised}")
print(f"{'channel':8} {'received':>8} {'whole':>6}  summary")
for channel in ["stdout", "syslog", "file", "program", "http"]:
    summary = next((l.strip() for l in log if l.startswith(f"Output {channel}:")), "?")
    print(f"{channel:8} {len(got[channel]):>8} {whole(got[channel]):>6}  {summary}")
EOF
