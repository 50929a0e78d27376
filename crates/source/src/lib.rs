//! saker-source: everything that produces events for Saker's state and engine, behind one
//! trait.
//!
//! A [`Source`] pushes events into a [`Sink`] until it ends: the live eBPF capture
//! ([`live::EbpfSource`]), one command under ptrace ([`ptrace::PtraceSource`]), a capture file
//! (Saker's JSON lines, [`jsonl`], or libscap's `.scap`, [`scap`]) and a file of Kubernetes
//! audit events ([`audit::AuditFileSource`]). The sink is the consumer's: `saker run` applies
//! each event to its state and evaluates the rules, `saker capture` writes it to a file. The
//! Kubernetes audit webhook pushes into the same kind of consumer from the web server's
//! threads (`saker_k8saudit::AuditPipeline`), since an HTTP request, not a loop, brings its
//! events.
//!
//! Every syscall source decodes arguments through one decoder,
//! [`saker_event::decode_detail`], so a field means the same whatever produced the event.
//!
//! Adding a source is adding an implementation of [`Source`] (and, for a file, a line in
//! [`open_file`]); the engine and the commands that consume sources do not change.
//!
//! ```
//! use saker_event::SyscallEvent;
//! use saker_source::{Counters, Flow, Sink, Source};
//! use saker_state::{State, StateOptions};
//!
//! struct Count { state: State, events: u64 }
//! impl Sink for Count {
//!     fn state(&mut self) -> &mut State { &mut self.state }
//!     fn event(&mut self, _: &SyscallEvent) -> Flow { self.events += 1; Flow::Continue }
//!     fn tick(&mut self, _: &mut dyn Counters) -> Flow { Flow::Continue }
//! }
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("empty.jsonl");
//! std::fs::write(&path, "{\"kind\":\"header\",\"format\":\"saker-capture\",\"version\":1,\
//!     \"created_ns\":1,\"hostname\":\"h\",\"passwd\":\"\",\"group\":\"\"}\n").unwrap();
//! let mut source = saker_source::open_file(&path).unwrap();
//! let mut sink = Count { state: State::new(source.state_options()), events: 0 };
//! source.run(&mut sink).unwrap();
//! assert_eq!(sink.events, 0);
//! ```

pub mod audit;
mod error;
pub mod jsonl;
pub mod live;
pub mod open_filter;
pub mod ptrace;
mod replay;
pub mod scap;

use saker_event::SyscallEvent;
use saker_k8saudit::AuditEvent;
use saker_state::{State, StateOptions};

pub use error::SourceError;
pub use replay::{FileKind, detect, open_file};

/// Whether a source should go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Stop now; events already read but not handed over are left.
    Stop,
    /// Hand over what is already queued (a live source drains its buffer once), then stop.
    Finish,
}

/// What a live source can report between batches (per CPU, as the kernel counted).
pub trait Counters {
    /// Events the kernel dropped (ring buffer full), per CPU.
    fn dropped_per_cpu(&mut self) -> Option<Vec<u64>>;
    /// Events the kernel queued, per CPU.
    fn captured_per_cpu(&mut self) -> Option<Vec<u64>>;
    /// How full the kernel's buffer got since the last call.
    fn ring_use(&mut self) -> Option<saker_bpf::RingUse> {
        None
    }
    /// Opens no rule needs, and their closes, that the kernel left out since the start.
    fn left_out(&mut self) -> Option<u64> {
        None
    }
}

/// A source without counters (files, ptrace).
pub struct NoCounters;

impl Counters for NoCounters {
    fn dropped_per_cpu(&mut self) -> Option<Vec<u64>> {
        None
    }
    fn captured_per_cpu(&mut self) -> Option<Vec<u64>> {
        None
    }
}

/// The consumer of a source's events.
pub trait Sink {
    /// The state the events describe: sources that know processes before their first event
    /// (a /proc walk, a capture file's snapshot) put them here.
    fn state(&mut self) -> &mut State;
    /// The state is seeded; events follow (a recorder writes its snapshot here).
    fn ready(&mut self) {}
    /// One syscall event.
    fn event(&mut self, event: &SyscallEvent) -> Flow;
    /// One Kubernetes audit event. Sinks that do not take them ignore them.
    fn audit(&mut self, event: AuditEvent) -> Flow {
        let _ = event;
        Flow::Continue
    }
    /// Between batches: at least every 50 ms while a live source waits, every few thousand
    /// events from a file.
    fn tick(&mut self, counters: &mut dyn Counters) -> Flow;
    /// After a tick: the capture's new open filter when the rules changed (the eBPF source
    /// applies it), else `None`.
    fn take_open_filter(&mut self) -> Option<live::OpenFilterPlan> {
        None
    }
}

/// How a source ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ended {
    /// The exit status of the command the source ran (ptrace), if it ran one.
    pub exit_code: Option<u8>,
    /// Events the kernel dropped, per CPU (live sources).
    pub dropped_per_cpu: Option<Vec<u64>>,
    /// Opens and closes the open filter left out (the eBPF source).
    pub left_out: Option<u64>,
    /// Audit objects skipped because they were not audit events.
    pub skipped: u64,
    /// Blocks of a file the reader did not know and skipped.
    pub unknown_blocks: u64,
}

/// Something that produces events.
pub trait Source {
    /// How the consumer's state should find what events do not carry: a live source lets it
    /// read /proc, a file must not (its processes are not this machine's).
    fn state_options(&self) -> StateOptions;
    /// Pushes events into `sink` until the source ends or the sink says stop.
    fn run(&mut self, sink: &mut dyn Sink) -> Result<Ended, SourceError>;
}

/// State options for a replay: nothing is read from this machine.
pub fn replay_state_options() -> StateOptions {
    StateOptions {
        read_proc: false,
        containers: None,
    }
}
