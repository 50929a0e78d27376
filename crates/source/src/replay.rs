//! `saker run -e FILE`: which source reads a file, told by its content.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::audit::AuditFileSource;
use crate::jsonl::JsonlSource;
use crate::scap::ScapSource;
use crate::{Source, SourceError};

/// What a replayed file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// libscap's `.scap` (plain or gzip-compressed), told by its first bytes.
    Scap,
    /// `saker capture` JSON lines (starting with a `header` record).
    Capture,
    /// Kubernetes audit events: JSON lines of Events, an EventList, a JSON array.
    K8sAudit,
}

/// Tells the kinds apart from the file's start: a `.scap` file starts with its section header
/// block (or a gzip header); a capture file's first line is its header;
/// an audit file starts with an Event (`"kind": "Event"` or an `auditID`), an EventList, a
/// JSON array, or a pretty-printed object. Anything else is read as a capture file, whose
/// reader reports what is wrong with `path:line`.
pub fn detect(path: &Path) -> Result<FileKind, SourceError> {
    let meta = std::fs::metadata(path).map_err(|source| SourceError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_file() && meta.len() == 0 {
        return Err(SourceError::Capture {
            path: path.to_path_buf(),
            message: "empty file (neither a .scap file nor a capture)".into(),
        });
    }
    if crate::scap::looks_like_scap(path) {
        return Ok(FileKind::Scap);
    }
    let file = std::fs::File::open(path).map_err(|source| SourceError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut first = String::new();
    // A capture header is short; an audit Event line is a few KiB.
    let _ = BufReader::new(file.take(1 << 20)).read_line(&mut first);
    Ok(classify_first_line(&first))
}

fn classify_first_line(line: &str) -> FileKind {
    let trimmed = line.trim();
    if trimmed.starts_with('[') || trimmed == "{" {
        return FileKind::K8sAudit;
    }
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str(trimmed) else {
        return FileKind::Capture;
    };
    let kind = object.get("kind").and_then(serde_json::Value::as_str);
    if matches!(kind, Some("Event" | "EventList")) || object.contains_key("auditID") {
        FileKind::K8sAudit
    } else {
        FileKind::Capture
    }
}

/// The source that replays `path`.
pub fn open_file(path: &Path) -> Result<Box<dyn Source>, SourceError> {
    Ok(match detect(path)? {
        FileKind::Scap => Box::new(ScapSource {
            path: path.to_path_buf(),
        }),
        FileKind::Capture => Box::new(JsonlSource {
            path: path.to_path_buf(),
        }),
        FileKind::K8sAudit => Box::new(AuditFileSource {
            path: path.to_path_buf(),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_lines_are_classified() {
        let cases = [
            (
                r#"{"kind":"header","format":"saker-capture","version":1}"#,
                FileKind::Capture,
            ),
            (r#"{"kind":"event"}"#, FileKind::Capture),
            ("not json", FileKind::Capture),
            ("", FileKind::Capture),
            (
                r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1"}"#,
                FileKind::K8sAudit,
            ),
            (r#"{"kind":"EventList","items":[]}"#, FileKind::K8sAudit),
            (r#"{"auditID":"x","verb":"get"}"#, FileKind::K8sAudit),
            ("[", FileKind::K8sAudit),
            ("{\n", FileKind::K8sAudit),
        ];
        for (line, expect) in cases {
            assert_eq!(classify_first_line(line), expect, "{line}");
        }
    }
}
