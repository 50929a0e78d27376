use std::path::PathBuf;

/// What the kernel refuses most often, said once so every message can point at it.
pub const PRIVILEGE_HINT: &str = "the eBPF capture needs root (or CAP_BPF + CAP_PERFMON + \
     CAP_SYS_ADMIN for tracepoints), a kernel with BTF (/sys/kernel/btf/vmlinux) and tracefs \
     mounted at /sys/kernel/tracing";

/// Errors of the eBPF capture layer.
#[derive(Debug, thiserror::Error)]
pub enum BpfError {
    /// A precondition checked before loading anything (privileges, BTF, tracefs).
    #[error("eBPF is not available: {reason} ({PRIVILEGE_HINT})")]
    Unavailable { reason: String },

    #[error("loading the capture object failed: {source}")]
    Load {
        #[source]
        source: aya::EbpfError,
    },

    /// The kernel refused a program; aya's message includes the verifier log.
    #[error("the BPF verifier or kernel refused program `{program}`: {source}")]
    ProgramLoad {
        program: &'static str,
        #[source]
        source: aya::programs::ProgramError,
    },

    #[error("attaching program `{program}` to {target} failed: {source}")]
    Attach {
        program: &'static str,
        target: String,
        #[source]
        source: aya::programs::ProgramError,
    },

    /// The kernel refused a program loaded by `loader.rs` (the counter's); `log` is the
    /// verifier's, empty when the kernel gave none.
    #[error("the BPF verifier or kernel refused program `{program}`: {source}{}", verifier_log(.log))]
    Verifier {
        program: &'static str,
        #[source]
        source: std::io::Error,
        log: String,
    },

    #[error("attaching program `{program}` to raw_tp/{tracepoint} failed: {source}")]
    RawTracepoint {
        program: &'static str,
        tracepoint: &'static str,
        #[source]
        source: std::io::Error,
    },

    /// A committed object that `loader.rs` cannot load (object and loader out of step).
    #[error("the {what} object {problem}")]
    Object { what: &'static str, problem: String },

    #[error("creating BPF map `{map}`: {source}")]
    MapCreate {
        map: &'static str,
        #[source]
        source: std::io::Error,
    },

    #[error("the BPF object has no {what} `{name}` (object and loader out of step)")]
    Missing {
        what: &'static str,
        name: &'static str,
    },

    #[error("BPF map `{map}`: {source}")]
    Map {
        map: &'static str,
        #[source]
        source: aya::maps::MapError,
    },

    #[error("reading kernel BTF: {source} ({PRIVILEGE_HINT})")]
    Btf {
        #[source]
        source: aya::BtfError,
    },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("polling the ring buffer: {source}")]
    Poll {
        #[source]
        source: std::io::Error,
    },

    #[error("mapping the ring buffer: {source}")]
    RingMap {
        #[source]
        source: std::io::Error,
    },

    #[error("syscall {nr} is not an x86_64 syscall, so it has no tracepoint")]
    NoTracepoint { nr: i64 },

    #[error("invalid capture configuration: {reason}")]
    Config { reason: String },
    #[error("starting `{program}`: {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("process {pid}: {reason}")]
    Process { pid: u32, reason: String },
}

fn verifier_log(log: &str) -> String {
    if log.is_empty() {
        String::new()
    } else {
        format!("\nverifier log:\n{log}")
    }
}

impl BpfError {
    pub(crate) fn map(map: &'static str) -> impl FnOnce(aya::maps::MapError) -> BpfError {
        move |source| BpfError::Map { map, source }
    }
}

/// A ring-buffer record that does not decode (never expected; counted, not fatal).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("record of {len} bytes is shorter than the {need}-byte header")]
    Short { len: usize, need: usize },
    #[error("record says {total_len} bytes with blobs of {blobs:?} bytes, but is {len} bytes")]
    Length {
        len: usize,
        total_len: u32,
        blobs: [u16; crate::raw::BLOBS],
    },
    #[error("unknown record kind {kind}")]
    Kind { kind: u32 },
}
