//! `--daemon --pidfile FILE`: the SysV way of running in the background (double fork,
//! setsid, stdio to /dev/null). The starting process waits until the daemon says it is
//! ready, so its exit status tells whether the service came up, and start-up errors still
//! reach the terminal.

use std::io::Write;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};

use crate::exit::Failure;

/// Held by the daemon until its service runs.
pub struct Readiness {
    pipe: std::fs::File,
    pidfile: Option<PathBuf>,
}

/// Removes the pidfile when the service ends.
pub struct PidFile(PathBuf);

impl PidFile {
    /// Takes charge of a pidfile already written.
    pub fn new(path: PathBuf) -> PidFile {
        PidFile(path)
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Forks into the background. Returns in the daemon only; the starting process exits 0 once
/// [`Readiness::ready`] is called, or 2 if the daemon dies first. Call before any thread is
/// started (fork keeps only the calling thread).
pub fn daemonize(pidfile: Option<&Path>) -> anyhow::Result<Readiness> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two fds, each owned below.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    // SAFETY: fresh fds from pipe2, owned once each.
    let (read_end, write_end) =
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // SAFETY: the process is single-threaded here (see above).
    match unsafe { libc::fork() } {
        -1 => return Err(std::io::Error::last_os_error().into()),
        0 => {}
        _ => {
            drop(write_end);
            let mut byte = [0u8; 1];
            let mut reader = std::fs::File::from(read_end);
            let ready = std::io::Read::read(&mut reader, &mut byte).unwrap_or(0) == 1;
            // SAFETY: leaving at once, as the daemon's starter; nothing to clean up.
            unsafe { libc::_exit(if ready { 0 } else { 2 }) };
        }
    }
    drop(read_end);
    // SAFETY: plain syscalls in the single-threaded child.
    unsafe {
        if libc::setsid() < 0 {
            libc::_exit(2);
        }
        match libc::fork() {
            -1 => libc::_exit(2),
            0 => {}
            _ => libc::_exit(0),
        }
        libc::umask(0o022);
    }
    std::env::set_current_dir("/")?;
    if let Some(path) = pidfile {
        write_pidfile(path)?;
    }
    Ok(Readiness {
        pipe: std::fs::File::from(write_end),
        pidfile: pidfile.map(Path::to_path_buf),
    })
}

/// Writes this process's pid to `path`, mode 0600 whatever the umask (a pidfile others could
/// write would let them point `kill $(cat pidfile)` at any process).
pub fn write_pidfile(path: &Path) -> anyhow::Result<()> {
    let written = saker_output::files::create(path, saker_output::files::DEFAULT_FILE_MODE)
        .and_then(|mut file| writeln!(file, "{}", std::process::id()));
    written.map_err(|e| {
        Failure::new(
            2,
            format!("saker: cannot write pidfile {}: {e}", path.display()),
        )
        .into()
    })
}

impl Drop for Readiness {
    /// A daemon that fails before it is ready leaves no pidfile behind.
    fn drop(&mut self) {
        if let Some(path) = self.pidfile.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Readiness {
    /// The service runs: stdio goes to /dev/null and the starting process exits 0.
    pub fn ready(mut self) -> Option<PidFile> {
        if let Ok(null) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/null")
        {
            use std::os::fd::AsRawFd;
            for fd in 0..3 {
                // SAFETY: dup2 onto the standard descriptors, which stay open.
                unsafe { libc::dup2(null.as_raw_fd(), fd) };
            }
        }
        let _ = self.pipe.write_all(&[1]);
        self.pidfile.take().map(PidFile)
    }
}
