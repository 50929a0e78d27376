//! Argument and return-value decoding: the public types, and the two-phase engine that runs
//! each syscall's decoder at entry (input arguments) and at exit (output arguments).

mod admin;
mod aio;
mod bpf;
mod bpf_filter;
mod cmsg;
mod io_uring;
mod ioctl;
mod ipc;
mod keyctl;
mod ldt;
mod memory;
mod netlink;
mod netlink_audit;
mod netlink_inet_diag;
mod netlink_kobject_uevent;
mod netlink_netfilter;
mod netlink_route;
mod netlink_selinux;
mod netlink_sock_diag;
mod netlink_xfrm;
mod nlattr;
mod nlmsg;
mod perf;
mod prctl;
mod print;
mod ptrace;
mod quota;
mod rtnl_bridge;
mod rtnl_link;
mod rtnl_link_info;
mod rtnl_link_vf;
mod rtnl_mdb;
mod rtnl_neigh;
mod rtnl_nexthop;
mod rtnl_route;
mod rtnl_stats;
mod rtnl_tc;
mod sockaddr;
mod sockopt;
mod structs;
mod syscalls;

use std::fmt::Write;

pub use memory::{MemoryArg, file_args, memory_args};
pub(crate) use print::Ctx;
pub use print::write_comm;

/// Tracee memory. The tracer implements it with `process_vm_readv`.
pub trait Memory {
    /// Copies up to `buf.len()` bytes from `addr`; returns how many were copied (0 on fault).
    /// A short count means the bytes after it could not be read.
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize;

    /// The tracee's stack pointer at this stop, if the tracer has it. Only `rt_sigreturn`
    /// needs it (strace shows the signal mask restored from the frame on the stack).
    fn stack_pointer(&mut self) -> Option<u64> {
        None
    }
}

/// What the tracer knows about the tracee's file descriptors, for `-y` and `-yy`.
pub trait FdInfo {
    /// The fd's `/proc/PID/fd/N` link target (`/etc/passwd`, `socket:[1234]`, `pipe:[5]`);
    /// for `AT_FDCWD` (-100) the working directory (`/proc/PID/cwd`).
    fn path(&mut self, fd: i32) -> Option<String>;
    /// [`FdInfo::path`] as the kernel has it: file names are bytes, not always UTF-8, and
    /// strace prints them byte by byte (`\377`). Asked only when `path` had to replace some.
    fn path_bytes(&mut self, fd: i32) -> Option<Vec<u8>> {
        self.path(fd).map(String::into_bytes)
    }
    /// For `-yy`: a socket's protocol and endpoints without the angle brackets,
    /// e.g. `TCP:[127.0.0.1:80->127.0.0.1:5000]` or `UNIX-STREAM:[1234]`.
    fn socket(&mut self, fd: i32) -> Option<String>;
    /// strace's getfdproto: the protocol the kernel names for a socket fd in its
    /// `system.sockprotoname` attribute (`NETLINK`, `TCP`, `UNIX`); `None` for other fds.
    /// A `NETLINK` socket's messages are decoded.
    fn socket_protocol(&mut self, _fd: i32) -> Option<String> {
        None
    }
    /// A bound netlink socket's protocol (`NETLINK_ROUTE` is 0) and port id, as the kernel's
    /// `sock_diag` reports them; `None` for other fds and unbound netlink sockets. Names the
    /// protocol of its messages and, for `-yy`, the socket: `NETLINK:[ROUTE:1234]`.
    fn netlink_socket(&mut self, _fd: i32) -> Option<(u8, u32)> {
        None
    }
    /// The protocol a netlink socket's messages are decoded by: [`FdInfo::netlink_socket`]'s,
    /// unless the tracer learnt it another way (an eBPF capture looks it up in the kernel).
    fn netlink_protocol(&mut self, fd: i32) -> Option<u8> {
        self.netlink_socket(fd).map(|(protocol, _)| protocol)
    }
    /// The name of the generic netlink family whose messages have type `id` (`nlctrl`):
    /// the kernel gives the ids out at run time.
    fn generic_netlink_family(&mut self, _id: u16) -> Option<String> {
        None
    }
    /// For `-yy`: a device's kind and numbers, e.g. `char 1:3` for `/dev/null`.
    fn device(&mut self, _fd: i32) -> Option<String> {
        None
    }
    /// For `-y`: whether fd `fd` is the file named `link` (its target as /proc shows it),
    /// that is, whether a " (deleted)" at its end is part of the name.
    fn is_file_at(&mut self, _fd: i32, _link: &str) -> bool {
        false
    }
    /// For `-y` on an fd of another process (kcmp's): the link target of fd `fd` of
    /// process `pid`, numbered in the tracee's PID namespace.
    fn foreign_path(&mut self, _pid: i32, _fd: i32) -> Option<String> {
        None
    }
    /// For `-yy` on an fd of another process: its device's kind and numbers, as
    /// [`FdInfo::device`].
    fn foreign_device(&mut self, _pid: i32, _fd: i32) -> Option<String> {
        None
    }
    /// For `-e decode-fds=pidfd` (and `-yy`): the process a pidfd refers to, numbered in
    /// the tracer's PID namespace.
    fn pidfd_pid(&mut self, _fd: i32) -> Option<i32> {
        None
    }
    /// For `--pidns-translation` and `--decode-pids=comm`: `pid`, an id of the given kind in
    /// the tracee's PID namespace, as the tracer's namespace numbers it (the same number
    /// when both namespaces are one); `None` when unknown.
    fn pid_in_tracer_ns(&mut self, _pid: i32, _kind: PidKind) -> Option<i32> {
        None
    }
    /// For `--decode-pids=comm`: the command name of process `pid` (the tracer's numbering).
    fn pid_comm(&mut self, _pid: i32) -> Option<String> {
        None
    }
    /// For `-e kvm=vcpu`: the tracee's mapping of the anonymous-inode file `path` (a vCPU's
    /// `anon_inode:kvm-vcpu:N`, whose `struct kvm_run` it holds), as (start, length).
    fn anon_mapping(&mut self, _path: &str) -> Option<(u64, u64)> {
        None
    }
}

/// Which id of a process a pid value is (strace's `enum pid_type`): translating it between
/// PID namespaces looks at the matching line of /proc/PID/status (NSpid, NStgid, NSpgid,
/// NSsid).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PidKind {
    Tid,
    Tgid,
    Pgid,
    Sid,
}

/// Memory that cannot be read (every read faults): pointers print as addresses.
pub struct NoMemory;

impl Memory for NoMemory {
    fn read(&mut self, _addr: u64, _buf: &mut [u8]) -> usize {
        0
    }
}

/// No fd information: `-y` prints bare numbers.
pub struct NoFdInfo;

impl FdInfo for NoFdInfo {
    fn path(&mut self, _fd: i32) -> Option<String> {
        None
    }
    fn socket(&mut self, _fd: i32) -> Option<String> {
        None
    }
}

/// Output options that change how arguments print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    /// `-s N`: bytes of a string shown before `...` (default 32); file names are never cut.
    pub string_limit: usize,
    /// 0 normal, 1 for `-x` (non-ASCII strings in hex), 2 for `-xx` (all strings in hex),
    /// 3 for `--strings-in-hex=non-ascii-chars` (only the non-ASCII characters in hex).
    pub hex: u8,
    /// `-v` (or `-e abbrev=` leaving this call out): unabbreviated structures and environment.
    pub verbose: bool,
    /// 0 plain fds, 1 for `-y` (`3</etc/passwd>`), 2 for `-yy` (socket endpoints, devices).
    /// [`Style::fds`] is the full set; this level is derived from it.
    pub fd_decode: u8,
    /// `-e decode-fds=SET`: what is printed after an fd.
    pub fds: FdDetails,
    /// `-X`: how named constants and flags print.
    pub xlat: XlatStyle,
    /// strace's verbose(tcp): false when `-e verbose=` leaves this call out, and then
    /// structures print as their addresses.
    pub dereference: bool,
    /// `-Y`, `--decode-pids=`: what is printed after a pid.
    pub pids: PidDetails,
    /// `-e kvm=vcpu`: KVM_RUN's return value is followed by the vCPU's exit reason.
    pub kvm_vcpu: bool,
}

/// `-e decode-fds=path,socket,dev,pidfd`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FdDetails {
    pub path: bool,
    pub socket: bool,
    pub dev: bool,
    pub pidfd: bool,
}

impl Style {
    /// What is printed after an fd: the `-e decode-fds=` set, or the one the `-y` level
    /// stands for (`-y` paths, `-yy` all) when only the level is given.
    pub fn fd_details(&self) -> FdDetails {
        if self.fds != FdDetails::default() {
            return self.fds;
        }
        let all = self.fd_decode >= 2;
        FdDetails {
            path: self.fd_decode >= 1,
            socket: all,
            dev: all,
            pidfd: all,
        }
    }
}

impl FdDetails {
    /// The `-y`/`-yy` level the decoders used before the set existed.
    pub fn level(&self) -> u8 {
        if self.socket || self.dev || self.pidfd {
            2
        } else {
            u8::from(self.path)
        }
    }
}

/// `-X raw|abbrev|verbose`: `0x1`, `O_WRONLY`, or `0x1 /* O_WRONLY */`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum XlatStyle {
    #[default]
    Abbrev,
    Raw,
    Verbose,
}

/// `--decode-pids=comm,pidns`: `1234<bash>`, `1234 /* 5 in strace's PID NS */`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PidDetails {
    pub comm: bool,
    pub pidns: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            string_limit: 32,
            hex: 0,
            verbose: false,
            fd_decode: 0,
            fds: FdDetails::default(),
            xlat: XlatStyle::Abbrev,
            dereference: true,
            pids: PidDetails::default(),
            kvm_vcpu: false,
        }
    }
}

/// What strace prints at syscall entry; kept until the exit stop.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    nr: u64,
    args: [u64; 6],
    text: String,
    spans: Spans,
    sep_written: bool,
    /// The decoder stopped at entry before an output argument.
    stopped: bool,
    /// Values a decoder saved at entry (e.g. the `*addrlen` before the call).
    saved: [u64; 3],
    /// A list a decoder saved at entry (recvmmsg's msg_namelen of each message).
    saved_list: Vec<u32>,
    /// The tracer makes the call fail (`-e inject=...:error=`): its result is an error, even
    /// from a call that never fails.
    injected_error: bool,
}

impl Entry {
    /// The syscall number.
    pub fn nr(&self) -> u64 {
        self.nr
    }

    /// The raw argument registers.
    pub fn args(&self) -> [u64; 6] {
        self.args
    }

    /// What strace prints before ` <unfinished ...>`: `read(3, ` or `write(1, "hi\n", 3`.
    pub fn text_so_far(&self) -> &str {
        &self.text
    }

    /// Says that the tracer injects an error into this call (strace prints `-1 EACCES`
    /// even for `getpid`, whose other results are never errors).
    pub fn set_injected_error(&mut self) {
        self.injected_error = true;
    }

    /// For `restart_syscall`: names the call the kernel is resuming, as strace does
    /// (`restart_syscall(<... resuming interrupted clock_nanosleep ...>`). The tracer knows
    /// the thread's previous syscall; without this call the text says "system call".
    pub fn set_interrupted_syscall(&mut self, prev_nr: u64) {
        if self.nr != crate::table::nr::restart_syscall {
            return;
        }
        if let Some(name) = crate::name(prev_nr) {
            self.text.clear();
            let _ = write!(
                self.text,
                "restart_syscall(<... resuming interrupted {name} ...>"
            );
            if let Some(span) = self.spans.ranges.first_mut() {
                *span = ("restart_syscall(".len() as u32, self.text.len() as u32);
            }
        }
    }

    /// Whether every argument was printed at entry (strace's `RVAL_DECODED`), so a call
    /// that never returns prints as `exit_group(0) = ?` rather than `<unfinished ...>`.
    /// False when output arguments are still to come (`read(3, `, `pipe2(`).
    pub fn is_complete(&self) -> bool {
        use crate::table::nr;
        // poll and ppoll print every argument at entry but their result, the returned
        // events, at exit: strace's decoders return 0 there, not RVAL_DECODED.
        !self.stopped && !matches!(self.nr, nr::poll | nr::ppoll)
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Spans {
    pub ranges: [(u32, u32); 6],
    pub len: u8,
    /// The index of the argument still open (its end not yet recorded), if any.
    pub open: bool,
}

/// A finished syscall as strace prints it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    /// `openat(AT_FDCWD, "/etc/x", O_RDONLY|O_CLOEXEC)`, with the closing parenthesis.
    pub call: String,
    /// What follows ` = `: `3`, `-1 ENOENT (No such file or directory)`, `0x7f12a000`,
    /// `? ERESTARTSYS (To be restarted if SA_RESTART is set)`, `0 (Timeout)`.
    pub result: String,
    /// The error, if the call failed.
    pub errno: Option<i32>,
    resumed_at: usize,
    spans: [(u32, u32); 6],
    nspans: u8,
}

impl Decoded {
    /// The text after `<... read resumed>`: `"data", 832)` (starts right after the entry text).
    pub fn resumed_args(&self) -> &str {
        self.call.get(self.resumed_at..).unwrap_or("")
    }

    /// The decoded arguments one by one (for `--json`), without separators.
    pub fn args(&self) -> impl Iterator<Item = &str> {
        self.spans[..self.nspans as usize]
            .iter()
            .map(move |(s, e)| self.call.get(*s as usize..*e as usize).unwrap_or(""))
    }
}

/// How a decoder wants the return value printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ret {
    /// Decimal; a successful return is unsigned, as strace's RVAL_UDECIMAL prints it
    /// (only -4095..=-1 are errors: `lseek` to 2^63 + 1 returns a "negative" offset).
    Dec,
    /// Address in hex (mmap, brk).
    Hex,
    /// A new file descriptor (decorated with `-y`).
    Fd,
    /// Octal (umask).
    Oct,
    /// Unsigned decimal; never an error (e.g. `alarm`).
    Udec,
    /// A process id of this kind (getpid, fork, wait4).
    Pid(PidKind),
    /// modify_ldt's `int`, which the kernel returns zero-extended on x86_64: a 32-bit -errno
    /// prints as that number with the error's name, as strace's ldt.c has it.
    ClippedInt,
}

/// Decodes the input arguments at syscall entry.
pub fn decode_entry(
    nr: u64,
    args: [u64; 6],
    mem: &mut dyn Memory,
    fds: &mut dyn FdInfo,
    style: &Style,
) -> Entry {
    let mut entry = Entry::default();
    decode_entry_into(&mut entry, nr, args, mem, fds, style);
    entry
}

/// Like [`decode_entry`], reusing `entry`'s buffer.
pub fn decode_entry_into(
    entry: &mut Entry,
    nr: u64,
    args: [u64; 6],
    mem: &mut dyn Memory,
    fds: &mut dyn FdInfo,
    style: &Style,
) {
    entry.nr = nr;
    entry.args = args;
    entry.injected_error = false;
    entry.saved = [0; 3];
    entry.saved_list.clear();
    entry.text.clear();
    match crate::name(nr) {
        Some(name) => entry.text.push_str(name),
        None => {
            let _ = write!(entry.text, "syscall_{nr:#x}");
        }
    }
    entry.text.push('(');
    let mut ctx = Ctx::new(
        &mut entry.text,
        mem,
        fds,
        style,
        nr,
        kernel_view(nr, args),
        None,
    );
    print::with_xlat_style(style.xlat, || syscalls::decoder(nr).run(&mut ctx));
    let sep_written = ctx.stopped && !ctx.own_sep && ctx.spans.len > 0;
    if sep_written {
        // strace prints the separator before the first output argument at entry.
        ctx.out.push_str(", ");
    }
    entry.sep_written = sep_written;
    entry.stopped = ctx.stopped;
    entry.spans = ctx.spans;
    entry.saved = ctx.saved;
    entry.saved_list = std::mem::take(&mut ctx.saved_list);
}

/// Decodes the output arguments and the return value at syscall exit.
pub fn decode_exit(
    entry: &Entry,
    ret: i64,
    mem: &mut dyn Memory,
    fds: &mut dyn FdInfo,
    style: &Style,
) -> Decoded {
    let mut decoded = Decoded::default();
    decode_exit_into(&mut decoded, entry, ret, mem, fds, style);
    decoded
}

/// Like [`decode_exit`], reusing `decoded`'s buffers.
pub fn decode_exit_into(
    decoded: &mut Decoded,
    entry: &Entry,
    ret: i64,
    mem: &mut dyn Memory,
    fds: &mut dyn FdInfo,
    style: &Style,
) {
    decoded.call.clear();
    decoded.call.push_str(&entry.text);
    decoded.resumed_at = entry.text.len();
    decoded.result.clear();
    let decoder = syscalls::decoder(entry.nr);
    let errno = error_of(ret, decoder.ret, entry.nr, entry.injected_error);
    decoded.errno = errno;
    let mut ctx = Ctx::new(
        &mut decoded.call,
        mem,
        fds,
        style,
        entry.nr,
        kernel_view(entry.nr, entry.args),
        Some(ret),
    );
    ctx.spans = entry.spans;
    ctx.saved = entry.saved;
    ctx.saved_list.clone_from(&entry.saved_list);
    ctx.sep_written = entry.sep_written;
    ctx.failed = errno.is_some();
    print::with_xlat_style(style.xlat, || decoder.run(&mut ctx));
    ctx.close_span();
    let spans = ctx.spans;
    let aux = std::mem::take(&mut ctx.aux);
    let kind = ctx.ret_kind.unwrap_or(decoder.ret);
    decoded.call.push(')');
    decoded.spans = spans.ranges;
    decoded.nspans = spans.len;
    write_result(&mut decoded.result, ret, kind, errno, fds, style, &aux);
}

/// The arguments as the kernel sees them: those it declares 32 bits wide (`int`, `unsigned
/// int`, `pid_t`, ...) keep only their low half, as strace prints them.
fn kernel_view(nr: u64, mut args: [u64; 6]) -> [u64; 6] {
    let narrow = crate::table::INT32_ARGS
        .get(nr as usize)
        .copied()
        .unwrap_or(0);
    for (i, arg) in args.iter_mut().enumerate() {
        if narrow & (1 << i) != 0 {
            *arg &= 0xffff_ffff;
        }
    }
    args
}

/// The errno of a failed call: the kernel returns -errno in -4095..=-1, except from the
/// calls that never fail (strace's NF flag), whose values are all results unless the tracer
/// injected the error.
fn error_of(ret: i64, kind: Ret, nr: u64, injected: bool) -> Option<i32> {
    if !injected && (kind == Ret::Udec || never_fails(nr)) {
        return None;
    }
    (-4095..=-1).contains(&ret).then(|| (-ret) as i32)
}

/// The syscalls strace 6.1 marks "never fails" (NF) on x86_64.
fn never_fails(nr: u64) -> bool {
    use crate::table::nr::*;
    [
        getpid,
        umask,
        getuid,
        getgid,
        geteuid,
        getegid,
        getppid,
        getpgrp,
        setfsuid,
        setfsgid,
        personality,
        gettid,
    ]
    .contains(&nr)
}

fn write_result(
    out: &mut String,
    ret: i64,
    kind: Ret,
    errno: Option<i32>,
    fds: &mut dyn FdInfo,
    style: &Style,
    aux: &str,
) {
    if kind == Ret::ClippedInt
        && errno.is_none()
        && let Ok(clipped) = u32::try_from(ret)
        && clipped >= 0xffff_f001
    {
        let e = -(clipped as i32);
        print::push_udec(out, ret as u64);
        let _ = write!(
            out,
            " {} ({})",
            crate::errno_name(e).unwrap_or("E???"),
            crate::errno_message(e)
        );
        return;
    }
    if let Some(e) = errno {
        if crate::errno::is_restart(e) {
            out.push('?');
        } else {
            out.push_str("-1");
        }
        match crate::errno_name(e) {
            Some(n) => {
                let _ = write!(out, " {n} ({})", crate::errno_message(e));
            }
            None => {
                let _ = write!(out, " E??? (Unknown error {e})");
            }
        }
        return;
    }
    match kind {
        Ret::Dec | Ret::Udec | Ret::ClippedInt => print::push_udec(out, ret as u64),
        // C's %#lx: "0" for zero.
        Ret::Hex => print::write_hex(out, ret as u64),
        Ret::Oct => {
            print::write_octal(out, ret as u64);
        }
        // strace decorates only what can be an fd; anything else prints signed.
        Ret::Fd if !(0..=i64::from(i32::MAX)).contains(&ret) => print::push_dec(out, ret),
        Ret::Fd => print::write_fd(out, ret as i32, fds, style),
        Ret::Pid(kind) => {
            print::push_dec(out, ret);
            print::write_pid_note(out, ret as i32, kind, fds, style);
        }
    }
    if !aux.is_empty() {
        out.push(' ');
        out.push_str(aux);
    }
}

pub(crate) use ioctl::AUDIT_ARCHES;
pub(crate) use print::{write_composite, write_hex, write_sender_or_fd};
pub(crate) use structs::write_wait_status;
pub(crate) use syscalls::is_decoded;

#[cfg(test)]
mod tests;
