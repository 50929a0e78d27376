//! `saker capture -w FILE [-M SECONDS] [-- CMD]`: records raw events and a state snapshot,
//! for `saker run -e FILE` to replay through the same engine (docs/capture-format.md): as
//! libscap's `.scap` (the default for a name ending in `.scap`, what sysdig and Falco read)
//! or as Saker's JSON lines. `saker capture print FILE`: what `sysdig -r FILE` prints.

mod print;

use std::collections::{BTreeSet, HashSet};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::Child;
use std::time::{Duration, Instant};

use anyhow::Context;
use saker_bpf::{CAPTURED_SYSCALLS, CaptureConfig};
use saker_event::{EventBody, SyscallEvent};
use saker_source::jsonl::{Record, write_record};
use saker_source::live::EbpfSource;
use saker_source::scap::write::{ScapWriter, id_names};
use saker_source::{Counters, Flow, Sink, Source};
use saker_state::State;

use crate::cmd::run::signals;
use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// The capture file to write.
    #[arg(short = 'w', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The file's format: `scap` (libscap's, read by sysdig and Falco) or `jsonl` (Saker's
    /// JSON lines, for jq). Default: `scap` when FILE ends in `.scap`, else `jsonl`.
    #[arg(long, value_name = "FORMAT", value_parser = ["scap", "jsonl"])]
    pub format: Option<String>,
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
    /// With a COMMAND: record every process of the host while it runs, not only its tree
    /// (a scenario that drives other services, such as `podman exec`).
    #[arg(long)]
    pub all_processes: bool,
    /// Mode of the capture file, in octal, whatever the umask: it holds command lines and
    /// their secrets (0640 lets a group read it).
    #[arg(long, value_name = "MODE", default_value = "0600", value_parser = saker_output::files::parse_mode)]
    pub mode: u32,
    /// Run COMMAND and record only its process tree.
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Print a capture's events as `sysdig -r` does (.scap or Saker's JSON lines).
    Print(print::Args),
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

/// How long a recording waits at its start for the runtimes to describe the running
/// containers.
const RUNTIMES_WAIT: Duration = Duration::from_secs(10);

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

pub fn run(args: Args) -> Outcome {
    if let Some(Action::Print(print)) = args.action {
        return print::run(print);
    }
    let Some(path) = args.file.clone() else {
        return Err(Failure::new(
            2,
            "saker capture: give -w FILE to record, or `saker capture print FILE`",
        )
        .into());
    };
    let scap = match args.format.as_deref() {
        Some(f) => f == "scap",
        None => path.extension().is_some_and(|e| e == "scap"),
    };
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
    let file = saker_output::files::create(&path, args.mode)
        .with_context(|| format!("creating {}", path.display()))?;
    let mut source = EbpfSource::new(CaptureConfig {
        syscalls: recorded_syscalls(),
        ring_buffer_bytes: args.buffer_bytes,
        wakeup_bytes: saker_bpf::batched_wakeup_bytes(
            args.buffer_bytes,
            saker_bpf::possible_cpus(),
        ),
        // A capture only records: no responses act on it.
        kill_checks: false,
        ..CaptureConfig::default()
    });
    signals::install();
    let mut recorder = Recorder {
        out: Output::new(BufWriter::new(file), scap),
        state: State::new(source.state_options()),
        command: args.command.clone(),
        tree_only: !args.all_processes,
        child: None,
        exit_code: 0,
        deadline: duration.map(|d| Instant::now() + d),
        tree: HashSet::new(),
        cgroups_written: HashSet::new(),
        containers_written: HashSet::new(),
        written: 0,
        finish_at: None,
        error: None,
    };
    let ended = source
        .run(&mut recorder)
        .map_err(|e| Failure::new(2, format!("saker capture: {e}")))?;
    if let Some(e) = recorder.error.take() {
        return Err(e);
    }
    recorder.out.flush().context("writing the capture file")?;
    let events = recorder.out.events().unwrap_or(recorder.written);
    let dropped: u64 = ended.dropped_per_cpu.map_or(0, |d| d.iter().sum());
    eprintln!(
        "Recorded {} events and {} processes to {} ({dropped} dropped)",
        events,
        recorder.state.len(),
        path.display()
    );
    Ok(recorder.exit_code)
}

/// Writes the snapshot once the state is seeded, then every event of the command's tree (or
/// of the host), until the command exits, `-M` passes or a signal comes.
struct Recorder<W: Write> {
    out: Output<W>,
    state: State,
    command: Vec<String>,
    /// Only the command's process tree is recorded.
    tree_only: bool,
    child: Option<Child>,
    exit_code: u8,
    deadline: Option<Instant>,
    tree: HashSet<u32>,
    cgroups_written: HashSet<u64>,
    containers_written: HashSet<String>,
    written: u64,
    /// Once the command is seen gone: its time. Its last events are in the ring behind what
    /// the rest of the host queued; the drain stops at the first event from after it (a busy
    /// host never empties the ring).
    finish_at: Option<u64>,
    error: Option<anyhow::Error>,
}

impl<W: Write> Sink for Recorder<W> {
    fn state(&mut self) -> &mut State {
        &mut self.state
    }

    fn ready(&mut self) {
        // The snapshot names the containers already running. A recording can wait longer
        // for them than a live run's start-up (CONTAINER_WAIT): nothing is waiting on it.
        self.state.wait_for_containers(RUNTIMES_WAIT);
        if let Err(e) = self.out.start(&self.state) {
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
        if self.error.is_some() || self.finish_at.is_some_and(|t| event.header.ts_ns >= t) {
            return Flow::Stop;
        }
        // What the runtimes answered meanwhile goes in before the event, as a replay must
        // learn it at that point.
        if let Err(e) = self.write_container_answers() {
            self.error = Some(anyhow::Error::new(e).context("writing the capture file"));
            return Flow::Stop;
        }
        if self.tree_only && !self.command.is_empty() && !in_tree(&mut self.tree, event) {
            return Flow::Continue;
        }
        let written = match &mut self.out {
            Output::Jsonl(out) => write_event(
                out,
                &mut self.state,
                &mut self.cgroups_written,
                &mut self.containers_written,
                event,
            ),
            Output::Scap(writer) => {
                // The writer reads what events do not carry (the image, cwd and container of
                // an exec) from the state after the event.
                self.state.apply(event);
                writer.write(event, &self.state)
            }
            Output::ScapPending(_) => Ok(()),
        };
        match written {
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
                self.finish_at = Some(now_ns());
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

impl<W: Write> Recorder<W> {
    /// Takes what the runtimes answered into the state, and records each answer: a JSONL
    /// container record, or a `.scap` container event (which libsinsp takes as an update).
    fn write_container_answers(&mut self) -> std::io::Result<()> {
        for c in self.state.poll_containers() {
            match &mut self.out {
                Output::Jsonl(out) => {
                    self.containers_written.insert(c.id.clone());
                    write_record(out, &Record::Container((*c).clone()))?;
                }
                Output::Scap(writer) => writer.container_described(&c)?,
                Output::ScapPending(_) => {}
            }
        }
        Ok(())
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

/// The file being written, in one of the two formats.
enum Output<W: Write> {
    Jsonl(W),
    /// Before the snapshot: the output the `.scap` writer will take.
    ScapPending(Option<W>),
    Scap(Box<ScapWriter<W>>),
}

impl<W: Write> Output<W> {
    fn new(out: W, scap: bool) -> Output<W> {
        if scap {
            Output::ScapPending(Some(out))
        } else {
            Output::Jsonl(out)
        }
    }

    /// Writes the header and the snapshot of the state.
    fn start(&mut self, state: &State) -> std::io::Result<()> {
        match self {
            Output::Jsonl(out) => write_snapshot(out, state),
            Output::ScapPending(out) => {
                let out = out.take().expect("started once");
                let hostname =
                    std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
                let mut w = ScapWriter::new(out, hostname.trim())?;
                let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
                let group = std::fs::read_to_string("/etc/group").unwrap_or_default();
                w.user_list(&id_names(&passwd), &id_names(&group))?;
                w.snapshot(state)?;
                *self = Output::Scap(Box::new(w));
                Ok(())
            }
            Output::Scap(_) => Ok(()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Jsonl(out) => out.flush(),
            Output::Scap(w) => w.flush(),
            Output::ScapPending(_) => Ok(()),
        }
    }

    /// Events in the file, when the format counts its own (a `.scap` event pair is two).
    fn events(&self) -> Option<u64> {
        match self {
            Output::Scap(w) => Some(w.events),
            _ => None,
        }
    }
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
