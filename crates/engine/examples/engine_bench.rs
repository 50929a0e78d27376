//! Evaluation speed of the compiled engine on the Falco corpus rules.
//!
//! Generates a mix of field-level events (deterministic), parses them up front (not timed),
//! then times evaluation alone on one thread. Prints `key=value` lines; bench/engine.sh runs it.
//!
//! ```text
//! cargo run --release -p saker-engine --example engine_bench -- [--events N] [--repeat N] [--baseline-events N] RULES...
//! ```

use std::hint::black_box;
use std::time::Instant;

use saker_engine::{Engine, EngineOptions, Event, JsonlEvent, RuleMatching, reference};
use saker_rules::{Source, files, load};

/// CPU time of this thread: on a shared machine wall time also counts other processes.
fn thread_cpu_s() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we pass and nothing else.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Wall and thread-CPU seconds of `f`.
fn timed<R>(f: impl FnOnce() -> R) -> (R, f64, f64) {
    let wall = Instant::now();
    let cpu = thread_cpu_s();
    let r = f();
    (r, wall.elapsed().as_secs_f64(), thread_cpu_s() - cpu)
}

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const PROCS: &[&str] = &[
    "nginx",
    "java",
    "python3",
    "node",
    "bash",
    "sh",
    "sshd",
    "curl",
    "cat",
    "vim",
    "apt-get",
    "dpkg",
    "postgres",
    "redis-server",
    "containerd",
    "kubelet",
    "runc",
    "ls",
    "grep",
    "find",
    "nc",
    "nmap",
    "systemd",
    "cron",
    "sudo",
    "top",
    "ps",
    "tar",
    "gzip",
    "python",
    "awk",
];
const PARENTS: &[&str] = &[
    "bash",
    "sh",
    "systemd",
    "containerd-shim",
    "sshd",
    "cron",
    "runc",
    "java",
    "node",
    "sudo",
];
const ANCESTORS: &[&str] = &[
    "systemd",
    "sshd",
    "bash",
    "containerd",
    "kubelet",
    "cron",
    "init",
];
const FILES: &[&str] = &[
    "/etc/passwd",
    "/etc/shadow",
    "/etc/hosts",
    "/etc/ld.so.cache",
    "/etc/nginx/nginx.conf",
    "/usr/lib/x86_64-linux-gnu/libc.so.6",
    "/usr/bin/python3",
    "/usr/local/bin/app",
    "/var/log/syslog",
    "/var/log/nginx/access.log",
    "/tmp/tmp.x1",
    "/proc/1/environ",
    "/proc/self/status",
    "/root/.bash_history",
    "/root/.ssh/authorized_keys",
    "/dev/null",
    "/home/user/.aws/credentials",
    "/var/lib/postgresql/data/base/1",
    "/sys/fs/cgroup/x",
    "/run/secrets/kubernetes.io/serviceaccount/token",
    "/dev/shm/x",
    "/bin/sh",
];
const IMAGES: &[&str] = &[
    "docker.io/library/nginx",
    "docker.io/library/redis",
    "quay.io/app/api",
    "registry.k8s.io/kube-proxy",
    "docker.io/library/alpine",
];
const FLAGS: &[&str] = &[
    "O_RDONLY|O_CLOEXEC",
    "O_WRONLY|O_CREAT|O_TRUNC",
    "O_RDWR",
    "O_WRONLY|O_APPEND|O_CREAT",
];
const IPS: &[&str] = &[
    "10.96.0.1",
    "10.0.3.7",
    "172.17.0.2",
    "8.8.8.8",
    "192.168.1.10",
];

/// Event types weighted roughly like a busy node's captured set (no read/write: no rule
/// needs them, so the kernel-side filter never sends them).
const TYPES: &[(&str, u32)] = &[
    ("openat", 35),
    ("open", 5),
    ("close", 10),
    ("execve", 8),
    ("connect", 8),
    ("accept4", 4),
    ("socket", 4),
    ("sendto", 4),
    ("clone", 5),
    ("dup2", 2),
    ("unlinkat", 3),
    ("renameat2", 2),
    ("fchmodat", 2),
    ("setns", 1),
    ("ptrace", 1),
    ("mmap", 4),
    ("bind", 1),
    ("symlinkat", 1),
];

fn event_json(rng: &mut Rng, seq: u64) -> String {
    let total: u32 = TYPES.iter().map(|(_, w)| w).sum();
    let mut roll = (rng.next() % u64::from(total)) as u32;
    let mut ty = TYPES[0].0;
    for (name, weight) in TYPES {
        if roll < *weight {
            ty = name;
            break;
        }
        roll -= weight;
    }
    let name = rng.pick(PROCS);
    let in_container = rng.chance(40);
    let mut fields = serde_json::Map::new();
    let mut put = |k: &str, v: serde_json::Value| {
        fields.insert(k.to_string(), v);
    };
    put("evt.type", ty.into());
    put("evt.time", (1_700_000_000_000_000_000u64 + seq).into());
    put("evt.num", seq.into());
    put("proc.name", name.into());
    put("proc.exe", format!("/usr/bin/{name}").into());
    put("proc.exepath", format!("/usr/bin/{name}").into());
    put("proc.args", "-c x".into());
    put("proc.cmdline", format!("{name} -c x").into());
    put("proc.pname", rng.pick(PARENTS).into());
    put("proc.pcmdline", "bash".into());
    put("proc.pexe", "/bin/bash".into());
    put("proc.sname", "bash".into());
    put("proc.pid", (1000 + rng.below(30000)).into());
    put("proc.vpid", (1 + rng.below(100)).into());
    put("proc.tty", if rng.chance(10) { 34816 } else { 0 }.into());
    put("proc.cwd", "/".into());
    for i in 2..=7 {
        put(&format!("proc.aname[{i}]"), rng.pick(ANCESTORS).into());
    }
    let uid = if rng.chance(60) { 0 } else { 1000 };
    put("user.uid", uid.into());
    put("user.name", if uid == 0 { "root" } else { "user" }.into());
    put(
        "user.loginuid",
        if rng.chance(50) { -1 } else { 1000 }.into(),
    );
    put("group.gid", uid.into());
    if in_container {
        put("container.id", "01a09577e624".into());
        put("container.image.repository", rng.pick(IMAGES).into());
        put("container.privileged", rng.chance(5).into());
        put("k8s.ns.name", "default".into());
    } else {
        put("container.id", "host".into());
    }
    match ty {
        "openat" | "open" => {
            let path = rng.pick(FILES);
            let flags = rng.pick(FLAGS);
            put("fd.name", path.into());
            let (dir, file) = path.rsplit_once('/').unwrap_or(("/", path));
            put(
                "fd.directory",
                if dir.is_empty() { "/" } else { dir }.into(),
            );
            put("fd.filename", file.into());
            put("fd.typechar", "f".into());
            put("fd.type", "file".into());
            put("fd.num", 3.into());
            put("evt.rawres", 3.into());
            put("evt.res", "SUCCESS".into());
            put("evt.arg.flags", flags.into());
            put("evt.is_open_read", (!flags.starts_with("O_WRONLY")).into());
            put("evt.is_open_write", (!flags.starts_with("O_RDONLY")).into());
        }
        "connect" | "accept4" | "sendto" | "bind" => {
            let sip = rng.pick(IPS);
            put("fd.sip", sip.into());
            put("fd.rip", sip.into());
            put("fd.cip", "172.17.0.2".into());
            put("fd.sport", [443, 80, 6443, 5432, 53][rng.below(5)].into());
            put("fd.rport", 443.into());
            put("fd.lport", 40000.into());
            put("fd.l4proto", "tcp".into());
            put("fd.typechar", "4".into());
            put("fd.type", "ipv4".into());
            put("fd.name", format!("172.17.0.2:40000->{sip}:443").into());
            put("evt.rawres", 0.into());
        }
        _ => {
            put("evt.rawres", 0.into());
            put("fs.path.name", rng.pick(FILES).into());
        }
    }
    serde_json::Value::Object(fields).to_string()
}

/// Counts the field lookups evaluation makes.
struct CountingEvent<'a> {
    inner: &'a JsonlEvent,
    lookups: std::cell::Cell<usize>,
}

impl Event for CountingEvent<'_> {
    fn source(&self) -> Source {
        self.inner.source()
    }
    fn event_type(&self) -> saker_engine::EventTypeId {
        self.inner.event_type()
    }
    fn time_ns(&self) -> u64 {
        self.inner.time_ns()
    }
    fn value(&self, field: &saker_engine::FieldRef) -> Option<saker_engine::Value<'_>> {
        self.lookups.set(self.lookups.get() + 1);
        self.inner.value(field)
    }
    fn str_value(&self, field: &saker_engine::FieldRef) -> Option<&str> {
        self.lookups.set(self.lookups.get() + 1);
        self.inner.str_value(field)
    }
    fn int_value(&self, field: &saker_engine::FieldRef) -> Option<i64> {
        self.lookups.set(self.lookups.get() + 1);
        self.inner.int_value(field)
    }
}

/// One timed evaluation pass over `events` (first-match); kept out of line so that
/// `valgrind --tool=callgrind --toggle-collect='*eval_pass*'` counts exactly this.
#[inline(never)]
fn eval_pass(engine: &Engine, events: &[JsonlEvent]) -> usize {
    events
        .iter()
        .map(|event| engine.evaluate(black_box(event), |_| {}))
        .sum()
}

/// Best-of-`repeat` wall and CPU seconds of `f` (the first pass also warms caches).
fn best_of<R>(repeat: usize, mut f: impl FnMut() -> R) -> (R, f64, f64) {
    let (mut result, mut best_wall, mut best_cpu) = timed(&mut f);
    for _ in 1..repeat {
        let (r, wall, cpu) = timed(&mut f);
        result = r;
        best_wall = best_wall.min(wall);
        best_cpu = best_cpu.min(cpu);
    }
    (result, best_wall, best_cpu)
}

fn parse_arg(args: &mut impl Iterator<Item = String>, name: &str) -> usize {
    args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        eprintln!("engine_bench: {name} needs a number");
        std::process::exit(2)
    })
}

/// Each syscall rule compiled alone: its CPU time and field lookups over `events` (events
/// are parsed for the full engine, so slots differ: re-parse them for each rule's engine).
fn print_per_rule(ruleset: &saker_rules::RuleSet, events: &[JsonlEvent]) {
    let _ = events;
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let lines: Vec<String> = (0..events.len() as u64)
        .map(|seq| event_json(&mut rng, seq))
        .collect();
    let mut rows = Vec::new();
    for rule in ruleset
        .rules
        .iter()
        .filter(|r| r.enabled && r.source == Source::Syscall)
    {
        let single = saker_rules::RuleSet {
            rules: vec![rule.clone()],
            ..saker_rules::RuleSet::default()
        };
        let engine = Engine::new(&single, EngineOptions::default()).expect("rule compiles");
        let parsed: Vec<JsonlEvent> = lines
            .iter()
            .map(|l| JsonlEvent::parse(l, &engine).expect("parses"))
            .collect();
        let (_, _, cpu) = best_of(3, || eval_pass(&engine, &parsed));
        let (met, lookups) = parsed.iter().fold((0, 0), |(met, lookups), e| {
            let counting = CountingEvent {
                inner: e,
                lookups: std::cell::Cell::new(0),
            };
            engine.evaluate(&counting, |_| {});
            (
                met + engine.candidate_count(e),
                lookups + counting.lookups.get(),
            )
        });
        rows.push((cpu, met, lookups, rule.name.clone()));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let n = events.len() as f64;
    for (cpu, met, lookups, name) in rows {
        println!(
            "{:8.1} ns/event  met={:5.3}  lookups/event={:5.2}  {name}",
            cpu * 1e9 / n,
            met as f64 / n,
            lookups as f64 / n
        );
    }
}

fn main() {
    let mut n_events = 1_000_000usize;
    let mut baseline_events = 50_000usize;
    let mut resident_events = 2_000usize;
    let mut repeat = 3usize;
    let mut eval_only = false;
    let mut per_rule = false;
    let mut compact = true;
    let mut rules = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--events" => n_events = parse_arg(&mut args, "--events"),
            "--baseline-events" => baseline_events = parse_arg(&mut args, "--baseline-events"),
            "--resident-events" => resident_events = parse_arg(&mut args, "--resident-events"),
            "--repeat" => repeat = parse_arg(&mut args, "--repeat").max(1),
            // Only what callgrind needs: load, generate, one evaluation pass.
            "--eval-only" => eval_only = true,
            // Which rules cost the most: each syscall rule alone, timed and counted.
            "--per-rule" => per_rule = true,
            "--no-compact" => compact = false,
            _ => rules.push(arg),
        }
    }
    if rules.is_empty() {
        eprintln!(
            "usage: engine_bench [--events N] [--repeat N] [--baseline-events N] \
             [--resident-events N] [--eval-only] [--per-rule] [--no-compact] RULES_FILE..."
        );
        std::process::exit(2);
    }

    // Load and compile, split into reading the files, the rules crate's load (YAML, macros,
    // lists, checking) and the engine's compile; best of `repeat`, CPU time beside wall time.
    let load_repeat = if eval_only { 1 } else { repeat.max(5) };
    // The first load in a fresh process (cold caches, a growing heap) is what a user waits
    // for; the best of several shows the steady cost.
    let (_, cold_wall, cold_cpu) = timed(|| {
        let sources = files::read_paths(&rules).unwrap_or_else(|e| {
            eprintln!("engine_bench: {e}");
            std::process::exit(2)
        });
        let (ruleset, _) = load(&sources);
        Engine::new(&ruleset, EngineOptions::default()).expect("rules compile")
    });
    let (sources, read_wall, _) = best_of(load_repeat, || {
        files::read_paths(&rules).unwrap_or_else(|e| {
            eprintln!("engine_bench: {e}");
            std::process::exit(2)
        })
    });
    let ((ruleset, diagnostics), load_wall, load_cpu) = best_of(load_repeat, || load(&sources));
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let (engine, compile_wall, compile_cpu) = best_of(load_repeat, || {
        Engine::new(&ruleset, EngineOptions::default()).expect("rules compile")
    });

    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let started = Instant::now();
    let events: Vec<JsonlEvent> = (0..n_events as u64)
        .map(|seq| {
            JsonlEvent::parse(&event_json(&mut rng, seq), &engine).expect("generated event parses")
        })
        .collect();
    let parse_s = started.elapsed().as_secs_f64();
    // Parsing leaves each event's buffers scattered among the parser's freed temporaries;
    // copy the events once so that consecutive events sit next to each other in memory, as
    // they do in a capture buffer. (`--no-compact` keeps them scattered.)
    let events = if compact {
        let compacted = events.clone();
        drop(events);
        compacted
    } else {
        events
    };

    if per_rule {
        print_per_rule(&ruleset, &events);
        return;
    }
    if eval_only {
        let matches = eval_pass(&engine, &events);
        println!("events={n_events} matching_events={matches}");
        return;
    }

    let syscall_rules = engine.source_rule_count(Source::Syscall);
    let lookups: usize = events
        .iter()
        .map(|e| {
            let counting = CountingEvent {
                inner: e,
                lookups: std::cell::Cell::new(0),
            };
            engine.evaluate(&counting, |_| {});
            counting.lookups.get()
        })
        .sum();
    let candidates: usize = events.iter().map(|e| engine.candidate_count(e)).sum();

    // Evaluation alone: events/s from thread CPU time, wall time printed beside it.
    let (matches, eval_wall, eval_s) = best_of(repeat, || eval_pass(&engine, &events));

    // The same events' first `resident_events`, evaluated over and over: what evaluation
    // costs when events are in cache (a live event comes fresh from the capture buffer),
    // as opposed to streaming 1M distinct events from memory.
    let resident = &events[..resident_events.min(events.len())];
    let rounds = (n_events / resident.len().max(1)).max(1);
    let (_, _, resident_s) = best_of(repeat, || {
        (0..rounds)
            .map(|_| eval_pass(&engine, resident))
            .sum::<usize>()
    });
    let resident_n = resident.len() * rounds;

    let all_engine = Engine::new(
        &ruleset,
        EngineOptions {
            rule_matching: RuleMatching::All,
            ..EngineOptions::default()
        },
    )
    .expect("rules compile");
    let (all_matches, _, all_eval_s) = timed(|| {
        events
            .iter()
            .map(|event| all_engine.evaluate(black_box(event), |_| {}))
            .sum::<usize>()
    });

    // Baseline: the plain interpreter walking every syscall rule's filter, no index.
    let filters: Vec<_> = ruleset
        .rules
        .iter()
        .filter(|r| r.enabled && r.source == Source::Syscall)
        .map(|r| &r.filter)
        .collect();
    let baseline_n = baseline_events.min(events.len()).max(1);
    let (baseline_matches, _, baseline_s) = timed(|| {
        events[..baseline_n]
            .iter()
            .filter(|event| {
                filters.iter().any(|f| {
                    reference::interpret(
                        f,
                        black_box(*event as &dyn Event),
                        engine.fields(),
                        engine.domain_names(),
                    )
                })
            })
            .count()
    });
    let first_n = events[..baseline_n]
        .iter()
        .filter(|e| engine.evaluate(*e, |_| {}) > 0)
        .count();
    assert_eq!(
        first_n, baseline_matches,
        "compiled engine and interpreter disagree on the number of matching events"
    );

    // How fast this core runs right now (shared machines vary by 2x and more): a dependent
    // multiply-add chain takes 4 cycles per step, ~1.3 ns on an idle 3 GHz core.
    let (_, _, calibration_s) = timed(|| {
        let mut x = 1u64;
        for _ in 0..20_000_000u32 {
            x = black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
        }
        x
    });

    let eps = n_events as f64 / eval_s;
    let baseline_eps = baseline_n as f64 / baseline_s;
    println!("rules_files={}", rules.join(","));
    println!(
        "rules_loaded={} syscall_rules={syscall_rules} load_errors={errors}",
        ruleset.rules.len()
    );
    println!(
        "load_compile_first_ms={:.1} (cpu {:.1})",
        cold_wall * 1e3,
        cold_cpu * 1e3
    );
    println!(
        "load_compile_ms={:.1} (cpu {:.1}; best of {load_repeat}: read_files_ms={:.1} rules_load_ms={:.1} (cpu {:.1}) engine_compile_ms={:.1} (cpu {:.1}))",
        (read_wall + load_wall + compile_wall) * 1e3,
        (load_cpu + compile_cpu) * 1e3 + read_wall * 1e3,
        read_wall * 1e3,
        load_wall * 1e3,
        load_cpu * 1e3,
        compile_wall * 1e3,
        compile_cpu * 1e3,
    );
    println!(
        "calibration_muladd_ns={:.2} (idle 3 GHz core: ~1.3)",
        calibration_s * 1e9 / 20_000_000.0
    );
    println!("fields_used={}", engine.fields().len());
    println!(
        "events={n_events} parse_s={parse_s:.2} (not counted) layout={}",
        if compact { "compacted" } else { "as-parsed" }
    );
    println!(
        "first_match: cpu_s={eval_s:.3} wall_s={eval_wall:.3} events_per_s={eps:.0} ns_per_event={:.1} matching_events={matches}",
        eval_s * 1e9 / n_events as f64
    );
    println!(
        "first_match_cache_resident: events={} x{rounds} events_per_s={:.0} ns_per_event={:.1}",
        resident.len(),
        resident_n as f64 / resident_s,
        resident_s * 1e9 / resident_n as f64
    );
    println!(
        "all_match: cpu_s={all_eval_s:.3} events_per_s={:.0} ns_per_event={:.1} matches={all_matches}",
        n_events as f64 / all_eval_s,
        all_eval_s * 1e9 / n_events as f64
    );
    println!(
        "field_lookups_per_event={:.1}",
        lookups as f64 / n_events as f64
    );
    let avg_candidates = candidates as f64 / n_events as f64;
    println!(
        "rules_met_per_event={avg_candidates:.2} of {syscall_rules} ({:.1}%)",
        100.0 * avg_candidates / syscall_rules.max(1) as f64
    );
    println!(
        "baseline_interpreter_no_index: events={baseline_n} events_per_s={baseline_eps:.0} ns_per_event={:.1}",
        baseline_s * 1e9 / baseline_n as f64
    );
    println!("speedup_vs_baseline={:.1}x", eps / baseline_eps);
}
