//! The only I/O of this crate: reading rules files and directories into [`SourceFile`]s.

use std::path::{Path, PathBuf};

use crate::MAX_RULES_FILE_BYTES;

/// The text of one rules file and the name diagnostics use for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read rules file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot list rules directory {path}: {source}")]
    ReadDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("rules file {path} is not valid UTF-8")]
    NotUtf8 { path: PathBuf },
    #[error("rules file {path} is larger than the limit of {limit} bytes (MAX_RULES_FILE_BYTES)")]
    TooLarge { path: PathBuf, limit: usize },
}

/// Reads files and directories in the order given; a directory contributes its `.yml`/`.yaml`
/// files in alphabetical order (not recursively), like Falco's `rules_files`.
pub fn read_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<SourceFile>, RulesError> {
    let mut out = Vec::new();
    for path in paths {
        let path = path.as_ref();
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|source| RulesError::ReadDir {
                path: path.to_path_buf(),
                source,
            })?;
            let mut files: Vec<PathBuf> = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|source| RulesError::ReadDir {
                    path: path.to_path_buf(),
                    source,
                })?;
                let p = entry.path();
                let is_yaml = p.extension().is_some_and(|e| e == "yml" || e == "yaml");
                // Everything but a directory is read, so that a symlink to nothing (or a file
                // that cannot be opened) is an error, not a file silently left out.
                if is_yaml && !p.is_dir() {
                    files.push(p);
                }
            }
            files.sort();
            for file in files {
                out.push(read_file(&file)?);
            }
        } else {
            out.push(read_file(path)?);
        }
    }
    Ok(out)
}

/// Reads one file, at most [`MAX_RULES_FILE_BYTES`] of it: a larger file (or `/dev/zero`, a
/// FIFO that never ends) is refused after that much, never read whole into memory.
fn read_file(path: &Path) -> Result<SourceFile, RulesError> {
    use std::io::Read as _;
    let read_error = |source| RulesError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_RULES_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() > MAX_RULES_FILE_BYTES {
        return Err(RulesError::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_RULES_FILE_BYTES,
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| RulesError::NotUtf8 {
        path: path.to_path_buf(),
    })?;
    Ok(SourceFile::new(path.display().to_string(), text))
}
