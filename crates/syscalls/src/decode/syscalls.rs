//! Per-syscall decoders. Simple syscalls are a list of argument kinds ([`A`]); inputs are
//! printed at entry, and printing stops at the first output argument until the exit stop,
//! exactly where strace stops. The rest are functions called at entry and at exit.

use std::fmt::Write;

use super::admin;
use super::aio;
use super::bpf_filter::{self, SECCOMP_RET_ACTIONS};
use super::ipc;
use super::prctl;
use super::print;
use super::print::Ctx;
use super::quota;
use super::sockopt;
use super::structs as st;
use super::{PidKind, Ret, XlatStyle};
use crate::table::nr;
use crate::xlat::{self, Xlat};

/// Argument kinds.
#[derive(Clone, Copy)]
pub(crate) enum A {
    /// `int`, decimal.
    Int,
    /// `unsigned int`, decimal.
    Uint,
    /// `uid_t`/`gid_t`: unsigned decimal, but `-1` for the "unchanged" value.
    Uid,
    /// A process id of this kind (translated with `--pidns-translation`).
    Pid(PidKind),
    /// kill's pid: a process, or a process group when below -1.
    PidOrGroup,
    /// A `loff_t *` the call reads: `[offset]` (splice, copy_file_range).
    OffsetIn,
    /// `long`, decimal.
    Long,
    /// `unsigned long`, decimal.
    Ulong,
    /// Hex (`0` for zero).
    Hex,
    /// A pointer: `NULL` or `0x...`.
    Ptr,
    Fd,
    DirFd,
    /// A file name (never cut).
    Path,
    /// A NUL-terminated string cut at `-s`.
    Str,
    /// An input buffer whose length is argument N.
    BufIn(u8),
    /// An output buffer: the return value's count of bytes.
    BufOut,
    /// An output buffer of random bytes, always in hex (strace's `QUOTE_FORCE_HEX`).
    BufOutHex,
    /// An output string of `ret` bytes cut at `-s` (readlink).
    StrOut,
    /// An output file name of `ret` bytes (getcwd).
    PathOut,
    /// `0644`.
    Mode,
    Flags(&'static Xlat),
    Enum(&'static Xlat),
    /// An enum printed in decimal when unknown.
    EnumD(&'static Xlat),
    Signal,
    /// Input sigset whose size is argument N.
    SigsetIn(u8),
    TimespecIn,
    TimespecOut,
    TimevalIn,
    TimevalOut,
    TimezoneIn,
    TimezoneOut,
    ItimervalIn,
    ItimervalOut,
    ItimerspecIn,
    ItimerspecOut,
    StatOut,
    StatxOut,
    StatfsOut,
    RlimitIn,
    RlimitOut,
    UtsnameOut,
    SysinfoOut,
    RusageOut,
    TmsOut,
    PipeOut,
    IntPtrOut,
    /// Input sockaddr whose length is argument N.
    SockaddrIn(u8),
    StackIn,
    StackOut,
    SchedParamIn,
    SchedParamOut,
    /// `dev_t` for mknod.
    Dev,
    /// statx's flags: the sync type (an enum in a 2-bit field) then `AT_*` flags.
    StatxFlags,
    /// A file mode with its type: `S_IFCHR|0600` (mknod).
    TypedMode,
}

impl A {
    fn is_output(self) -> bool {
        matches!(
            self,
            A::BufOut
                | A::BufOutHex
                | A::StrOut
                | A::PathOut
                | A::TimespecOut
                | A::TimevalOut
                | A::TimezoneOut
                | A::ItimervalOut
                | A::ItimerspecOut
                | A::StatOut
                | A::StatxOut
                | A::StatfsOut
                | A::RlimitOut
                | A::UtsnameOut
                | A::SysinfoOut
                | A::RusageOut
                | A::TmsOut
                | A::PipeOut
                | A::IntPtrOut
                | A::StackOut
                | A::SchedParamOut
        )
    }
}

fn print_arg(c: &mut Ctx, a: A, v: u64) {
    let args = c.args;
    match a {
        A::Int => c.int(v),
        A::Uint => c.uint(v),
        A::Uid => c.uid(v),
        A::Pid(kind) => c.pid(v, kind),
        A::PidOrGroup => c.pid_or_group(v),
        A::OffsetIn => match c.read_u64(v) {
            Some(offset) => {
                let _ = write!(c.out, "[{}]", offset as i64);
            }
            None => c.ptr(v),
        },
        A::Long => c.dec(v as i64),
        A::Ulong => c.udec(v),
        A::Hex => c.hex(v),
        A::Ptr => c.ptr(v),
        A::Fd => c.fd(v),
        A::DirFd => c.dirfd(v),
        A::Path => c.path(v),
        A::Str => c.cstr(v),
        A::BufIn(n) => c.buf(v, args[n as usize]),
        A::BufOut => {
            if c.ok() {
                let n = c.rval() as u64;
                c.buf(v, n);
            } else {
                c.ptr(v);
            }
        }
        A::BufOutHex => {
            if c.ok() {
                let n = c.rval() as u64;
                c.buf_hex(v, n);
            } else {
                c.ptr(v);
            }
        }
        A::StrOut => {
            if c.ok() {
                let n = c.rval() as u64;
                c.buf(v, n);
            } else {
                c.ptr(v);
            }
        }
        A::PathOut => {
            if c.ok() {
                // strace's printpathn(addr, rval - 1): getcwd's count includes the NUL,
                // the name stops at the first NUL and at PATH_MAX - 1 bytes.
                let n = (c.rval() as u32).wrapping_sub(1).min(4095);
                c.cstr_limited(v, n as usize);
            } else {
                c.ptr(v);
            }
        }
        // umode_t is 16 bits wide.
        A::Mode => c.mode(v & 0xffff),
        A::Flags(x) => c.flags(v, x),
        A::Enum(x) => c.xval(v, x),
        A::EnumD(x) => c.xval_d(v as i32 as i64, x),
        A::Signal => c.signal(v),
        A::SigsetIn(n) => st::sigset(c, v, args[n as usize], false),
        A::TimespecIn => st::timespec(c, v, false),
        A::TimespecOut => st::timespec(c, v, true),
        A::TimevalIn => st::timeval(c, v, false),
        A::TimevalOut => st::timeval(c, v, true),
        A::TimezoneIn => st::timezone(c, v, false),
        A::TimezoneOut => st::timezone(c, v, true),
        A::ItimervalIn => st::itimerval(c, v, false),
        A::ItimervalOut => st::itimerval(c, v, true),
        A::ItimerspecIn => st::itimerspec(c, v, false),
        A::ItimerspecOut => st::itimerspec(c, v, true),
        A::StatOut => st::stat(c, v),
        A::StatxOut => st::statx(c, v),
        A::StatfsOut => st::statfs(c, v),
        A::RlimitIn => st::rlimit(c, v, false, "RLIM64_INFINITY"),
        A::RlimitOut => st::rlimit(c, v, true, "RLIM64_INFINITY"),
        A::UtsnameOut => st::utsname(c, v),
        A::SysinfoOut => st::sysinfo(c, v),
        A::RusageOut => st::rusage(c, v),
        A::TmsOut => st::tms(c, v),
        A::PipeOut => st::int_pair(c, v),
        A::IntPtrOut => st::int_ptr(c, v, true),
        A::SockaddrIn(n) => st::sockaddr(c, v, args[n as usize], false),
        A::StackIn => st::stack_t(c, v, false),
        A::StackOut => st::stack_t(c, v, true),
        A::SchedParamIn => st::sched_param(c, v, false),
        A::SchedParamOut => st::sched_param(c, v, true),
        A::TypedMode => {
            let mut text = String::new();
            st::write_mode(&mut text, v as u32);
            c.s(&text);
        }
        A::StatxFlags => {
            // strace prints the sync type with printflags: both bits name both.
            c.flags(v & 0x6000, &xlat::AT_STATX_SYNC);
            if v & !0x6000 != 0 {
                c.s("|");
                c.flags(v & !0x6000, &xlat::AT_FLAGS);
            }
        }
        A::Dev => {
            let major = ((v >> 8) & 0xfff) | ((v >> 32) & !0xfff);
            let minor = (v & 0xff) | ((v >> 12) & !0xff);
            c.s("makedev(");
            c.hex(major);
            c.s(", ");
            c.hex(minor);
            c.s(")");
        }
    }
}

/// `O_RDONLY|O_CLOEXEC`: the access mode is a 2-bit field, the rest are flags.
/// Open flags as strace's tprint_open_modes64 prints them (openat2's are 64 bits wide; the
/// callers of `int` flags pass 32).
pub(crate) fn open_flags(c: &mut Ctx, v: u64) {
    print::write_composite(
        c.out,
        |out| print::write_hex(out, v),
        |out| {
            out.push_str(match v & 3 {
                0 => "O_RDONLY",
                1 => "O_WRONLY",
                2 => "O_RDWR",
                _ => "O_ACCMODE",
            });
            if v & !3 != 0 {
                out.push('|');
                print::write_flag_names(out, v & !3, &xlat::OPEN_FLAGS);
            }
        },
    );
}

fn run_spec(c: &mut Ctx, spec: &[A]) {
    let start = if c.entering() { 0 } else { c.printed() };
    for (i, a) in spec.iter().enumerate().skip(start) {
        if c.entering() && a.is_output() {
            c.stop();
            return;
        }
        c.next();
        let v = c.args[i];
        print_arg(c, *a, v);
    }
}

/// Unknown or undecoded: `n` arguments in hex, all printed at entry.
fn run_raw(c: &mut Ctx, n: usize) {
    if !c.entering() {
        return;
    }
    for i in 0..n {
        c.next();
        let v = c.args[i];
        c.hex(v);
    }
}

pub(crate) enum How {
    Spec(&'static [A]),
    Func(fn(&mut Ctx)),
    Raw(usize),
}

pub(crate) struct Decoder {
    how: How,
    pub ret: Ret,
}

impl Decoder {
    pub(crate) fn run(&self, c: &mut Ctx) {
        match self.how {
            How::Spec(spec) => run_spec(c, spec),
            How::Func(f) => f(c),
            How::Raw(n) => run_raw(c, n),
        }
    }
}

const fn s(spec: &'static [A], ret: Ret) -> Decoder {
    Decoder {
        how: How::Spec(spec),
        ret,
    }
}
const fn f(func: fn(&mut Ctx), ret: Ret) -> Decoder {
    Decoder {
        how: How::Func(func),
        ret,
    }
}

use super::PidKind::{Pgid, Sid, Tgid, Tid};
use A::*;
use Ret::{Dec, Hex as RHex};
const RFD: Ret = Ret::Fd;

/// The argument kinds of a table-driven decoder (`None` for function decoders and raw ones).
pub(crate) fn spec_of(nr: u64) -> Option<&'static [A]> {
    match decoder(nr).how {
        How::Spec(spec) => Some(spec),
        _ => None,
    }
}

/// Whether `nr` has a decoder (otherwise its arguments print as raw hex).
pub(crate) fn is_decoded(nr: u64) -> bool {
    !matches!(decoder(nr).how, How::Raw(_))
}

/// The decoder of syscall `nr`.
pub(crate) fn decoder(n: u64) -> Decoder {
    match n {
        nr::read | nr::pread64 => match n {
            nr::read => s(&[Fd, BufOut, Ulong], Dec),
            _ => s(&[Fd, BufOut, Ulong, Long], Dec),
        },
        nr::write => s(&[Fd, BufIn(2), Ulong], Dec),
        nr::pwrite64 => s(&[Fd, BufIn(2), Ulong, Long], Dec),
        nr::open => f(dec_open, RFD),
        nr::openat => f(dec_openat, RFD),
        nr::creat => s(&[Path, Mode], RFD),
        nr::close => s(&[Fd], Dec),
        nr::stat | nr::lstat => s(&[Path, StatOut], Dec),
        nr::fstat => s(&[Fd, StatOut], Dec),
        nr::newfstatat => s(&[DirFd, Path, StatOut, Flags(&xlat::AT_FLAGS)], Dec),
        nr::statx => s(
            &[DirFd, Path, StatxFlags, Flags(&xlat::STATX_MASK), StatxOut],
            Dec,
        ),
        nr::statfs => s(&[Path, StatfsOut], Dec),
        nr::fstatfs => s(&[Fd, StatfsOut], Dec),
        nr::poll => f(dec_poll, Dec),
        nr::ppoll => f(dec_ppoll, Dec),
        nr::lseek => s(&[Fd, Long, Enum(&xlat::SEEK_WHENCE)], Dec),
        nr::mmap => f(dec_mmap, RHex),
        nr::mprotect => s(&[Ptr, Ulong, Flags(&xlat::PROT)], Dec),
        nr::pkey_mprotect => s(&[Ptr, Ulong, Flags(&xlat::PROT), Int], Dec),
        nr::munmap => s(&[Ptr, Ulong], Dec),
        nr::brk => s(&[Ptr], RHex),
        nr::mremap => f(dec_mremap, RHex),
        nr::msync => s(&[Ptr, Ulong, Flags(&xlat::MSYNC_FLAGS)], Dec),
        nr::madvise => s(&[Ptr, Ulong, Enum(&xlat::MADVISE)], Dec),
        nr::mlock | nr::munlock => s(&[Ptr, Ulong], Dec),
        nr::mlockall => s(&[Flags(&xlat::MLOCKALL_FLAGS)], Dec),
        nr::munlockall => s(&[], Dec),
        nr::mseal => s(&[Ptr, Ulong, Hex], Dec),
        nr::rt_sigaction => f(dec_rt_sigaction, Dec),
        nr::rt_sigprocmask => f(dec_rt_sigprocmask, Dec),
        nr::rt_sigreturn => f(dec_rt_sigreturn, Dec),
        nr::rt_sigpending => f(dec_rt_sigpending, Dec),
        nr::rt_sigsuspend => s(&[SigsetIn(1), Ulong], Dec),
        nr::rt_sigtimedwait => f(dec_rt_sigtimedwait, Dec),
        nr::sigaltstack => s(&[StackIn, StackOut], Dec),
        nr::ioctl => f(super::ioctl::dec_ioctl, Dec),
        nr::readv => f(dec_readv, Dec),
        nr::writev => f(dec_writev, Dec),
        nr::preadv => f(dec_preadv, Dec),
        nr::pwritev => f(dec_pwritev, Dec),
        nr::access => s(&[Path, Flags(&ACCESS)], Dec),
        nr::faccessat => s(&[DirFd, Path, Flags(&ACCESS)], Dec),
        nr::faccessat2 => s(
            &[DirFd, Path, Flags(&ACCESS), Flags(&xlat::AT_FLAGS_ACCESS)],
            Dec,
        ),
        nr::pipe => s(&[PipeOut], Dec),
        nr::pipe2 => s(&[PipeOut, Flags(&xlat::PIPE_FLAGS)], Dec),
        nr::select => f(dec_select, Dec),
        nr::pselect6 => f(dec_select, Dec),
        nr::sched_yield => s(&[], Dec),
        nr::dup => s(&[Fd], RFD),
        nr::dup2 => s(&[Fd, Fd], RFD),
        nr::dup3 => s(&[Fd, Fd, Flags(&xlat::OPEN_FLAGS)], RFD),
        nr::pause => s(&[], Dec),
        nr::nanosleep => f(dec_nanosleep, Dec),
        nr::getitimer => s(&[Enum(&xlat::ITIMER_WHICH), ItimervalOut], Dec),
        nr::setitimer => s(&[Enum(&xlat::ITIMER_WHICH), ItimervalIn, ItimervalOut], Dec),
        nr::alarm => s(&[Uint], Ret::Udec),
        nr::getpid | nr::getppid => s(&[], Ret::Pid(Tgid)),
        nr::gettid => s(&[], Ret::Pid(Tid)),
        nr::getpgrp | nr::setsid => s(&[], Ret::Pid(Pgid)),
        nr::getuid | nr::geteuid | nr::getgid | nr::getegid => s(&[], Dec),
        nr::sendfile => f(dec_sendfile, Dec),
        nr::socket => f(dec_socket, RFD),
        nr::connect | nr::bind => s(&[Fd, SockaddrIn(2), Uint], Dec),
        nr::accept => f(dec_accept, RFD),
        nr::accept4 => f(dec_accept, RFD),
        nr::getsockname | nr::getpeername => f(dec_getsockname, Dec),
        nr::sendto => f(dec_sendto, Dec),
        nr::recvfrom => f(dec_recvfrom, Dec),
        nr::sendmsg => f(dec_sendmsg, Dec),
        nr::recvmsg => f(dec_recvmsg, Dec),
        nr::shutdown => s(&[Fd, Enum(&xlat::SHUTDOWN_MODES)], Dec),
        nr::listen => s(&[Fd, Int], Dec),
        nr::socketpair => f(dec_socketpair, Dec),
        nr::setsockopt => f(sockopt::setsockopt, Dec),
        nr::getsockopt => f(sockopt::getsockopt, Dec),
        nr::clone => f(dec_clone, Ret::Pid(Tid)),
        nr::clone3 => f(dec_clone3, Ret::Pid(Tid)),
        nr::fork | nr::vfork => s(&[], Ret::Pid(Tgid)),
        nr::execve => f(dec_execve, Dec),
        nr::execveat => f(dec_execveat, Dec),
        nr::exit | nr::exit_group => s(&[Int], Dec),
        nr::wait4 => f(dec_wait4, Ret::Pid(Tgid)),
        nr::waitid => f(dec_waitid, Dec),
        nr::kill => s(&[PidOrGroup, Signal], Dec),
        nr::tkill => s(&[Pid(Tid), Signal], Dec),
        nr::tgkill => s(&[Pid(Tgid), Pid(Tid), Signal], Dec),
        nr::uname => s(&[UtsnameOut], Dec),
        nr::fcntl => f(dec_fcntl, Dec),
        nr::flock => s(&[Fd, Flags(&xlat::FLOCK_OPS)], Dec),
        nr::fsync | nr::fdatasync | nr::syncfs => s(&[Fd], Dec),
        nr::truncate => s(&[Path, Long], Dec),
        nr::ftruncate => s(&[Fd, Long], Dec),
        nr::getdents64 | nr::getdents => f(dec_getdents, Dec),
        nr::getcwd => s(&[PathOut, Ulong], Dec),
        nr::chdir | nr::rmdir | nr::unlink | nr::chroot | nr::acct | nr::swapoff => s(&[Path], Dec),
        nr::fchdir => s(&[Fd], Dec),
        nr::rename | nr::link | nr::symlink | nr::pivot_root => s(&[Path, Path], Dec),
        nr::mkdir | nr::chmod => s(&[Path, Mode], Dec),
        nr::readlink => s(&[Path, StrOut, Ulong], Dec),
        nr::readlinkat => s(&[DirFd, Path, StrOut, Ulong], Dec),
        nr::fchmod => s(&[Fd, Mode], Dec),
        nr::chown | nr::lchown => s(&[Path, Uid, Uid], Dec),
        nr::fchown => s(&[Fd, Uid, Uid], Dec),
        nr::umask => s(&[Mode], Ret::Oct),
        nr::gettimeofday => s(&[TimevalOut, TimezoneOut], Dec),
        nr::settimeofday => s(&[TimevalIn, TimezoneIn], Dec),
        nr::getrlimit => s(&[Enum(&xlat::RLIMITS), RlimitOut], Dec),
        nr::setrlimit => s(&[Enum(&xlat::RLIMITS), RlimitIn], Dec),
        nr::prlimit64 => f(dec_prlimit64, Dec),
        nr::getrusage => s(&[EnumD(&xlat::RUSAGE_WHO), RusageOut], Dec),
        nr::sysinfo => s(&[SysinfoOut], Dec),
        nr::times => s(&[TmsOut], Dec),
        nr::setuid | nr::setgid | nr::setfsuid | nr::setfsgid => s(&[Uid], Dec),
        nr::setreuid | nr::setregid => s(&[Uid, Uid], Dec),
        nr::setresuid | nr::setresgid => s(&[Uid, Uid, Uid], Dec),
        nr::getresuid | nr::getresgid => s(&[IntPtrOut, IntPtrOut, IntPtrOut], Dec),
        nr::setpgid => s(&[Pid(Tgid), Pid(Pgid)], Dec),
        nr::getpgid => s(&[Pid(Tgid)], Ret::Pid(Pgid)),
        nr::getsid => s(&[Pid(Tgid)], Ret::Pid(Sid)),
        nr::utime => f(dec_utime, Dec),
        nr::mknod | nr::mknodat => f(dec_mknod, Dec),
        nr::getpriority => f(dec_priority, Dec),
        nr::setpriority => f(dec_priority, Dec),
        nr::sched_getscheduler => f(dec_sched_getscheduler, Dec),
        nr::sched_setscheduler => s(&[Pid(Tgid), Enum(&xlat::SCHED_POLICIES), SchedParamIn], Dec),
        nr::sched_getparam => s(&[Pid(Tgid), SchedParamOut], Dec),
        nr::sched_setparam => s(&[Pid(Tgid), SchedParamIn], Dec),
        nr::sched_get_priority_max | nr::sched_get_priority_min => {
            s(&[Enum(&xlat::SCHED_POLICIES)], Dec)
        }
        nr::sched_getaffinity => f(dec_sched_getaffinity, Dec),
        nr::sched_setaffinity => f(dec_sched_setaffinity, Dec),
        nr::prctl => f(prctl::prctl, Dec),
        nr::arch_prctl => f(dec_arch_prctl, Dec),
        nr::modify_ldt => f(super::ldt::dec_modify_ldt, Ret::ClippedInt),
        nr::set_thread_area => f(super::ldt::dec_set_thread_area, Dec),
        nr::get_thread_area => f(super::ldt::dec_get_thread_area, Dec),
        nr::sync => s(&[], Dec),
        nr::mount => f(dec_mount, Dec),
        nr::umount2 => s(&[Path, Flags(&xlat::UMOUNT_FLAGS)], Dec),
        nr::sethostname | nr::setdomainname => f(dec_sethostname, Dec),
        nr::readahead => s(&[Fd, Long, Ulong], Dec),
        nr::setxattr | nr::lsetxattr => f(dec_setxattr, Dec),
        nr::getxattr | nr::lgetxattr => f(dec_getxattr, Dec),
        nr::fgetxattr => f(dec_getxattr, Dec),
        nr::fsetxattr => f(dec_setxattr, Dec),
        nr::listxattr | nr::llistxattr | nr::flistxattr => f(dec_listxattr, Dec),
        nr::removexattr | nr::lremovexattr => s(&[Path, Str], Dec),
        nr::fremovexattr => s(&[Fd, Str], Dec),
        nr::time => f(dec_time, Dec),
        nr::futex => f(dec_futex, Dec),
        nr::futex_waitv => f(dec_futex_waitv, Dec),
        nr::set_tid_address => s(&[Ptr], Dec),
        nr::restart_syscall => f(dec_restart_syscall, Dec),
        nr::fadvise64 => s(&[Fd, Long, Ulong, Enum(&xlat::FADVISE)], Dec),
        nr::clock_gettime | nr::clock_getres => s(&[Enum(&xlat::CLOCKS), TimespecOut], Dec),
        nr::clock_settime => s(&[Enum(&xlat::CLOCKS), TimespecIn], Dec),
        nr::clock_nanosleep => f(dec_clock_nanosleep, Dec),
        nr::epoll_create => s(&[Int], RFD),
        nr::epoll_create1 => s(&[Flags(&xlat::EPOLL_CREATE_FLAGS)], RFD),
        nr::epoll_ctl => f(dec_epoll_ctl, Dec),
        nr::epoll_wait => f(dec_epoll_wait, Dec),
        nr::epoll_pwait => f(dec_epoll_wait, Dec),
        nr::epoll_pwait2 => f(dec_epoll_wait, Dec),
        nr::utimes | nr::futimesat => f(dec_utimes, Dec),
        nr::sched_rr_get_interval => s(&[Pid(Tgid), TimespecOut], Dec),
        nr::userfaultfd => s(&[Flags(&xlat::UFFD_FLAGS)], RFD),
        nr::vmsplice => f(dec_vmsplice, Dec),
        nr::ustat => s(&[Dev, Ptr], Dec),
        nr::lookup_dcookie => s(&[Ulong, BufOut, Ulong], Dec),
        nr::semop | nr::semtimedop => f(dec_semop, Dec),
        nr::syslog => f(dec_syslog, Dec),
        nr::add_key => s(&[Str, Str, BufIn(3), Ulong, EnumD(&xlat::KEY_SPEC)], Dec),
        nr::request_key => s(&[Str, Str, Str, EnumD(&xlat::KEY_SPEC)], Dec),
        nr::keyctl => f(super::keyctl::dec_keyctl, Dec),
        nr::ptrace => f(super::ptrace::dec_ptrace, Dec),
        nr::inotify_init => s(&[], RFD),
        nr::inotify_init1 => s(&[Flags(&xlat::IN_INIT_FLAGS)], RFD),
        nr::inotify_add_watch => s(&[Fd, Path, Flags(&xlat::INOTIFY_MASK)], Dec),
        nr::inotify_rm_watch => s(&[Fd, Int], Dec),
        nr::mkdirat => s(&[DirFd, Path, Mode], Dec),
        nr::fchownat => s(&[DirFd, Path, Uid, Uid, Flags(&xlat::AT_FLAGS)], Dec),
        // strace's at_flags, all of them.
        nr::unlinkat => s(&[DirFd, Path, Flags(&xlat::AT_FLAGS)], Dec),
        nr::renameat => s(&[DirFd, Path, DirFd, Path], Dec),
        nr::renameat2 => s(&[DirFd, Path, DirFd, Path, Flags(&xlat::RENAME_FLAGS)], Dec),
        nr::linkat => s(&[DirFd, Path, DirFd, Path, Flags(&xlat::AT_FLAGS)], Dec),
        nr::symlinkat => s(&[Path, DirFd, Path], Dec),
        nr::fchmodat => s(&[DirFd, Path, Mode], Dec),
        nr::fchmodat2 => s(&[DirFd, Path, Mode, Flags(&xlat::AT_FLAGS)], Dec),
        nr::utimensat => f(dec_utimensat, Dec),
        nr::unshare => s(&[Flags(&xlat::UNSHARE_FLAGS)], Dec),
        nr::setns => s(&[Fd, Flags(&xlat::NS_FLAGS)], Dec),
        nr::set_robust_list => s(&[Ptr, Ulong], Dec),
        nr::splice => s(
            &[
                Fd,
                OffsetIn,
                Fd,
                OffsetIn,
                Ulong,
                Flags(&xlat::SPLICE_FLAGS),
            ],
            Dec,
        ),
        nr::tee => s(&[Fd, Fd, Ulong, Flags(&xlat::SPLICE_FLAGS)], Dec),
        nr::timerfd_create => s(&[Enum(&xlat::CLOCKS), Flags(&xlat::TFD_FLAGS)], RFD),
        nr::timerfd_settime => s(
            &[
                Fd,
                Flags(&xlat::TFD_SETTIME_FLAGS),
                ItimerspecIn,
                ItimerspecOut,
            ],
            Dec,
        ),
        nr::timerfd_gettime => s(&[Fd, ItimerspecOut], Dec),
        nr::eventfd => s(&[Uint], RFD),
        nr::eventfd2 => s(&[Uint, Flags(&xlat::EFD_FLAGS)], RFD),
        nr::signalfd4 => s(&[Fd, SigsetIn(2), Ulong, Flags(&xlat::SFD_FLAGS)], RFD),
        nr::signalfd => s(&[Fd, SigsetIn(2), Ulong], RFD),
        nr::fallocate => s(&[Fd, Flags(&xlat::FALLOC_FLAGS), Long, Long], Dec),
        nr::getrandom => s(&[BufOutHex, Ulong, Flags(&xlat::GETRANDOM_FLAGS)], Dec),
        nr::memfd_create => f(dec_memfd_create, RFD),
        nr::copy_file_range => s(&[Fd, OffsetIn, Fd, OffsetIn, Ulong, Uint], Dec),
        nr::rseq => s(&[Ptr, Hex, Flags(&xlat::RSEQ_FLAGS), Hex], Dec),
        nr::close_range => s(&[Uint, Uint, Flags(&xlat::CLOSE_RANGE_FLAGS)], Dec),
        nr::openat2 => f(dec_openat2, RFD),
        nr::pidfd_open => s(&[Pid(Tgid), Flags(&PIDFD_OPEN_FLAGS)], RFD),
        nr::pidfd_send_signal => f(dec_pidfd_send_signal, Dec),
        nr::pidfd_getfd => f(dec_pidfd_getfd, RFD),
        nr::membarrier => s(&[Enum(&xlat::MEMBARRIER_CMDS), Hex, Int], Dec),
        nr::seccomp => f(dec_seccomp, Dec),
        nr::bpf => f(dec_bpf, Dec),
        nr::io_uring_setup => f(dec_io_uring_setup, RFD),
        nr::io_uring_enter => s(
            &[
                Fd,
                Uint,
                Uint,
                Flags(&xlat::IORING_ENTER_FLAGS),
                SigsetIn(5),
                Ulong,
            ],
            Dec,
        ),
        nr::io_uring_register => f(super::io_uring::dec_io_uring_register, Dec),
        nr::shmget => f(ipc::shmget, Dec),
        nr::shmat => s(&[Int, Ptr, Flags(&xlat::SHMAT_FLAGS)], RHex),
        nr::shmdt => s(&[Ptr], Dec),
        nr::shmctl | nr::msgctl | nr::semctl => f(ipc::ctl, Dec),
        nr::semget => f(ipc::semget, Dec),
        nr::msgget => f(ipc::msgget, Dec),
        nr::msgsnd => f(ipc::msgsnd, Dec),
        nr::msgrcv => f(ipc::msgrcv, Dec),
        nr::mincore => f(dec_mincore, Dec),
        nr::get_mempolicy => f(dec_get_mempolicy, Dec),
        nr::set_mempolicy => f(dec_set_mempolicy, Dec),
        nr::timer_create => f(dec_timer_create, Dec),
        nr::timer_settime => s(
            &[Int, Flags(&xlat::TIMER_FLAGS), ItimerspecIn, ItimerspecOut],
            Dec,
        ),
        nr::timer_gettime => s(&[Int, ItimerspecOut], Dec),
        nr::timer_delete | nr::timer_getoverrun => s(&[Int], Dec),
        nr::rt_sigqueueinfo => f(dec_rt_sigqueueinfo, Dec),
        nr::rt_tgsigqueueinfo => f(dec_rt_sigqueueinfo, Dec),
        nr::getcpu => s(&[IntPtrOut, IntPtrOut, Ptr], Dec),
        nr::personality => f(dec_personality, RHex),
        nr::getgroups => f(dec_getgroups, Dec),
        nr::setgroups => f(dec_setgroups, Dec),
        nr::capget | nr::capset => f(dec_capget, Dec),
        nr::sendmmsg => f(dec_sendmmsg, Dec),
        nr::recvmmsg => f(dec_recvmmsg, Dec),
        nr::kcmp => f(admin::kcmp, Dec),
        nr::ioprio_get => f(admin::ioprio_get, Dec),
        nr::ioprio_set => f(admin::ioprio_set, Dec),
        nr::landlock_create_ruleset => f(admin::landlock_create_ruleset, RFD),
        nr::landlock_add_rule => f(admin::landlock_add_rule, Dec),
        nr::landlock_restrict_self => s(&[Fd, Hex], Dec),
        nr::fanotify_init => f(admin::fanotify_init, RFD),
        nr::fanotify_mark => f(admin::fanotify_mark, Dec),
        nr::reboot => f(admin::reboot, Dec),
        nr::io_setup => f(aio::io_setup, Dec),
        nr::io_destroy => s(&[Ptr], Dec),
        nr::io_submit => f(aio::io_submit, Dec),
        nr::io_cancel => f(aio::io_cancel, Dec),
        nr::io_getevents | nr::io_pgetevents => f(aio::io_getevents, Dec),
        nr::fsconfig => f(admin::fsconfig, Dec),
        nr::_sysctl => f(admin::sysctl, Dec),
        nr::adjtimex | nr::clock_adjtime => f(dec_adjtimex, Dec),
        nr::quotactl | nr::quotactl_fd => f(quota::quotactl, Dec),
        nr::kexec_load => f(admin::kexec_load, Dec),
        nr::kexec_file_load => f(admin::kexec_file_load, Dec),
        nr::mount_setattr => f(admin::mount_setattr, RFD),
        nr::sched_getattr => f(dec_sched_getattr, Dec),
        nr::sched_setattr => f(dec_sched_setattr, Dec),
        nr::preadv2 => f(dec_preadv2, Dec),
        nr::pwritev2 => f(dec_pwritev2, Dec),
        nr::swapon => f(admin::swapon, Dec),
        nr::delete_module => s(&[Str, Flags(&xlat::DELETE_MODULE_FLAGS)], Dec),
        nr::init_module => s(&[Ptr, Ulong, Str], Dec),
        nr::finit_module => s(&[Fd, Str, Flags(&xlat::MODULE_INIT_FLAGS)], Dec),
        nr::process_mrelease => s(&[Fd, Hex], Dec),
        nr::mlock2 => s(&[Ptr, Ulong, Flags(&xlat::MLOCK_FLAGS)], Dec),
        nr::pkey_alloc => s(&[Hex, Flags(&xlat::PKEY_ACCESS)], Dec),
        nr::pkey_free => s(&[Int], Dec),
        nr::memfd_secret => s(&[Flags(&xlat::MEMFD_SECRET_FLAGS)], RFD),
        nr::set_mempolicy_home_node => s(&[Ptr, Ulong, Ulong, Hex], Dec),
        nr::ioperm => s(&[Hex, Hex, Int], Dec),
        nr::iopl => s(&[Int], Dec),
        nr::vhangup => s(&[], Dec),
        nr::sync_file_range => s(&[Fd, Long, Long, Flags(&xlat::SYNC_FILE_RANGE_FLAGS)], Dec),
        nr::mbind => f(dec_mbind, Dec),
        nr::migrate_pages => f(dec_migrate_pages, Dec),
        nr::move_pages => f(dec_move_pages, Dec),
        nr::get_robust_list => f(dec_get_robust_list, Dec),
        nr::fsopen => s(&[Str, Flags(&xlat::FSOPEN_FLAGS)], RFD),
        nr::mq_open => f(dec_mq_open, RFD),
        nr::mq_unlink => s(&[Path], Dec),
        nr::mq_timedsend => f(dec_mq_timedsend, Dec),
        nr::mq_timedreceive => f(dec_mq_timedreceive, Dec),
        nr::mq_getsetattr => f(dec_mq_getsetattr, Dec),
        nr::mq_notify => f(dec_mq_notify, Dec),
        nr::perf_event_open => f(dec_perf_event_open, RFD),
        nr::remap_file_pages => f(dec_remap_file_pages, Dec),
        nr::process_madvise => f(dec_process_madvise, Dec),
        nr::fsmount => s(
            &[
                Fd,
                Flags(&xlat::FSMOUNT_FLAGS),
                Flags(&xlat::FSMOUNT_ATTR_FLAGS),
            ],
            RFD,
        ),
        nr::fspick => s(&[DirFd, Path, Flags(&xlat::FSPICK_FLAGS)], RFD),
        nr::move_mount => s(
            &[DirFd, Path, DirFd, Path, Flags(&xlat::MOVE_MOUNT_FLAGS)],
            Dec,
        ),
        nr::open_tree => s(&[DirFd, Path, Flags(&xlat::OPEN_TREE_FLAGS)], RFD),
        nr::process_vm_readv => f(dec_process_vm, Dec),
        nr::process_vm_writev => f(dec_process_vm, Dec),
        _ => match crate::table::ARG_NAMES.get(n as usize) {
            Some(a) if crate::name(n).is_some() => Decoder {
                how: How::Raw(a.len()),
                ret: Dec,
            },
            _ => Decoder {
                how: How::Raw(6),
                ret: Dec,
            },
        },
    }
}

const PIDFD_OPEN_FLAGS: Xlat = Xlat {
    entries: &[(0o4000, "PIDFD_NONBLOCK")],
    unknown: "PIDFD_???",
};

const ACCESS: Xlat = Xlat {
    entries: &[(0, "F_OK"), (4, "R_OK"), (2, "W_OK"), (1, "X_OK")],
    unknown: "?_OK",
};

fn dec_open(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.path(a[0]);
    c.next();
    open_flags(c, a[1]);
    // strace's `flags & (O_CREAT | __O_TMPFILE)`: either bit makes the mode meaningful.
    if a[1] & 0o20000100 != 0 {
        c.next();
        c.mode(a[2]);
    }
}

fn dec_openat(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.dirfd(a[0]);
    c.next();
    c.path(a[1]);
    c.next();
    open_flags(c, a[2]);
    // strace's `flags & (O_CREAT | __O_TMPFILE)`: either bit makes the mode meaningful.
    if a[2] & 0o20000100 != 0 {
        c.next();
        c.mode(a[3]);
    }
}

fn dec_mmap(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.ptr(a[0]);
    c.next();
    c.udec(a[1]);
    c.next();
    c.flags(a[2], &xlat::PROT);
    c.next();
    mmap_flags(c, a[3] & 0xffff_ffff);
    c.next();
    c.fd(a[4]);
    c.next();
    c.hex(a[5]);
}

fn dec_rt_sigaction(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.signal(a[0]);
        c.next();
        st::sigaction(c, a[1], false);
        c.stop();
    } else {
        c.next();
        st::sigaction(c, a[2], true);
        c.next();
        c.udec(a[3]);
    }
}

fn dec_rt_sigprocmask(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.xval(a[0], &xlat::SIGPROCMASK_HOW);
        c.next();
        st::sigset(c, a[1], a[3], false);
        c.stop();
    } else {
        c.next();
        st::sigset(c, a[2], a[3], true);
        c.next();
        c.udec(a[3]);
    }
}

/// `rt_sigreturn({mask=[]})`: the mask comes from the signal frame. At this syscall the
/// restorer has popped the return address, so the stack pointer is at `struct ucontext`,
/// whose `uc_sigmask` follows uc_flags, uc_link, uc_stack (24) and uc_mcontext (256).
fn dec_rt_sigreturn(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let Some(sp) = c.mem.stack_pointer() else {
        return;
    };
    c.next();
    match c.read_u64(sp.wrapping_add(296)) {
        Some(mask) => {
            c.s("{mask=");
            st::write_sigmask(c.out, mask, 64);
            c.s("}");
        }
        None => c.ptr(sp),
    }
}

fn dec_rt_sigtimedwait(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        st::sigset(c, a[0], a[3], false);
        c.stop();
    } else {
        c.next();
        if a[1] != 0 && c.ok() {
            let mut b = [0u8; 128];
            if c.read_exact(a[1], &mut b) {
                let info = crate::signal::SigInfo::from_bytes(&b);
                c.s("{");
                c.siginfo_fields(&info);
                c.s("}");
            } else {
                c.ptr(a[1]);
            }
        } else {
            c.ptr(a[1]);
        }
        c.next();
        st::timespec(c, a[2], false);
        c.next();
        c.udec(a[3]);
        if c.ok()
            && let Some(name) = i32::try_from(c.rval()).ok().and_then(crate::signal_name)
        {
            c.aux = format!("({name})");
        }
    }
}

fn dec_nanosleep(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        st::timespec(c, a[0], false);
        c.stop();
    } else {
        c.next();
        remaining_time(c, a[1]);
    }
}

/// The "remaining time" argument: shown only when the sleep was interrupted.
fn remaining_time(c: &mut Ctx, addr: u64) {
    let interrupted =
        matches!(c.ret, Some(r) if r == -4 || r == -512 || r == -513 || r == -514 || r == -516);
    if interrupted && addr != 0 {
        c.failed = false;
        st::timespec(c, addr, true);
        c.failed = true;
    } else {
        c.ptr(addr);
    }
}

fn dec_clock_nanosleep(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.xval(a[0], &xlat::CLOCKS);
        c.next();
        c.flags(a[1], &xlat::TIMER_FLAGS);
        c.next();
        st::timespec(c, a[2], false);
        c.stop();
    } else {
        c.next();
        if a[1] & 1 != 0 {
            c.ptr(a[3]);
        } else {
            remaining_time(c, a[3]);
        }
    }
}

fn dec_poll(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        st::pollfds(c, a[0], a[1]);
        c.next();
        c.uint(a[1]);
        c.next();
        c.int(a[2]);
    } else if c.ok() {
        if c.rval() == 0 {
            c.aux.push_str("(Timeout)");
        } else {
            c.aux = st::poll_revents(c, a[0], a[1], None).unwrap_or_default();
        }
    }
}

fn dec_ppoll(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        st::pollfds(c, a[0], a[1]);
        c.next();
        c.uint(a[1]);
        c.next();
        st::timespec(c, a[2], false);
        c.next();
        st::sigset(c, a[3], a[4], false);
        c.next();
        c.udec(a[4]);
    } else if c.ok() {
        if c.rval() == 0 {
            c.aux.push_str("(Timeout)");
        } else {
            let left = (a[2] != 0).then(|| {
                let save = std::mem::take(c.out);
                st::timespec(c, a[2], true);
                std::mem::replace(c.out, save)
            });
            c.aux = st::poll_revents(c, a[0], a[1], left.as_deref()).unwrap_or_default();
        }
    }
}

fn dec_select(c: &mut Ctx) {
    let a = c.args;
    let is_pselect = c.nr == nr::pselect6;
    if c.entering() {
        c.next();
        c.int(a[0]);
        for i in 1..4 {
            c.next();
            st::fdset(c, a[i], a[0], false);
        }
        c.next();
        if is_pselect {
            st::timespec(c, a[4], false);
            c.next();
            // A pointer to { const sigset_t *ss; size_t ss_len; }.
            if a[5] == 0 {
                c.s("NULL");
            } else {
                let mut b = [0u8; 16];
                if c.read_exact(a[5], &mut b) {
                    let ss = u64::from_ne_bytes(b[..8].try_into().unwrap_or([0; 8]));
                    let len = u64::from_ne_bytes(b[8..].try_into().unwrap_or([0; 8]));
                    c.s("{sigmask=");
                    st::sigset(c, ss, len, false);
                    let _ = write!(c.out, ", sigsetsize={len}}}");
                } else {
                    c.ptr(a[5]);
                }
            }
        } else {
            st::timeval(c, a[4], false);
        }
    } else if c.ok() {
        if c.rval() == 0 {
            c.aux.push_str("(Timeout)");
            return;
        }
        let mut note = String::from("(");
        let save = std::mem::take(c.out);
        for (i, label) in [(1, "in"), (2, "out"), (3, "except")] {
            if a[i] == 0 {
                continue;
            }
            c.out.clear();
            st::fdset(c, a[i], a[0], true);
            if c.out != "[]" {
                if note.len() > 1 {
                    note.push_str(", ");
                }
                note.push_str(label);
                note.push(' ');
                note.push_str(c.out);
            }
        }
        if a[4] != 0 {
            c.out.clear();
            if is_pselect {
                st::timespec(c, a[4], true);
            } else {
                st::timeval(c, a[4], true);
            }
            note.push_str(if note.len() > 1 { ", left " } else { "left " });
            note.push_str(c.out);
        }
        *c.out = save;
        note.push(')');
        c.aux = note;
    }
}

fn dec_readv(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        c.stop();
    } else {
        c.next();
        let n = c.rval() as u64;
        st::iovec(c, a[1], a[2], Some(n), true);
        c.next();
        c.udec(a[2]);
    }
}

fn dec_preadv(c: &mut Ctx) {
    dec_readv(c);
    if !c.entering() {
        c.next();
        c.dec(c.args[3] as i64);
    }
}

fn dec_writev(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    st::iovec(c, a[1], a[2], None, false);
    c.next();
    c.udec(a[2]);
}

/// preadv2/pwritev2(fd, iov, vlen, pos_l, pos_h, flags): on x86_64 pos_l is the offset.
fn dec_preadv2(c: &mut Ctx) {
    dec_preadv(c);
    if !c.entering() {
        c.next();
        c.flags(c.args[5] & 0xffff_ffff, &RWF_FLAGS);
    }
}

fn dec_pwritev2(c: &mut Ctx) {
    dec_pwritev(c);
    if c.entering() {
        c.next();
        c.flags(c.args[5] & 0xffff_ffff, &RWF_FLAGS);
    }
}

const RWF_FLAGS: Xlat = Xlat {
    entries: &[
        (1, "RWF_HIPRI"),
        (2, "RWF_DSYNC"),
        (4, "RWF_SYNC"),
        (8, "RWF_NOWAIT"),
        (0x10, "RWF_APPEND"),
    ],
    unknown: "RWF_???",
};

const SCHED_ATTR_FLAGS: Xlat = Xlat {
    entries: &[
        (0x01, "SCHED_FLAG_RESET_ON_FORK"),
        (0x02, "SCHED_FLAG_RECLAIM"),
        (0x04, "SCHED_FLAG_DL_OVERRUN"),
        (0x08, "SCHED_FLAG_KEEP_POLICY"),
        (0x10, "SCHED_FLAG_KEEP_PARAMS"),
        (0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"),
        (0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"),
    ],
    unknown: "SCHED_FLAG_???",
};

/// strace's print_sched_attr: `usize` is sched_getattr's buffer size (the kernel writes
/// `size`), 0 for sched_setattr (the caller's `size`, 0 meaning the first version's 48).
fn sched_attr(c: &mut Ctx, addr: u64, usize: u32) {
    const MIN_SIZE: u32 = 48;
    const VER1_SIZE: u32 = 56;
    let set = usize == 0;
    let mut b = [0u8; 56];
    let (size, declared) = if set {
        let Some(head) = st::read_struct::<4>(c, addr, false) else {
            return;
        };
        let declared = match u32::from_ne_bytes(head) {
            0 => MIN_SIZE,
            n => n,
        };
        let size = declared.min(VER1_SIZE);
        if size >= MIN_SIZE && !c.read_exact(addr, &mut b[..size as usize]) {
            c.ptr(addr);
            return;
        }
        b[..4].copy_from_slice(&head);
        (size, declared)
    } else {
        let want = usize.min(VER1_SIZE) as usize;
        if addr == 0 || !c.ok() || !c.read_exact(addr, &mut b[..want]) {
            c.ptr(addr);
            return;
        }
        let written = u32::from_ne_bytes(b[..4].try_into().unwrap_or([0; 4]));
        (written, written)
    };
    let u32_at = |o: usize| st::u32_at(&b, o);
    let u64_at = |o: usize| st::u64_at(&b, o);
    let (policy, flags) = (u32_at(4), u64_at(8));
    let _ = write!(c.out, "{{size={}", u32_at(0));
    if size >= MIN_SIZE {
        if !set || (policy as i32) < 0 || flags & 0x18 == 0 {
            c.s(", sched_policy=");
            c.xval(u64::from(policy), &xlat::SCHED_POLICIES);
        }
        c.s(", sched_flags=");
        c.flags(flags, &SCHED_ATTR_FLAGS);
        if !set || flags & 0x10 == 0 {
            let _ = write!(
                c.out,
                ", sched_nice={}, sched_priority={}, sched_runtime={}, sched_deadline={}, sched_period={}",
                u32_at(16) as i32,
                u32_at(20),
                u64_at(24),
                u64_at(32),
                u64_at(40)
            );
        }
        if size >= VER1_SIZE {
            let _ = write!(
                c.out,
                ", sched_util_min={}, sched_util_max={}",
                u32_at(48),
                u32_at(52)
            );
        }
    }
    if declared > size {
        c.s(", ...");
    }
    c.s("}");
}

fn dec_sched_getattr(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.pid(a[0], Tgid);
        c.stop();
        return;
    }
    let size = a[2] as u32;
    c.next();
    if size != 0 {
        sched_attr(c, a[1], size);
    } else {
        c.ptr(a[1]);
    }
    c.next();
    c.udec(u64::from(size));
    c.next();
    c.udec(a[3] & 0xffff_ffff);
}

/// sched_setattr: on E2BIG the kernel wrote the size it supports, shown as ` => {size=N}`.
fn dec_sched_setattr(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.pid(a[0], Tgid);
        c.next();
        sched_attr(c, a[1], 0);
        c.stop_after();
        return;
    }
    // strace checks verbose(tcp): `-e verbose=` (dereference), not -v.
    if c.style.dereference
        && c.rval() == -7
        && let Some(size) = c.read_u32(a[1])
    {
        let _ = write!(c.out, " => {{size={size}}}");
    }
    c.next();
    c.udec(a[2] & 0xffff_ffff);
}

const ADJTIMEX_MODES: Xlat = Xlat {
    entries: &[
        (0xa001, "ADJ_OFFSET_SS_READ"),
        (0x8001, "ADJ_OFFSET_SINGLESHOT"),
        (0x0001, "ADJ_OFFSET"),
        (0x0002, "ADJ_FREQUENCY"),
        (0x0004, "ADJ_MAXERROR"),
        (0x0008, "ADJ_ESTERROR"),
        (0x0010, "ADJ_STATUS"),
        (0x0020, "ADJ_TIMECONST"),
        (0x0080, "ADJ_TAI"),
        (0x0100, "ADJ_SETOFFSET"),
        (0x1000, "ADJ_MICRO"),
        (0x2000, "ADJ_NANO"),
        (0x4000, "ADJ_TICK"),
    ],
    unknown: "ADJ_???",
};

const ADJTIMEX_STATUS: Xlat = Xlat {
    entries: &[
        (0x0001, "STA_PLL"),
        (0x0002, "STA_PPSFREQ"),
        (0x0004, "STA_PPSTIME"),
        (0x0008, "STA_FLL"),
        (0x0010, "STA_INS"),
        (0x0020, "STA_DEL"),
        (0x0040, "STA_UNSYNC"),
        (0x0080, "STA_FREQHOLD"),
        (0x0100, "STA_PPSSIGNAL"),
        (0x0200, "STA_PPSJITTER"),
        (0x0400, "STA_PPSWANDER"),
        (0x0800, "STA_PPSERROR"),
        (0x1000, "STA_CLOCKERR"),
        (0x2000, "STA_NANO"),
        (0x4000, "STA_MODE"),
        (0x8000, "STA_CLK"),
    ],
    unknown: "STA_???",
};

const ADJTIMEX_STATES: [&str; 6] = [
    "TIME_OK",
    "TIME_INS",
    "TIME_DEL",
    "TIME_OOP",
    "TIME_WAIT",
    "TIME_ERROR",
];

/// adjtimex(buf) and clock_adjtime(clockid, buf): the `struct timex` (208 bytes) as the call
/// left it, and the clock state the call returns (`5 (TIME_ERROR)`).
fn dec_adjtimex(c: &mut Ctx) {
    let a = c.args;
    let clock = c.nr == nr::clock_adjtime;
    if c.entering() {
        if clock {
            c.next();
            c.xval(a[0] & 0xffff_ffff, &xlat::CLOCKS);
        }
        c.stop();
        return;
    }
    let addr = if clock { a[1] } else { a[0] };
    c.next();
    let Some(b) = st::read_struct::<208>(c, addr, true) else {
        return;
    };
    let long = |o: usize| i64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or([0; 8]));
    let int = |o: usize| i32::from_ne_bytes(b[o..o + 4].try_into().unwrap_or([0; 4]));
    c.s("{modes=");
    c.flags(u64::from(int(0) as u32), &ADJTIMEX_MODES);
    let _ = write!(
        c.out,
        ", offset={}, freq={}, maxerror={}, esterror={}, status=",
        long(8),
        long(16),
        long(24),
        long(32)
    );
    c.flags(u64::from(int(40) as u32), &ADJTIMEX_STATUS);
    let _ = write!(
        c.out,
        ", constant={}, precision={}, tolerance={}, time={{tv_sec={}, tv_usec={}}}, tick={}, \
         ppsfreq={}, jitter={}, shift={}, stabil={}, jitcnt={}, calcnt={}, errcnt={}, stbcnt={}, tai={}}}",
        long(48),
        long(56),
        long(64),
        long(72),
        long(80) as u64,
        long(88),
        long(96),
        long(104),
        int(112),
        long(120),
        long(128),
        long(136),
        long(144),
        long(152),
        int(160)
    );
    if c.ok()
        && let Some(state) = usize::try_from(c.rval())
            .ok()
            .and_then(|r| ADJTIMEX_STATES.get(r))
    {
        c.aux = format!("({state})");
    }
}

fn dec_pwritev(c: &mut Ctx) {
    dec_writev(c);
    if c.entering() {
        c.next();
        c.dec(c.args[3] as i64);
    }
}

/// `sendfile(1, 3, [0] => [4096], 4096)`: the offset is updated in place, so strace
/// finishes it at exit with ` => [new]`.
fn dec_sendfile(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        c.next();
        c.fd(a[1]);
        c.next();
        if a[2] == 0 {
            c.s("NULL");
            c.next();
            c.udec(a[3]);
        } else {
            c.saved[0] = c.read_u64(a[2]).unwrap_or(u64::MAX);
            st::u64_ptr(c, a[2], false);
        }
    } else if a[2] != 0 {
        if c.ok() && c.read_u64(a[2]) != Some(c.saved[0]) {
            c.s(" => ");
            st::u64_ptr(c, a[2], true);
        }
        c.next();
        c.udec(a[3]);
    }
}

fn dec_socket(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.xval(a[0], &xlat::ADDRESS_FAMILIES);
    c.next();
    socket_type(c, a[1]);
    c.next();
    socket_protocol(c, a[0], a[2]);
}

fn socket_type(c: &mut Ctx, v: u64) {
    let v = v & 0xffff_ffff;
    c.xval(v & 0xf, &xlat::SOCK_TYPES);
    if v & !0xf != 0 {
        c.s("|");
        c.flags(v & !0xf, &xlat::SOCK_FLAGS);
    }
}

fn socket_protocol(c: &mut Ctx, family: u64, proto: u64) {
    match family {
        2 | 10 => c.xval(proto, &xlat::INET_PROTOCOLS),
        16 => c.xval(proto, &xlat::NETLINK_PROTOCOLS),
        17 => {
            let p = (proto as u16).swap_bytes();
            if p == 3 {
                c.s("htons(ETH_P_ALL)");
            } else {
                let _ = write!(c.out, "htons({p:#x})");
            }
        }
        _ => c.int(proto),
    }
}

fn dec_socketpair(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.xval(a[0], &xlat::ADDRESS_FAMILIES);
        c.next();
        socket_type(c, a[1]);
        c.next();
        socket_protocol(c, a[0], a[2]);
        c.stop();
    } else {
        c.next();
        st::int_pair(c, a[3]);
    }
}

/// Prints `[len]` or `[in => out]` for an in/out `socklen_t *`.
/// `saved` value for a length that could not be read at entry: strace then prints the
/// length's address (and the buffer's), never a made-up `[0]`.
const UNREADABLE: u64 = u64::MAX;

/// A `socklen_t *` read at entry, or [`UNREADABLE`].
fn socklen_at_entry(c: &mut Ctx, addr: u64) -> u64 {
    c.read_u32(addr).map_or(UNREADABLE, u64::from)
}

/// A sockaddr output argument whose length was `before` at entry.
fn sockaddr_out(c: &mut Ctx, addr: u64, len_addr: u64, before: u64) {
    if addr == 0 {
        c.s("NULL");
    } else if before == UNREADABLE {
        c.ptr(addr);
    } else {
        let after = c.read_u32(len_addr).unwrap_or(0);
        st::sockaddr(c, addr, u64::from(after).min(before), true);
    }
}

fn socklen_inout(c: &mut Ctx, addr: u64, before: u64) {
    if addr == 0 {
        c.s("NULL");
        return;
    }
    if before == UNREADABLE {
        c.ptr(addr);
        return;
    }
    if !c.ok() {
        let _ = write!(c.out, "[{}]", before as u32);
        return;
    }
    match c.read_u32(addr) {
        Some(after) if u64::from(after) != before => {
            let _ = write!(c.out, "[{} => {after}]", before as u32);
        }
        Some(after) => {
            let _ = write!(c.out, "[{after}]");
        }
        None => c.ptr(addr),
    }
}

fn dec_accept(c: &mut Ctx) {
    let a = c.args;
    let is_accept4 = c.nr == nr::accept4;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        if a[2] != 0 {
            c.saved[0] = socklen_at_entry(c, a[2]);
        }
        c.stop();
    } else {
        c.next();
        sockaddr_out(c, a[1], a[2], c.saved[0]);
        c.next();
        let before = c.saved[0];
        socklen_inout(c, a[2], before);
        if is_accept4 {
            c.next();
            c.flags(a[3], &xlat::SOCK_FLAGS);
        }
    }
}

fn dec_getsockname(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        c.saved[0] = socklen_at_entry(c, a[2]);
        c.stop();
    } else {
        c.next();
        sockaddr_out(c, a[1], a[2], c.saved[0]);
        c.next();
        let before = c.saved[0];
        socklen_inout(c, a[2], before);
    }
}

fn dec_sendto(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    super::netlink::sockbuf(c, a[0], a[1], a[2]);
    c.next();
    c.udec(a[2]);
    c.next();
    c.flags(a[3], &xlat::MSG_FLAGS);
    c.next();
    st::sockaddr(c, a[4], a[5], false);
    c.next();
    c.uint(a[5]);
}

fn dec_recvfrom(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        if a[5] != 0 {
            c.saved[0] = socklen_at_entry(c, a[5]);
        }
        c.stop();
    } else {
        c.next();
        if c.ok() {
            // With MSG_TRUNC the call returns the datagram's length, which can be more
            // than the buffer holds.
            let n = (c.rval() as u64).min(a[2]);
            super::netlink::sockbuf(c, a[0], a[1], n);
        } else {
            c.ptr(a[1]);
        }
        c.next();
        c.udec(a[2]);
        c.next();
        c.flags(a[3], &xlat::MSG_FLAGS);
        c.next();
        sockaddr_out(c, a[4], a[5], c.saved[0]);
        c.next();
        let before = c.saved[0];
        socklen_inout(c, a[5], before);
    }
}

fn dec_sendmsg(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    st::msghdr(c, a[1], None, false, None);
    c.next();
    c.flags(a[2], &xlat::MSG_FLAGS);
}

/// recvmsg(fd, msg, flags) as strace decodes it: the msg_namelen the caller offered is
/// read at entry (a header that cannot be read is its address, all at entry); a failed
/// call shows only that length.
fn dec_recvmsg(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        match c.read_u32(a[1].wrapping_add(8)).filter(|_| a[1] != 0) {
            Some(namelen) => {
                c.saved = [u64::from(namelen), 1, 0];
                c.stop();
            }
            None => {
                c.next();
                c.ptr(a[1]);
                c.next();
                c.flags(a[2], &xlat::MSG_FLAGS);
            }
        }
        return;
    }
    if c.saved[1] == 0 {
        return;
    }
    let user_namelen = c.saved[0] as u32 as i32;
    c.next();
    if c.ok() {
        let n = c.rval() as u64;
        st::msghdr(c, a[1], Some(n), true, Some(user_namelen));
    } else {
        let _ = write!(c.out, "{{msg_namelen={user_namelen}}}");
    }
    c.next();
    c.flags(a[2], &xlat::MSG_FLAGS);
}

fn dec_clone(c: &mut Ctx) {
    let a = c.args;
    // x86_64 argument order: flags, stack, parent_tid, child_tid, tls.
    let flags = a[0];
    if c.entering() {
        c.next();
        c.s("child_stack=");
        c.ptr(a[1]);
        c.next();
        c.s("flags=");
        let sig = flags & 0xff;
        let rest = flags & !0xff;
        if rest != 0 || sig == 0 {
            c.flags(rest, &xlat::CLONE_FLAGS);
        }
        if sig != 0 {
            if rest != 0 {
                c.s("|");
            }
            c.signal(sig);
        }
    } else {
        // CLONE_PARENT_SETTID stores the child's tid there, CLONE_PIDFD a pidfd.
        if flags & 0x0010_1000 != 0 {
            c.next();
            c.s("parent_tid=");
            match c.read_u32(a[2]).filter(|_| c.ok()) {
                Some(v) => {
                    c.s("[");
                    if flags & 0x0010_0000 != 0 {
                        c.pid(u64::from(v), Tid);
                    } else {
                        c.fd(u64::from(v));
                    }
                    c.s("]");
                }
                None => c.ptr(a[2]),
            }
        }
        if flags & 0x0008_0000 != 0 {
            c.next();
            c.s("tls=");
            c.ptr(a[4]);
        }
        if flags & 0x0120_0000 != 0 {
            c.next();
            c.s("child_tidptr=");
            c.ptr(a[3]);
        }
    }
}

fn dec_clone3(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        st::clone_args(c, a[0], a[1]);
        // strace finishes the call at entry unless the kernel writes back into the struct
        // (pidfd, parent_tid) or there is a tail past what it knows.
        let writes_back = a[1] > 88
            || (a[1] >= 64 && c.read_u64(a[0]).is_some_and(|flags| flags & 0x10_1000 != 0));
        if writes_back {
            c.saved[0] = 1;
            c.stop_after();
            return;
        }
    } else if c.saved[0] == 0 {
        return;
    } else if c.ok() {
        st::clone_args_filled(c, a[0], a[1]);
    }
    c.next();
    c.udec(a[1]);
}

/// An argv/envp array: `["ls", "/"]`, or `0x7ffe... /* 30 vars */` for envp without `-v`.
fn string_array(c: &mut Ctx, addr: u64, abbreviate_as_vars: bool) {
    if addr == 0 {
        c.s("NULL");
        return;
    }
    // `-e verbose=!execve`: the pointers only.
    if !c.style.dereference {
        c.ptr(addr);
        return;
    }
    if abbreviate_as_vars && !c.style.verbose {
        // strace's printargc: the count, and whether a fault came before the NULL.
        c.ptr(addr);
        let (n, terminated) = count_pointers(c, addr);
        if n > 0 || terminated {
            let _ = write!(
                c.out,
                " /* {n} var{}{} */",
                if n == 1 { "" } else { "s" },
                if terminated { "" } else { ", unterminated" }
            );
        }
        return;
    }
    // strace's printargv.
    let limit = if c.style.verbose {
        print::VERBOSE_ARRAY_LIMIT
    } else {
        c.style.string_limit as u64
    };
    let mut i = 0u64;
    loop {
        let at = addr.wrapping_add(i * 8);
        let Some(p) = c.read_u64(at) else {
            if i == 0 {
                c.ptr(addr);
                return;
            }
            c.s(", ... /* ");
            c.ptr(at);
            c.s(" */");
            break;
        };
        if i == 0 {
            c.s("[");
        }
        if p == 0 {
            break;
        }
        if i > 0 {
            c.s(", ");
        }
        if i >= limit || c.over_budget() {
            c.s("...");
            break;
        }
        c.cstr(p);
        i += 1;
    }
    c.s("]");
}

fn dec_execve(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.path(a[0]);
    c.next();
    string_array(c, a[1], false);
    c.next();
    string_array(c, a[2], true);
}

fn dec_execveat(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.dirfd(a[0]);
    c.next();
    c.path(a[1]);
    c.next();
    string_array(c, a[2], false);
    c.next();
    string_array(c, a[3], true);
    c.next();
    c.flags(a[4], &xlat::AT_FLAGS);
}

fn dec_wait4(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.pid_or_group(a[0]);
        c.stop();
    } else {
        c.next();
        st::wait_status(c, a[1]);
        c.next();
        c.flags(a[2], &xlat::WAIT_OPTIONS);
        c.next();
        // strace fills in the usage only when a child was reaped (a positive return).
        if c.ok() && c.rval() == 0 {
            c.ptr(a[3]);
        } else if a[3] == 0 {
            c.s("NULL");
        } else {
            st::rusage(c, a[3]);
        }
    }
}

fn dec_waitid(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.xval(a[0], &xlat::WAITID_TYPES);
        c.next();
        let kind = match a[0] & 0xffff_ffff {
            1 => Some(Tgid),
            2 => Some(Pgid),
            _ => None,
        };
        c.pid_if(a[1], kind);
        c.stop();
    } else {
        c.next();
        let mut b = [0u8; 128];
        if a[2] != 0 && c.ok() && c.read_exact(a[2], &mut b) {
            let info = crate::signal::SigInfo::from_bytes(&b);
            if info.signo == 0 {
                c.s("{}");
            } else {
                c.s("{");
                c.siginfo_fields(&info);
                c.s("}");
            }
        } else {
            c.ptr(a[2]);
        }
        c.next();
        c.flags(a[3], &xlat::WAIT_OPTIONS);
        c.next();
        if a[4] == 0 {
            c.s("NULL");
        } else {
            st::rusage(c, a[4]);
        }
    }
}

fn dec_fcntl(c: &mut Ctx) {
    let a = c.args;
    let cmd = a[1] & 0xffff_ffff;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        c.next();
        c.xval(cmd, &xlat::FCNTL_CMDS);
        match cmd {
            // F_GETFD, F_GETFL, F_GETOWN, F_GETSIG, F_GETLEASE, F_GETPIPE_SZ, F_GET_SEALS
            1 | 3 | 9 | 11 | 1025 | 1032 | 1034 => {}
            2 => {
                c.next();
                c.flags(a[2], &xlat::FD_FLAGS);
            }
            4 => {
                c.next();
                open_flags(c, a[2] & 0xffff_ffff);
            }
            // F_GETLK, F_OFD_GETLK: the lock comes back filled in.
            5 | 36 => c.stop(),
            6 | 7 | 37 | 38 => {
                c.next();
                flock_struct(c, a[2], false);
            }
            8 => {
                c.next();
                c.pid_or_group(a[2]);
            }
            10 => {
                c.next();
                c.signal(a[2]);
            }
            // F_GETOWN_EX: the owner comes back filled in.
            16 => c.stop(),
            15 => {
                c.next();
                f_owner_ex(c, a[2]);
            }
            1024 => {
                c.next();
                c.xval(a[2], &xlat::LOCK_CMDS);
            }
            1026 => {
                c.next();
                c.flags(a[2], &xlat::DNOTIFY_FLAGS);
            }
            1033 => {
                c.next();
                c.flags(a[2], &xlat::F_SEALS);
            }
            0 | 1030 | 1031 => {
                c.next();
                c.int(a[2]);
            }
            _ => {
                c.next();
                c.hex(a[2]);
            }
        }
    } else if matches!(cmd, 5 | 36) {
        c.next();
        if c.ok() {
            flock_struct(c, a[2], true);
        } else {
            c.ptr(a[2]);
        }
    } else if cmd == 16 {
        c.next();
        f_owner_ex(c, a[2]);
    } else if c.ok() {
        match cmd {
            9 if c.rval() >= 0 => c.ret_kind = Some(Ret::Pid(Tgid)),
            1 => {
                let r = c.rval() as u64;
                if r != 0 {
                    c.ret_kind = Some(Ret::Hex);
                    c.aux.push_str("(flags ");
                    super::print::write_flags(&mut c.aux, r, &xlat::FD_FLAGS);
                    c.aux.push(')');
                }
            }
            3 => {
                let r = c.rval() as u64;
                c.ret_kind = Some(Ret::Hex);
                let mut note = String::from("(flags ");
                let save = std::mem::take(c.out);
                open_flags(c, r);
                note.push_str(c.out);
                *c.out = save;
                note.push(')');
                c.aux = note;
            }
            0 | 1030 => c.ret_kind = Some(Ret::Fd),
            // F_GETLEASE
            1025 => {
                c.ret_kind = Some(Ret::Hex);
                let lease = c.rval() as u64;
                if let Some(e) = xlat::LOCK_CMDS.entries.iter().find(|e| e.0 == lease) {
                    let _ = write!(c.aux, "({})", e.1);
                }
            }
            // F_GETSIG
            11 if c.rval() != 0 => {
                let sig = c.rval() as i32;
                match crate::signal::signal_name(sig) {
                    Some(name) => {
                        let _ = write!(c.aux, "({name})");
                    }
                    None => {
                        let _ = write!(c.aux, "({sig})");
                    }
                }
            }
            // F_GET_SEALS
            1034 if c.rval() != 0 => {
                c.ret_kind = Some(Ret::Hex);
                let seals = c.rval() as u64;
                c.aux.push_str("(seals ");
                super::print::write_flags(&mut c.aux, seals, &xlat::F_SEALS);
                c.aux.push(')');
            }
            _ => {}
        }
    }
}

/// `struct f_owner_ex` (F_SETOWN_EX, F_GETOWN_EX): the pid's kind follows the type.
fn f_owner_ex(c: &mut Ctx, addr: u64) {
    let mut b = [0u8; 8];
    if c.failed && !c.entering() || !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    let kind = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
    c.s("{type=");
    c.xval(u64::from(kind), &xlat::F_OWNER_TYPES);
    c.s(", pid=");
    let pid = u64::from(u32::from_ne_bytes([b[4], b[5], b[6], b[7]]));
    match kind {
        0 => c.pid(pid, PidKind::Tid),
        1 => c.pid(pid, PidKind::Tgid),
        2 => c.pid(pid, PidKind::Pgid),
        _ => c.int(pid),
    }
    c.s("}");
}

/// `struct flock`; F_GETLK's answer also says which process holds the lock.
fn flock_struct(c: &mut Ctx, addr: u64, getlk: bool) {
    let mut b = [0u8; 32];
    if !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    let l_type = u16::from_ne_bytes([b[0], b[1]]);
    let whence = u16::from_ne_bytes([b[2], b[3]]);
    let start = i64::from_ne_bytes(b[8..16].try_into().unwrap_or([0; 8]));
    let len = i64::from_ne_bytes(b[16..24].try_into().unwrap_or([0; 8]));
    c.s("{l_type=");
    c.xval(u64::from(l_type), &xlat::LOCK_CMDS);
    c.s(", l_whence=");
    c.xval(u64::from(whence), &xlat::SEEK_WHENCE);
    let _ = write!(c.out, ", l_start={start}, l_len={len}");
    if getlk {
        c.s(", l_pid=");
        c.pid(
            u64::from(u32::from_ne_bytes(b[24..28].try_into().unwrap_or([0; 4]))),
            Tgid,
        );
    }
    c.s("}");
}

/// time(tloc): the seconds in `*tloc` and the return value, each with its date.
fn dec_time(c: &mut Ctx) {
    if c.entering() {
        c.stop();
        return;
    }
    c.next();
    st::time_t_out(c, c.args[0]);
    if c.ok() {
        c.aux = st::date_note(c.rval());
    }
}

/// rt_sigpending: one of the few calls where the set may be shorter than the kernel's
/// (1 to 8 bytes), strace's `print_sigset_addr_len_limit(addr, len, 1)`.
fn dec_rt_sigpending(c: &mut Ctx) {
    if c.entering() {
        c.stop();
        return;
    }
    let a = c.args;
    c.next();
    st::sigset_of_len(c, a[0], a[1], 1);
    c.next();
    c.udec(a[1]);
}

/// strace's decode_mknod: the mode is an `unsigned short`; the device number follows only
/// for character and block devices.
fn dec_mknod(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    let at = usize::from(c.nr == nr::mknodat);
    if at == 1 {
        c.next();
        c.dirfd(a[0]);
    }
    c.next();
    c.path(a[at]);
    c.next();
    let mode = a[at + 1] & 0xffff;
    print_arg(c, A::TypedMode, mode);
    const S_IFCHR: u64 = 0o020000;
    const S_IFBLK: u64 = 0o060000;
    if matches!(mode & 0o170000, S_IFCHR | S_IFBLK) {
        c.next();
        print_arg(c, A::Dev, a[at + 2] & 0xffff_ffff);
    }
}

fn dec_getdents(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        c.stop();
    } else {
        c.next();
        let n = c.rval() as u64;
        st::dirents(c, a[1], n, c.nr == nr::getdents);
        c.next();
        c.uint(a[2]);
    }
}

fn dec_prlimit64(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.pid(a[0], Tgid);
        c.next();
        c.xval(a[1], &xlat::RLIMITS);
        c.next();
        st::rlimit(c, a[2], false, "RLIM64_INFINITY");
        c.stop();
    } else {
        c.next();
        st::rlimit(c, a[3], true, "RLIM64_INFINITY");
    }
}

pub(super) fn cpu_list(c: &mut Ctx, addr: u64, len: u64, output: bool) {
    if output && !c.ok() {
        c.ptr(addr);
        return;
    }
    let n = (len as usize).min(128);
    let mut b = [0u8; 128];
    if !c.read_exact(addr, &mut b[..n]) {
        c.ptr(addr);
        return;
    }
    c.s("[");
    let mut first = true;
    for cpu in 0..n * 8 {
        if b[cpu / 8] & (1 << (cpu % 8)) != 0 {
            if !first {
                c.s(" ");
            }
            first = false;
            c.udec(cpu as u64);
        }
    }
    c.s("]");
}

fn dec_sched_getaffinity(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.pid(a[0], Tgid);
        c.next();
        c.uint(a[1]);
        c.stop();
    } else {
        c.next();
        let n = c.rval() as u64;
        cpu_list(c, a[2], n, true);
    }
}

fn dec_sched_setaffinity(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.pid(a[0], Tgid);
    c.next();
    c.uint(a[1]);
    c.next();
    cpu_list(c, a[2], a[1], false);
}

/// arch_prctl(option, arg): arg is an output for the GET options, absent for
/// ARCH_GET_CPUID, an XFEATURE number for the permission requests, hex otherwise.
fn dec_arch_prctl(c: &mut Ctx) {
    let a = c.args;
    let op = a[0] & 0xffff_ffff;
    // -X raw keeps numbers; otherwise XFEATUREs always show their names in a comment.
    let feature_style = match print::xlat_style() {
        XlatStyle::Raw => XlatStyle::Raw,
        _ => XlatStyle::Verbose,
    };
    if c.entering() {
        c.next();
        c.xval(op, &xlat::ARCH_PRCTL);
        match op {
            0x1003 | 0x1004 | 0x1021 | 0x1022 | 0x1024 => c.stop(),
            0x1011 => {}
            0x1023 | 0x1025 => {
                c.next();
                print::with_xlat_style(feature_style, || {
                    print::write_xval(c.out, a[1], &X86_XFEATURE_BITS)
                });
            }
            _ => {
                c.next();
                c.hex(a[1]);
            }
        }
        return;
    }
    match op {
        0x1003 | 0x1004 => {
            c.next();
            match c.read_u64(a[1]).filter(|_| c.ok()) {
                Some(v) => {
                    c.s("[");
                    c.ptr(v);
                    c.s("]");
                }
                None => c.ptr(a[1]),
            }
        }
        0x1021 | 0x1022 | 0x1024 => {
            c.next();
            match c.read_u64(a[1]).filter(|_| c.ok()) {
                Some(mask) => {
                    c.s("[");
                    print::with_xlat_style(feature_style, || {
                        print::write_flags(c.out, mask, &X86_XFEATURES)
                    });
                    c.s("]");
                }
                None => c.ptr(a[1]),
            }
        }
        0x1023 | 0x1025 if c.rval() > 0 => {
            c.ret_kind = Some(Ret::Hex);
            let v = c.rval() as u64;
            // strace's SPFF_AUXSTR_MODE: no comment at all when no feature bit is named.
            let named = X86_XFEATURES
                .entries
                .iter()
                .any(|&(bits, _)| bits != 0 && v & bits == bits);
            if !named || print::xlat_style() == XlatStyle::Raw {
                return;
            }
            let mut names = String::new();
            print::with_xlat_style(XlatStyle::Abbrev, || {
                print::write_flags(&mut names, c.rval() as u64, &X86_XFEATURES)
            });
            c.aux = format!("({names})");
        }
        _ => {}
    }
}

const X86_XFEATURES: Xlat = Xlat {
    entries: &[
        (0x3, "XFEATURE_MASK_FPSSE"),
        (1 << 0, "XFEATURE_MASK_FP"),
        (1 << 1, "XFEATURE_MASK_SSE"),
        (1 << 2, "XFEATURE_MASK_YMM"),
        (1 << 3, "XFEATURE_MASK_BNDREGS"),
        (1 << 4, "XFEATURE_MASK_BNDCSR"),
        (0xe0, "XFEATURE_MASK_AVX512"),
        (1 << 5, "XFEATURE_MASK_OPMASK"),
        (1 << 6, "XFEATURE_MASK_ZMM_Hi256"),
        (1 << 7, "XFEATURE_MASK_Hi16_ZMM"),
        (1 << 8, "XFEATURE_MASK_PT"),
        (1 << 9, "XFEATURE_MASK_PKRU"),
        (1 << 10, "XFEATURE_MASK_PASID"),
        (1 << 15, "XFEATURE_MASK_LBR"),
        (0x60000, "XFEATURE_MASK_XTILE"),
        (1 << 17, "XFEATURE_MASK_XTILE_CFG"),
        (1 << 18, "XFEATURE_MASK_XTILE_DATA"),
    ],
    unknown: "XFEATURE_MASK_???",
};

const X86_XFEATURE_BITS: Xlat = Xlat {
    entries: &[
        (0, "XFEATURE_FP"),
        (1, "XFEATURE_SSE"),
        (2, "XFEATURE_YMM"),
        (3, "XFEATURE_BNDREGS"),
        (4, "XFEATURE_BNDCSR"),
        (5, "XFEATURE_OPMASK"),
        (6, "XFEATURE_ZMM_Hi256"),
        (7, "XFEATURE_Hi16_ZMM"),
        (8, "XFEATURE_PT_UNIMPLEMENTED_SO_FAR"),
        (9, "XFEATURE_PKRU"),
        (10, "XFEATURE_PASID"),
        (15, "XFEATURE_LBR"),
        (17, "XFEATURE_XTILE_CFG"),
        (18, "XFEATURE_XTILE_DATA"),
    ],
    unknown: "XFEATURE_???",
};

/// futex_waitv(2): the array of struct futex_waitv (val, uaddr, flags, __reserved; at most
/// FUTEX_WAITV_MAX shown), the count, flags in hex, the timeout and the clock.
fn dec_futex_waitv(c: &mut Ctx) {
    const FUTEX_WAITV_MAX: usize = 128;
    if !c.entering() {
        return;
    }
    let a = c.args;
    let count = a[1] & 0xffff_ffff;
    c.next();
    let mut shown = 0;
    c.array(a[0], count, 24, |c, b| {
        if shown >= FUTEX_WAITV_MAX {
            c.s("...");
            return false;
        }
        shown += 1;
        c.s("{val=");
        c.hex(st::u64_at(b, 0));
        c.s(", uaddr=");
        c.ptr(st::u64_at(b, 8));
        c.s(", flags=");
        c.flags(u64::from(st::u32_at(b, 16)), &xlat::FUTEX_WAITER_FLAGS);
        let reserved = st::u32_at(b, 20);
        if reserved != 0 {
            c.s(", __reserved=");
            c.hex(u64::from(reserved));
        }
        c.s("}");
        true
    });
    c.next();
    c.udec(count);
    c.next();
    c.hex(a[2] & 0xffff_ffff);
    c.next();
    st::timespec(c, a[3], false);
    c.next();
    c.xval(a[4] & 0xffff_ffff, &xlat::CLOCKS);
}

fn dec_futex(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    let op = a[1] & 0xffff_ffff;
    let cmd = op & 127;
    c.next();
    c.ptr(a[0]);
    c.next();
    c.xval(op, &xlat::FUTEX_OPS);
    let val3 = |c: &mut Ctx, v: u64| c.xval(v & 0xffff_ffff, &xlat::FUTEX_BITSETS);
    match cmd {
        0 => {
            c.next();
            c.uint(a[2]);
            c.next();
            st::timespec(c, a[3], false);
        }
        1 | 2 => {
            c.next();
            c.uint(a[2]);
        }
        9 => {
            c.next();
            c.uint(a[2]);
            c.next();
            st::timespec(c, a[3], false);
            c.next();
            val3(c, a[5]);
        }
        10 => {
            c.next();
            c.uint(a[2]);
            c.next();
            val3(c, a[5]);
        }
        3 => {
            c.next();
            c.uint(a[2]);
            c.next();
            c.uint(a[3]);
            c.next();
            c.ptr(a[4]);
        }
        4 | 12 => {
            c.next();
            c.uint(a[2]);
            c.next();
            c.uint(a[3]);
            c.next();
            c.ptr(a[4]);
            c.next();
            c.uint(a[5]);
        }
        5 => {
            c.next();
            c.uint(a[2]);
            c.next();
            c.uint(a[3]);
            c.next();
            c.ptr(a[4]);
            c.next();
            futex_wake_op(c, a[5] as u32);
        }
        6 | 13 => {
            c.next();
            st::timespec(c, a[3], false);
        }
        7 | 8 => {}
        11 => {
            c.next();
            c.uint(a[2]);
            c.next();
            st::timespec(c, a[3], false);
            c.next();
            c.ptr(a[4]);
        }
        _ => {
            c.next();
            c.uint(a[2]);
            c.next();
            c.ptr(a[3]);
            c.next();
            c.ptr(a[4]);
            c.next();
            c.hex(a[5] & 0xffff_ffff);
        }
    }
}

/// FUTEX_WAKE_OP's val3: `FUTEX_OP_ADD<<28|0x1<<12|FUTEX_OP_CMP_EQ<<24|0`.
fn futex_wake_op(c: &mut Ctx, v: u32) {
    const OPARG_SHIFT: u32 = 8;
    let op = (v >> 28) & 7;
    let cmp = (v >> 24) & 15;
    if (v >> 28) & OPARG_SHIFT != 0 {
        c.s("FUTEX_OP_OPARG_SHIFT<<28|");
    }
    let known = |c: &mut Ctx, v: u32, x: &crate::xlat::Xlat, shift: u32, unknown: &str| {
        let named = x.entries.iter().any(|e| e.0 == u64::from(v));
        c.xval(u64::from(v), x);
        let _ = write!(c.out, "<<{shift}");
        if !named {
            let _ = write!(c.out, " /* {unknown} */");
        }
    };
    known(c, op, &xlat::FUTEX_WAKE_OPS, 28, "FUTEX_OP_???");
    c.s("|");
    c.hex(u64::from((v >> 12) & 0xfff));
    c.s("<<12|");
    known(c, cmp, &xlat::FUTEX_WAKE_CMPS, 24, "FUTEX_OP_CMP_???");
    c.s("|");
    c.hex(u64::from(v & 0xfff));
}

fn dec_restart_syscall(c: &mut Ctx) {
    if c.entering() {
        c.next();
        c.s("<... resuming interrupted system call ...>");
    }
}

fn dec_epoll_ctl(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    c.xval(a[1], &xlat::EPOLL_CTL_OPS);
    c.next();
    c.fd(a[2]);
    c.next();
    if a[1] == 2 {
        c.ptr(a[3]);
    } else {
        st::epoll_events(c, a[3], 1, false);
    }
}

fn dec_epoll_wait(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        c.stop();
    } else {
        c.next();
        let n = c.rval().max(0) as u64;
        st::epoll_events(c, a[1], n, true);
        c.next();
        c.int(a[2]);
        c.next();
        // Everything is printed at exit: the structs of a failed call as addresses.
        if c.nr == nr::epoll_pwait2 {
            st::timespec(c, a[3], true);
        } else {
            c.int(a[3]);
        }
        if c.nr != nr::epoll_wait {
            c.next();
            st::sigset(c, a[4], a[5], true);
            c.next();
            c.udec(a[5]);
        }
    }
}

/// utime's `struct utimbuf`: `{actime=1492350678 /* 2017-04-16T13:51:18+0000 */, modtime=...}`.
fn dec_utime(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.path(a[0]);
    c.next();
    let mut b = [0u8; 16];
    if a[1] == 0 {
        c.s("NULL");
    } else if c.read_exact(a[1], &mut b) {
        for (i, name) in ["{actime=", ", modtime="].into_iter().enumerate() {
            let sec = i64::from_ne_bytes(b[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
            c.s(name);
            c.dec(sec);
            st::write_date_comment(c.out, sec, 0);
        }
        c.s("}");
    } else {
        c.ptr(a[1]);
    }
}

/// utimes and futimesat: `[{tv_sec=..., tv_usec=...} /* date */, {...}]`; strace dates only
/// valid times (microseconds below a second).
fn dec_utimes(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let mut a = c.args;
    if c.nr == nr::futimesat {
        c.next();
        c.dirfd(a[0]);
        a.rotate_left(1);
    }
    c.next();
    c.path(a[0]);
    c.next();
    let mut b = [0u8; 32];
    if a[1] == 0 {
        c.s("NULL");
    } else if c.read_exact(a[1], &mut b) {
        c.s("[");
        for i in 0..2 {
            if i > 0 {
                c.s(", ");
            }
            let sec = i64::from_ne_bytes(b[i * 16..i * 16 + 8].try_into().unwrap_or([0; 8]));
            let usec = u64::from_ne_bytes(b[i * 16 + 8..i * 16 + 16].try_into().unwrap_or([0; 8]));
            let _ = write!(c.out, "{{tv_sec={sec}, tv_usec={usec}}}");
            if usec < 1_000_000 {
                st::write_date_comment_us(c.out, sec, usec);
            }
        }
        c.s("]");
    } else {
        c.ptr(a[1]);
    }
}

/// `vmsplice(1, [{iov_base="012", iov_len=3}], 1, SPLICE_F_NONBLOCK)`.
fn dec_vmsplice(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    st::iovec_array(c, a[1], a[2], Some(u64::MAX));
    c.next();
    c.udec(a[2]);
    c.next();
    c.flags(a[3] & 0xffff_ffff, &xlat::SPLICE_FLAGS);
}

/// semop/semtimedop: `[{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}]`.
fn dec_semop(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.int(a[0]);
    c.next();
    c.array(a[1], a[2] & 0xffff_ffff, 6, |c, b| {
        let num = u16::from_ne_bytes([b[0], b[1]]);
        let op = i16::from_ne_bytes([b[2], b[3]]);
        let flg = u16::from_ne_bytes([b[4], b[5]]);
        let _ = write!(c.out, "{{sem_num={num}, sem_op={op}, sem_flg=");
        c.flags(u64::from(flg), &xlat::SEMOP_FLAGS);
        c.s("}");
        true
    });
    c.next();
    c.uint(a[2]);
    if c.nr == nr::semtimedop {
        c.next();
        st::timespec(c, a[3], false);
    }
}

/// syslog: the action always as `N /* NAME */`; buffer and length only where the action
/// uses them, the buffer read at exit for the SYSLOG_ACTION_READ* ones.
fn dec_syslog(c: &mut Ctx) {
    let a = c.args;
    let action = a[0] as i32;
    let read = matches!(action, 2..=4);
    if c.entering() {
        c.next();
        dec_with_comment(c, i64::from(action), &xlat::SYSLOG_ACTIONS);
        if read {
            c.stop();
            return;
        }
        if matches!(action, 0 | 1 | 5 | 6 | 7 | 9 | 10) {
            return;
        }
        c.next();
        c.ptr(a[1]);
        c.next();
        if action == 8 {
            dec_with_comment(c, i64::from(a[2] as i32), &xlat::SYSLOG_CONSOLE_LEVELS);
        } else {
            c.int(a[2]);
        }
    } else if read {
        c.next();
        if c.ok() {
            c.buf(a[1], c.rval() as u64);
        } else {
            c.ptr(a[1]);
        }
        c.next();
        c.int(a[2]);
    }
}

/// strace's `XLAT_STYLE_VERBOSE | XLAT_STYLE_FMT_D`: `8 /* SYSLOG_ACTION_CONSOLE_LEVEL */`.
fn dec_with_comment(c: &mut Ctx, v: i64, x: &Xlat) {
    c.dec(v);
    let name = x
        .entries
        .iter()
        .find(|e| e.0 == v as u64)
        .map_or(x.unknown, |e| e.1);
    let _ = write!(c.out, " /* {name} */");
}

fn dec_utimensat(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.dirfd(a[0]);
    c.next();
    c.path(a[1]);
    c.next();
    if a[2] == 0 {
        c.s("NULL");
    } else {
        let mut b = [0u8; 32];
        if c.read_exact(a[2], &mut b) {
            c.s("[");
            for i in 0..2 {
                if i > 0 {
                    c.s(", ");
                }
                let sec = i64::from_ne_bytes(b[i * 16..i * 16 + 8].try_into().unwrap_or([0; 8]));
                let nsec =
                    i64::from_ne_bytes(b[i * 16 + 8..i * 16 + 16].try_into().unwrap_or([0; 8]));
                let special = match nsec {
                    0x3fff_ffff => Some("UTIME_NOW"),
                    0x3fff_fffe => Some("UTIME_OMIT"),
                    _ => None,
                };
                match (special, print::xlat_style()) {
                    (Some(name), XlatStyle::Abbrev) => c.s(name),
                    (Some(name), style) => {
                        let _ = write!(c.out, "{{tv_sec={sec}, tv_nsec={nsec}}}");
                        if style == XlatStyle::Verbose {
                            let _ = write!(c.out, " /* {name} */");
                        }
                    }
                    (None, _) => {
                        let _ = write!(c.out, "{{tv_sec={sec}, tv_nsec={}}}", nsec as u64);
                        // strace dates only valid times (nanoseconds below a second).
                        if (nsec as u64) < 1_000_000_000 {
                            st::write_date_comment(c.out, sec, nsec as u64);
                        }
                    }
                }
            }
            c.s("]");
        } else {
            c.ptr(a[2]);
        }
    }
    c.next();
    c.flags(a[3], &xlat::AT_FLAGS);
}

fn dec_setxattr(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    if c.nr == nr::fsetxattr {
        c.fd(a[0]);
    } else {
        c.path(a[0]);
    }
    c.next();
    c.cstr(a[1]);
    c.next();
    xattr_value(c, a[2], a[3]);
    c.next();
    c.udec(a[3]);
    c.next();
    c.flags(a[4], &xlat::XATTR_FLAGS);
}

/// sethostname/setdomainname(name, len): a name longer than __NEW_UTS_LEN (64) as its
/// address.
fn dec_sethostname(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    let len = a[1] & 0xffff_ffff;
    c.next();
    if len > 64 {
        c.ptr(a[0]);
    } else {
        c.buf(a[0], len);
    }
    c.next();
    c.udec(len);
}

/// listxattr(path, list, size): strace's print_xattr_list, the list as an address when
/// `size` is 0 (the call only measures).
fn dec_listxattr(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        if c.nr == nr::flistxattr {
            c.fd(a[0]);
        } else {
            c.path(a[0]);
        }
        c.stop();
        return;
    }
    c.next();
    if a[2] == 0 || !c.ok() {
        c.ptr(a[1]);
    } else {
        let n = c.rval() as u64;
        c.buf(a[1], n);
    }
    c.next();
    c.udec(a[2]);
}

/// strace's print_xattr_val: a value over XATTR_SIZE_MAX as its address, else the bytes
/// without a trailing NUL.
fn xattr_value(c: &mut Ctx, addr: u64, size: u64) {
    const XATTR_SIZE_MAX: u64 = 65536;
    if size > XATTR_SIZE_MAX {
        c.ptr(addr);
    } else {
        c.buf_omit_trailing_nul(addr, size);
    }
}

fn dec_getxattr(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        if c.nr == nr::fgetxattr {
            c.fd(a[0]);
        } else {
            c.path(a[0]);
        }
        c.next();
        c.cstr(a[1]);
        c.stop();
    } else {
        c.next();
        if c.ok() && a[3] != 0 {
            let n = c.rval() as u64;
            xattr_value(c, a[2], n);
        } else {
            c.ptr(a[2]);
        }
        c.next();
        c.udec(a[3]);
    }
}

/// strace's print_groups: more than NGROUPS_MAX entries as the address, else an array
/// whose unreadable tail shows as `... /* address */`.
fn gid_list(c: &mut Ctx, addr: u64, n: u64) {
    const NGROUPS_MAX: u64 = 65536;
    if n > NGROUPS_MAX {
        c.ptr(addr);
        return;
    }
    c.array(addr, n, 4, |c, b| {
        c.uid(u64::from(st::u32_at(b, 0)));
        true
    });
}

fn dec_getgroups(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.int(a[0]);
        c.stop();
    } else {
        c.next();
        if a[1] == 0 {
            c.s("NULL");
        } else if c.ok() {
            let n = (c.rval() as u64).min(a[0] & 0xffff_ffff);
            gid_list(c, a[1], n);
        } else {
            c.ptr(a[1]);
        }
    }
}

fn dec_setgroups(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.int(a[0]);
    c.next();
    gid_list(c, a[1], a[0] & 0xffff_ffff);
}

/// pidfd_getfd(pidfd, targetfd, flags): targetfd is an fd of the process behind pidfd, shown
/// with that process's path under -y.
fn dec_pidfd_getfd(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    match c.fds.pidfd_pid(a[0] as i32) {
        Some(pid) if pid > 0 => c.fd_of(pid as u64, a[1]),
        _ => c.int(a[1]),
    }
    c.next();
    c.hex(a[2] & 0xffff_ffff);
}

/// The caller's part of `struct io_uring_params` at entry, the kernel's at exit when the
/// call succeeded (strace prints the struct across both phases).
fn dec_io_uring_setup(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.uint(a[0]);
        c.next();
        c.saved[0] = u64::from(st::io_uring_params_in(c, a[1]));
        c.stop_after();
    } else if c.saved[0] != 0 {
        st::io_uring_params_out(c, a[1]);
    }
}

fn dec_mremap(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.ptr(a[0]);
    c.next();
    c.udec(a[1]);
    c.next();
    c.udec(a[2]);
    c.next();
    c.flags(a[3], &xlat::MREMAP_FLAGS);
    // The new address is only an argument with MREMAP_FIXED.
    if a[3] & 2 != 0 {
        c.next();
        c.ptr(a[4]);
    }
}

fn dec_mincore(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.ptr(a[0]);
        c.next();
        c.udec(a[1]);
        c.stop();
    } else {
        c.next();
        st::mincore_vec(c, a[2], a[1]);
    }
}

/// rt_sigqueueinfo(pid, sig, info) and rt_tgsigqueueinfo(tgid, tid, sig, info).
fn dec_rt_sigqueueinfo(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    let tg = c.nr == nr::rt_tgsigqueueinfo;
    c.next();
    c.pid(a[0], Tgid);
    if tg {
        c.next();
        c.pid(a[1], Tid);
    }
    let (sig, info) = if tg { (a[2], a[3]) } else { (a[1], a[2]) };
    c.next();
    c.signal(sig);
    c.next();
    siginfo_in(c, info);
}

/// A `siginfo_t` the caller passes in (strace's printsiginfo_at).
pub(super) fn siginfo_in(c: &mut Ctx, addr: u64) {
    let mut b = [0u8; 128];
    if c.read_exact(addr, &mut b) {
        let info = crate::signal::SigInfo::from_bytes(&b);
        c.s("{");
        c.siginfo_fields(&info);
        c.s("}");
    } else {
        c.ptr(addr);
    }
}

/// pidfd_send_signal(pidfd, sig, info, flags): flags in hex, as strace prints them.
fn dec_pidfd_send_signal(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    c.signal(a[1]);
    c.next();
    siginfo_in(c, a[2]);
    c.next();
    c.hex(a[3] & 0xffff_ffff);
}

fn dec_sched_getscheduler(c: &mut Ctx) {
    if c.entering() {
        c.next();
        c.pid(c.args[0], Tgid);
    } else if c.ok() {
        // The policy may carry SCHED_RESET_ON_FORK (0x40000000).
        let r = c.rval() as u64;
        if let Some(e) = xlat::SCHED_POLICIES
            .entries
            .iter()
            .find(|e| e.0 == r & !0x4000_0000)
        {
            c.aux = if r & 0x4000_0000 != 0 {
                format!("({}|SCHED_RESET_ON_FORK)", e.1)
            } else {
                format!("({})", e.1)
            };
        }
    }
}

/// strace's personality.c: the type in the low byte (`PER_BSD`), flags above it; the result,
/// the previous personality, in hex with the same text in parentheses.
fn dec_personality(c: &mut Ctx) {
    const PER_MASK: u64 = 0xff;
    if c.entering() {
        c.next();
        let v = c.args[0] & 0xffff_ffff;
        if v == 0xffff_ffff {
            c.hex(v);
        } else {
            c.xval(v & PER_MASK, &PERSONALITY_TYPES);
            if v & !PER_MASK != 0 {
                c.s("|");
                c.flags(v & !PER_MASK, &PERSONALITY_FLAGS);
            }
        }
    } else if c.ok() {
        let r = c.rval() as u64 & 0xffff_ffff;
        let mut text = String::from("(");
        print::write_xval(&mut text, r & PER_MASK, &PERSONALITY_TYPES);
        if r & !PER_MASK != 0 {
            text.push('|');
            print::write_flags(&mut text, r & !PER_MASK, &PERSONALITY_FLAGS);
        }
        text.push(')');
        c.aux = text;
    }
}

/// strace's src/xlat/personality_types.in: only types that fit the low byte can match.
const PERSONALITY_TYPES: Xlat = Xlat {
    entries: &[
        (0, "PER_LINUX"),
        (6, "PER_BSD"),
        (8, "PER_LINUX32"),
        (0xc, "PER_RISCOS"),
        (0xf, "PER_OSF4"),
        (0x10, "PER_HPUX"),
        (0xff, "PER_MASK"),
    ],
    unknown: "PER_???",
};

const PERSONALITY_FLAGS: Xlat = Xlat {
    entries: &[
        (0x002_0000, "UNAME26"),
        (0x004_0000, "ADDR_NO_RANDOMIZE"),
        (0x008_0000, "FDPIC_FUNCPTRS"),
        (0x010_0000, "MMAP_PAGE_ZERO"),
        (0x020_0000, "ADDR_COMPAT_LAYOUT"),
        (0x040_0000, "READ_IMPLIES_EXEC"),
        (0x080_0000, "ADDR_LIMIT_32BIT"),
        (0x100_0000, "SHORT_INODE"),
        (0x200_0000, "WHOLE_SECONDS"),
        (0x400_0000, "STICKY_TIMEOUTS"),
        (0x800_0000, "ADDR_LIMIT_3GB"),
    ],
    unknown: "",
};

fn dec_timer_create(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.xval(a[0], &xlat::CLOCKS);
        c.next();
        sigevent(c, a[1]);
        c.stop();
    } else {
        c.next();
        st::int_ptr(c, a[2], true);
    }
}

/// `struct sigevent` as strace reads it (its first 32 bytes), strace's print_sigevent: the
/// value only when its pointer is set, the signal by name only for the kinds that send one,
/// then the kind's own fields.
fn sigevent(c: &mut Ctx, addr: u64) {
    let mut b = [0u8; 32];
    if addr == 0 || !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    let value = st::u64_at(&b, 0);
    let signo = st::u32_at(&b, 8);
    let notify = st::u32_at(&b, 12);
    c.s("{");
    if value != 0 {
        let _ = write!(
            c.out,
            "sigev_value={{sival_int={}, sival_ptr=",
            value as u32 as i32
        );
        c.ptr(value);
        c.s("}, ");
    }
    c.s("sigev_signo=");
    const SIGEV_SIGNAL: u32 = 0;
    const SIGEV_THREAD: u32 = 2;
    const SIGEV_THREAD_ID: u32 = 4;
    if matches!(notify, SIGEV_SIGNAL | SIGEV_THREAD | SIGEV_THREAD_ID) {
        c.signal(u64::from(signo));
    } else {
        c.udec(u64::from(signo));
    }
    c.s(", sigev_notify=");
    c.xval(u64::from(notify), &xlat::SIGEV_NOTIFY);
    match notify {
        SIGEV_THREAD_ID => {
            let _ = write!(
                c.out,
                ", sigev_notify_thread_id={}",
                st::u32_at(&b, 16) as i32
            );
        }
        SIGEV_THREAD => {
            c.s(", sigev_notify_function=");
            c.ptr(st::u64_at(&b, 16));
            c.s(", sigev_notify_attributes=");
            c.ptr(st::u64_at(&b, 24));
        }
        _ => {}
    }
    c.s("}");
}

/// perf_event_open(attr, pid, cpu, group_fd, flags): the arguments as strace prints them;
/// `struct perf_event_attr` itself is left as its address.
fn dec_perf_event_open(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        // The attr is read at entry and shown at exit, where E2BIG's size is known.
        if let Some(size) = super::perf::fetch_size(c, a[0]) {
            c.saved[0] = u64::from(size);
            c.saved[1] = u64::from(c.read_u32(a[0] + 4).unwrap_or(0));
            c.stop();
            return;
        }
        c.next();
        c.ptr(a[0]);
    } else if c.saved[0] != 0 {
        c.next();
        let size_field = c.saved[1] as u32;
        super::perf::print_attr(c, a[0], c.saved[0] as u32, Some(size_field));
    } else {
        return;
    }
    c.next();
    c.int(a[1]);
    c.next();
    c.int(a[2]);
    c.next();
    c.fd(a[3]);
    c.next();
    c.flags(a[4], &PERF_FLAGS);
}

// strace's src/xlat/perf_event_open_flags.in.
xlat::xlat!(PERF_FLAGS, "PERF_FLAG_???", [
    1 => "PERF_FLAG_FD_NO_GROUP", 2 => "PERF_FLAG_FD_OUTPUT", 4 => "PERF_FLAG_PID_CGROUP",
    8 => "PERF_FLAG_FD_CLOEXEC",
]);

/// mq_notify(mqdes, sevp).
fn dec_mq_notify(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    sigevent(c, a[1]);
}

/// A memory policy mode with its flags: `MPOL_BIND|MPOL_F_STATIC_NODES`; past the last
/// mode strace 6.1 knows (MPOL_MAX, 6) the whole value is shown as flags.
/// strace's numa.c print_mode: a mode with MPOL_F_* flags is one composite value,
/// `MPOL_BIND|MPOL_F_STATIC_NODES`; an unknown mode with flags prints as flags. mbind's mode
/// is an unsigned long, set_mempolicy's an int (cut by the caller).
fn mpol_mode(c: &mut Ctx, v: u64) {
    const FLAGS: u64 = 0xe000;
    let (mode, flags) = (v & !FLAGS, v & FLAGS);
    if flags == 0 {
        c.xval(mode, &xlat::MPOL_MODES);
        return;
    }
    let Some(&(_, name)) = xlat::MPOL_MODES.entries.iter().find(|e| e.0 == mode) else {
        c.flags(v, &xlat::MPOL_MODE_FLAGS);
        return;
    };
    print::write_composite(
        c.out,
        |out| print::write_hex(out, v),
        |out| {
            out.push_str(name);
            out.push('|');
            print::write_flag_names(out, flags, &xlat::MPOL_MODE_FLAGS);
        },
    );
}

/// A node mask of `maxnode` bits as an array of words, each in `%#018lx` (strace's
/// `print_nodemask`: the kernel reads `maxnode - 1` bits).
fn nodemask(c: &mut Ctx, addr: u64, maxnode: u64, output: bool) {
    if output && !c.ok() && addr != 0 {
        c.ptr(addr);
        return;
    }
    let words = (maxnode.wrapping_add(62)) / 64;
    if words < maxnode / 64 || (maxnode != 0 && words == 0) {
        c.ptr(addr);
        return;
    }
    c.array(addr, words, 8, |c, b| {
        print::write_padded_hex(
            c.out,
            u64::from_ne_bytes(b.try_into().unwrap_or([0; 8])),
            16,
        );
        true
    });
}

fn dec_get_mempolicy(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.stop();
        return;
    }
    c.next();
    if a[0] == 0 {
        c.s("NULL");
    } else if c.ok() {
        match c.read_u32(a[0]) {
            Some(mode) => {
                c.s("[");
                mpol_mode(c, u64::from(mode));
                c.s("]");
            }
            None => c.ptr(a[0]),
        }
    } else {
        c.ptr(a[0]);
    }
    c.next();
    nodemask(c, a[1], a[2], true);
    c.next();
    c.udec(a[2]);
    c.next();
    c.ptr(a[3]);
    c.next();
    c.flags(a[4], &xlat::MPOL_GET_FLAGS);
}

fn dec_set_mempolicy(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    mpol_mode(c, a[0]);
    c.next();
    nodemask(c, a[1], a[2], false);
    c.next();
    c.udec(a[2]);
}

fn dec_bpf(c: &mut Ctx) {
    let a = c.args;
    let cmd = a[0] & 0xffff_ffff;
    if c.entering() {
        c.next();
        c.xval(cmd, &xlat::BPF_CMDS);
        c.next();
        if let Some(len) = super::bpf::attr(c, cmd, a[1], a[2] & 0xffff_ffff) {
            c.saved[0] = 1 << 40 | len;
            c.stop_after();
            return;
        }
        c.next();
        c.uint(a[2]);
    } else if c.saved[0] >> 40 == 1 {
        super::bpf::attr_exit(c, cmd, a[1], a[2] & 0xffff_ffff, c.saved[0]);
        c.next();
        c.uint(a[2]);
    } else if matches!(cmd, 0 | 5 | 7 | 13 | 14 | 17 | 18 | 19 | 28 | 30 | 33) {
        // Commands that return a new file descriptor.
        c.ret_kind = Some(Ret::Fd);
    }
}

pub(crate) const SECCOMP_MODES: Xlat = Xlat {
    entries: &[
        (0, "SECCOMP_MODE_DISABLED"),
        (1, "SECCOMP_MODE_STRICT"),
        (2, "SECCOMP_MODE_FILTER"),
    ],
    unknown: "SECCOMP_MODE_???",
};

pub(super) const SECCOMP_FILTER_FLAGS: Xlat = Xlat {
    entries: &[
        (1, "SECCOMP_FILTER_FLAG_TSYNC"),
        (2, "SECCOMP_FILTER_FLAG_LOG"),
        (4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
        (8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"),
        (16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"),
        (32, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
    ],
    unknown: "SECCOMP_FILTER_FLAG_???",
};

/// `struct sock_fprog` of a socket filter: `{len=1, filter=[BPF_STMT(...)]}`.
pub(crate) fn sock_fprog(c: &mut Ctx, addr: u64) {
    bpf_filter::fprog(c, addr, bpf_filter::Filter::Socket);
}

fn dec_seccomp(c: &mut Ctx) {
    let a = c.args;
    let op = a[0] & 0xffff_ffff;
    if c.entering() {
        c.next();
        c.xval(op, &xlat::SECCOMP_OPS);
        c.next();
        match op {
            1 => c.flags(a[1] & 0xffff_ffff, &SECCOMP_FILTER_FLAGS),
            _ => c.hex(a[1] & 0xffff_ffff),
        }
        if op == SECCOMP_GET_NOTIF_SIZES {
            c.stop();
            return;
        }
        c.next();
        match op {
            1 => bpf_filter::fprog(c, a[2], bpf_filter::Filter::Seccomp),
            2 => match c.read_u32(a[2]) {
                Some(action) => {
                    c.s("[");
                    c.xval(u64::from(action), &SECCOMP_RET_ACTIONS);
                    c.s("]");
                }
                None => c.ptr(a[2]),
            },
            _ => c.ptr(a[2]),
        }
    } else if op == SECCOMP_GET_NOTIF_SIZES {
        c.next();
        let mut b = [0u8; 6];
        if !c.ok() || !c.read_exact(a[2], &mut b) {
            c.ptr(a[2]);
            return;
        }
        let size = |i: usize| u16::from_ne_bytes([b[i], b[i + 1]]);
        let _ = write!(
            c.out,
            "{{seccomp_notif={}, seccomp_notif_resp={}, seccomp_data={}}}",
            size(0),
            size(2),
            size(4)
        );
    }
}

/// seccomp's operation that fills in `struct seccomp_notif_sizes`.
const SECCOMP_GET_NOTIF_SIZES: u64 = 3;

/// capget/capset: `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}` then the three sets.
fn dec_capget(c: &mut Ctx) {
    let a = c.args;
    let is_get = c.nr == nr::capget;
    if c.entering() {
        c.next();
        let mut h = [0u8; 8];
        if a[0] == 0 {
            c.s("NULL");
        } else if c.style.dereference && c.read_exact(a[0], &mut h) {
            let version = u32::from_ne_bytes([h[0], h[1], h[2], h[3]]);
            let pid = i32::from_ne_bytes([h[4], h[5], h[6], h[7]]);
            c.saved[0] = u64::from(version);
            c.saved[1] = 1;
            c.s("{version=");
            match version {
                0x1998_0330 => c.s("_LINUX_CAPABILITY_VERSION_1"),
                0x2007_1026 => c.s("_LINUX_CAPABILITY_VERSION_2"),
                0x2008_0522 => c.s("_LINUX_CAPABILITY_VERSION_3"),
                v => {
                    let _ = write!(c.out, "{v:#x} /* _LINUX_CAPABILITY_VERSION_??? */");
                }
            }
            c.s(", pid=");
            c.pid(u64::from(pid as u32), Tgid);
            c.s("}");
        } else {
            c.ptr(a[0]);
        }
        if is_get {
            c.stop();
        } else {
            c.next();
            cap_data(c, a[1], false);
        }
    } else if is_get {
        c.next();
        cap_data(c, a[1], true);
    }
}

fn cap_data(c: &mut Ctx, addr: u64, output: bool) {
    if addr == 0 {
        c.s("NULL");
        return;
    }
    // Without a readable header strace cannot know the version, so not the data's size.
    let header_read = c.saved[1] == 1;
    if !header_read || (output && !c.ok()) {
        c.ptr(addr);
        return;
    }
    // Version 1 has one 32-bit set of each kind; versions 2 and 3 have two.
    let words = if c.saved[0] == 0x1998_0330 { 1 } else { 2 };
    let mut b = [0u8; 24];
    if !c.read_exact(addr, &mut b[..12 * words]) {
        c.ptr(addr);
        return;
    }
    let set = |i: usize| -> u64 {
        let lo = u32::from_ne_bytes(b[i * 4..i * 4 + 4].try_into().unwrap_or([0; 4]));
        let hi = if words == 2 {
            u32::from_ne_bytes(b[12 + i * 4..12 + i * 4 + 4].try_into().unwrap_or([0; 4]))
        } else {
            0
        };
        u64::from(lo) | (u64::from(hi) << 32)
    };
    for (i, name) in ["effective", "permitted", "inheritable"].iter().enumerate() {
        c.s(if i == 0 { "{" } else { ", " });
        c.s(name);
        c.s("=");
        cap_mask(c, set(i));
    }
    c.s("}");
}

/// `1<<CAP_CHOWN|1<<CAP_KILL`, or `0`.
fn cap_mask(c: &mut Ctx, mask: u64) {
    if mask == 0 {
        c.s("0");
        return;
    }
    let mut first = true;
    let mut rest = mask;
    for bit in 0..64u64 {
        if mask & (1 << bit) == 0 {
            continue;
        }
        if let Some(e) = xlat::CAPABILITIES.entries.iter().find(|e| e.0 == bit) {
            if !first {
                c.s("|");
            }
            first = false;
            c.s("1<<");
            c.s(e.1);
            rest &= !(1 << bit);
        }
    }
    if rest != 0 {
        if !first {
            c.s("|");
        }
        c.hex(rest);
    }
}

/// Counts the non-NULL pointers of a NULL-terminated array, reading a page-bounded chunk at
/// a time (one memory read per 64 pointers, not per pointer). The kernel's limit on argv
/// and envp sizes bounds real arrays; the cap bounds garbage.
/// The number of pointers before the NULL at `addr`, and whether the NULL was found (not a
/// fault first).
fn count_pointers(c: &mut Ctx, addr: u64) -> (u64, bool) {
    const CAP: u64 = 1 << 18;
    let mut n = 0u64;
    let mut chunk = [0u8; 512];
    while n < CAP {
        let at = addr.wrapping_add(n * 8);
        let want = chunk.len().min(4096 - (at % 4096) as usize).max(8);
        let got = c.mem.read(at, &mut chunk[..want]) / 8;
        if got == 0 {
            return (n, false);
        }
        for i in 0..got {
            if chunk[i * 8..i * 8 + 8].iter().all(|b| *b == 0) {
                return (n + i as u64, true);
            }
        }
        n += got as u64;
    }
    (n, false)
}

/// `[{msg_hdr={...}, msg_len=33}, ...]`: `done` entries carry a valid msg_len.
fn mmsgvec(c: &mut Ctx, addr: u64, vlen: u64, done: u64, receiving: bool) {
    if addr == 0 {
        c.s("NULL");
        return;
    }
    // strace stops at IOV_MAX (1024) messages even with -v.
    let limit = (st::array_limit(c) as u64).min(1024);
    c.s("[");
    for i in 0..vlen.min(1025) {
        if i >= limit || c.over_budget() {
            c.s(", ...");
            break;
        }
        let at = addr.wrapping_add(i * 64);
        let Some(len) = c.read_u32(at.wrapping_add(56)) else {
            if i > 0 {
                c.s(", ... /* ");
                c.ptr(at);
                c.s(" */");
            } else {
                c.ptr(at);
            }
            break;
        };
        if i > 0 {
            c.s(", ");
        }
        c.s("{msg_hdr=");
        let data = receiving.then_some(u64::from(len));
        // The struct was read successfully above, so show it even if the call failed.
        let failed = std::mem::replace(&mut c.failed, false);
        // recvmmsg: the msg_namelen the caller offered, as its entry saved it.
        let user_namelen = c
            .saved_list
            .get(i as usize)
            .filter(|_| receiving)
            .map(|n| *n as i32);
        st::msghdr(c, at, data, false, user_namelen);
        c.failed = failed;
        if i < done {
            let _ = write!(c.out, ", msg_len={len}");
        }
        c.s("}");
    }
    c.s("]");
}

fn dec_sendmmsg(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        // `-e verbose=` leaving the call out: the vector as its address, all at entry.
        if !c.style.dereference {
            c.next();
            c.ptr(a[1]);
            c.next();
            c.uint(a[2]);
            c.next();
            c.flags(a[3] & 0xffff_ffff, &xlat::MSG_FLAGS);
            return;
        }
        c.stop();
    } else if c.style.dereference {
        let done = if c.ok() { c.rval() as u64 } else { 0 };
        c.next();
        mmsgvec(c, a[1], a[2] & 0xffff_ffff, done, false);
        c.next();
        c.uint(a[2]);
        c.next();
        c.flags(a[3] & 0xffff_ffff, &xlat::MSG_FLAGS);
    }
}

fn dec_recvmmsg(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        // `-e verbose=` leaving the call out: everything at entry, the structures as
        // their addresses.
        if !c.style.dereference {
            c.next();
            c.ptr(a[1]);
            c.next();
            c.uint(a[2]);
            c.next();
            c.flags(a[3] & 0xffff_ffff, &xlat::MSG_FLAGS);
            c.next();
            c.ptr(a[4]);
            return;
        }
        // Each message's msg_namelen before the kernel changes it.
        for i in 0..(a[2] & 0xffff_ffff).min(1024) {
            match c.read_u32(a[1].wrapping_add(i * 64 + 8)) {
                Some(n) if a[1] != 0 => c.saved_list.push(n),
                _ => break,
            }
        }
        // The timeout is shown as it was at entry; the kernel updates it.
        let mut ts = [0u8; 16];
        c.saved = if a[4] == 0 {
            [0, 0, TIMEOUT_NULL]
        } else if c.read_exact(a[4], &mut ts) {
            [st::u64_at(&ts, 0), st::u64_at(&ts, 8), TIMEOUT_READ]
        } else {
            [0, 0, TIMEOUT_UNREADABLE]
        };
        c.stop();
    } else if c.style.dereference {
        c.next();
        if c.ok() {
            let done = c.rval() as u64;
            mmsgvec(c, a[1], done, done, true);
        } else {
            c.ptr(a[1]);
        }
        c.next();
        c.uint(a[2]);
        c.next();
        c.flags(a[3] & 0xffff_ffff, &xlat::MSG_FLAGS);
        c.next();
        match c.saved[2] {
            TIMEOUT_READ => {
                let _ = write!(
                    c.out,
                    "{{tv_sec={}, tv_nsec={}}}",
                    c.saved[0] as i64, c.saved[1]
                );
            }
            _ => c.ptr(a[4]),
        }
        // What is left of the timeout, or that it ran out.
        if c.ok() && c.rval() == 0 {
            c.aux.push_str("(Timeout)");
        } else if c.ok() && a[4] != 0 {
            let save = std::mem::take(c.out);
            st::timespec(c, a[4], true);
            let left = std::mem::replace(c.out, save);
            c.aux = format!("(left {left})");
        }
    }
}

/// What recvmmsg's entry found at the timeout pointer (`Ctx::saved[2]`).
const TIMEOUT_NULL: u64 = 0;
const TIMEOUT_READ: u64 = 1;
const TIMEOUT_UNREADABLE: u64 = 2;

const RESOLVE_FLAGS: Xlat = Xlat {
    entries: &[
        (1, "RESOLVE_NO_XDEV"),
        (2, "RESOLVE_NO_MAGICLINKS"),
        (4, "RESOLVE_NO_SYMLINKS"),
        (8, "RESOLVE_BENEATH"),
        (0x10, "RESOLVE_IN_ROOT"),
        (0x20, "RESOLVE_CACHED"),
    ],
    unknown: "RESOLVE_???",
};

/// `openat2(AT_FDCWD, "/x", {flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_BENEATH}, 24)`.
fn dec_openat2(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.dirfd(a[0]);
    c.next();
    c.path(a[1]);
    c.next();
    let mut b = [0u8; 24];
    if a[2] == 0 {
        c.s("NULL");
    } else if a[3] >= 24 && c.read_exact(a[2], &mut b) {
        let word = |i: usize| u64::from_ne_bytes(b[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
        let (flags, mode, resolve) = (word(0), word(1), word(2));
        c.s("{flags=");
        open_flags(c, flags);
        // O_CREAT or __O_TMPFILE make the mode meaningful.
        if flags & 0o20000100 != 0 || mode != 0 {
            c.s(", mode=");
            c.mode(mode);
        }
        c.s(", resolve=");
        c.flags(resolve, &RESOLVE_FLAGS);
        if a[3] > 24 {
            c.nonzero_tail(a[2], 24, a[3].min(4096));
        }
        c.s("}");
    } else {
        c.ptr(a[2]);
    }
    c.next();
    c.udec(a[3]);
}

/// strace's mount.c: the old magic number in the high half of the flags prints as
/// `MS_MGC_VAL`; the file system type and data are strings except where the flags make the
/// kernel ignore them (remount, bind, move, propagation changes).
fn dec_mount(c: &mut Ctx) {
    const MGC_MASK: u64 = 0xffff_0000;
    const MGC_VAL: u64 = 0xc0ed_0000;
    if !c.entering() {
        return;
    }
    let a = c.args;
    let old_magic = a[3] & MGC_MASK == MGC_VAL;
    let flags = if old_magic { a[3] & !MGC_MASK } else { a[3] };
    let remount = flags & 32 != 0;
    // MS_BIND, MS_MOVE, MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE.
    let no_data = !remount && flags & (4096 | 8192 | 1 << 20 | 1 << 18 | 1 << 19 | 1 << 17) != 0;
    c.next();
    c.path(a[0]);
    c.next();
    c.path(a[1]);
    c.next();
    if remount || no_data {
        c.ptr(a[2]);
    } else {
        c.cstr(a[2]);
    }
    c.next();
    if old_magic {
        print::write_composite(
            c.out,
            |out| print::write_hex(out, MGC_VAL),
            |out| out.push_str("MS_MGC_VAL"),
        );
        if flags != 0 {
            c.s("|");
        }
    }
    if flags != 0 || !old_magic {
        c.flags(flags, &xlat::MOUNT_FLAGS);
    }
    c.next();
    if no_data {
        c.ptr(a[4]);
    } else {
        c.cstr(a[4]);
    }
}

fn dec_mbind(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.ptr(a[0]);
    c.next();
    c.udec(a[1]);
    c.next();
    mpol_mode(c, a[2]);
    c.next();
    nodemask(c, a[3], a[4], false);
    c.next();
    c.udec(a[4]);
    c.next();
    c.flags(a[5] & 0xffff_ffff, &xlat::MPOL_MF_FLAGS);
}

fn dec_migrate_pages(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.pid(a[0], Tgid);
    c.next();
    c.udec(a[1]);
    c.next();
    nodemask(c, a[2], a[1], false);
    c.next();
    nodemask(c, a[3], a[1], false);
}

fn int_member(c: &mut Ctx, b: &[u8]) -> bool {
    c.dec(i64::from(i32::from_ne_bytes(
        b.try_into().unwrap_or([0; 4]),
    )));
    true
}

/// move_pages(pid, count, pages, nodes, status, flags): the status array comes back filled
/// with node numbers or negative errnos.
fn dec_move_pages(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.pid(a[0], Tgid);
        c.next();
        c.udec(a[1]);
        c.next();
        c.array(a[2], a[1], 8, |c, b| {
            c.ptr(u64::from_ne_bytes(b.try_into().unwrap_or([0; 8])));
            true
        });
        c.next();
        c.array(a[3], a[1], 4, int_member);
        c.stop();
    } else if !c.ok() {
        // strace's print_array: NULL and an empty array print as such; the status a
        // failed call left is not read.
        c.next();
        if a[4] != 0 && a[1] == 0 {
            c.s("[]");
        } else {
            c.ptr(a[4]);
        }
        c.next();
        c.flags(a[5] & 0xffff_ffff, &xlat::MPOL_MF_FLAGS);
    } else {
        c.next();
        c.array(a[4], a[1], 4, |c, b| {
            let status = i32::from_ne_bytes(b.try_into().unwrap_or([0; 4]));
            let name = status
                .checked_neg()
                .filter(|e| *e > 0)
                .and_then(crate::errno_name)
                .map(|n| format!("-{n}"));
            let number = |out: &mut String| print::push_dec(out, i64::from(status));
            match name {
                Some(name) => print::write_composite(c.out, number, |out| out.push_str(&name)),
                None => number(c.out),
            }
            true
        });
        c.next();
        c.flags(a[5] & 0xffff_ffff, &xlat::MPOL_MF_FLAGS);
    }
}

/// getpriority/setpriority(which, who[, prio]): `who` is a process or a group by `which`.
fn dec_priority(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.xval(a[0] & 0xffff_ffff, &xlat::PRIO_WHICH);
    c.next();
    let kind = match a[0] & 0xffff_ffff {
        0 => Some(Tgid),
        1 => Some(Pgid),
        _ => None,
    };
    c.pid_if(a[1], kind);
    if c.nr == nr::setpriority {
        c.next();
        c.int(a[2]);
    }
}

/// get_robust_list(pid, head_ptr, len_ptr): both filled by the call.
fn dec_get_robust_list(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.pid(a[0], Tid);
        c.stop();
        return;
    }
    for (i, addr) in [a[1], a[2]].into_iter().enumerate() {
        c.next();
        match c.read_u64(addr).filter(|_| c.ok()) {
            Some(v) => {
                c.s("[");
                if i == 0 {
                    c.ptr(v);
                } else {
                    c.udec(v);
                }
                c.s("]");
            }
            None => c.ptr(addr),
        }
    }
}

/// process_vm_readv/writev(pid, local iov, n, remote iov, n, flags): the local data (read's
/// at exit), the remote iovecs as addresses only.
fn dec_process_vm(c: &mut Ctx) {
    let a = c.args;
    let reading = c.nr == nr::process_vm_readv;
    if c.entering() {
        c.next();
        c.pid(a[0], Tgid);
        if reading {
            c.stop();
            return;
        }
    } else if !reading {
        return;
    }
    c.next();
    if reading && !c.ok() {
        st::iovec_array(c, a[1], a[2], None);
    } else {
        let data = if reading { c.rval() as u64 } else { u64::MAX };
        st::iovec_array(c, a[1], a[2], Some(data));
    }
    c.next();
    c.udec(a[2]);
    c.next();
    st::iovec_array(c, a[3], a[4], None);
    c.next();
    c.udec(a[4]);
    c.next();
    c.udec(a[5]);
}

/// memfd_create(name, flags): a name of at most MFD_NAME_MAX_LEN (249) bytes; the huge page
/// size sits in the top flag bits as `N<<MFD_HUGE_SHIFT`.
fn dec_memfd_create(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.cstr_bounded(a[0], 250);
    c.next();
    let flags = a[1] & 0xffff_ffff;
    if flags == 0 {
        c.s("0");
        return;
    }
    print::write_composite(
        c.out,
        |out| print::write_hex(out, flags),
        |out| {
            let huge = flags & (0x3f << 26);
            let rest = flags & !huge;
            if rest != 0 || huge == 0 {
                print::write_flags(out, rest, &xlat::MFD_FLAGS);
            }
            if huge != 0 {
                if rest != 0 {
                    out.push('|');
                }
                let _ = write!(out, "{}<<MFD_HUGE_SHIFT", huge >> 26);
            }
        },
    );
}

/// strace's print_mmap_flags: the mapping type, the flags, the huge page size
/// (`21<<MAP_HUGE_SHIFT`).
fn mmap_flags(c: &mut Ctx, flags: u64) {
    print::write_composite(
        c.out,
        |out| print::write_hex(out, flags),
        |out| {
            print::write_xval(out, flags & 0xf, &xlat::MAP_TYPE);
            let huge = flags & (0x3f << 26);
            let rest = flags & !0xf & !huge;
            if rest != 0 {
                out.push('|');
                print::write_flag_names(out, rest, &xlat::MAP_FLAGS);
            }
            if huge != 0 {
                let _ = write!(out, "|{}<<MAP_HUGE_SHIFT", huge >> 26);
            }
        },
    );
}

/// remap_file_pages(addr, size, prot, pgoff, flags).
fn dec_remap_file_pages(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.ptr(a[0]);
    c.next();
    c.udec(a[1]);
    c.next();
    c.flags(a[2], &xlat::PROT);
    c.next();
    c.udec(a[3]);
    c.next();
    mmap_flags(c, a[4]);
}

/// process_madvise(pidfd, iovec, vlen, advice, flags): the iovecs' addresses only.
fn dec_process_madvise(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    st::iovec_array(c, a[1], a[2], None);
    c.next();
    c.udec(a[2]);
    c.next();
    c.xval(a[3] & 0xffff_ffff, &xlat::MADVISE);
    c.next();
    c.hex(a[4] & 0xffff_ffff);
}

/// mq_open(name, flags[, mode, attr]): the mode and attributes only with O_CREAT.
fn dec_mq_open(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.path(a[0]);
    c.next();
    open_flags(c, a[1]);
    if a[1] & 0o100 != 0 {
        c.next();
        c.mode(a[2] & 0xffff);
        c.next();
        mq_attr(c, a[3], false);
    }
}

/// `struct mq_attr`: flags (named for mq_getsetattr), sizes; strace reads the four
/// reserved longs too (64 bytes).
fn mq_attr(c: &mut Ctx, addr: u64, name_flags: bool) {
    let mut b = [0u8; 64];
    if addr == 0 || (c.ret.is_some() && !c.ok()) || !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    let word = |i: usize| i64::from_ne_bytes(b[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
    c.s("{mq_flags=");
    if name_flags {
        c.flags(word(0) as u64, &MQ_ATTR_FLAGS);
    } else {
        c.hex(word(0) as u64);
    }
    let _ = write!(
        c.out,
        ", mq_maxmsg={}, mq_msgsize={}, mq_curmsgs={}}}",
        word(1),
        word(2),
        word(3)
    );
}

const MQ_ATTR_FLAGS: Xlat = Xlat {
    entries: &[(0o4000, "O_NONBLOCK")],
    unknown: "O_???",
};

fn dec_mq_timedsend(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    c.buf(a[1], a[2]);
    c.next();
    c.udec(a[2]);
    c.next();
    c.uint(a[3]);
    c.next();
    st::timespec(c, a[4], false);
}

fn dec_mq_timedreceive(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        c.stop();
        return;
    }
    c.next();
    if c.ok() {
        c.buf(a[1], c.rval() as u64);
    } else {
        c.ptr(a[1]);
    }
    c.next();
    c.udec(a[2]);
    c.next();
    if a[3] == 0 {
        c.s("NULL");
    } else if !c.ok() {
        c.ptr(a[3]);
    } else {
        match c.read_u32(a[3]) {
            Some(prio) => {
                let _ = write!(c.out, "[{prio}]");
            }
            None => c.ptr(a[3]),
        }
    }
    c.next();
    // The kernel read the timeout at entry: shown whether the call failed or not.
    st::timespec(c, a[4], false);
}

fn dec_mq_getsetattr(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.fd(a[0]);
        c.next();
        mq_attr(c, a[1], true);
        c.stop();
    } else {
        c.next();
        mq_attr(c, a[2], true);
    }
}
