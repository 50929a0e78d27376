//! `watch_config_files`: the configuration file and the rules files and directories are
//! watched with inotify (through `notify`), and a change reloads them as SIGHUP does.
//!
//! Each watched path's *directory* is watched, not the file: a Kubernetes ConfigMap volume
//! updates by writing a new timestamped directory and renaming the `..data` symlink over the
//! old one, so the file a watch was put on is deleted, never written. Any event in those
//! directories re-reads what the paths resolve to now (a digest of their contents and, for
//! directories, of their rules files), and a reload is asked for only when that changed:
//! editors' swap files or unrelated files in /etc do not reload anything.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// Set by the watcher thread, taken by the service loop.
static CHANGED: AtomicBool = AtomicBool::new(false);

/// Events closer together than this are one change (the ConfigMap swap is several).
const SETTLE: Duration = Duration::from_millis(200);

/// True once after the watched files changed.
pub fn take_change() -> bool {
    CHANGED.swap(false, Ordering::SeqCst)
}

/// A running watcher; dropping it stops the watch.
pub struct ConfigWatcher {
    watcher: RecommendedWatcher,
    dirs: Vec<PathBuf>,
    paths: std::sync::Arc<std::sync::Mutex<Vec<PathBuf>>>,
}

impl ConfigWatcher {
    /// Watches `paths`, files or directories: a missing file is seen when it appears (its
    /// directory is watched), a missing directory is not.
    pub fn start(paths: Vec<PathBuf>) -> notify::Result<ConfigWatcher> {
        let (tx, rx) = channel();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let _ = tx.send(event.is_ok());
        })?;
        let shared = std::sync::Arc::new(std::sync::Mutex::new(paths.clone()));
        let thread_paths = std::sync::Arc::clone(&shared);
        std::thread::Builder::new()
            .name("saker-watch".into())
            .spawn(move || settle_and_compare(&rx, &thread_paths))?;
        let mut watcher = ConfigWatcher {
            watcher,
            dirs: Vec::new(),
            paths: shared,
        };
        watcher.watch(paths);
        Ok(watcher)
    }

    /// Replaces the watched paths (after a reload changed `rules_files`).
    pub fn watch(&mut self, paths: Vec<PathBuf>) {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for path in &paths {
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            if let Some(parent) = absolute.parent() {
                dirs.push(parent.to_path_buf());
            }
            if absolute.is_dir() {
                dirs.push(absolute);
            }
        }
        dirs.sort();
        dirs.dedup();
        for old in self.dirs.iter().filter(|d| !dirs.contains(d)) {
            let _ = self.watcher.unwatch(old);
        }
        let mut watched = Vec::new();
        for dir in dirs {
            if self.dirs.contains(&dir) {
                watched.push(dir);
                continue;
            }
            // A directory that does not exist (the default /etc/saker/rules.d on a fresh
            // host) has nothing to reload; SIGHUP takes it once it is made.
            if !dir.is_dir() {
                tracing::debug!("watch_config_files: {} does not exist", dir.display());
                continue;
            }
            match self.watcher.watch(&dir, RecursiveMode::NonRecursive) {
                Ok(()) => watched.push(dir),
                Err(e) => {
                    tracing::warn!("watch_config_files: cannot watch {}: {e}", dir.display())
                }
            }
        }
        self.dirs = watched;
        let mut shared = self.paths.lock().unwrap_or_else(|p| p.into_inner());
        *shared = paths;
    }
}

/// The watcher thread: waits for a burst of events to settle, then compares the digest.
fn settle_and_compare(rx: &Receiver<bool>, paths: &std::sync::Mutex<Vec<PathBuf>>) {
    let current = || digest(&paths.lock().unwrap_or_else(|p| p.into_inner()));
    let mut last = current();
    while rx.recv().is_ok() {
        loop {
            match rx.recv_timeout(SETTLE) {
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let now = current();
        if now != last {
            last = now;
            tracing::info!("watch_config_files: the configuration or rules files changed");
            CHANGED.store(true, Ordering::SeqCst);
        }
    }
}

/// What the paths hold now: contents of files (through symlinks), and of the `.yaml`/`.yml`
/// files of directories; a missing path hashes as missing.
fn digest(paths: &[PathBuf]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for path in paths {
        path.hash(&mut hasher);
        hash_path(path, &mut hasher);
    }
    hasher.finish()
}

fn hash_path(path: &Path, hasher: &mut impl Hasher) {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|f| matches!(f.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")));
        files.sort();
        for file in files {
            file.hash(hasher);
            std::fs::read(&file).ok().hash(hasher);
        }
    } else {
        std::fs::read(path).ok().hash(hasher);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_follows_contents_not_paths_alone() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "x: 1\n").unwrap();
        let paths = vec![file.clone(), dir.path().to_path_buf()];
        let before = digest(&paths);
        assert_eq!(before, digest(&paths));
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        assert_eq!(before, digest(&paths), "a non-rules file changed nothing");
        std::fs::write(&file, "x: 2\n").unwrap();
        assert_ne!(before, digest(&paths));
    }
}
