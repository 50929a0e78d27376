//! `saker capture -w FILE [-M SECONDS] [-- CMD]`: records raw events and a state snapshot,
//! for `saker run -e FILE` to replay through the same engine (docs/capture-format.md).

pub mod format;

use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use saker_bpf::{CAPTURED_SYSCALLS, Capture, CaptureConfig};
use saker_event::{EventBody, SyscallEvent};
use saker_state::{State, StateOptions};

use crate::cmd::run::signals;
use crate::exit::{Failure, Outcome};
use format::{Record, write_record};

#[derive(clap::Args)]
pub struct Args {
    /// The capture file to write.
    #[arg(short = 'w', value_name = "FILE")]
    pub file: PathBuf,
    /// Stop after this many seconds (default: when COMMAND exits, or on Ctrl-C).
    #[arg(short = 'M', value_name = "SECONDS")]
    pub duration: Option<f64>,
    /// Kernel ring buffer size in bytes (a power of two); default 8 MiB, as `saker run`'s
    /// (engine.ebpf.buf_size_preset 4, as Falco's).
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = saker_config::ring_buffer_bytes(saker_config::DEFAULT_BUF_SIZE_PRESET),
        hide_default_value = true
    )]
    pub buffer_bytes: u32,
    /// Run COMMAND and record only its process tree.
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// Every decoded syscall except the data-carrying ones (read/write): a capture should serve
/// rules written later, not only today's.
fn recorded_syscalls() -> BTreeSet<i64> {
    CAPTURED_SYSCALLS
        .iter()
        .filter(|c| !matches!(c.name, "read" | "write" | "pread64" | "pwrite64"))
        .map(|c| c.nr)
        .collect()
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

pub fn run(args: Args) -> Outcome {
    let duration = match args.duration {
        Some(s) if s.is_finite() && s >= 0.0 => Some(Duration::from_secs_f64(s)),
        Some(s) => {
            return Err(
                Failure::new(2, format!("saker capture: -M {s}: not a number of seconds")).into(),
            );
        }
        None => None,
    };
    if duration.is_none() && args.command.is_empty() {
        eprintln!("Recording until Ctrl-C (give -M SECONDS or a COMMAND to stop by itself)");
    }
    let file =
        File::create(&args.file).with_context(|| format!("creating {}", args.file.display()))?;
    let mut out = BufWriter::new(file);
    let config = CaptureConfig {
        syscalls: recorded_syscalls(),
        ring_buffer_bytes: args.buffer_bytes,
        ..CaptureConfig::default()
    };
    signals::install();
    let mut capture =
        Capture::start(&config).map_err(|e| Failure::new(2, format!("saker capture: {e}")))?;
    let mut state = State::new(StateOptions::default());
    state.seed_from_proc()?;
    write_snapshot(&mut out, &state).context("writing the capture file")?;

    let mut child = None;
    let mut tree: HashSet<u32> = HashSet::new();
    if !args.command.is_empty() {
        let c = std::process::Command::new(&args.command[0])
            .args(&args.command[1..])
            .spawn()
            .map_err(|e| Failure::new(2, format!("saker capture: {}: {e}", args.command[0])))?;
        tree.insert(c.id());
        child = Some(c);
    }
    let deadline = duration.map(|d| Instant::now() + d);
    let containers_written = state
        .processes()
        .filter_map(|p| p.container.as_ref().map(|c| c.id.clone()))
        .collect();
    let mut recorder = Recorder {
        out,
        state,
        filter_tree: child.is_some(),
        tree,
        cgroups_written: HashSet::new(),
        containers_written,
        written: 0,
        last_ts_ns: 0,
        error: None,
    };
    let mut exit_code = 0u8;
    loop {
        let stop = signals::stop_requested() || deadline.is_some_and(|d| Instant::now() >= d);
        capture
            .poll(Some(Duration::from_millis(50)), |e| recorder.handle(&e))
            .map_err(|e| Failure::new(2, format!("saker capture: {e}")))?;
        if let Some(e) = recorder.error.take() {
            return Err(anyhow::Error::new(e).context("writing the capture file"));
        }
        if stop {
            break;
        }
        if let Some(c) = &mut child
            && let Some(status) = c.try_wait()?
        {
            exit_code = status.code().map_or(1, |c| c.clamp(0, 255) as u8);
            // Its last events are in the ring, behind whatever the rest of the host queued:
            // drain up to the moment it was seen gone (one batch can stop short of them on a
            // busy host, and a busy host never empties the ring).
            let exited_ns = now_ns();
            while recorder.last_ts_ns < exited_ns
                && capture
                    .poll(Some(Duration::ZERO), |e| recorder.handle(&e))
                    .map_err(|e| Failure::new(2, format!("saker capture: {e}")))?
                    > 0
            {}
            break;
        }
    }
    recorder.out.flush().context("writing the capture file")?;
    let dropped: u64 = capture.drops().map(|d| d.iter().sum()).unwrap_or(0);
    eprintln!(
        "Recorded {} events and {} processes to {} ({dropped} dropped)",
        recorder.written,
        recorder.state.len(),
        args.file.display()
    );
    Ok(exit_code)
}

struct Recorder<W: Write> {
    out: W,
    state: State,
    filter_tree: bool,
    tree: HashSet<u32>,
    cgroups_written: HashSet<u64>,
    containers_written: HashSet<String>,
    written: u64,
    /// The time of the last event read, recorded or not.
    last_ts_ns: u64,
    error: Option<std::io::Error>,
}

impl<W: Write> Recorder<W> {
    fn handle(&mut self, event: &SyscallEvent) {
        self.last_ts_ns = event.header.ts_ns;
        if self.error.is_some() || (self.filter_tree && !in_tree(&mut self.tree, event)) {
            return;
        }
        match write_event(
            &mut self.out,
            &mut self.state,
            &mut self.cgroups_written,
            &mut self.containers_written,
            event,
        ) {
            Ok(()) => self.written += 1,
            Err(e) => self.error = Some(e),
        }
    }
}

/// Keeps the events of the command's tree, following its forks.
fn in_tree(tree: &mut HashSet<u32>, event: &SyscallEvent) -> bool {
    let pid = event.header.pid;
    if let EventBody::Fork { child_pid, .. } = event.body
        && tree.contains(&pid)
    {
        tree.insert(child_pid);
    }
    tree.contains(&pid)
}

fn write_snapshot(out: &mut impl Write, state: &State) -> std::io::Result<()> {
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    write_record(
        out,
        &Record::Header {
            created_ns: now_ns(),
            hostname: hostname.trim().to_string(),
            passwd: std::fs::read_to_string("/etc/passwd").unwrap_or_default(),
            group: std::fs::read_to_string("/etc/group").unwrap_or_default(),
        },
    )?;
    let mut seen = HashSet::new();
    for p in state.processes() {
        if let Some(c) = &p.container
            && seen.insert(c.id.clone())
        {
            write_record(out, &Record::Container((**c).clone()))?;
        }
    }
    let mut processes: Vec<_> = state.processes().collect();
    processes.sort_by_key(|p| p.pid);
    for p in processes {
        write_record(
            out,
            &Record::Process {
                entry: p.clone(),
                container_id: None,
            },
        )?;
    }
    Ok(())
}

fn write_event(
    out: &mut impl Write,
    state: &mut State,
    cgroups_written: &mut HashSet<u64>,
    containers_written: &mut HashSet<String>,
    event: &SyscallEvent,
) -> std::io::Result<()> {
    let id = event.header.cgroup_id;
    if id != 0 && cgroups_written.insert(id) {
        let container = state.container_of_cgroup(id).flatten();
        if let Some(c) = &container
            && containers_written.insert(c.id.clone())
        {
            write_record(out, &Record::Container((**c).clone()))?;
        }
        write_record(
            out,
            &Record::Cgroup {
                id,
                container_id: container.map(|c| c.id.clone()),
            },
        )?;
    }
    write_record(out, &Record::Event(event.clone()))
}
