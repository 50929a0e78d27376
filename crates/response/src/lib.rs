//! saker-response: what Saker does when a rule fires.

pub mod config;
pub mod kernel;
pub mod plan;

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
