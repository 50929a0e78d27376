//! Diagnostics: every problem of a rules file, with its position, and their rendering.

use std::fmt::{self, Write as _};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found while loading, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code, close to Falco's (`LOAD_ERR_YAML_PARSE`, `LOAD_NO_EVTTYPE`, ...).
    pub code: &'static str,
    pub file: String,
    /// 1-based line and column (in characters) of the start of the offending text.
    pub line: u32,
    pub col: u32,
    /// Number of characters to underline (at least 1), on the first line.
    pub len: u32,
    pub message: String,
    /// The text of the offending line (without the newline), for the caret display.
    pub source_line: String,
    /// The rule, macro or list the problem belongs to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col: error: message`, the offending line and a caret line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}:{}:{}: {}: {}",
            self.file,
            self.line,
            self.col,
            self.severity.as_str(),
            self.message
        );
        if !self.source_line.is_empty() {
            let line_no = self.line.to_string();
            let pad = " ".repeat(line_no.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line_no} | {}", self.source_line.replace('\t', " "));
            let before: String = self
                .source_line
                .chars()
                .take(self.col.saturating_sub(1) as usize)
                .map(|_| ' ')
                .collect();
            let avail = self
                .source_line
                .chars()
                .count()
                .saturating_sub(self.col.saturating_sub(1) as usize);
            let len = (self.len as usize).clamp(1, avail.max(1));
            let _ = writeln!(out, "{pad} | {before}{}", "^".repeat(len));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file,
            self.line,
            self.col,
            self.severity.as_str(),
            self.message
        )
    }
}

/// Renders all diagnostics, one block each.
pub fn render_all(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(Diagnostic::render).collect()
}
