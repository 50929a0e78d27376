//! Measures what each way of hooking syscalls costs a workload (bench/bpf-dispatch.sh runs it).
//!
//!     dispatch_bench run VARIANT RUNS -- CMD ARGS...   run CMD RUNS times natively and RUNS
//!                                                      times under VARIANT, alternating; print
//!                                                      the minimum wall and CPU times
//!     dispatch_bench open-loop N FILE                  open/read/close FILE N times
//!     dispatch_bench fork-exec N                       fork+exec /bin/true N times
//!     dispatch_bench btf-parse                         parse the kernel's BTF once, as aya
//!                                                      does before loading any object (the
//!                                                      floor of an eBPF tracer's start-up)
//!     dispatch_bench raw-tp-attach                     attach an empty raw_tp program to
//!                                                      sys_exit and exit (the floor of a
//!                                                      start-up without BTF: trace -c --ebpf)
//!
//! VARIANT: none, empty-btf, execve-tp, per-syscall, per-syscall-wake-each, per-syscall-filtered,
//! tp_btf, tp_btf-enter, raw_tp, raw_tp-enter, raw_syscalls, raw_syscalls-enter, count,
//! count-untimed, empty-btf-exit, empty-raw-exit.

use std::collections::BTreeSet;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use aya::programs::{BtfTracePoint, TracePoint};
use aya::{Btf, Ebpf};
use saker_bpf::{
    Capture, CaptureConfig, CounterConfig, DispatchMode, STATE_SYSCALLS, SyscallCounter, Timing,
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") if args.len() >= 5 && args[3] == "--" => {
            run(&args[1], args[2].parse().unwrap_or(1), &args[4..])
        }
        Some("open-loop") if args.len() == 3 => open_loop(args[1].parse().unwrap_or(0), &args[2]),
        Some("fork-exec") if args.len() == 2 => fork_exec(args[1].parse().unwrap_or(0)),
        Some("btf-parse") => Btf::from_sys_fs()
            .map(|_| ())
            .map_err(|e| format!("kernel BTF: {e}")),
        Some("raw-tp-attach") => saker_bpf::bench_empty_raw_tracepoint("sys_exit")
            .map(drop)
            .map_err(|e| e.to_string()),
        _ => Err(
            "usage: dispatch_bench run VARIANT RUNS -- CMD... | open-loop N FILE | fork-exec N \
             | btf-parse | raw-tp-attach"
                .to_string(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dispatch_bench: {e}");
            ExitCode::from(2)
        }
    }
}

/// What a typical default ruleset needs: state tracking plus the alerting syscalls, not
/// read/write.
fn rules_syscalls() -> BTreeSet<i64> {
    let mut set: BTreeSet<i64> = STATE_SYSCALLS.iter().copied().collect();
    set.extend(
        saker_bpf::CAPTURED_SYSCALLS
            .iter()
            .filter(|c| !matches!(c.name, "read" | "write" | "pread64" | "pwrite64"))
            .map(|c| c.nr),
    );
    set
}

/// What `saker run`'s open filter sends the kernel for the default rules
/// (saker_source::open_filter::plan of crates/engine/rules/saker_rules.yaml, less the entries
/// that `all_paths` decides already): writes everywhere, reads of the sensitive files and
/// below /proc.
fn default_rules_keep() -> saker_bpf::KeepOpens {
    use saker_bpf::raw::{OPEN_CLASS_READ, OPEN_CLASS_WRITE};
    let reads = [
        "/etc/shadow\0",
        "/etc/shadow-\0",
        "/etc/gshadow\0",
        "/etc/gshadow-\0",
        "/etc/sudoers\0",
        "/etc/pam.conf\0",
        "/etc/security/opasswd\0",
        "/etc/master.passwd\0",
        "/etc/sudoers.d/",
        "/etc/pam.d/",
        "/proc/",
    ];
    saker_bpf::KeepOpens {
        all_paths: OPEN_CLASS_WRITE,
        paths: reads
            .iter()
            .map(|p| (p.as_bytes().to_vec(), OPEN_CLASS_READ))
            .collect(),
    }
}

enum Attached {
    None,
    Raw(#[allow(dead_code)] Box<Ebpf>),
    Capture(Box<Capture>),
    Counter(Box<SyscallCounter>),
    Link(#[allow(dead_code)] std::os::fd::OwnedFd),
    Links(#[allow(dead_code)] Vec<std::os::fd::OwnedFd>),
}

fn attach(variant: &str) -> Result<Attached, String> {
    let capture = |mode, timed| {
        let config = CaptureConfig {
            mode,
            timed,
            syscalls: rules_syscalls(),
            ..CaptureConfig::default()
        };
        Capture::start(&config)
            .map(|c| Attached::Capture(Box::new(c)))
            .map_err(|e| chain(&e))
    };
    match variant {
        "none" => Ok(Attached::None),
        "per-syscall" => capture(DispatchMode::PerSyscallTracepoints, false),
        "per-syscall-filtered" => {
            let mut attached = capture(DispatchMode::PerSyscallTracepoints, false)?;
            if let Attached::Capture(c) = &mut attached {
                c.set_open_filter(Some(&default_rules_keep()))
                    .map_err(|e| chain(&e))?;
            }
            Ok(attached)
        }
        "per-syscall-wake-each" => {
            // Wake the reader on every record: shows whether drops come from late wakeups.
            let config = CaptureConfig {
                syscalls: rules_syscalls(),
                wakeup_bytes: 0,
                ..CaptureConfig::default()
            };
            Capture::start(&config)
                .map(|c| Attached::Capture(Box::new(c)))
                .map_err(|e| chain(&e))
        }
        "tp_btf" => capture(DispatchMode::TpBtf, false),
        "tp_btf-enter" => capture(DispatchMode::TpBtf, true),
        "raw_tp" => capture(DispatchMode::RawTracepoint, false),
        "raw_tp-enter" => capture(DispatchMode::RawTracepoint, true),
        "raw_syscalls" => capture(DispatchMode::RawSyscallsTracepoint, false),
        "raw_syscalls-enter" => capture(DispatchMode::RawSyscallsTracepoint, true),
        "count" | "count-untimed" | "count-systime" => SyscallCounter::start_with(
            &[],
            &CounterConfig {
                follow_forks: true,
                timing: match variant {
                    "count" => Timing::WallClock,
                    "count-systime" => Timing::SystemTime,
                    _ => Timing::Untimed,
                },
            },
        )
        .map(|c| Attached::Counter(Box::new(c)))
        .map_err(|e| e.to_string()),
        // The floor of the counter since it runs raw_tp programs: untimed counting is one
        // program on sys_exit.
        "empty-raw-exit" => saker_bpf::bench_empty_raw_tracepoint("sys_exit")
            .map(Attached::Link)
            .map_err(|e| e.to_string()),
        // The floor of timed counting: a raw_tp program on sys_enter too.
        "empty-raw-pair" => ["sys_enter", "sys_exit"]
            .into_iter()
            .map(saker_bpf::bench_empty_raw_tracepoint)
            .collect::<Result<Vec<_>, _>>()
            .map(Attached::Links)
            .map_err(|e| e.to_string()),
        "empty-btf" | "empty-btf-exit" | "execve-tp" => {
            let mut ebpf = aya::EbpfLoader::new()
                .allow_unsupported_maps()
                .load(saker_bpf::capture_object())
                .map_err(|e| e.to_string())?;
            if variant.starts_with("empty-btf") {
                let btf = Btf::from_sys_fs().map_err(|e| e.to_string())?;
                let programs: &[(&str, &str)] = if variant == "empty-btf" {
                    &[
                        ("bench_empty_enter", "sys_enter"),
                        ("bench_empty_exit", "sys_exit"),
                    ]
                } else {
                    &[("bench_empty_exit", "sys_exit")]
                };
                for &(name, tp) in programs {
                    let prog: &mut BtfTracePoint = ebpf
                        .program_mut(name)
                        .ok_or("missing program")?
                        .try_into()
                        .map_err(|e: aya::programs::ProgramError| e.to_string())?;
                    prog.load(tp, &btf).map_err(|e| e.to_string())?;
                    prog.attach().map_err(|e| e.to_string())?;
                }
            } else {
                // The capture program on one syscall nobody calls here: the cost of the syscall
                // tracepoint slow path alone (the specs array is empty, so it returns at once).
                let prog: &mut TracePoint = ebpf
                    .program_mut("syscall_exit")
                    .ok_or("missing program")?
                    .try_into()
                    .map_err(|e: aya::programs::ProgramError| e.to_string())?;
                prog.load().map_err(|e| e.to_string())?;
                prog.attach("syscalls", "sys_exit_execve")
                    .map_err(|e| e.to_string())?;
            }
            Ok(Attached::Raw(Box::new(ebpf)))
        }
        other => Err(format!("unknown variant {other}")),
    }
}

fn cpu_seconds(ru: &libc::rusage) -> f64 {
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

fn self_cpu_seconds() -> f64 {
    // SAFETY: getrusage fills the zeroed struct we own.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    cpu_seconds(&ru)
}

/// One measured run of the workload.
struct Sample {
    wall: f64,
    cpu: f64,
    reader_cpu: f64,
    events: usize,
}

/// Runs the command once under `attached`, reading events while it runs. CPU time is the
/// child's user+sys from wait4: BPF programs run in the traced task's context.
fn run_once(attached: &mut Attached, cmd: &[String]) -> Result<Sample, String> {
    let reader_start = self_cpu_seconds();
    let mut events = 0usize;
    let start = Instant::now();
    let child = Command::new(&cmd[0])
        .args(&cmd[1..])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", cmd[0]))?;
    let pid = child.id() as libc::pid_t;
    if let Attached::Counter(c) = attached {
        c.add_pid(child.id()).map_err(|e| e.to_string())?;
    }
    let cpu = loop {
        match attached {
            Attached::Capture(c) => {
                events += c
                    .poll(Some(Duration::from_millis(20)), |_| {})
                    .map_err(|e| e.to_string())?;
            }
            _ => std::thread::sleep(Duration::from_millis(2)),
        }
        let mut status = 0;
        // SAFETY: wait4 on our own child, filling structs we own.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut ru) };
        if r == pid {
            break cpu_seconds(&ru);
        }
        if r < 0 {
            return Err(format!("wait4: {}", std::io::Error::last_os_error()));
        }
    };
    let wall = start.elapsed().as_secs_f64();
    if let Attached::Capture(c) = attached {
        events += c.next_batch().len();
    }
    if let Attached::Counter(c) = attached {
        let counts = c.counts().map_err(|e| e.to_string())?;
        events = counts.values().map(|c| c.calls as usize).sum();
    }
    Ok(Sample {
        wall,
        cpu,
        reader_cpu: self_cpu_seconds() - reader_start,
        events,
    })
}

/// Alternates native and attached runs RUNS times (attaching afresh each time), so both see
/// the same machine load, and reports the minimum of each: on a shared machine the minimum is
/// the run least disturbed by others.
fn run(variant: &str, runs: usize, cmd: &[String]) -> Result<(), String> {
    let (mut base, mut with) = (Vec::new(), Vec::new());
    let mut drops = 0;
    for _ in 0..runs.max(1) {
        base.push(run_once(&mut Attached::None, cmd)?);
        let mut attached = attach(variant)?;
        with.push(run_once(&mut attached, cmd)?);
        if let Attached::Capture(c) = &attached {
            drops += c.drops().map_err(|e| e.to_string())?.iter().sum::<u64>();
        }
    }
    let min = |v: &[Sample], f: fn(&Sample) -> f64| v.iter().map(f).fold(f64::INFINITY, f64::min);
    let events: usize = with.iter().map(|s| s.events).sum();
    println!(
        "{variant} base_wall_s={:.4} wall_s={:.4} base_cpu_s={:.4} cpu_s={:.4} reader_cpu_s={:.4} events={} drops={drops}",
        min(&base, |s| s.wall),
        min(&with, |s| s.wall),
        min(&base, |s| s.cpu),
        min(&with, |s| s.cpu),
        min(&with, |s| s.reader_cpu),
        events / with.len(),
    );
    Ok(())
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

fn open_loop(n: usize, path: &str) -> Result<(), String> {
    use std::io::Read;
    let mut buf = [0u8; 64];
    for _ in 0..n {
        let mut f = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
        let _ = f.read(&mut buf).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn fork_exec(n: usize) -> Result<(), String> {
    for _ in 0..n {
        Command::new("/bin/true")
            .status()
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
