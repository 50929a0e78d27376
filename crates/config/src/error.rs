use std::path::PathBuf;

/// A configuration problem, located in the file (or in the `-o` option) it comes from.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Syntax { origin: String, message: String },
    #[error("{origin}: `{key}`: {message}")]
    Type {
        origin: String,
        key: String,
        message: String,
    },
    #[error("-o {option}: {message}")]
    Override { option: String, message: String },
    #[error("{key}: {message}")]
    Invalid { key: String, message: String },
    #[error("{key}: {source}")]
    Output {
        key: &'static str,
        #[source]
        source: saker_output::OutputError,
    },
}

/// Something odd about a key that does not stop Saker: a key it does not know (Falco ignores
/// unknown keys too, but a typo should not go unnoticed), a value that has no effect, an
/// unset environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    /// `file:line` or `-o key=value`.
    pub origin: String,
    pub key: String,
    pub message: String,
}

impl ConfigWarning {
    pub(crate) fn unknown_key(origin: String, key: String) -> Self {
        ConfigWarning {
            message: format!("unknown configuration key `{key}`"),
            origin,
            key,
        }
    }
}

impl std::fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: warning: {}", self.origin, self.message)
    }
}
