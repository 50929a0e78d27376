//! A minimal `strace` on `saker_bpf::trace`, showing the calls `saker trace --ebpf` makes.
//!
//!   trace_command [-T] CMD ARGS...     one line per syscall of the command's process tree
//!   trace_command -c [-w] CMD ARGS...  calls/errors(/time) per syscall, counted in the kernel
//!
//! Needs root. Output goes to stderr, like strace.

use std::ffi::OsString;
use std::process::ExitCode;
use std::time::Duration;

use saker_bpf::trace::{TraceConfig, Tracer, count_command};
use saker_bpf::{CounterConfig, Timing};
use saker_event::{EventBody, SyscallEvent};

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let mut flag = |name: &str| {
        let found = args.first().is_some_and(|a| a == name);
        if found {
            args.remove(0);
        }
        found
    };
    let (count, wall, timed) = (flag("-c"), flag("-w"), flag("-T"));
    if args.is_empty() {
        eprintln!("usage: trace_command [-c [-w] | -T] CMD ARGS...");
        return ExitCode::from(2);
    }
    let result = if count {
        count_syscalls(&args, wall)
    } else {
        trace(&args, timed)
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(e) => {
            eprintln!("trace_command: {e}");
            ExitCode::from(2)
        }
    }
}

fn exit_code(status: i32) -> u8 {
    if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status) as u8
    } else {
        128 + libc::WTERMSIG(status) as u8
    }
}

fn trace(argv: &[OsString], timed: bool) -> Result<u8, saker_bpf::BpfError> {
    let config = TraceConfig {
        timed,
        ..TraceConfig::default()
    };
    let (mut tracer, mut command) = Tracer::spawn(argv, &config)?;
    loop {
        tracer.poll(Some(Duration::from_millis(50)), 1024, print)?;
        if let Some(status) = command.try_wait()? {
            // The last records were queued before the exit was reaped: read them too.
            tracer.poll(Some(Duration::ZERO), usize::MAX, print)?;
            eprintln!("+++ exited with {} +++", exit_code(status));
            return Ok(exit_code(status));
        }
    }
}

fn print(event: SyscallEvent) {
    let pid = event.header.pid;
    match &event.body {
        EventBody::Syscall(s) => {
            let name = u64::try_from(s.nr)
                .ok()
                .and_then(saker_syscalls::name)
                .unwrap_or("?");
            let time = s
                .duration_ns
                .map(|ns| format!(" <{:.6}>", ns as f64 / 1e9))
                .unwrap_or_default();
            eprintln!(
                "[{pid}] {name}({:#x}, {:#x}, {:#x}) = {}{time} {:?}",
                s.args[0], s.args[1], s.args[2], s.ret, s.detail
            );
        }
        EventBody::Exec(exec) => {
            eprintln!("[{pid}] execve({}, {:?}) = 0", exec.filename, exec.argv)
        }
        EventBody::Fork { child_pid, .. } => eprintln!("[{pid}] fork -> {child_pid}"),
        EventBody::Exit { status, .. } => eprintln!("[{pid}] exit status {status:#x}"),
        EventBody::Signal { signo, .. } => eprintln!("[{pid}] signal {signo}"),
    }
}

fn count_syscalls(argv: &[OsString], wall: bool) -> Result<u8, saker_bpf::BpfError> {
    let config = CounterConfig {
        follow_forks: true,
        timing: if wall {
            Timing::WallClock
        } else {
            Timing::Untimed
        },
    };
    let (counter, mut command) = count_command(argv, &config)?;
    let status = command.wait()?;
    eprintln!("{:>9} {:>9} {:>12} syscall", "calls", "errors", "usecs");
    for (nr, c) in counter.counts()? {
        let name = u64::try_from(nr)
            .ok()
            .and_then(saker_syscalls::name)
            .unwrap_or("?");
        eprintln!(
            "{:>9} {:>9} {:>12} {name}",
            c.calls,
            c.errors,
            c.total_ns / 1000
        );
    }
    Ok(exit_code(status))
}
