//! What each decoder reads from the tracee's memory, by argument: a tracer that cannot read
//! memory when it prints (`saker trace --ebpf`, where the program runs on) has the kernel
//! copy these at the syscall's return and serves the decoder's reads from the copies.

use super::syscalls::{A, spec_of};
use crate::table::nr;

/// One argument the decoder of a syscall reads through, with how many bytes it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryArg {
    /// A NUL-terminated string (a path, a name).
    String { arg: u8 },
    /// A struct of `size` bytes.
    Fixed { arg: u8, size: u16 },
    /// An array of `args[count]` elements of `size` bytes.
    Counted { arg: u8, count: u8, size: u16 },
    /// An array of `ret` elements of `size` bytes, filled by the call.
    Returned { arg: u8, size: u16 },
    /// A bit mask of `args[count]` bits, in 64-bit words (a NUMA node mask).
    Bits { arg: u8, count: u8 },
    /// What the call filled: `size` times the `u32` at `args[len]` after the call, in bytes
    /// (getsockopt's value).
    LengthAt { arg: u8, len: u8, size: u16 },
    /// The array that the struct at `args[arg]` points to: the pointer is the `u64` at byte
    /// `ptr_at` of the struct, the element count the `count_width`-byte (2, 4 or 8) integer at
    /// byte `count_at`, elements of `size` bytes (below 64). The struct itself is an earlier
    /// [`MemoryArg::Fixed`].
    Behind {
        arg: u8,
        ptr_at: u8,
        count_at: u8,
        count_width: u8,
        size: u8,
    },
    /// `size` bytes (at most 16) that the call reads and then rewrites, as they were at its
    /// entry (a `socklen_t` in/out length, a timeout the kernel updates); the decoder reads
    /// them at entry, and the other copies at exit.
    AtEntry { arg: u8, size: u8 },
    /// Data the call reads (`write`): `args[len]` bytes, of which strace shows `-s`.
    DataIn { arg: u8, len: u8 },
    /// Data the call fills (`read`): `ret` bytes, of which strace shows `-s`.
    DataOut { arg: u8 },
    /// A sockaddr the call reads, `args[len]` bytes.
    SockaddrIn { arg: u8, len: u8 },
    /// A sockaddr the call fills; its length is the `socklen_t` at `args[len]`.
    SockaddrOut { arg: u8, len: u8 },
    /// The data behind the `args[count]` iovecs at `args[arg]` (the array itself is a
    /// separate [`MemoryArg::Counted`]): each iov's own length (`writev`), or, when the call
    /// `filled` them (`readv`), `ret` bytes spread over them.
    IovecData { arg: u8, count: u8, filled: bool },
    /// The iovec array and the data of the `msghdr` at `args[arg]` (that struct itself is a
    /// separate [`MemoryArg::Fixed`]), as for [`MemoryArg::IovecData`].
    MsgIovecs { arg: u8, filled: bool },
    /// An ioctl's argument at `args[arg]`: as many bytes as the size field of the request at
    /// `args[request]` says (`_IOC_SIZE`), for a request without one (the old numbering)
    /// `otherwise` bytes.
    IoctlArg {
        arg: u8,
        request: u8,
        otherwise: u16,
    },
}

use MemoryArg::*;

/// The iovec array at args[1], args[2] of them, and the data behind them: what the call
/// reads (writev), or what it filled (readv).
const IOVECS_AT_1: MemoryArg = Counted {
    arg: 1,
    count: 2,
    size: 16,
};
const IOV_DATA_IN_AT_1: MemoryArg = IovecData {
    arg: 1,
    count: 2,
    filled: false,
};
const IOV_DATA_OUT_AT_1: MemoryArg = IovecData {
    arg: 1,
    count: 2,
    filled: true,
};

/// The address of the struct msghdr at args[1]: msg_name at 0, msg_namelen (u32) at 8.
const MSGHDR_NAME: MemoryArg = Behind {
    arg: 1,
    ptr_at: 0,
    count_at: 8,
    count_width: 4,
    size: 1,
};

/// Its control data: msg_control at 32, msg_controllen (u64) at 40.
const MSGHDR_CONTROL: MemoryArg = Behind {
    arg: 1,
    ptr_at: 32,
    count_at: 40,
    count_width: 8,
    size: 1,
};

/// The filter of the struct sock_fprog at args[2]: 8-byte instructions, a u16 count at 0,
/// the pointer at 8.
const FPROG_FILTER_AT_2: MemoryArg = Behind {
    arg: 2,
    ptr_at: 8,
    count_at: 0,
    count_width: 2,
    size: 8,
};

/// The memory arguments of syscall `nr`, the most telling first (a capture may copy only
/// the first few). Empty for calls that read none.
pub fn memory_args(nr: u64) -> Vec<MemoryArg> {
    match spec_of(nr) {
        Some(spec) => spec
            .iter()
            .enumerate()
            .filter_map(|(i, kind)| of_kind(i as u8, *kind))
            .collect(),
        None => of_function_decoder(nr).to_vec(),
    }
}

/// Which arguments of syscall `nr` are file names and which are fds (or dirfds), as its
/// table decoder types them; `None` for calls decoded by a function (ask the caller's own
/// list). What `-P` matches against.
pub fn file_args(nr: u64) -> Option<(Vec<usize>, Vec<usize>)> {
    let spec = spec_of(nr)?;
    let of = |wanted: &dyn Fn(A) -> bool| {
        spec.iter()
            .enumerate()
            .filter(|(_, kind)| wanted(**kind))
            .map(|(i, _)| i)
            .collect::<Vec<usize>>()
    };
    Some((
        of(&|kind| matches!(kind, A::Path)),
        of(&|kind| matches!(kind, A::Fd | A::DirFd)),
    ))
}

fn of_kind(arg: u8, kind: A) -> Option<MemoryArg> {
    let fixed = |size| Some(Fixed { arg, size });
    match kind {
        A::Path | A::Str => Some(String { arg }),
        A::BufIn(len) => Some(DataIn { arg, len }),
        A::BufOut | A::BufOutHex | A::StrOut => Some(DataOut { arg }),
        // getcwd: a file name is never cut at -s.
        A::PathOut => Some(Returned { arg, size: 1 }),
        A::SigsetIn(count) => Some(Counted {
            arg,
            count,
            size: 1,
        }),
        A::TimespecIn | A::TimespecOut | A::TimevalIn | A::TimevalOut => fixed(16),
        A::TimezoneIn | A::TimezoneOut | A::PipeOut | A::OffsetIn => fixed(8),
        A::ItimervalIn | A::ItimervalOut | A::ItimerspecIn | A::ItimerspecOut => fixed(32),
        A::StatOut | A::RusageOut => fixed(144),
        A::StatxOut => fixed(256),
        A::StatfsOut => fixed(120),
        A::RlimitIn | A::RlimitOut => fixed(16),
        A::UtsnameOut => fixed(390),
        A::SysinfoOut => fixed(112),
        A::TmsOut => fixed(32),
        A::IntPtrOut | A::SchedParamIn | A::SchedParamOut => fixed(4),
        A::StackIn | A::StackOut => fixed(24),
        A::SockaddrIn(len) => Some(SockaddrIn { arg, len }),
        _ => None,
    }
}

/// The same for the decoders written as functions (syscalls.rs), kept next to nothing but
/// the struct sizes those functions read.
fn of_function_decoder(n: u64) -> &'static [MemoryArg] {
    // An argument whose type the call's command decides (keyctl's string, struct or buffer):
    // a page's worth, or what there is up to the end of its page, serves any of them.
    const PAGE: u16 = 4096;
    const SIGACTION: u16 = 32;
    const SIGINFO: u16 = 128;
    const TIMESPEC: u16 = 16;
    const RUSAGE: u16 = 144;
    match n {
        nr::open => &[String { arg: 0 }],
        nr::openat => &[String { arg: 1 }],
        // struct open_how, as long as the caller says (strace shows the bytes past its own).
        nr::openat2 => &[
            String { arg: 1 },
            Counted {
                arg: 2,
                count: 3,
                size: 1,
            },
        ],
        nr::execve => &[String { arg: 0 }],
        nr::execveat => &[String { arg: 1 }],
        nr::poll => &[Counted {
            arg: 0,
            count: 1,
            size: 8,
        }],
        nr::ppoll => &[
            Counted {
                arg: 0,
                count: 1,
                size: 8,
            },
            Fixed {
                arg: 2,
                size: TIMESPEC,
            },
            // The signal mask, args[4] bytes.
            Counted {
                arg: 3,
                count: 4,
                size: 1,
            },
            AtEntry { arg: 2, size: 16 },
        ],
        nr::select | nr::pselect6 => &[
            Fixed { arg: 1, size: 128 },
            Fixed { arg: 2, size: 128 },
            Fixed { arg: 3, size: 128 },
            // A timeval (select) or timespec (pselect6): 16 bytes either way.
            Fixed { arg: 4, size: 16 },
        ],
        nr::rt_sigaction => &[
            Fixed {
                arg: 1,
                size: SIGACTION,
            },
            Fixed {
                arg: 2,
                size: SIGACTION,
            },
        ],
        nr::rt_sigprocmask => &[
            Counted {
                arg: 1,
                count: 3,
                size: 1,
            },
            Counted {
                arg: 2,
                count: 3,
                size: 1,
            },
        ],
        nr::rt_sigtimedwait => &[
            Counted {
                arg: 0,
                count: 3,
                size: 1,
            },
            Fixed {
                arg: 1,
                size: SIGINFO,
            },
            Fixed {
                arg: 2,
                size: TIMESPEC,
            },
        ],
        nr::rt_sigqueueinfo | nr::pidfd_send_signal => &[Fixed {
            arg: 2,
            size: SIGINFO,
        }],
        nr::rt_tgsigqueueinfo => &[Fixed {
            arg: 3,
            size: SIGINFO,
        }],
        nr::rt_sigpending | nr::time => &[Fixed { arg: 0, size: 8 }],
        nr::mknod => &[String { arg: 0 }],
        nr::sethostname | nr::setdomainname => &[DataIn { arg: 0, len: 1 }],
        nr::listxattr | nr::llistxattr => &[String { arg: 0 }, DataOut { arg: 1 }],
        nr::flistxattr => &[DataOut { arg: 1 }],
        nr::mknodat => &[String { arg: 1 }],
        // struct sigevent, as much of it as strace reads
        nr::mq_notify => &[Fixed { arg: 1, size: 32 }],
        // A request without a size field (the old numbering) is read as at most SG_IO's
        // struct sg_io_v4 (160 bytes), the largest such struct the ioctl decoders read.
        nr::ioctl => &[IoctlArg {
            arg: 2,
            request: 1,
            otherwise: 160,
        }],
        nr::mount => &[
            String { arg: 0 },
            String { arg: 1 },
            String { arg: 2 },
            String { arg: 4 },
        ],
        nr::utime => &[String { arg: 0 }, Fixed { arg: 1, size: 16 }],
        nr::utimes => &[String { arg: 0 }, Fixed { arg: 1, size: 32 }],
        nr::futimesat => &[String { arg: 1 }, Fixed { arg: 2, size: 32 }],
        nr::semop => &[Counted {
            arg: 1,
            count: 2,
            size: 6,
        }],
        nr::semtimedop => &[
            Counted {
                arg: 1,
                count: 2,
                size: 6,
            },
            Fixed { arg: 3, size: 16 },
        ],
        nr::msgctl | nr::shmctl => &[Fixed { arg: 2, size: 120 }],
        nr::semctl => &[Fixed { arg: 3, size: 104 }],
        // struct msgbuf: mtype, then the text (of which strace shows -s bytes).
        nr::msgsnd | nr::msgrcv => &[Fixed { arg: 1, size: PAGE }],
        nr::quotactl => &[String { arg: 1 }, Fixed { arg: 3, size: 160 }],
        nr::quotactl_fd => &[Fixed { arg: 3, size: 160 }],
        nr::sched_getattr | nr::sched_setattr => &[Fixed { arg: 1, size: 56 }],
        // struct mount_attr, as long as the caller says (strace shows the bytes past its own).
        nr::mount_setattr => &[
            String { arg: 1 },
            Counted {
                arg: 3,
                count: 4,
                size: 1,
            },
        ],
        nr::kexec_file_load => &[DataIn { arg: 3, len: 2 }],
        nr::adjtimex => &[Fixed { arg: 0, size: 208 }],
        nr::_sysctl => &[Fixed { arg: 0, size: 80 }],
        nr::io_setup => &[Fixed { arg: 1, size: 8 }],
        nr::io_submit => &[Counted {
            arg: 2,
            count: 1,
            size: 8,
        }],
        nr::io_cancel => &[Fixed { arg: 1, size: 64 }, Fixed { arg: 2, size: 32 }],
        nr::io_getevents => &[Returned { arg: 3, size: 32 }, Fixed { arg: 4, size: 16 }],
        // The last is {sigmask pointer, sigsetsize}.
        nr::io_pgetevents => &[
            Returned { arg: 3, size: 32 },
            Fixed { arg: 4, size: 16 },
            Fixed { arg: 5, size: 16 },
            Behind {
                arg: 5,
                ptr_at: 0,
                count_at: 8,
                count_width: 8,
                size: 1,
            },
        ],
        // FSCONFIG_SET_BINARY's value is `aux` bytes, NULs and all.
        nr::fsconfig => &[
            String { arg: 2 },
            String { arg: 3 },
            DataIn { arg: 3, len: 4 },
        ],
        nr::clock_adjtime => &[Fixed { arg: 1, size: 208 }],
        nr::writev | nr::pwritev | nr::pwritev2 | nr::vmsplice => &[IOVECS_AT_1, IOV_DATA_IN_AT_1],
        nr::readv | nr::preadv | nr::preadv2 => &[IOVECS_AT_1, IOV_DATA_OUT_AT_1],
        nr::nanosleep => &[
            Fixed {
                arg: 0,
                size: TIMESPEC,
            },
            Fixed {
                arg: 1,
                size: TIMESPEC,
            },
        ],
        nr::clock_nanosleep => &[
            Fixed {
                arg: 2,
                size: TIMESPEC,
            },
            Fixed {
                arg: 3,
                size: TIMESPEC,
            },
        ],
        nr::sendfile => &[Fixed { arg: 2, size: 8 }, AtEntry { arg: 2, size: 8 }],
        // The address, its length as the call left it and as the caller passed it.
        nr::accept | nr::accept4 | nr::getsockname | nr::getpeername => &[
            SockaddrOut { arg: 1, len: 2 },
            Fixed { arg: 2, size: 4 },
            AtEntry { arg: 2, size: 4 },
        ],
        nr::sendto => &[DataIn { arg: 1, len: 2 }, SockaddrIn { arg: 4, len: 5 }],
        nr::recvfrom => &[
            DataOut { arg: 1 },
            SockaddrOut { arg: 4, len: 5 },
            Fixed { arg: 5, size: 4 },
            AtEntry { arg: 5, size: 4 },
        ],
        nr::sendmsg => &[
            Fixed { arg: 1, size: 56 },
            MsgIovecs {
                arg: 1,
                filled: false,
            },
            MSGHDR_NAME,
            MSGHDR_CONTROL,
        ],
        nr::recvmsg => &[
            Fixed { arg: 1, size: 56 },
            MsgIovecs {
                arg: 1,
                filled: true,
            },
            MSGHDR_NAME,
            MSGHDR_CONTROL,
        ],
        nr::sendmmsg => &[Counted {
            arg: 1,
            count: 2,
            size: 64,
        }],
        nr::recvmmsg => &[
            Counted {
                arg: 1,
                count: 2,
                size: 64,
            },
            Fixed {
                arg: 4,
                size: TIMESPEC,
            },
            AtEntry { arg: 4, size: 16 },
        ],
        nr::socketpair => &[Fixed { arg: 3, size: 8 }],
        // SO_ATTACH_FILTER's value is a sock_fprog.
        nr::setsockopt => &[
            Counted {
                arg: 3,
                count: 4,
                size: 1,
            },
            Behind {
                arg: 3,
                ptr_at: 8,
                count_at: 0,
                count_width: 2,
                size: 8,
            },
        ],
        // SO_GET_FILTER counts 8-byte instructions, other options bytes (of which this copies
        // up to 8 times as many, to the end of the page).
        nr::getsockopt => &[
            LengthAt {
                arg: 3,
                len: 4,
                size: 8,
            },
            Fixed { arg: 4, size: 4 },
            AtEntry { arg: 4, size: 4 },
        ],
        nr::clone => &[Fixed { arg: 2, size: 4 }],
        // struct clone_args, and its set_tid array (pointer at 64, count at 72).
        nr::clone3 => &[
            Counted {
                arg: 0,
                count: 1,
                size: 1,
            },
            Behind {
                arg: 0,
                ptr_at: 64,
                count_at: 72,
                count_width: 8,
                size: 4,
            },
        ],
        nr::wait4 => &[
            Fixed { arg: 1, size: 4 },
            Fixed {
                arg: 3,
                size: RUSAGE,
            },
        ],
        nr::waitid => &[
            Fixed {
                arg: 2,
                size: SIGINFO,
            },
            Fixed {
                arg: 4,
                size: RUSAGE,
            },
        ],
        nr::fcntl => &[Fixed { arg: 2, size: 32 }],
        nr::getdents | nr::getdents64 => &[Returned { arg: 1, size: 1 }],
        nr::prlimit64 => &[Fixed { arg: 2, size: 16 }, Fixed { arg: 3, size: 16 }],
        nr::sched_getaffinity => &[Returned { arg: 2, size: 1 }],
        nr::sched_setaffinity => &[Counted {
            arg: 2,
            count: 1,
            size: 1,
        }],
        // PR_SET_VMA_ANON_NAME's name is the fifth argument, PR_SET_SECCOMP's filter the third.
        nr::prctl => &[
            Fixed { arg: 1, size: 16 },
            String { arg: 4 },
            Fixed { arg: 2, size: 16 },
            FPROG_FILTER_AT_2,
        ],
        nr::arch_prctl => &[Fixed { arg: 1, size: 8 }],
        nr::setxattr | nr::lsetxattr => &[
            String { arg: 0 },
            String { arg: 1 },
            DataIn { arg: 2, len: 3 },
        ],
        nr::getxattr | nr::lgetxattr => &[String { arg: 0 }, String { arg: 1 }, DataOut { arg: 2 }],
        nr::fsetxattr => &[String { arg: 1 }, DataIn { arg: 2, len: 3 }],
        nr::fgetxattr => &[String { arg: 1 }, DataOut { arg: 2 }],
        nr::futex => &[Fixed {
            arg: 3,
            size: TIMESPEC,
        }],
        // struct futex_waitv is 24 bytes.
        nr::futex_waitv => &[
            Counted {
                arg: 0,
                count: 1,
                size: 24,
            },
            Fixed {
                arg: 3,
                size: TIMESPEC,
            },
        ],
        nr::epoll_ctl => &[Fixed { arg: 3, size: 12 }],
        nr::epoll_wait | nr::epoll_pwait | nr::epoll_pwait2 => &[Returned { arg: 1, size: 12 }],
        nr::utimensat => &[String { arg: 1 }, Fixed { arg: 2, size: 32 }],
        // struct sock_fprog and its filter (8-byte instructions, a u16 count).
        nr::seccomp => &[Fixed { arg: 2, size: 16 }, FPROG_FILTER_AT_2],
        nr::bpf => &[Counted {
            arg: 1,
            count: 2,
            size: 1,
        }],
        nr::io_uring_setup => &[Fixed { arg: 1, size: 120 }],
        nr::timer_create => &[Fixed { arg: 1, size: 32 }, Fixed { arg: 2, size: 4 }],
        nr::getgroups => &[Returned { arg: 1, size: 4 }],
        nr::setgroups => &[Counted {
            arg: 1,
            count: 0,
            size: 4,
        }],
        nr::capget | nr::capset => &[Fixed { arg: 0, size: 8 }, Fixed { arg: 1, size: 24 }],
        nr::kcmp => &[Fixed { arg: 4, size: 12 }],
        nr::memfd_create => &[String { arg: 0 }],
        nr::fanotify_mark => &[String { arg: 4 }],
        nr::mq_open => &[String { arg: 0 }, Fixed { arg: 3, size: 64 }],
        nr::mq_timedsend => &[DataIn { arg: 1, len: 2 }, Fixed { arg: 4, size: 16 }],
        nr::mq_timedreceive => &[
            DataOut { arg: 1 },
            Fixed { arg: 3, size: 4 },
            Fixed { arg: 4, size: 16 },
        ],
        nr::mq_getsetattr => &[Fixed { arg: 1, size: 64 }, Fixed { arg: 2, size: 64 }],
        nr::get_robust_list => &[Fixed { arg: 1, size: 8 }, Fixed { arg: 2, size: 8 }],
        nr::landlock_create_ruleset => &[Fixed { arg: 0, size: 8 }],
        nr::landlock_add_rule => &[Fixed { arg: 2, size: 12 }],
        nr::reboot => &[String { arg: 3 }],
        // KEYCTL_* commands take strings, structs and buffers in any of the four.
        nr::keyctl => &[
            Fixed { arg: 1, size: PAGE },
            Fixed { arg: 2, size: PAGE },
            Fixed { arg: 3, size: PAGE },
            Fixed { arg: 4, size: PAGE },
        ],
        // The mode, then the node mask (`maxnode` bits).
        nr::get_mempolicy => &[Fixed { arg: 0, size: 4 }, Bits { arg: 1, count: 2 }],
        nr::set_mempolicy => &[Bits { arg: 1, count: 2 }],
        nr::mbind => &[Bits { arg: 3, count: 4 }],
        nr::migrate_pages => &[Bits { arg: 2, count: 1 }, Bits { arg: 3, count: 1 }],
        // One byte per page of `len` bytes: `len` bytes are more than enough.
        nr::mincore => &[Counted {
            arg: 2,
            count: 1,
            size: 1,
        }],
        // The pages (pointers), the nodes and the status (ints), `count` each.
        nr::move_pages => &[
            Counted {
                arg: 2,
                count: 1,
                size: 8,
            },
            Counted {
                arg: 3,
                count: 1,
                size: 4,
            },
            Counted {
                arg: 4,
                count: 1,
                size: 4,
            },
        ],
        // iovecs (16 bytes) for IORING_REGISTER_BUFFERS, fds (4) for the others.
        nr::io_uring_register => &[Counted {
            arg: 2,
            count: 3,
            size: 16,
        }],
        nr::process_madvise => &[Counted {
            arg: 1,
            count: 2,
            size: 16,
        }],
        // The local iovecs and their data, the remote iovecs.
        nr::process_vm_readv => &[
            IOVECS_AT_1,
            IOV_DATA_OUT_AT_1,
            Counted {
                arg: 3,
                count: 4,
                size: 16,
            },
        ],
        nr::process_vm_writev => &[
            IOVECS_AT_1,
            IOV_DATA_IN_AT_1,
            Counted {
                arg: 3,
                count: 4,
                size: 16,
            },
        ],
        // struct perf_event_attr, as much of it as strace shows.
        // Its size field (bytes 4..8) is rewritten on E2BIG.
        nr::perf_event_open => &[Fixed { arg: 0, size: 128 }, AtEntry { arg: 0, size: 8 }],
        // The data word of PEEK*, GETEVENTMSG, GETSIGMASK, GET_SYSCALL_INFO (at most 84 bytes).
        nr::ptrace => &[Fixed { arg: 3, size: 88 }],
        nr::swapon => &[String { arg: 0 }],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_decoders_give_their_memory_arguments() {
        assert_eq!(
            memory_args(nr::newfstatat),
            [String { arg: 1 }, Fixed { arg: 2, size: 144 }]
        );
        assert_eq!(memory_args(nr::write), [DataIn { arg: 1, len: 2 }]);
        assert_eq!(memory_args(nr::getcwd), [Returned { arg: 0, size: 1 }]);
        assert_eq!(memory_args(nr::connect), [SockaddrIn { arg: 1, len: 2 }]);
        assert!(memory_args(nr::close).is_empty());
        assert!(memory_args(nr::mmap).is_empty());
    }

    #[test]
    fn table_decoders_type_their_file_arguments() {
        assert_eq!(file_args(nr::copy_file_range), Some((vec![], vec![0, 2])));
        assert_eq!(file_args(nr::newfstatat), Some((vec![1], vec![0])));
        assert_eq!(file_args(nr::getpid), Some((vec![], vec![])));
        assert_eq!(file_args(nr::openat), None, "a function decoder");
    }

    #[test]
    fn function_decoders_give_their_memory_arguments() {
        assert_eq!(memory_args(nr::openat), [String { arg: 1 }]);
        assert_eq!(
            memory_args(nr::accept4),
            [
                SockaddrOut { arg: 1, len: 2 },
                Fixed { arg: 2, size: 4 },
                AtEntry { arg: 2, size: 4 }
            ]
        );
        assert_eq!(memory_args(nr::rt_sigaction).len(), 2);
    }
}
