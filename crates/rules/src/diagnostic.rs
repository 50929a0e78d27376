//! Diagnostics: every problem of a rules file, with its position, and their rendering.

use std::fmt::{self, Write as _};

use saker_event::escape::escape;

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

    /// `file:line:col: error: message`, the offending line and a caret line. Text from the
    /// file (names, values, the line itself) has its control characters escaped, so a rules
    /// file cannot move the cursor or forge lines on the terminal that validates it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{self}");
        if !self.source_line.is_empty() {
            let line_no = self.line.to_string();
            let pad = " ".repeat(line_no.len());
            let line: Vec<char> = self.source_line.replace('\t', " ").chars().collect();
            let start = (self.col.saturating_sub(1) as usize).min(line.len());
            let len = (self.len as usize).clamp(1, (line.len() - start).max(1));
            let end = (start + len).min(line.len());
            // Carets under the escaped text: as wide as what they underline once escaped.
            let shown = |chars: &[char]| escape(&chars.iter().collect::<String>()).into_owned();
            let (before, marked) = (shown(&line[..start]), shown(&line[start..end]));
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line_no} | {}", shown(&line));
            let _ = writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(before.chars().count()),
                "^".repeat(marked.chars().count().max(1))
            );
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            escape(&self.file),
            self.line,
            self.col,
            self.severity.as_str(),
            escape(&self.message)
        )
    }
}

/// Renders all diagnostics, one block each.
pub fn render_all(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(Diagnostic::render).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rules file's ESC and newline characters reach the terminal escaped (issue 14), and the
    /// carets still sit under the text they mark.
    #[test]
    fn control_characters_are_escaped_and_carets_follow() {
        let d = Diagnostic {
            severity: Severity::Error,
            code: "LOAD_ERR_COMPILE_CONDITION",
            file: "r.yaml".into(),
            line: 3,
            col: 30,
            len: 9,
            message: "rule 'R\u{1b}[31m\nX': unknown field 'proc.nmae'".into(),
            source_line: "  condition: a = \"\u{1b}[2Jb\" and proc.nmae = x".into(),
            item: None,
        };
        assert_eq!(
            d.render(),
            "r.yaml:3:30: error: rule 'R\\33[31m\\nX': unknown field 'proc.nmae'\n  \
             |\n3 |   condition: a = \"\\33[2Jb\" and proc.nmae = x\n  \
             |                                ^^^^^^^^^\n"
        );
    }
}
