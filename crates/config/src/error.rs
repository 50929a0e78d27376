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

/// A key the configuration does not know: reported as a warning, never fatal (Falco ignores
/// unknown keys too, but a typo should not go unnoticed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// `file:line` or `-o key=value`.
    pub origin: String,
    pub key: String,
}

impl std::fmt::Display for UnknownKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: warning: unknown configuration key `{}`",
            self.origin, self.key
        )
    }
}

/// Something odd about the configuration that does not stop Saker: printed as a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigWarning {
    UnknownKey(UnknownKey),
    /// A key Falco deprecated that still works (`rules_file`).
    Deprecated {
        origin: String,
        message: String,
    },
}

impl std::fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigWarning::UnknownKey(unknown) => unknown.fmt(f),
            ConfigWarning::Deprecated { origin, message } => {
                write!(f, "{origin}: warning: {message}")
            }
        }
    }
}
