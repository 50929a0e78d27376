//! Event sources, rule priorities and source positions: the small shared vocabulary.

use std::fmt;

/// The event source a rule or field belongs to (Falco's `source:` key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// System calls (the default source).
    Syscall,
    /// Kubernetes audit events (Falco's k8saudit plugin).
    K8sAudit,
}

impl Source {
    pub const ALL: [Source; 2] = [Source::Syscall, Source::K8sAudit];

    /// The name used in rules files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Syscall => "syscall",
            Source::K8sAudit => "k8s_audit",
        }
    }

    pub fn from_name(name: &str) -> Option<Source> {
        match name {
            "syscall" => Some(Source::Syscall),
            "k8s_audit" => Some(Source::K8sAudit),
            _ => None,
        }
    }

    const fn bit(self) -> u8 {
        match self {
            Source::Syscall => 1,
            Source::K8sAudit => 2,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of sources (a field can belong to several, e.g. `evt.time`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sources(u8);

impl Sources {
    pub const SYSCALL: Sources = Sources(Source::Syscall.bit());
    pub const K8S_AUDIT: Sources = Sources(Source::K8sAudit.bit());
    pub const ALL: Sources = Sources(Source::Syscall.bit() | Source::K8sAudit.bit());

    pub const fn contains(self, source: Source) -> bool {
        self.0 & source.bit() != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Source> {
        Source::ALL.into_iter().filter(move |s| self.contains(*s))
    }
}

/// Rule priority: the same type as alerts carry, so no conversion is needed downstream.
pub use saker_event::Priority;

/// A position in a rules file: 1-based line and column (columns count characters).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}
