//! `saker trace --ebpf` without `-c`: strace's lines from `saker-bpf`'s syscall capture. The
//! traced program is never stopped; each call is reported once, when it returns, with its raw
//! arguments and the strings the kernel side copied (paths, the first bytes of read/write
//! buffers). The `saker-syscalls` decoders format them through [`CopiedMemory`]; what was not
//! copied prints as an address, the way strace prints memory it cannot read.

use std::collections::BTreeSet;
use std::time::Duration;

use saker_bpf::trace::{TraceConfig, Tracer};
use saker_event::{EventBody, ExecInfo, SyscallDetail, SyscallEvent, SyscallExit};
use saker_syscalls::{
    Decoded, Entry, Memory, NoFdInfo, Style, decode_entry_into, decode_exit_into,
};

use super::ebpf::{Ended, catch_fatal_signals, interrupted};
use super::filter::Filters;
use super::sink::Sink;
use super::timefmt;

const ALIGN_COLUMN: usize = 40;

/// How the lines look (the subset of strace's options that applies to exit-time records).
pub struct LineOptions {
    pub style: Style,
    pub filters: Filters,
    pub follow_forks: bool,
    pub timestamps: u8,
    pub relative: bool,
    pub syscall_times: bool,
    /// `N ` prefixes (output to a file with -f), otherwise `[pid N] ` with several processes.
    pub file_pid_prefix: bool,
    pub quiet: u8,
}

/// What to trace.
pub enum Traced {
    Spawn(Vec<std::ffi::OsString>),
    Attach(Vec<i32>),
}

/// Traces until the command ends (or the attached processes are gone, or the tracer gets a
/// fatal signal), writing one line per returned syscall to `sink`.
pub fn trace(target: Traced, options: LineOptions, sink: &mut Sink) -> Result<Ended, String> {
    catch_fatal_signals();
    let bpf_error = |err: saker_bpf::BpfError| format!("--ebpf: {err}");
    let config = TraceConfig {
        syscalls: (!options.filters.trace.is_all())
            .then(|| options.filters.trace.iter().map(|nr| nr as i64).collect()),
        timed: options.syscall_times,
        follow_forks: options.follow_forks,
        // Enough bytes for what `-s` shows (strace's default is 32).
        snaplen: options.style.string_limit.clamp(32, 4096) as u32,
        ..TraceConfig::default()
    };
    let mut lines = Lines::new(options);
    let (mut tracer, mut command, attached) = match target {
        Traced::Spawn(argv) => {
            let (tracer, command) = Tracer::spawn(&argv, &config).map_err(bpf_error)?;
            lines.live.insert(command.pid());
            (tracer, Some(command), Vec::new())
        }
        Traced::Attach(pids) => {
            let as_u32: Vec<u32> = pids.iter().map(|p| *p as u32).collect();
            let tracer = Tracer::attach(&as_u32, &config).map_err(bpf_error)?;
            lines.live.extend(as_u32.iter().copied());
            if lines.options.quiet == 0 {
                for pid in &pids {
                    eprintln!("saker trace: Process {pid} attached");
                }
            }
            (tracer, None, pids)
        }
    };
    let mut batch: Vec<SyscallEvent> = Vec::with_capacity(1024);
    let mut ended: Option<Ended> = None;
    // Once the command is reaped (or the attached processes are gone), records may still be
    // on their way: read until the last process's exit record came, for at most this long.
    let mut drain_until: Option<std::time::Instant> = None;
    loop {
        let sig = interrupted();
        if sig != 0 {
            ended = Some(Ended::Interrupted(sig));
            break;
        }
        if ended.is_none() {
            let status = match &mut command {
                Some(command) => command.try_wait().map_err(bpf_error)?,
                None => None,
            };
            if let Some(status) = status {
                ended = Some(if libc::WIFEXITED(status) {
                    Ended::Exited(libc::WEXITSTATUS(status))
                } else if libc::WIFSIGNALED(status) {
                    Ended::Killed(libc::WTERMSIG(status))
                } else {
                    Ended::Done
                });
            } else if command.is_none()
                // SAFETY: signal 0 only checks that the process exists.
                && attached.iter().all(|pid| unsafe { libc::kill(*pid, 0) } != 0)
            {
                ended = Some(Ended::Done);
            }
            if ended.is_some() {
                drain_until = Some(std::time::Instant::now() + Duration::from_millis(500));
            }
        }
        let timeout = if ended.is_some() {
            Duration::from_millis(10)
        } else {
            Duration::from_millis(50)
        };
        let got = tracer
            .poll(Some(timeout), 4096, |event| batch.push(event))
            .map_err(bpf_error)?;
        // Records come in kernel order per CPU; merge the CPUs by time.
        batch.sort_by_key(|event| event.header.ts_ns);
        for event in batch.drain(..) {
            lines.event(&event, sink);
        }
        sink.before_wait();
        if let Some(deadline) = drain_until
            && got == 0
            && (lines.live.is_empty() || std::time::Instant::now() >= deadline)
        {
            break;
        }
    }
    let ended = ended.unwrap_or(Ended::Done);
    if matches!(ended, Ended::Interrupted(_)) && lines.options.quiet == 0 {
        for pid in &attached {
            eprintln!("saker trace: Process {pid} detached");
        }
    }
    let drops: u64 = tracer
        .capture()
        .drops()
        .map(|per_cpu| per_cpu.iter().sum())
        .unwrap_or(0);
    sink.finish()?;
    if drops > 0 {
        eprintln!("saker trace: --ebpf: {drops} events lost (the ring buffer was full)");
    }
    Ok(ended)
}

/// Turns capture events into lines.
struct Lines {
    options: LineOptions,
    /// Threads alive (for the `[pid N]` prefix, shown once more than one is traced).
    live: BTreeSet<u32>,
    entry: Entry,
    decoded: Decoded,
    memory: CopiedMemory,
    line: String,
    last_line_at: Option<Duration>,
}

impl Lines {
    fn new(options: LineOptions) -> Lines {
        Lines {
            options,
            live: BTreeSet::new(),
            entry: Entry::default(),
            decoded: Decoded::default(),
            memory: CopiedMemory::default(),
            line: String::with_capacity(256),
            last_line_at: None,
        }
    }

    fn event(&mut self, event: &SyscallEvent, sink: &mut Sink) {
        let tid = event.header.tid;
        let at = Duration::from_nanos(event.header.ts_ns);
        match &event.body {
            EventBody::Syscall(exit) => self.syscall(tid, at, exit, sink),
            EventBody::Exec(info) => self.exec(tid, at, info, sink),
            EventBody::Fork { child_tid, .. } => {
                self.live.insert(*child_tid);
            }
            EventBody::Exit {
                status,
                process_exited,
            } => {
                let code = (status >> 8) & 0xff;
                let signal = status & 0x7f;
                let exit_group = saker_syscalls::number("exit_group").unwrap_or(231);
                if *process_exited && signal == 0 && self.options.filters.trace.contains(exit_group)
                {
                    // exit_group never returns, so the capture has no record of it.
                    self.start_line(tid, at);
                    self.line.push_str("exit_group(");
                    self.line.push_str(&code.to_string());
                    self.line.push(')');
                    self.finish_call("?", None);
                    sink.buffer(tid as i32)
                        .extend_from_slice(self.line.as_bytes());
                }
                if self.options.quiet < 2 {
                    let text = if signal == 0 {
                        format!("+++ exited with {code} +++\n")
                    } else {
                        let name = saker_syscalls::signal_name(signal).unwrap_or("?");
                        let core = if status & 0x80 != 0 {
                            " (core dumped)"
                        } else {
                            ""
                        };
                        format!("+++ killed by {name}{core} +++\n")
                    };
                    self.start_line(tid, at);
                    self.line.push_str(&text);
                    sink.buffer(tid as i32)
                        .extend_from_slice(self.line.as_bytes());
                }
                self.live.remove(&tid);
            }
        }
    }

    fn syscall(&mut self, tid: u32, at: Duration, exit: &SyscallExit, sink: &mut Sink) {
        let nr = exit.nr as u64;
        if !self.options.filters.trace.contains(nr) {
            return;
        }
        let forks = [
            libc::SYS_clone,
            libc::SYS_clone3,
            libc::SYS_fork,
            libc::SYS_vfork,
        ];
        if exit.ret == 0 && forks.contains(&exit.nr) {
            // The new process's own return from fork: strace shows only the parent's.
            return;
        }
        let failed = exit.errno().is_some();
        let status = self.options.filters.status;
        if (failed && !status.failed) || (!failed && !status.successful) {
            return;
        }
        self.memory.load(exit);
        let style = &self.options.style;
        decode_entry_into(
            &mut self.entry,
            nr,
            exit.args,
            &mut self.memory,
            &mut NoFdInfo,
            style,
        );
        decode_exit_into(
            &mut self.decoded,
            &self.entry,
            exit.ret,
            &mut self.memory,
            &mut NoFdInfo,
            style,
        );
        self.start_line(tid, at);
        let decoded = std::mem::take(&mut self.decoded);
        self.line.push_str(&decoded.call);
        let spent = exit
            .duration_ns
            .filter(|_| self.options.syscall_times)
            .map(Duration::from_nanos);
        self.finish_call(&decoded.result, spent);
        self.decoded = decoded;
        sink.buffer(tid as i32)
            .extend_from_slice(self.line.as_bytes());
    }

    /// A successful execve: the capture sends the new image's file name and argv instead of
    /// the syscall record; the environment is not copied.
    fn exec(&mut self, tid: u32, at: Duration, info: &ExecInfo, sink: &mut Sink) {
        let nr = info.nr as u64;
        if !self.options.filters.trace.contains(nr) {
            return;
        }
        if info.old_tid != tid {
            self.live.remove(&info.old_tid);
            self.live.insert(tid);
        }
        let (path_at, argv_at) = self.memory.load_exec(info);
        let args = if info.nr == libc::SYS_execveat {
            [(-100i64) as u64, path_at, argv_at, 0, 0, 0]
        } else {
            [path_at, argv_at, 0, 0, 0, 0]
        };
        let style = &self.options.style;
        decode_entry_into(
            &mut self.entry,
            nr,
            args,
            &mut self.memory,
            &mut NoFdInfo,
            style,
        );
        decode_exit_into(
            &mut self.decoded,
            &self.entry,
            0,
            &mut self.memory,
            &mut NoFdInfo,
            style,
        );
        self.start_line(tid, at);
        let call = self.decoded.call.as_str();
        // The envp pointer is not captured: say so where strace prints `0x7ffc... /* N vars */`.
        match call.strip_suffix(", NULL)") {
            Some(head) => {
                self.line.push_str(head);
                self.line.push_str(", /* envp not captured */)");
            }
            None => self.line.push_str(call),
        }
        self.finish_call("0", None);
        sink.buffer(tid as i32)
            .extend_from_slice(self.line.as_bytes());
    }

    /// The pid prefix and timestamp (strace's printleader).
    fn start_line(&mut self, tid: u32, at: Duration) {
        use std::fmt::Write as _;
        self.line.clear();
        if self.options.file_pid_prefix {
            let _ = write!(self.line, "{tid:<5} ");
        } else if self.live.len() > 1 {
            let _ = write!(self.line, "[pid {tid:>5}] ");
        }
        if self.options.timestamps > 0 {
            timefmt::write_timestamp(&mut self.line, self.options.timestamps, at);
        } else if self.options.relative {
            let delta = self
                .last_line_at
                .map(|last| at.saturating_sub(last))
                .unwrap_or_default();
            timefmt::write_relative(&mut self.line, delta);
        }
        self.last_line_at = Some(at);
    }

    /// ` = result`, aligned at column 40 like strace's `-a 40`.
    fn finish_call(&mut self, result: &str, spent: Option<Duration>) {
        self.line.push(' ');
        while self.line.len() < ALIGN_COLUMN {
            self.line.push(' ');
        }
        self.line.push_str("= ");
        self.line.push_str(result);
        if let Some(spent) = spent {
            timefmt::write_duration(&mut self.line, spent);
        }
        self.line.push('\n');
    }
}

/// The tracee memory the decoders see: the bytes the capture copied, placed at the addresses
/// the raw arguments point to. Reads anywhere else fail, so those arguments print as
/// addresses.
#[derive(Default)]
struct CopiedMemory {
    regions: Vec<(u64, Vec<u8>)>,
}

impl Memory for CopiedMemory {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        for (start, bytes) in &self.regions {
            if addr >= *start && addr - start < bytes.len() as u64 {
                let from = &bytes[(addr - start) as usize..];
                let n = from.len().min(buf.len());
                buf[..n].copy_from_slice(&from[..n]);
                return n;
            }
        }
        0
    }
}

impl CopiedMemory {
    fn place(&mut self, addr: u64, bytes: &[u8], nul: bool) {
        if addr == 0 {
            return;
        }
        let mut copy = Vec::with_capacity(bytes.len() + 1);
        copy.extend_from_slice(bytes);
        if nul {
            copy.push(0);
        }
        self.regions.push((addr, copy));
    }

    /// The copied strings of one syscall record, at the argument each came from.
    fn load(&mut self, record: &SyscallExit) {
        use libc::{
            SYS_execveat, SYS_fchmodat, SYS_fchownat, SYS_link, SYS_mkdirat, SYS_openat,
            SYS_openat2, SYS_pread64, SYS_pwrite64, SYS_read, SYS_rename, SYS_symlinkat,
            SYS_unlinkat, SYS_write,
        };
        const SYS_FCHMODAT2: i64 = 452;
        self.regions.clear();
        let a = record.args;
        let nr = record.nr;
        // The argument index holding the first (and second) path, per syscall.
        let first_path = |at_variant: bool| if at_variant { a[1] } else { a[0] };
        match &record.detail {
            SyscallDetail::Open { path, .. } => {
                let at = nr == SYS_openat || nr == SYS_openat2;
                self.place(first_path(at), &path.0, true);
            }
            SyscallDetail::ExecFailed { path, .. } => {
                self.place(first_path(nr == SYS_execveat), &path.0, true);
            }
            SyscallDetail::Chdir { path } => self.place(a[0], &path.0, true),
            SyscallDetail::Rename {
                old_path, new_path, ..
            } => {
                let (old, new) = if nr == SYS_rename {
                    (a[0], a[1])
                } else {
                    (a[1], a[3])
                };
                self.place(old, &old_path.0, true);
                self.place(new, &new_path.0, true);
            }
            SyscallDetail::Unlink { path, .. } => {
                self.place(first_path(nr == SYS_unlinkat), &path.0, true);
            }
            SyscallDetail::Mkdir { path, .. } => {
                self.place(first_path(nr == SYS_mkdirat), &path.0, true);
            }
            SyscallDetail::Symlink {
                target, link_path, ..
            } => {
                let link = if nr == SYS_symlinkat { a[2] } else { a[1] };
                self.place(a[0], &target.0, true);
                self.place(link, &link_path.0, true);
            }
            SyscallDetail::Link {
                old_path, new_path, ..
            } => {
                let (old, new) = if nr == SYS_link {
                    (a[0], a[1])
                } else {
                    (a[1], a[3])
                };
                self.place(old, &old_path.0, true);
                self.place(new, &new_path.0, true);
            }
            SyscallDetail::Chmod {
                path: Some(path), ..
            } => {
                let at = nr == SYS_fchmodat || nr == SYS_FCHMODAT2;
                self.place(first_path(at), &path.0, true);
            }
            SyscallDetail::Chown {
                path: Some(path), ..
            } => {
                self.place(first_path(nr == SYS_fchownat), &path.0, true);
            }
            SyscallDetail::Truncate {
                path: Some(path), ..
            } => self.place(a[0], &path.0, true),
            SyscallDetail::MemfdCreate { name, .. } => self.place(a[0], &name.0, true),
            SyscallDetail::Mount { source, target, .. } => {
                self.place(a[0], &source.0, true);
                self.place(a[1], &target.0, true);
            }
            SyscallDetail::Umount { target, .. } => self.place(a[0], &target.0, true),
            SyscallDetail::Read { data, .. } if nr == SYS_read || nr == SYS_pread64 => {
                self.place(a[1], &data.0, false);
            }
            SyscallDetail::Write { data, .. } if nr == SYS_write || nr == SYS_pwrite64 => {
                self.place(a[1], &data.0, false);
            }
            _ => {}
        }
    }

    /// Lays out an exec's file name and argv (a NULL-terminated pointer array) at made-up
    /// addresses; returns (file name, argv) addresses.
    fn load_exec(&mut self, info: &ExecInfo) -> (u64, u64) {
        const PATH_AT: u64 = 0x1000;
        const ARGV_AT: u64 = 0x2000;
        const STRINGS_AT: u64 = 0x10_0000;
        self.regions.clear();
        self.place(PATH_AT, &info.filename.0, true);
        let mut pointers = Vec::with_capacity((info.argv.len() + 1) * 8);
        let mut next = STRINGS_AT;
        for arg in &info.argv {
            self.place(next, &arg.0, true);
            pointers.extend_from_slice(&next.to_ne_bytes());
            next += arg.0.len() as u64 + 1;
        }
        pointers.extend_from_slice(&0u64.to_ne_bytes());
        self.regions.push((ARGV_AT, pointers));
        (PATH_AT, ARGV_AT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saker_event::Bytes;

    fn exit(nr: i64, args: [u64; 6], ret: i64, detail: SyscallDetail) -> SyscallExit {
        SyscallExit {
            nr,
            ret,
            args,
            duration_ns: None,
            detail,
        }
    }

    fn line(exit: &SyscallExit) -> String {
        let mut memory = CopiedMemory::default();
        memory.load(exit);
        let style = Style::default();
        let entry = saker_syscalls::decode_entry(
            exit.nr as u64,
            exit.args,
            &mut memory,
            &mut NoFdInfo,
            &style,
        );
        let done =
            saker_syscalls::decode_exit(&entry, exit.ret, &mut memory, &mut NoFdInfo, &style);
        format!("{} = {}", done.call, done.result)
    }

    #[test]
    fn copied_strings_decode_like_strace() {
        let cases = [
            (
                exit(
                    libc::SYS_openat,
                    [(-100i64) as u64, 0x5000, 0o2000000, 0, 0, 0],
                    -2,
                    SyscallDetail::Open {
                        dirfd: -100,
                        path: Bytes::from("/etc/nope"),
                        flags: 0o2000000,
                        mode: 0,
                    },
                ),
                r#"openat(AT_FDCWD, "/etc/nope", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)"#,
            ),
            (
                exit(
                    libc::SYS_read,
                    [3, 0x7000, 4096, 0, 0, 0],
                    5,
                    SyscallDetail::Read {
                        fd: 3,
                        data: Bytes::from("root\n"),
                        truncated: false,
                    },
                ),
                r#"read(3, "root\n", 4096) = 5"#,
            ),
            (
                exit(
                    libc::SYS_write,
                    [1, 0x7000, 40, 0, 0, 0],
                    40,
                    SyscallDetail::Write {
                        fd: 1,
                        data: Bytes::from("0123456789012345678901234567890123456789"),
                        truncated: false,
                    },
                ),
                r#"write(1, "01234567890123456789012345678901"..., 40) = 40"#,
            ),
            // Nothing copied: the pointer prints as an address.
            (
                exit(
                    libc::SYS_newfstatat,
                    [3, 0x7000, 0x8000, 0x1000, 0, 0],
                    0,
                    SyscallDetail::Other,
                ),
                "newfstatat(3, 0x7000, 0x8000, AT_EMPTY_PATH) = 0",
            ),
            (
                exit(
                    libc::SYS_close,
                    [3, 0, 0, 0, 0, 0],
                    0,
                    SyscallDetail::Close { fd: 3 },
                ),
                "close(3) = 0",
            ),
        ];
        for (exit, expect) in cases {
            assert_eq!(line(&exit), expect);
        }
    }

    #[test]
    fn exec_lines_show_path_and_argv() {
        let mut memory = CopiedMemory::default();
        let info = ExecInfo {
            nr: libc::SYS_execve,
            filename: Bytes::from("/usr/bin/true"),
            argv: vec![Bytes::from("true"), Bytes::from("x")],
            argv_truncated: false,
            old_tid: 1,
            vtid: 1,
            vpid: 1,
            loginuid: u32::MAX,
            tty: None,
            caps: None,
        };
        let (path, argv) = memory.load_exec(&info);
        let style = Style::default();
        let entry = saker_syscalls::decode_entry(
            59,
            [path, argv, 0, 0, 0, 0],
            &mut memory,
            &mut NoFdInfo,
            &style,
        );
        let done = saker_syscalls::decode_exit(&entry, 0, &mut memory, &mut NoFdInfo, &style);
        assert_eq!(done.call, r#"execve("/usr/bin/true", ["true", "x"], NULL)"#);
    }
}
