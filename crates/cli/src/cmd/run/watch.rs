//! `watch_config_files`: the configuration file and the rules files and directories are
//! watched with inotify (through `notify`), and a change reloads them as SIGHUP does.
//!
//! Each watched path's *directory* is watched, not the file: a Kubernetes ConfigMap volume
//! updates by writing a new timestamped directory and renaming the `..data` symlink over the
//! old one, so the file a watch was put on is deleted, never written. Any event in those
//! directories re-reads what the paths resolve to now (a digest of their contents and, for
//! directories, of their rules files), and a reload is asked for only when that changed:
//! editors' swap files or unrelated files in /etc do not reload anything.
//!
//! Bounded whatever happens in those directories: events are coalesced into one pending
//! wake-up, a burst settles after at most [`MAX_SETTLE`], and a file is digested in pieces,
//! at most [`MAX_DIGEST_BYTES`] of it.

use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// Set by the watcher thread, taken by the service loop.
static CHANGED: AtomicBool = AtomicBool::new(false);

/// Events closer together than this are one change (the ConfigMap swap is several).
const SETTLE: Duration = Duration::from_millis(200);
/// A directory that never goes quiet (a busy /tmp) still gets its digest compared this often.
const MAX_SETTLE: Duration = Duration::from_secs(2);
/// Bytes of one file read into its digest (with its size, which catches most changes
/// further on; the rules loader refuses such files anyway); `/dev/zero` must not keep the
/// watcher reading.
const MAX_DIGEST_BYTES: u64 = 64 << 20;

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
        let (tx, rx) = crossbeam_channel::bounded(1);
        let watcher = notify::recommended_watcher(move |_: notify::Result<notify::Event>| {
            wake(&tx);
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

/// One more event: a wake-up is pending, or now is. A full queue already holds one.
fn wake(tx: &Sender<()>) {
    let _ = tx.try_send(());
}

/// Waits until no event came for `quiet`, or `max` passed. False once the watch is gone.
fn settle(rx: &Receiver<()>, quiet: Duration, max: Duration) -> bool {
    let end = Instant::now() + max;
    loop {
        let left = end.saturating_duration_since(Instant::now());
        match rx.recv_timeout(quiet.min(left)) {
            Ok(()) if left.is_zero() => return true,
            Ok(()) => continue,
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}

/// The watcher thread: waits for a burst of events to settle, then compares the digest.
fn settle_and_compare(rx: &Receiver<()>, paths: &std::sync::Mutex<Vec<PathBuf>>) {
    let current = || digest(&paths.lock().unwrap_or_else(|p| p.into_inner()));
    let mut last = current();
    while rx.recv().is_ok() {
        if !settle(rx, SETTLE, MAX_SETTLE) {
            return;
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
            hash_contents(&file, hasher);
        }
    } else {
        hash_contents(path, hasher);
    }
}

/// The file's size and first [`MAX_DIGEST_BYTES`], read in pieces; a missing file hashes
/// as missing.
fn hash_contents(path: &Path, hasher: &mut impl Hasher) {
    let Ok(file) = std::fs::File::open(path) else {
        None::<()>.hash(hasher);
        return;
    };
    if let Ok(meta) = file.metadata() {
        meta.len().hash(hasher);
    }
    let mut file = file.take(MAX_DIGEST_BYTES);
    let mut buf = vec![0u8; 64 << 10];
    loop {
        match file.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => hasher.write(&buf[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_events_holds_one_wake_up() {
        let (tx, rx) = crossbeam_channel::bounded(1);
        for _ in 0..10_000 {
            wake(&tx);
        }
        assert_eq!(rx.len(), 1);
    }

    #[test]
    fn a_directory_that_never_goes_quiet_still_settles() {
        let (tx, rx) = crossbeam_channel::bounded(1);
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let flood = {
            let stop = std::sync::Arc::clone(&stop);
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    wake(&tx);
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        };
        // Events every 5 ms never leave 200 ms of quiet: only the cap ends the wait.
        let start = Instant::now();
        assert!(settle(&rx, SETTLE, Duration::from_millis(500)));
        assert!(start.elapsed() < Duration::from_secs(30));
        stop.store(true, Ordering::Relaxed);
        flood.join().unwrap();
    }

    #[test]
    fn endless_files_are_digested_in_bounded_time_and_memory() {
        // It used to be read whole: memory and time without end.
        digest(&[PathBuf::from("/dev/zero")]);
    }

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
