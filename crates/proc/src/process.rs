//! The [`Process`] handle: every file of one process read relative to a directory fd on
//! `/proc/PID`, so that a pid recycled between two reads cannot mix two processes.

use std::ffi::CStr;
use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};
use std::path::PathBuf;

use rustix::fs::{Mode, OFlags};

use crate::cgroup::{self, CgroupEntry, Container};
use crate::environ::{parse_cmdline, parse_environ};
use crate::error::{Error, Result};
use crate::fdinfo::{self, FdInfo, FdTarget};
use crate::namespaces::{NAMESPACE_KINDS, parse_ns_link};
use crate::net::{self, InetSocket, NetlinkSocket, Transport, UnixSocket};
use crate::stat::{Stat, parse_stat};
use crate::status::{Status, parse_status};

/// An open `/proc/PID` (or `/proc/PID/task/TID`) directory.
#[derive(Debug)]
pub struct Process {
    pid: u32,
    /// `/proc/PID` or `/proc/PID/task/TID`, for error messages.
    base: String,
    dir: OwnedFd,
}

/// One namespace of a process, or why it could not be read.
#[derive(Debug)]
pub struct Namespace {
    pub kind: &'static str,
    pub inode: Result<u64>,
}

impl Process {
    /// Opens `/proc/PID`. Fails with [`Error::Gone`] if there is no such process.
    pub fn open(pid: u32) -> Result<Process> {
        Self::open_dir(pid, format!("/proc/{pid}"))
    }

    /// Opens `/proc/PID/task/TID`: one thread of a process.
    pub fn open_task(pid: u32, tid: u32) -> Result<Process> {
        Self::open_dir(tid, format!("/proc/{pid}/task/{tid}"))
    }

    /// The current process.
    pub fn myself() -> Result<Process> {
        Self::open(std::process::id())
    }

    /// The owner of the `/proc/PID` directory: the process's effective uid (root for a process
    /// that is not dumpable), what `pstree` sorts same-named processes by.
    pub fn owner_uid(&self) -> Result<u32> {
        rustix::fs::fstat(&self.dir)
            .map(|st| st.st_uid)
            .map_err(|e| Error::from_io(self.pid, &self.base, e.into()))
    }

    fn open_dir(pid: u32, base: String) -> Result<Process> {
        let dir = rustix::fs::open(
            base.as_str(),
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| Error::from_io(pid, &base, e.into()))?;
        Ok(Process { pid, base, dir })
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    fn path(&self, name: &str) -> PathBuf {
        PathBuf::from(format!("{}/{name}", self.base))
    }

    fn err(&self, name: &str, e: impl Into<std::io::Error>) -> Error {
        Error::from_io(self.pid, self.path(name), e.into())
    }

    fn open_file(&self, name: &str) -> Result<File> {
        rustix::fs::openat(
            &self.dir,
            name,
            OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOCTTY,
            Mode::empty(),
        )
        .map(File::from)
        .map_err(|e| self.err(name, e))
    }

    /// Reads a file of this process into `buf` (cleared first), reusing its allocation.
    pub fn read_into(&self, name: &str, buf: &mut Vec<u8>) -> Result<()> {
        self.read_with(name, buf, false)
    }

    /// [`Process::read_into`] for the hot path of `ps` and `secrets`, which read a few small
    /// files of thousands of processes: a short read is taken as end of file, saving the
    /// final `read` that returns 0.
    ///
    /// Only for `stat`, `statm`, `status`, `cgroup`, `comm`, `loginuid` (single-record seq
    /// files: `ONE()` entries in fs/proc/base.c, which fill the whole request), `cmdline` and
    /// `environ` (whose read functions loop until the request is filled). Multi-record
    /// seq files (`maps`, `net/*`, `mountinfo`) return short reads at record boundaries
    /// before the end; a test below shows it.
    pub fn read_small_into(&self, name: &str, buf: &mut Vec<u8>) -> Result<()> {
        self.read_with(name, buf, true)
    }

    // `std`'s `read_to_end` would add an `fstat` and an `lseek` per file for its size hint,
    // hence the loop by hand.
    fn read_with(&self, name: &str, buf: &mut Vec<u8>, short_read_is_eof: bool) -> Result<()> {
        match self.read_raw(name, buf, short_read_is_eof) {
            // Files backed by the address space (environ, cmdline, auxv) fail with ESRCH for
            // kernel threads and zombies, which have none, although the process is there.
            // They are empty then; only a process whose stat is gone is really gone.
            Err(Error::Gone { .. })
                if matches!(name, "environ" | "cmdline" | "auxv") && self.is_alive() =>
            {
                buf.clear();
                Ok(())
            }
            other => other,
        }
    }

    /// True while the process (even as a zombie) still exists.
    fn is_alive(&self) -> bool {
        rustix::fs::accessat(
            &self.dir,
            "stat",
            rustix::fs::Access::READ_OK,
            rustix::fs::AtFlags::empty(),
        )
        .is_ok()
    }

    fn read_raw(&self, name: &str, buf: &mut Vec<u8>, short_read_is_eof: bool) -> Result<()> {
        buf.clear();
        let fd = rustix::fs::openat(
            &self.dir,
            name,
            OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOCTTY,
            Mode::empty(),
        )
        .map_err(|e| self.err(name, e))?;
        if buf.capacity() < 4096 {
            buf.reserve(4096);
        }
        loop {
            if buf.len() == buf.capacity() {
                buf.reserve(buf.capacity());
            }
            let space = buf.capacity() - buf.len();
            let n = loop {
                match rustix::io::read(&fd, rustix::buffer::spare_capacity(buf)) {
                    Ok(n) => break n,
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(e) => return Err(self.err(name, e)),
                }
            };
            if n == 0 || (short_read_is_eof && n < space) {
                return Ok(());
            }
        }
    }

    /// Reads a whole file of this process.
    pub fn read(&self, name: &str) -> Result<Vec<u8>> {
        let mut buf = Vec::new();
        self.read_into(name, &mut buf)?;
        Ok(buf)
    }

    /// Reads a whole file of this process as UTF-8 text.
    pub fn read_text(&self, name: &str) -> Result<String> {
        String::from_utf8(self.read(name)?).map_err(|_| Error::Parse {
            path: self.path(name),
            what: "not UTF-8".into(),
        })
    }

    fn parse_err(&self, name: &str, what: String) -> Error {
        Error::Parse {
            path: self.path(name),
            what,
        }
    }

    /// The link text of `exe`, `cwd`, `root`, `fd/N` or `ns/KIND`.
    pub fn readlink(&self, name: &str) -> Result<String> {
        let target =
            rustix::fs::readlinkat(&self.dir, name, Vec::new()).map_err(|e| self.err(name, e))?;
        Ok(cstr_lossy(&target))
    }

    pub fn stat(&self) -> Result<Stat> {
        let data = self.read("stat")?;
        parse_stat(&data).map_err(|what| self.parse_err("stat", what))
    }

    pub fn status(&self) -> Result<Status> {
        let text = self.read_text("status")?;
        parse_status(&text).map_err(|what| self.parse_err("status", what))
    }

    pub fn cmdline(&self) -> Result<Vec<String>> {
        Ok(parse_cmdline(&self.read("cmdline")?))
    }

    /// The environment as `(name, value)` pairs (lossily decoded).
    pub fn environ(&self) -> Result<Vec<(String, String)>> {
        let data = self.read("environ")?;
        Ok(parse_environ(&data)
            .map(|v| {
                (
                    String::from_utf8_lossy(v.name).into_owned(),
                    String::from_utf8_lossy(v.value).into_owned(),
                )
            })
            .collect())
    }

    pub fn cgroups(&self) -> Result<Vec<CgroupEntry>> {
        let text = self.read_text("cgroup")?;
        cgroup::parse_cgroup(&text).map_err(|what| self.parse_err("cgroup", what))
    }

    /// The container this process runs in, if any.
    pub fn container(&self) -> Result<Option<Container>> {
        Ok(cgroup::container_of(&self.cgroups()?))
    }

    /// The audit login uid; `None` when unset (4294967295).
    pub fn loginuid(&self) -> Result<Option<u32>> {
        let text = self.read_text("loginuid")?;
        let uid: u32 = text
            .trim()
            .parse()
            .map_err(|_| self.parse_err("loginuid", format!("bad uid {text:?}")))?;
        Ok((uid != u32::MAX).then_some(uid))
    }

    /// Every namespace type, each with its inode or the reason it could not be read.
    pub fn namespaces(&self) -> Vec<Namespace> {
        NAMESPACE_KINDS
            .iter()
            .map(|&kind| {
                let name = format!("ns/{kind}");
                let inode = self.readlink(&name).and_then(|link| {
                    parse_ns_link(&link)
                        .map(|(_, inode)| inode)
                        .ok_or_else(|| self.parse_err(&name, format!("bad link {link:?}")))
                });
                Namespace { kind, inode }
            })
            .collect()
    }

    /// Lists the numeric entries of a directory of this process (`fd`, `task`), sorted.
    fn numeric_entries(&self, name: &str) -> Result<Vec<u32>> {
        let fd = rustix::fs::openat(
            &self.dir,
            name,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| self.err(name, e))?;
        let mut out = numeric_dir_entries(fd.as_fd()).map_err(|e| self.err(name, e))?;
        out.sort_unstable();
        Ok(out)
    }

    /// The open file descriptors, sorted.
    pub fn fds(&self) -> Result<Vec<u32>> {
        self.numeric_entries("fd")
    }

    /// The thread ids, sorted.
    pub fn tasks(&self) -> Result<Vec<u32>> {
        self.numeric_entries("task")
    }

    fn fd_error(&self, fd: u32, e: Error) -> Error {
        // The process directory is still there (we hold it open) but fd/N is missing: the fd
        // is not open, unless the whole process went away, which `stat` tells.
        match e {
            Error::Gone { .. } if self.read("stat").is_ok() => {
                Error::FdNotOpen { pid: self.pid, fd }
            }
            other => other,
        }
    }

    /// What fd `fd` points to.
    pub fn fd_target(&self, fd: u32) -> Result<FdTarget> {
        self.readlink(&format!("fd/{fd}"))
            .map(|link| fdinfo::parse_fd_link(&link))
            .map_err(|e| self.fd_error(fd, e))
    }

    /// Position and flags of fd `fd`.
    pub fn fdinfo(&self, fd: u32) -> Result<FdInfo> {
        let name = format!("fdinfo/{fd}");
        let text = self.read_text(&name).map_err(|e| self.fd_error(fd, e))?;
        fdinfo::parse_fdinfo(&text).map_err(|what| self.parse_err(&name, what))
    }

    /// Opens what fd `fd` points to for reading, through `/proc/PID/fd/N` (a fresh open file
    /// description: the process's own position is not disturbed).
    pub fn open_fd(&self, fd: u32) -> Result<File> {
        self.open_file(&format!("fd/{fd}"))
            .map_err(|e| self.fd_error(fd, e))
    }

    /// The tcp/tcp6/udp/udp6/raw/raw6 table of this process's network namespace.
    pub fn net_inet(&self, table: &str) -> Result<Vec<InetSocket>> {
        let transport = match table.trim_end_matches('6') {
            "tcp" => Transport::Tcp,
            "udp" => Transport::Udp,
            _ => Transport::Raw,
        };
        let name = format!("net/{table}");
        let text = self.read_text(&name)?;
        net::parse_inet(&text, transport).map_err(|what| self.parse_err(&name, what))
    }

    pub fn net_unix(&self) -> Result<Vec<UnixSocket>> {
        let text = self.read_text("net/unix")?;
        net::parse_unix(&text).map_err(|what| self.parse_err("net/unix", what))
    }

    pub fn net_netlink(&self) -> Result<Vec<NetlinkSocket>> {
        let text = self.read_text("net/netlink")?;
        net::parse_netlink(&text).map_err(|what| self.parse_err("net/netlink", what))
    }
}

fn cstr_lossy(s: &CStr) -> String {
    String::from_utf8_lossy(s.to_bytes()).into_owned()
}

fn numeric_dir_entries(fd: impl AsFd) -> std::io::Result<Vec<u32>> {
    let mut dir = rustix::fs::Dir::read_from(fd)?;
    let mut out = Vec::new();
    while let Some(entry) = dir.read() {
        let entry = entry?;
        if let Some(n) = std::str::from_utf8(entry.file_name().to_bytes())
            .ok()
            .and_then(|s| s.parse().ok())
        {
            out.push(n);
        }
    }
    Ok(out)
}

/// The pids of all processes (thread-group leaders) visible in /proc, sorted.
pub fn all_pids() -> Result<Vec<u32>> {
    let dir = rustix::fs::open(
        "/proc",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| Error::Io {
        path: "/proc".into(),
        source: e.into(),
    })?;
    let mut pids = numeric_dir_entries(&dir).map_err(|source| Error::Io {
        path: "/proc".into(),
        source,
    })?;
    pids.sort_unstable();
    Ok(pids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn myself_is_readable() {
        let me = Process::myself().unwrap();
        let stat = me.stat().unwrap();
        assert_eq!(stat.pid, std::process::id());
        let status = me.status().unwrap();
        assert_eq!(status.pid, stat.pid);
        assert!(!me.cmdline().unwrap().is_empty());
        assert!(me.fds().unwrap().contains(&0) || !me.fds().unwrap().is_empty());
        assert!(me.tasks().unwrap().contains(&std::process::id()));
        assert!(all_pids().unwrap().contains(&std::process::id()));
        assert!(me.readlink("exe").unwrap().starts_with('/'));
    }

    #[test]
    fn read_into_matches_std_on_multi_page_files() {
        let me = Process::myself().unwrap();
        let mut buf = Vec::new();
        // smaps, not maps: maps of a small test binary can fit one page, smaps (a record of
        // ~20 lines per mapping) never does.
        me.read_into("smaps", &mut buf).unwrap();
        let expect = std::fs::read("/proc/self/smaps").unwrap();
        assert!(expect.len() > 4096, "smaps too small to test growth");
        // A short read before the end would lose the last mappings (the stack, vsyscall).
        let last_line = |b: &[u8]| b.rsplit(|&c| c == b'\n').nth(1).map(<[u8]>::to_vec);
        assert_eq!(last_line(&buf), last_line(&expect));
        me.read_small_into("status", &mut buf).unwrap();
        // Compare the field names only: values like VmSize move while other test threads run.
        let keys = |b: &[u8]| -> Vec<Vec<u8>> {
            b.split(|&c| c == b'\n')
                .map(|line| {
                    line.split(|&c| c == b':')
                        .next()
                        .unwrap_or_default()
                        .to_vec()
                })
                .collect()
        };
        assert_eq!(
            keys(&buf),
            keys(&std::fs::read("/proc/self/status").unwrap())
        );
        assert!(buf.ends_with(b"\n"));
    }

    #[test]
    fn missing_process_is_gone() {
        // pid_max is at most 2^22, so this pid cannot exist.
        let err = Process::open(4_999_999).unwrap_err();
        assert!(err.is_gone(), "{err:?}");
        assert_eq!(err.to_string(), "process 4999999 not found");
    }

    #[test]
    fn fd_not_open() {
        let me = Process::myself().unwrap();
        let err = me.fd_target(999_999).unwrap_err();
        assert!(
            matches!(err, Error::FdNotOpen { fd: 999_999, .. }),
            "{err:?}"
        );
        let err = me.open_fd(999_999).unwrap_err();
        assert!(matches!(err, Error::FdNotOpen { .. }), "{err:?}");
    }

    #[test]
    fn kernel_thread_has_empty_environ_and_cmdline() {
        // kthreadd is pid 2 on a normal host; elsewhere (a pid namespace) there is none.
        let Ok(p) = Process::open(2) else {
            eprintln!("SKIPPED: no pid 2 (kthreadd) in this pid namespace");
            return;
        };
        if !p.stat().unwrap().is_kernel_thread() {
            eprintln!("SKIPPED: pid 2 is not kthreadd here");
            return;
        }
        assert_eq!(p.read("environ").unwrap(), b"");
        assert!(p.cmdline().unwrap().is_empty());
    }

    #[test]
    fn exited_child_reads_as_gone() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let proc = Process::open(child.id()).unwrap();
        assert!(proc.stat().is_ok());
        child.kill().unwrap();
        child.wait().unwrap();
        let err = proc.stat().unwrap_err();
        assert!(err.is_gone(), "{err:?}");
    }
}
