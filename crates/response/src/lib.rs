//! saker-response: what Saker does when a rule fires.
//!
//! The `response:` section of saker.yaml ([`ResponseConfig`]) is checked against the loaded
//! rules into a [`Plan`]: the actions each rule's alerts get, and which kills the kernel
//! decides by itself ([`kernel`]: a table the capture programs consult at an exec or an
//! open, so the process dies before it runs or before it uses the file). The [`Responder`]
//! thread takes alerts with their [`Target`] from the event path and acts: kills from user
//! space through a pidfd, container stop/pause/kill through the runtime's API, programs and
//! webhooks; each action, taken or refused, becomes a record (an alert of source
//! `response`) and a count in /metrics.
//!
//! ```
//! use saker_response::{Plan, PlanOptions, ResponseConfig};
//!
//! let yaml = "actions:\n  - match: {rule: \"Launch Package Management Process in Container\"}\n    do: kill_process\n";
//! let config = ResponseConfig::from_value(&serde_yaml::from_str(yaml).unwrap()).unwrap();
//! let files = [saker_rules::SourceFile::new("saker_rules.yaml", saker_engine::default_rules())];
//! let (ruleset, _) = saker_rules::load(&files);
//! let options = PlanOptions { min_priority: saker_event::Priority::Debug };
//! let (plan, problems) = Plan::build(&config, &ruleset, &options);
//! assert!(problems.is_empty());
//! assert!(plan.unwrap().describe().contains("kill_process       in the kernel at execve/execveat"));
//! ```
//!
//! Architecture invariant: nothing here acts on pid 1, on Saker or what it started, on
//! kernel threads, on protected programs or containers, or (without `allow_host`) outside
//! containers; in the kernel as in user space.

pub mod config;
mod container;
pub mod kernel;
pub mod plan;
pub mod process;
mod program;
pub mod record;
mod responder;
pub mod stats;
pub mod target;

pub use config::{Action, ResponseConfig};
pub use plan::{Plan, PlanOptions};
pub use responder::{Responder, ResponderOptions};
pub use stats::ResponseStats;
pub use target::Target;

/// A problem in the `response:` section, at a key path below the config's root
/// (`response.actions[1].do[0]`) that the caller turns into `file:line:col`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub path: String,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Problem {
    pub fn error(path: impl Into<String>, message: String) -> Problem {
        Problem {
            severity: Severity::Error,
            path: path.into(),
            message,
        }
    }

    pub fn warning(path: impl Into<String>, message: String) -> Problem {
        Problem {
            severity: Severity::Warning,
            path: path.into(),
            message,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
