//! The printing context handed to decoders, and strace's basic value formats.

use std::cell::RefCell;
use std::fmt::Write;

use super::{FdInfo, Memory, PidKind, Spans, Style, XlatStyle};
use crate::xlat::Xlat;

/// strace reads file names up to PATH_MAX bytes.
const PATH_MAX: usize = 4096;

/// The most bytes of one buffer argument shown, even with a huge `-s`.
const MAX_SHOWN: usize = 1 << 24;

/// How many elements an array shows with `-v` before `...`.
pub(crate) const VERBOSE_ARRAY_LIMIT: u64 = 1 << 14;

/// The one name a dirfd can have instead of a number.
const AT_FDCWD: Xlat = Xlat {
    entries: &[(-100i64 as u64, "AT_FDCWD")],
    unknown: "AT_???",
};

/// Past this many bytes of text for one call, arrays stop early (see [`Ctx::over_budget`]).
const OUTPUT_BUDGET: usize = 1 << 22;

thread_local! {
    /// Reused byte buffer for strings read from the tracee (no allocation per argument).
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Everything a decoder needs: where to write, the tracee, the options, the registers, and
/// (at exit) the return value.
pub(crate) struct Ctx<'a> {
    pub out: &'a mut String,
    pub mem: &'a mut dyn Memory,
    pub fds: &'a mut dyn FdInfo,
    pub style: &'a Style,
    #[allow(dead_code)]
    pub nr: u64,
    pub args: [u64; 6],
    /// `None` at entry, the return value at exit.
    pub ret: Option<i64>,
    /// At exit: the call failed (output arguments print as addresses).
    pub failed: bool,
    pub spans: Spans,
    /// The `, ` before the next argument was already printed (at the end of the entry text).
    pub sep_written: bool,
    /// Set at entry when the decoder stopped before an output argument.
    pub stopped: bool,
    /// With `stopped`: the exit phase prints its own separator, if any (see [`Ctx::stop_after`]).
    pub own_sep: bool,
    pub saved: [u64; 3],
    /// A list saved at entry for the exit (see `Entry`).
    pub saved_list: Vec<u32>,
    /// Text printed after the return value, e.g. `(Timeout)`.
    pub aux: String,
    /// Overrides the decoder's return format (fcntl F_GETFL prints hex).
    pub ret_kind: Option<super::Ret>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        out: &'a mut String,
        mem: &'a mut dyn Memory,
        fds: &'a mut dyn FdInfo,
        style: &'a Style,
        nr: u64,
        args: [u64; 6],
        ret: Option<i64>,
    ) -> Self {
        Ctx {
            out,
            mem,
            fds,
            style,
            nr,
            args,
            ret,
            failed: false,
            spans: Spans::default(),
            sep_written: false,
            stopped: false,
            own_sep: false,
            saved: [0; 3],
            saved_list: Vec::new(),
            aux: String::new(),
            ret_kind: None,
        }
    }

    pub fn entering(&self) -> bool {
        self.ret.is_none()
    }

    /// The return value (0 at entry).
    pub fn rval(&self) -> i64 {
        self.ret.unwrap_or(0)
    }

    /// Whether output arguments can be shown: at exit and the call succeeded.
    pub fn ok(&self) -> bool {
        self.ret.is_some() && !self.failed
    }

    /// Whether this call's text is already absurdly long (garbage arrays under `-v`): array
    /// printers stop with `...` rather than build gigabytes of output.
    pub fn over_budget(&self) -> bool {
        self.out.len() > OUTPUT_BUDGET
    }

    /// Number of arguments printed so far.
    pub fn printed(&self) -> usize {
        self.spans.len as usize
    }

    /// Starts the next argument: writes the separator and opens its span.
    pub fn next(&mut self) {
        self.close_span();
        if self.spans.len > 0 && !self.sep_written {
            self.out.push_str(", ");
        }
        self.sep_written = false;
        if (self.spans.len as usize) < self.spans.ranges.len() {
            let at = self.out.len() as u32;
            self.spans.ranges[self.spans.len as usize] = (at, at);
            self.spans.len += 1;
            self.spans.open = true;
        }
    }

    pub fn close_span(&mut self) {
        if self.spans.open && self.spans.len > 0 {
            self.spans.ranges[self.spans.len as usize - 1].1 = self.out.len() as u32;
            self.spans.open = false;
        }
    }

    /// Ends the entry phase before an output argument.
    pub fn stop(&mut self) {
        self.close_span();
        self.stopped = true;
    }

    /// Ends the entry phase without the `, ` [`Ctx::stop`] leaves for an output argument:
    /// strace's ioctl decoders go on at exit with ` => {...}`, `}` or nothing at all.
    pub fn stop_after(&mut self) {
        self.stop();
        self.own_sep = true;
    }

    pub fn s(&mut self, text: &str) {
        self.out.push_str(text);
    }

    pub fn dec(&mut self, v: i64) {
        push_dec(self.out, v);
    }

    pub fn udec(&mut self, v: u64) {
        push_udec(self.out, v);
    }

    pub fn hex(&mut self, v: u64) {
        write_hex(self.out, v);
    }

    pub fn ptr(&mut self, v: u64) {
        if v == 0 {
            self.out.push_str("NULL");
        } else {
            write_hex(self.out, v);
        }
    }

    /// An `int` argument.
    pub fn int(&mut self, v: u64) {
        self.dec(v as i32 as i64);
    }

    /// An `unsigned int` argument.
    pub fn uint(&mut self, v: u64) {
        self.udec(v as u32 as u64);
    }

    /// A process id of `kind`, with its number in the tracer's PID namespace and its command
    /// name when `--pidns-translation` / `--decode-pids=comm` ask (strace's printpid).
    pub fn pid(&mut self, v: u64, kind: PidKind) {
        write_pid(self.out, v as i32, kind, self.fds, self.style);
    }

    /// A siginfo's fields, its sender's pid with its note.
    pub fn siginfo_fields(&mut self, info: &crate::signal::SigInfo) {
        let (fds, style) = (&mut *self.fds, self.style);
        crate::signal::write_siginfo_fields(self.out, info, &mut |out, id| {
            write_sender_or_fd(out, id, fds, style)
        });
    }

    /// An id that is a process's or a group's depending on another argument (`which` of
    /// getpriority, ioprio_get, waitid), or a plain int.
    pub fn pid_if(&mut self, v: u64, kind: Option<PidKind>) {
        match kind {
            Some(kind) => self.pid(v, kind),
            None => self.int(v),
        }
    }

    /// kill/wait4's pid: a process (> 0), a process group (< -1), or a special value.
    pub fn pid_or_group(&mut self, v: u64) {
        let pid = v as i32;
        push_dec(self.out, i64::from(pid));
        if pid > 0 {
            write_pid_note(self.out, pid, PidKind::Tgid, self.fds, self.style);
        } else if pid < -1 {
            write_pid_note(self.out, -pid, PidKind::Pgid, self.fds, self.style);
        }
    }

    /// A `uid_t`/`gid_t`: unsigned, except `(uid_t) -1` ("leave unchanged") as `-1`.
    pub fn uid(&mut self, v: u64) {
        match v as u32 {
            u32::MAX => self.out.push_str("-1"),
            id => self.udec(id as u64),
        }
    }

    pub fn fd(&mut self, v: u64) {
        write_fd(self.out, v as i32, self.fds, self.style);
    }

    /// fd `v` of process `pid` (tracee numbering), strace's printfd_pid_tracee_ns: with
    /// `-y` its path, when that process can be found.
    pub fn fd_of(&mut self, pid: u64, v: u64) {
        let fd = v as i32;
        let mut foreign = ForeignFds {
            inner: &mut *self.fds,
            pid: pid as i32,
        };
        write_fd(self.out, fd, &mut foreign, self.style);
    }

    pub fn dirfd(&mut self, v: u64) {
        if v as i32 == -100 {
            write_named(self.out, Some("AT_FDCWD"), &AT_FDCWD, |out| {
                out.push_str("-100")
            });
            // With -y strace shows the working directory: `AT_FDCWD</root>`, only when
            // the decode-fds set has paths (strace's print_dirfd).
            if self.style.fd_details().path
                && let Some(cwd) = self.fds.path(-100)
            {
                let cwd = exact_path(self.fds, -100, &cwd);
                self.out.push('<');
                quote(self.out, &cwd, self.style.hex, b"<>", false);
                self.out.push('>');
            }
        } else {
            self.fd(v);
        }
    }

    /// `0644`, `000`, as strace's `%#03o`.
    pub fn mode(&mut self, v: u64) {
        write_octal(self.out, v);
    }

    pub fn flags(&mut self, v: u64, x: &Xlat) {
        write_flags(self.out, v, x);
    }

    pub fn xval(&mut self, v: u64, x: &Xlat) {
        write_xval(self.out, v, x);
    }

    /// An enum printed in unsigned decimal when unknown (strace's `XLAT_STYLE_FMT_U`).
    pub fn xval_u(&mut self, v: u64, x: &Xlat) {
        let name = x.entries.iter().find(|e| e.0 == v).map(|e| e.1);
        write_named(self.out, name, x, |out| push_udec(out, v));
    }

    /// An enum printed in decimal when unknown (strace's `printxval_d`).
    pub fn xval_d(&mut self, v: i64, x: &Xlat) {
        let name = x.entries.iter().find(|e| e.0 == v as u64).map(|e| e.1);
        write_named(self.out, name, x, |out| push_dec(out, v));
    }

    pub fn signal(&mut self, v: u64) {
        crate::signal::write_signal(self.out, v as i32 as i64);
    }

    /// strace's `print_array`: `nmemb` elements of `elem_size` bytes at `addr`, each printed
    /// by `element` (which returns false to stop). The address alone when the first element
    /// cannot be read, `... /* 0x... */` where a later one cannot, `...` past `-s` elements
    /// unless `-v`.
    pub fn array(
        &mut self,
        addr: u64,
        nmemb: u64,
        elem_size: usize,
        element: impl FnMut(&mut Ctx, &[u8]) -> bool,
    ) {
        self.array_walked(addr, nmemb, elem_size, element);
    }

    /// [`Ctx::array`], true when the whole array was walked (shown, cut at the limit, or
    /// stopped by `element`): strace's print_array's answer.
    pub fn array_walked(
        &mut self,
        addr: u64,
        nmemb: u64,
        elem_size: usize,
        mut element: impl FnMut(&mut Ctx, &[u8]) -> bool,
    ) -> bool {
        if addr == 0 {
            self.out.push_str("NULL");
            return false;
        }
        if nmemb == 0 {
            self.out.push_str("[]");
            return false;
        }
        let size = nmemb.checked_mul(elem_size as u64);
        let Some(end) = size.and_then(|size| addr.checked_add(size)) else {
            self.ptr(addr);
            return false;
        };
        // -v lifts the -s limit, but garbage counts must not make gigabytes of text.
        let shown = if self.style.verbose {
            nmemb.min(VERBOSE_ARRAY_LIMIT)
        } else {
            nmemb.min(self.style.string_limit as u64)
        };
        let mut buf = vec![0u8; elem_size];
        let mut at = addr;
        let mut index = 0;
        while at < end {
            if at != addr {
                self.out.push_str(", ");
            }
            if !self.read_exact(at, &mut buf) {
                if at == addr {
                    self.ptr(addr);
                    return false;
                }
                self.out.push_str("... /* ");
                write_hex(self.out, at);
                self.out.push_str(" */");
                self.out.push(']');
                return false;
            }
            if at == addr {
                self.out.push('[');
            }
            if index >= shown || self.over_budget() {
                self.out.push_str("...");
                break;
            }
            if !element(self, &buf) {
                break;
            }
            at += elem_size as u64;
            index += 1;
        }
        self.out.push(']');
        true
    }

    /// strace's `print_nonzero_bytes` for the tail of an extensible struct bigger than the
    /// one known (`start..total` bytes at `addr`): nothing when it is all zeros, `, ???` when
    /// it cannot be read, else `, /* bytes 24..31 */ "\x80..."`. True if something printed.
    pub fn nonzero_tail(&mut self, addr: u64, start: u64, total: u64) -> bool {
        self.nonzero_tail_after(", ", addr, start, total)
    }

    /// [`Ctx::nonzero_tail`] with another text than `, ` before it (clone3 at exit: ` => {`).
    pub fn nonzero_tail_after(&mut self, prefix: &str, addr: u64, start: u64, total: u64) -> bool {
        if start >= total {
            return false;
        }
        let mut tail = vec![0u8; (total - start) as usize];
        if !self.read_exact(addr.wrapping_add(start), &mut tail) {
            self.out.push_str(prefix);
            self.out.push_str("???");
            return true;
        }
        if tail.iter().all(|b| *b == 0) {
            return false;
        }
        let _ = write!(self.out, "{prefix}/* bytes {start}..{} */ ", total - 1);
        let shown = tail.len().min(self.style.string_limit);
        quote(self.out, &tail[..shown], 2, b"", true);
        if shown < tail.len() {
            self.out.push_str("...");
        }
        true
    }

    /// Reads exactly `buf.len()` bytes; false if any could not be read.
    pub fn read_exact(&mut self, addr: u64, buf: &mut [u8]) -> bool {
        addr != 0 && self.mem.read(addr, buf) == buf.len()
    }

    pub fn read_u64(&mut self, addr: u64) -> Option<u64> {
        let mut b = [0u8; 8];
        self.read_exact(addr, &mut b).then(|| u64::from_ne_bytes(b))
    }

    pub fn read_u32(&mut self, addr: u64) -> Option<u32> {
        let mut b = [0u8; 4];
        self.read_exact(addr, &mut b).then(|| u32::from_ne_bytes(b))
    }

    /// A file name: quoted, never cut (up to PATH_MAX), `NULL`, or the address if unreadable.
    pub fn path(&mut self, addr: u64) {
        // strace's printpathn: PATH_MAX - 1 characters, one more byte read to see the NUL.
        self.cstr_limited(addr, PATH_MAX - 1);
    }

    /// A NUL-terminated string cut at `-s` with `...`.
    pub fn cstr(&mut self, addr: u64) {
        let limit = self.style.string_limit;
        self.cstr_limited(addr, limit);
    }

    /// strace's `printstr_ex(addr, len, QUOTE_0_TERMINATED)`: a NUL-terminated string in a
    /// buffer of `len` bytes, cut at `-s`; `...` when no NUL was seen in what is shown (a
    /// NUL right after it counts).
    pub fn cstr_bounded(&mut self, addr: u64, len: u64) {
        if addr == 0 {
            self.out.push_str("NULL");
            return;
        }
        let limit = self.style.string_limit;
        let size = (limit as u64).saturating_add(1).min(len) as usize;
        let hex = self.style.hex;
        let mem = &mut *self.mem;
        let out = &mut *self.out;
        SCRATCH.with(|scratch| {
            let mut buf = scratch.borrow_mut();
            match read_cstr(mem, addr, size, &mut buf) {
                None => write_hex(out, addr),
                Some(terminated) => {
                    let shown = size.min(limit);
                    let nul_seen =
                        terminated && (buf.len() < shown || (size > limit && buf.len() == limit));
                    quote(out, &buf[..buf.len().min(shown)], hex, b"", true);
                    if !nul_seen && len != 0 {
                        out.push_str("...");
                    }
                }
            }
        });
    }

    pub fn cstr_limited(&mut self, addr: u64, limit: usize) {
        if addr == 0 {
            self.out.push_str("NULL");
            return;
        }
        let hex = self.style.hex;
        let mem = &mut *self.mem;
        let out = &mut *self.out;
        SCRATCH.with(|scratch| {
            let mut buf = scratch.borrow_mut();
            match read_cstr(mem, addr, limit.saturating_add(1), &mut buf) {
                None => write_hex(out, addr),
                Some(terminated) => {
                    let shown = buf.len().min(limit);
                    quote(out, &buf[..shown], hex, b"", true);
                    if !terminated || buf.len() > limit {
                        out.push_str("...");
                    }
                }
            }
        });
    }

    /// `len` bytes at `addr` shown as a string cut at `-s` (read/write buffers).
    pub fn buf(&mut self, addr: u64, len: u64) {
        let limit = self.style.string_limit;
        self.buf_limited(addr, len, limit);
    }

    /// Like [`Ctx::buf`], every byte as `\xNN` whatever `-x` says (getrandom).
    pub fn buf_hex(&mut self, addr: u64, len: u64) {
        let limit = self.style.string_limit;
        self.buf_quoted(addr, len, limit, 2, Nul::Keep);
    }

    pub fn buf_limited(&mut self, addr: u64, len: u64, limit: usize) {
        let hex = self.style.hex;
        self.buf_quoted(addr, len, limit, hex, Nul::Keep);
    }

    /// strace's `printstr_ex(QUOTE_OMIT_TRAILING_0)` (xattr values): like [`Ctx::buf`],
    /// without the last byte shown when it is a NUL.
    pub fn buf_omit_trailing_nul(&mut self, addr: u64, len: u64) {
        let (limit, hex) = (self.style.string_limit, self.style.hex);
        self.buf_quoted(addr, len, limit, hex, Nul::Omit);
    }

    /// strace's `printstr_ex(QUOTE_OMIT_TRAILING_0 | QUOTE_EXPECT_TRAILING_0)` (netlink
    /// string attributes): like [`Ctx::buf_omit_trailing_nul`], with `...` after it unless
    /// its last byte shown was that NUL.
    pub fn buf_expect_trailing_nul(&mut self, addr: u64, len: u64) {
        let (limit, hex) = (self.style.string_limit, self.style.hex);
        self.buf_quoted(addr, len, limit, hex, Nul::Expect);
    }

    fn buf_quoted(&mut self, addr: u64, len: u64, limit: usize, hex: u8, nul: Nul) {
        if addr == 0 {
            self.out.push_str("NULL");
            return;
        }
        // The tracee chooses `len`; whatever `-s` says, never copy more than MAX_SHOWN.
        let shown = (len as usize).min(limit).min(MAX_SHOWN);
        // strace fetches one byte past the limit and shows the address when any of the
        // fetched bytes cannot be read.
        let fetch = (len as usize).min(shown + 1);
        let mem = &mut *self.mem;
        let out = &mut *self.out;
        SCRATCH.with(|scratch| {
            let mut buf = scratch.borrow_mut();
            buf.clear();
            buf.resize(fetch, 0);
            if fetch > 0 && mem.read(addr, &mut buf) != fetch {
                write_hex(out, addr);
                return;
            }
            buf.truncate(shown);
            // In hex, strace shows every byte.
            let omitted = nul != Nul::Keep && !shows_in_hex(&buf, hex) && buf.last() == Some(&0);
            if omitted {
                buf.pop();
            }
            quote(out, &buf, hex, b"", true);
            let cut = match nul {
                Nul::Expect => !omitted && len > 0,
                _ => len as usize > shown,
            };
            if cut {
                out.push_str("...");
            }
        });
    }

    /// Reads a NUL-terminated string (for decoders that need the bytes, e.g. xattr names).
    pub fn read_string(&mut self, addr: u64, max: usize) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        read_cstr(self.mem, addr, max, &mut buf).map(|_| buf)
    }
}

/// What a buffer printer does with a NUL as the last byte shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nul {
    Keep,
    Omit,
    /// Omit it, and mark the string cut when it is not there.
    Expect,
}

/// Reads up to `max` bytes of a NUL-terminated string into `buf` (without the NUL).
/// Returns `Some(true)` if the NUL was found, `Some(false)` if `max` bytes came without one
/// (or memory ended), `None` if nothing could be read.
fn read_cstr(mem: &mut dyn Memory, addr: u64, max: usize, buf: &mut Vec<u8>) -> Option<bool> {
    buf.clear();
    let mut chunk = [0u8; 256];
    let mut at = addr;
    while buf.len() < max {
        // Stay inside one page per read so a fault on the next page does not hide this one.
        let to_page_end = 4096 - (at % 4096) as usize;
        let want = chunk.len().min(to_page_end).min(max - buf.len());
        let got = mem.read(at, &mut chunk[..want]);
        if let Some(nul) = chunk[..got].iter().position(|b| *b == 0) {
            buf.extend_from_slice(&chunk[..nul]);
            return Some(true);
        }
        buf.extend_from_slice(&chunk[..got]);
        if got < want {
            // A fault before the NUL: strace's umovestr fails and the address is shown.
            return None;
        }
        at = at.wrapping_add(got as u64);
    }
    Some(false)
}

/// A siginfo's sender pid or SIGIO fd, annotated as `-y` and the pid options say.
pub(crate) fn write_sender_or_fd(
    out: &mut String,
    id: crate::signal::SenderOrFd,
    fds: &mut dyn FdInfo,
    style: &Style,
) {
    match id {
        crate::signal::SenderOrFd::Pid(pid) => write_pid(out, pid, PidKind::Tgid, fds, style),
        crate::signal::SenderOrFd::Fd(fd) => write_fd(out, fd, fds, style),
    }
}

/// A pid and its note (see [`write_pid_note`]).
pub(crate) fn write_pid(
    out: &mut String,
    pid: i32,
    kind: PidKind,
    fds: &mut dyn FdInfo,
    style: &Style,
) {
    push_dec(out, i64::from(pid));
    write_pid_note(out, pid, kind, fds, style);
}

/// What follows a pid for `--decode-pids=comm` (`<bash>`, threads and processes only) and
/// `--pidns-translation` (` /* 1234 in strace's PID NS */` when the numbers differ).
pub(crate) fn write_pid_note(
    out: &mut String,
    pid: i32,
    kind: PidKind,
    fds: &mut dyn FdInfo,
    style: &Style,
) {
    let comm = style.pids.comm && matches!(kind, PidKind::Tid | PidKind::Tgid);
    if !(style.pids.pidns || comm) {
        return;
    }
    let Some(ours) = fds.pid_in_tracer_ns(pid, kind).filter(|p| *p != 0) else {
        return;
    };
    if comm && let Some(name) = fds.pid_comm(ours) {
        write_comm(out, name.as_bytes(), style.hex);
    }
    if style.pids.pidns && ours != pid {
        let _ = write!(out, " /* {ours} in strace's PID NS */");
    }
}

/// A process name as `-Y` shows it after a pid: `<name>`, with `<` and `>` escaped as in
/// strace's print_comm_str.
pub fn write_comm(out: &mut String, name: &[u8], hex: u8) {
    out.push('<');
    quote(out, name, hex, b"<>", false);
    out.push('>');
}

/// C's `%#0*lx` with `width` digits: `0x00000000000001`, but `0000000000000000` for zero
/// (the `0x` counts in the width, and C prints none for zero).
pub(crate) fn write_padded_hex(out: &mut String, v: u64, width: usize) {
    if v == 0 {
        let _ = write!(out, "{:0width$}", 0);
    } else {
        let _ = write!(out, "{v:#0w$x}", w = width);
    }
}

/// C's `%#03o`: a leading 0, at least three digits (`000`, `022`, `0644`).
pub(crate) fn write_octal(out: &mut String, v: u64) {
    let len = if v == 0 {
        1
    } else {
        1 + (64 - v.leading_zeros()).div_ceil(3) as usize
    };
    for _ in len..3 {
        out.push('0');
    }
    if v == 0 {
        out.push('0');
    } else {
        let _ = write!(out, "0{v:o}");
    }
}

/// C's `%#lx`: `0` for zero, `0x7ffd...` otherwise. Written by hand: this runs for most
/// arguments of every traced call, and `core::fmt` costs several times more.
pub(crate) fn write_hex(out: &mut String, v: u64) {
    if v == 0 {
        out.push('0');
        return;
    }
    let mut buf = [0u8; 18];
    let mut i = buf.len();
    let mut n = v;
    while n != 0 {
        i -= 1;
        buf[i] = b"0123456789abcdef"[(n & 0xf) as usize];
        n >>= 4;
    }
    out.push_str("0x");
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or(""));
}

/// A value that formats as C's `%#x` (`0` for zero, `0x1f` otherwise), for `write!`.
pub(crate) struct CHex(pub u64);

impl std::fmt::Display for CHex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            0 => f.write_str("0"),
            v => write!(f, "{v:#x}"),
        }
    }
}

/// Decimal without `core::fmt` (see [`write_hex`]).
pub(crate) fn push_udec(out: &mut String, v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or(""));
}

pub(crate) fn push_dec(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_udec(out, v.unsigned_abs());
}

/// The fds of another process, as [`FdInfo`] for [`write_fd`]: only their paths are known.
struct ForeignFds<'a> {
    inner: &'a mut dyn FdInfo,
    pid: i32,
}

impl FdInfo for ForeignFds<'_> {
    fn path(&mut self, fd: i32) -> Option<String> {
        self.inner.foreign_path(self.pid, fd)
    }

    fn socket(&mut self, _fd: i32) -> Option<String> {
        None
    }

    fn device(&mut self, fd: i32) -> Option<String> {
        self.inner.foreign_device(self.pid, fd)
    }
}

/// The bytes of fd `fd`'s `path`: read again as bytes when `path` holds a replacement
/// character (a file name that is not UTF-8), so that it prints as strace prints it.
fn exact_path<'a>(fds: &mut dyn FdInfo, fd: i32, path: &'a str) -> std::borrow::Cow<'a, [u8]> {
    match path.contains(char::REPLACEMENT_CHARACTER) {
        true => fds
            .path_bytes(fd)
            .map_or(path.as_bytes().into(), std::borrow::Cow::Owned),
        false => path.as_bytes().into(),
    }
}

/// strace's `printfd`: the number, then what the `-e decode-fds=` set asks for, the first
/// that applies: a socket's endpoints, a device's numbers, a pidfd's process, the path.
pub(crate) fn write_fd(out: &mut String, fd: i32, fds: &mut dyn FdInfo, style: &Style) {
    push_dec(out, fd.into());
    let set = style.fd_details();
    if fd < 0 || set == super::FdDetails::default() {
        return;
    }
    let Some(path) = fds.path(fd) else { return };
    if set.socket
        && path.starts_with("socket:[")
        && let Some(sock) = fds
            .netlink_socket(fd)
            .map(netlink_socket_text)
            .or_else(|| fds.socket(fd))
    {
        out.push('<');
        out.push_str(&sock);
        out.push('>');
        return;
    }
    if set.dev
        && path.starts_with('/')
        && let Some(dev) = fds.device(fd)
    {
        out.push('<');
        quote(out, &exact_path(fds, fd, &path), style.hex, b"<>", false);
        out.push('<');
        out.push_str(&dev);
        out.push_str(">>");
        return;
    }
    if set.pidfd && path == "anon_inode:[pidfd]" {
        match fds.pidfd_pid(fd) {
            Some(pid) if pid > 0 => {
                let _ = write!(out, "<pid:{pid}>");
            }
            _ => out.push_str("<anon_inode:[pidfd]>"),
        }
        return;
    }
    if !set.path {
        return;
    }
    // /proc shows unlinked files as "path (deleted)"; strace moves the mark outside,
    // unless a live file has that very name (strace's get_proc_pid_fd_path).
    let (path, deleted) = match path.strip_suffix(" (deleted)") {
        Some(p) if !fds.is_file_at(fd, &path) => (p, true),
        _ => (path.as_str(), false),
    };
    let exact = exact_path(fds, fd, path);
    // A name read again as bytes is the whole link target: leave the mark out as above (once:
    // the name itself may end in " (deleted)").
    let name = match (&exact, deleted) {
        (std::borrow::Cow::Owned(bytes), true) => {
            bytes.strip_suffix(b" (deleted)").unwrap_or(bytes)
        }
        _ => &exact,
    };
    out.push('<');
    quote(out, name, style.hex, b"<>", false);
    out.push('>');
    if deleted {
        out.push_str("(deleted)");
    }
}

/// A bound netlink socket as strace's netlink_parse_response names it:
/// `NETLINK:[ROUTE:1234]`, `NETLINK:[99]` for a protocol without a name.
fn netlink_socket_text((protocol, port): (u8, u32)) -> String {
    let table = &crate::xlat::NETLINK_PROTOCOLS;
    match table.entries.iter().find(|e| e.0 == u64::from(protocol)) {
        Some((_, name)) => {
            let name = name.strip_prefix("NETLINK_").unwrap_or(name);
            format!("NETLINK:[{name}:{port}]")
        }
        None => format!("NETLINK:[{protocol}]"),
    }
}

/// Whether [`quote`] shows `bytes` all in hex: always with `-xx`, with `-x` when one of
/// them is not printable (never with non-ascii-chars, which hexes characters one by one).
fn shows_in_hex(bytes: &[u8], hex: u8) -> bool {
    match hex {
        1 => bytes
            .iter()
            .any(|c| *c > 0x7e || (*c < b' ' && !(9..=13).contains(c))),
        2 => true,
        _ => false,
    }
}

/// strace's `string_quote`: C escapes, `\ooo` octal for other unprintable bytes (short form
/// unless an octal digit follows), hex with `-x` when the string has non-printable bytes
/// and always with `-xx`.
pub(crate) fn quote(out: &mut String, bytes: &[u8], hex: u8, escape: &[u8], quotes: bool) {
    let use_hex = shows_in_hex(bytes, hex);
    if quotes {
        out.push('"');
    }
    if use_hex {
        for c in bytes {
            let _ = write!(out, "\\x{c:02x}");
        }
    } else {
        for (i, &c) in bytes.iter().enumerate() {
            match c {
                b'"' | b'\\' => {
                    out.push('\\');
                    out.push(c as char);
                }
                b'\x0c' => out.push_str("\\f"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                b'\x0b' => out.push_str("\\v"),
                b' '..=b'~' if !escape.contains(&c) => out.push(c as char),
                // --strings-in-hex=non-ascii-chars: `\xNN` instead of octal.
                _ if hex == 3 => {
                    let _ = write!(out, "\\x{c:02x}");
                }
                _ => {
                    out.push('\\');
                    let next_is_digit = bytes.get(i + 1).is_some_and(|n| (b'0'..=b'7').contains(n));
                    if next_is_digit {
                        out.push((b'0' + (c >> 6)) as char);
                        out.push((b'0' + ((c >> 3) & 7)) as char);
                    } else if c >> 3 != 0 {
                        if c >> 6 != 0 {
                            out.push((b'0' + (c >> 6)) as char);
                        }
                        out.push((b'0' + ((c >> 3) & 7)) as char);
                    }
                    out.push((b'0' + (c & 7)) as char);
                }
            }
        }
    }
    if quotes {
        out.push('"');
    }
}

thread_local! {
    /// `-X`: how named constants print. Set from [`Style::xlat`] for the call being decoded
    /// (see [`with_xlat_style`]), so that every table printer, however deep in a struct,
    /// honours it without threading the style through each one.
    static XLAT_STYLE: std::cell::Cell<XlatStyle> = const { std::cell::Cell::new(XlatStyle::Abbrev) };
}

/// Runs `f` with `style` (`-X`) in force for the table printers. Decoding runs under the
/// call's style; names later printed whole in that style (see [`write_named`]) are built
/// under `XlatStyle::Abbrev`.
pub(crate) fn with_xlat_style<R>(style: XlatStyle, f: impl FnOnce() -> R) -> R {
    let before = XLAT_STYLE.with(|s| s.replace(style));
    let result = f();
    XLAT_STYLE.with(|s| s.set(before));
    result
}

/// Runs `f` with the number of every named value shown, its name in a comment (`-X
/// verbose`) unless `-X raw` (strace's PRINT_FIELD_XVAL_VERBOSE, for names that are no
/// UAPI).
pub(crate) fn with_number_shown<R>(f: impl FnOnce() -> R) -> R {
    let style = match xlat_style() {
        XlatStyle::Raw => XlatStyle::Raw,
        _ => XlatStyle::Verbose,
    };
    with_xlat_style(style, f)
}

pub(crate) fn xlat_style() -> XlatStyle {
    XLAT_STYLE.with(|s| s.get())
}

/// strace's `printflags`: matching names joined by `|` in table order, the rest in hex;
/// `0x... /* X_??? */` when nothing matches; `0` (or the zero entry's name) for 0.
/// With `-X raw` only the number, with `-X verbose` the number then the names in a comment.
pub(crate) fn write_flags(out: &mut String, v: u64, x: &Xlat) {
    write_flags_in(out, v, &[x], x.unknown);
}

/// strace's `printflags_ex` over several tables: [`write_flags`] with the entries of `tables`
/// one table after the other, `unknown` in the comment when none matches.
pub(crate) fn write_flags_in(out: &mut String, v: u64, tables: &[&Xlat], unknown: &str) {
    let style = xlat_style();
    if style == XlatStyle::Raw {
        write_hex(out, v);
        return;
    }
    let verbose = style == XlatStyle::Verbose;
    if verbose && v != 0 {
        write_hex(out, v);
    }
    let mut rest = v;
    let mut named = 0;
    for &(bits, name) in tables.iter().flat_map(|x| x.entries) {
        if rest == bits || (bits != 0 && rest & bits == bits) {
            if verbose && rest == 0 {
                out.push('0');
            }
            if named > 0 {
                out.push('|');
            } else if verbose {
                out.push_str(" /* ");
            }
            out.push_str(name);
            named += 1;
            rest &= !bits;
            if rest == 0 {
                break;
            }
        }
    }
    if named > 0 {
        if rest != 0 {
            out.push('|');
            write_hex(out, rest);
        }
        if verbose {
            out.push_str(" */");
        }
    } else if rest != 0 {
        if !verbose {
            write_hex(out, rest);
        }
        if !unknown.is_empty() {
            let _ = write!(out, " /* {unknown} */");
        }
    } else {
        out.push('0');
    }
}

/// strace's `printxval`: the name, or `0x... /* X_??? */` (`-X raw`: the number; `-X
/// verbose`: the number and the name in a comment).
pub(crate) fn write_xval(out: &mut String, v: u64, x: &Xlat) {
    write_named(
        out,
        x.entries.iter().find(|e| e.0 == v).map(|e| e.1),
        x,
        |out| write_hex(out, v),
    );
}

/// A value strace shows as one text made of several names (`MAP_PRIVATE|MAP_ANONYMOUS`,
/// `S_IFDIR|0755`, `8192*1024`): `-X raw` prints only `number`, `-X verbose` the number and
/// the text in a comment. `text` is built with `-X abbrev` in force.
pub(crate) fn write_composite(
    out: &mut String,
    number: impl FnOnce(&mut String),
    text: impl FnOnce(&mut String),
) {
    let style = xlat_style();
    if style != XlatStyle::Abbrev {
        number(out);
    }
    match style {
        XlatStyle::Raw => {}
        XlatStyle::Abbrev => with_xlat_style(XlatStyle::Abbrev, || text(out)),
        XlatStyle::Verbose => {
            out.push_str(" /* ");
            with_xlat_style(XlatStyle::Abbrev, || text(out));
            out.push_str(" */");
        }
    }
}

/// strace's print_kernel_version: `KERNEL_VERSION(5, 10, 0)` in the `-X` style.
pub(crate) fn write_kernel_version(out: &mut String, v: u32) {
    write_composite(
        out,
        |out| write_hex(out, u64::from(v)),
        |out| {
            let _ = write!(
                out,
                "KERNEL_VERSION({}, {}, {})",
                v >> 16,
                (v >> 8) & 0xff,
                v & 0xff
            );
        },
    );
}

/// strace's `sprintflags` as used inside composite values (open and mmap flags): the names
/// of the set bits joined by `|`, the unknown rest in hex, no `/* X_??? */` comment.
pub(crate) fn write_flag_names(out: &mut String, v: u64, x: &Xlat) {
    let mut rest = v;
    let mut any = false;
    for &(bits, name) in x.entries {
        if bits != 0 && rest & bits == bits {
            if any {
                out.push('|');
            }
            out.push_str(name);
            any = true;
            rest &= !bits;
        }
    }
    if rest != 0 || !any {
        if any {
            out.push('|');
        }
        write_hex(out, rest);
    }
}

/// An enum value with its name (if any) in the `-X` style; `number` prints the value.
pub(crate) fn write_named(
    out: &mut String,
    name: Option<&str>,
    x: &Xlat,
    number: impl Fn(&mut String),
) {
    match (xlat_style(), name) {
        (XlatStyle::Raw, _) => number(out),
        (XlatStyle::Abbrev, Some(name)) => out.push_str(name),
        (_, name) => {
            number(out);
            // Tables without an unknown marker (strace's NULL dflt) add no empty comment.
            if let Some(text) = name.or((!x.unknown.is_empty()).then_some(x.unknown)) {
                let _ = write!(out, " /* {text} */");
            }
        }
    }
}
