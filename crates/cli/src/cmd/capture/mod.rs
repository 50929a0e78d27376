//! `saker capture -w FILE [-M SECONDS] [-- CMD]`: records raw events and a state snapshot,
//! for `saker run -e FILE` to replay through the same engine (docs/capture-format.md).

use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::Child;
use std::time::{Duration, Instant};

use anyhow::Context;
use saker_bpf::{CAPTURED_SYSCALLS, CaptureConfig};
use saker_event::{EventBody, SyscallEvent};
use saker_source::jsonl::{Record, write_record};
use saker_source::live::EbpfSource;
use saker_source::{Counters, Flow, Sink, Source};
use saker_state::State;

use crate::cmd::run::signals;
use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// The capture file to write.
    #[arg(short = 'w', value_name = "FILE")]
    pub file: PathBuf,
    /// Stop after this many seconds (default: when COMMAND exits, or on Ctrl-C).
    #[arg(short = 'M', value_name = "SECONDS")]
    pub duration: Option<f64>,
    /// Kernel ring buffer size in bytes (a power of two).
    #[arg(long, value_name = "BYTES", default_value_t = 16 << 20)]
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
    let mut source = EbpfSource {
        config: CaptureConfig {
            syscalls: recorded_syscalls(),
            ring_buffer_bytes: args.buffer_bytes,
            ..CaptureConfig::default()
        },
    };
    signals::install();
    let mut recorder = Recorder {
        out: BufWriter::new(file),
        state: State::new(source.state_options()),
        command: args.command.clone(),
        child: None,
        exit_code: 0,
        deadline: duration.map(|d| Instant::now() + d),
        tree: HashSet::new(),
        cgroups_written: HashSet::new(),
        containers_written: HashSet::new(),
        written: 0,
        error: None,
    };
    let ended = source
        .run(&mut recorder)
        .map_err(|e| Failure::new(2, format!("saker capture: {e}")))?;
    if let Some(e) = recorder.error.take() {
        return Err(e);
    }
    recorder.out.flush().context("writing the capture file")?;
    let dropped: u64 = ended.dropped_per_cpu.map_or(0, |d| d.iter().sum());
    eprintln!(
        "Recorded {} events and {} processes to {} ({dropped} dropped)",
        recorder.written,
        recorder.state.len(),
        args.file.display()
    );
    Ok(recorder.exit_code)
}

/// Writes the snapshot once the state is seeded, then every event of the command's tree (or
/// of the host), until the command exits, `-M` passes or a signal comes.
struct Recorder<W: Write> {
    out: W,
    state: State,
    command: Vec<String>,
    child: Option<Child>,
    exit_code: u8,
    deadline: Option<Instant>,
    tree: HashSet<u32>,
    cgroups_written: HashSet<u64>,
    containers_written: HashSet<String>,
    written: u64,
    error: Option<anyhow::Error>,
}

impl<W: Write> Sink for Recorder<W> {
    fn state(&mut self) -> &mut State {
        &mut self.state
    }

    fn ready(&mut self) {
        if let Err(e) = write_snapshot(&mut self.out, &self.state) {
            self.error = Some(anyhow::Error::new(e).context("writing the capture file"));
            return;
        }
        self.containers_written = self
            .state
            .processes()
            .filter_map(|p| p.container.as_ref().map(|c| c.id.clone()))
            .collect();
        if self.command.is_empty() {
            return;
        }
        // The command starts once the capture runs and the snapshot is written.
        match std::process::Command::new(&self.command[0])
            .args(&self.command[1..])
            .spawn()
        {
            Ok(child) => {
                self.tree.insert(child.id());
                self.child = Some(child);
            }
            Err(e) => {
                self.error =
                    Some(Failure::new(2, format!("saker capture: {}: {e}", self.command[0])).into())
            }
        }
    }

    fn event(&mut self, event: &SyscallEvent) -> Flow {
        if self.error.is_some() {
            return Flow::Stop;
        }
        if !self.command.is_empty() && !in_tree(&mut self.tree, event) {
            return Flow::Continue;
        }
        match write_event(
            &mut self.out,
            &mut self.state,
            &mut self.cgroups_written,
            &mut self.containers_written,
            event,
        ) {
            Ok(()) => self.written += 1,
            Err(e) => self.error = Some(anyhow::Error::new(e).context("writing the capture file")),
        }
        Flow::Continue
    }

    fn tick(&mut self, _: &mut dyn Counters) -> Flow {
        if self.error.is_some()
            || signals::stop_requested()
            || self.deadline.is_some_and(|d| Instant::now() >= d)
        {
            return Flow::Stop;
        }
        let Some(child) = &mut self.child else {
            return Flow::Continue;
        };
        match child.try_wait() {
            Ok(Some(status)) => {
                self.exit_code = status.code().map_or(1, |c| c.clamp(0, 255) as u8);
                // Its last events may still be in the ring.
                Flow::Finish
            }
            Ok(None) => Flow::Continue,
            Err(e) => {
                self.error = Some(e.into());
                Flow::Stop
            }
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
