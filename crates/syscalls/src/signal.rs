//! Signal names and `siginfo_t` formatting, as strace prints them.

use std::fmt::Write;

static SIGNALS: [&str; 32] = [
    "",
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS",
];

/// Names of the real-time signals as strace spells them: the kernel's SIGRTMIN is 32, and
/// strace names 33..=64 `SIGRT_1`..`SIGRT_32`.
static RT_SIGNALS: [&str; 33] = [
    "SIGRTMIN", "SIGRT_1", "SIGRT_2", "SIGRT_3", "SIGRT_4", "SIGRT_5", "SIGRT_6", "SIGRT_7",
    "SIGRT_8", "SIGRT_9", "SIGRT_10", "SIGRT_11", "SIGRT_12", "SIGRT_13", "SIGRT_14", "SIGRT_15",
    "SIGRT_16", "SIGRT_17", "SIGRT_18", "SIGRT_19", "SIGRT_20", "SIGRT_21", "SIGRT_22", "SIGRT_23",
    "SIGRT_24", "SIGRT_25", "SIGRT_26", "SIGRT_27", "SIGRT_28", "SIGRT_29", "SIGRT_30", "SIGRT_31",
    "SIGRT_32",
];

/// `"SIGCHLD"` for 17; real-time signals are `SIGRTMIN`, `SIGRT_1`...; `None` outside 1..=64.
pub fn signal_name(sig: i32) -> Option<&'static str> {
    match sig {
        1..=31 => Some(SIGNALS[sig as usize]),
        32..=64 => Some(RT_SIGNALS[(sig - 32) as usize]),
        _ => None,
    }
}

/// Parses a signal name with or without `SIG`, in any case (`"chld"`, `"SIGRT_3"`), also the
/// aliases `SIGPOLL`, `SIGIOT`, `SIGCLD`.
pub fn signal_number(name: &str) -> Option<i32> {
    let upper = name.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    match bare {
        "POLL" => return Some(29),
        "IOT" => return Some(6),
        "CLD" => return Some(17),
        _ => {}
    }
    (1..=64).find(|s| signal_name(*s).is_some_and(|n| &n[3..] == bare))
}

pub(crate) fn write_signal(out: &mut String, sig: i64) {
    let number = |out: &mut String| {
        let _ = write!(out, "{sig}");
    };
    match i32::try_from(sig).ok().and_then(signal_name) {
        Some(n) => crate::decode::write_composite(out, number, |out| out.push_str(n)),
        None => number(out),
    }
}

/// The fields of a `siginfo_t` strace looks at. Build it with [`SigInfo::from_bytes`] from the
/// 128 bytes `PTRACE_GETSIGINFO` fills in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SigInfo {
    /// si_signo.
    pub signo: i32,
    /// si_errno.
    pub errno: i32,
    /// si_code.
    pub code: i32,
    /// The union that follows, as 8-byte words (x86_64 layout, offset 16 onwards).
    pub words: [u64; 4],
}

impl SigInfo {
    /// Reads the x86_64 `siginfo_t` layout; shorter input reads as zeros.
    pub fn from_bytes(bytes: &[u8]) -> SigInfo {
        let mut raw = [0u8; 48];
        let n = bytes.len().min(48);
        raw[..n].copy_from_slice(&bytes[..n]);
        let i32_at = |o: usize| i32::from_ne_bytes(raw[o..o + 4].try_into().unwrap_or([0; 4]));
        let u64_at = |o: usize| u64::from_ne_bytes(raw[o..o + 8].try_into().unwrap_or([0; 8]));
        SigInfo {
            signo: i32_at(0),
            errno: i32_at(4),
            code: i32_at(8),
            words: [u64_at(16), u64_at(24), u64_at(32), u64_at(40)],
        }
    }

    fn i32_lo(&self, word: usize) -> i32 {
        self.words[word] as u32 as i32
    }
    fn i32_hi(&self, word: usize) -> i32 {
        (self.words[word] >> 32) as u32 as i32
    }
}

const SI_USER: i32 = 0;
const SI_KERNEL: i32 = 0x80;
const SI_QUEUE: i32 = -1;
const SI_TIMER: i32 = -2;
const SI_MESGQ: i32 = -3;
const SI_SIGIO: i32 = -5;
const SI_TKILL: i32 = -6;

fn generic_code_name(code: i32) -> Option<&'static str> {
    Some(match code {
        SI_USER => "SI_USER",
        SI_KERNEL => "SI_KERNEL",
        SI_QUEUE => "SI_QUEUE",
        SI_TIMER => "SI_TIMER",
        SI_MESGQ => "SI_MESGQ",
        -4 => "SI_ASYNCIO",
        SI_SIGIO => "SI_SIGIO",
        SI_TKILL => "SI_TKILL",
        -7 => "SI_DETHREAD",
        -60 => "SI_ASYNCNL",
        _ => return None,
    })
}

fn specific_code_name(signo: i32, code: i32) -> Option<&'static str> {
    let table: &[&str] = match signo {
        4 => &[
            "ILL_ILLOPC",
            "ILL_ILLOPN",
            "ILL_ILLADR",
            "ILL_ILLTRP",
            "ILL_PRVOPC",
            "ILL_PRVREG",
            "ILL_COPROC",
            "ILL_BADSTK",
            "ILL_BADIADDR",
        ],
        8 => &[
            "FPE_INTDIV",
            "FPE_INTOVF",
            "FPE_FLTDIV",
            "FPE_FLTOVF",
            "FPE_FLTUND",
            "FPE_FLTRES",
            "FPE_FLTINV",
            "FPE_FLTSUB",
            "FPE_FLTUNK",
            "FPE_CONDTRAP",
        ],
        11 => &[
            "SEGV_MAPERR",
            "SEGV_ACCERR",
            "SEGV_BNDERR",
            "SEGV_PKUERR",
            "SEGV_ACCADI",
            "SEGV_ADIDERR",
            "SEGV_ADIPERR",
            "SEGV_MTEAERR",
            "SEGV_MTESERR",
            "SEGV_CPERR",
        ],
        7 => &[
            "BUS_ADRALN",
            "BUS_ADRERR",
            "BUS_OBJERR",
            "BUS_MCEERR_AR",
            "BUS_MCEERR_AO",
        ],
        5 => &[
            "TRAP_BRKPT",
            "TRAP_TRACE",
            "TRAP_BRANCH",
            "TRAP_HWBKPT",
            "TRAP_UNK",
            "TRAP_PERF",
        ],
        17 => &[
            "CLD_EXITED",
            "CLD_KILLED",
            "CLD_DUMPED",
            "CLD_TRAPPED",
            "CLD_STOPPED",
            "CLD_CONTINUED",
        ],
        29 => &[
            "POLL_IN", "POLL_OUT", "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP",
        ],
        31 => &["SYS_SECCOMP", "SYS_USER_DISPATCH"],
        _ => &[],
    };
    usize::try_from(code - 1)
        .ok()
        .and_then(|i| table.get(i).copied())
}

/// A `clock_t` in ticks; strace adds the seconds (USER_HZ is 100 on x86_64) when non-zero.
fn write_clock_t(out: &mut String, label: &str, ticks: i64) {
    let _ = write!(out, "{label}{ticks}");
    if ticks != 0 {
        let _ = write!(out, " /* {}.{:02} s */", ticks / 100, (ticks % 100).abs());
    }
}

fn write_ptr(out: &mut String, addr: u64) {
    if addr == 0 {
        out.push_str("NULL");
    } else {
        let _ = write!(out, "{addr:#x}");
    }
}

/// Formats a signal stop the way strace prints it between `--- ` and ` ---`:
/// `SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1234, si_uid=0, si_status=0,
/// si_utime=0, si_stime=0}`.
pub fn format_signal(info: &SigInfo) -> String {
    format_signal_with(info, &mut crate::NoFdInfo, &crate::Style::default())
}

/// [`format_signal`] with the sender's pid translated for `--pidns-translation` and
/// `--decode-pids=comm` (through `fds`, as in syscall arguments).
pub fn format_signal_with(
    info: &SigInfo,
    fds: &mut dyn crate::FdInfo,
    style: &crate::Style,
) -> String {
    let mut out = String::with_capacity(96);
    write_signal(&mut out, info.signo.into());
    out.push_str(" {");
    write_siginfo_fields(&mut out, info, &mut |out, id| {
        crate::decode::write_sender_or_fd(out, id, fds, style)
    });
    out.push('}');
    out
}

/// A `uid_t` as strace's PRINT_FIELD_ID shows it: unsigned, `(uid_t) -1` as `-1`.
struct UidText(u32);

impl std::fmt::Display for UidText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == u32::MAX {
            f.write_str("-1")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// A number in a siginfo that `-y` and the pid options annotate.
pub(crate) enum SenderOrFd {
    /// The sender's pid.
    Pid(i32),
    /// SIGIO's file descriptor.
    Fd(i32),
}

/// The inside of strace's siginfo braces (also used by `waitid`, `rt_sigqueueinfo`...);
/// `pid` prints the sender's pid.
pub(crate) fn write_siginfo_fields(
    out: &mut String,
    info: &SigInfo,
    ids: &mut dyn FnMut(&mut String, SenderOrFd),
) {
    out.push_str("si_signo=");
    write_signal(out, info.signo.into());
    out.push_str(", si_code=");
    let code_name = if info.code > 0 && info.code != SI_KERNEL {
        specific_code_name(info.signo, info.code)
    } else {
        generic_code_name(info.code)
    };
    match code_name {
        Some(n) => out.push_str(n),
        // print_xlat_ex: an unknown code in hex, as an unsigned int.
        None => crate::decode::write_hex(out, u64::from(info.code as u32)),
    }
    // strace's print_si_info: si_errno after si_code, by name or unsigned.
    if info.errno != 0 {
        out.push_str(", si_errno=");
        match crate::errno_name(info.errno) {
            Some(n) => out.push_str(n),
            None => {
                let _ = write!(out, "{}", info.errno as u32);
            }
        }
    }
    if info.code <= 0 {
        write_user_sent(out, info, ids);
    } else {
        write_kernel_sent(out, info, ids);
    }
}

/// The sender's pid and uid (strace's printsigsource).
fn write_source(out: &mut String, info: &SigInfo, ids: &mut dyn FnMut(&mut String, SenderOrFd)) {
    out.push_str(", si_pid=");
    ids(out, SenderOrFd::Pid(info.i32_lo(0)));
    // PRINT_FIELD_ID: `(uid_t) -1` prints as -1.
    let _ = write!(out, ", si_uid={}", UidText(info.i32_hi(0) as u32));
}

/// The value a queued signal carries (strace's printsigval).
fn write_value(out: &mut String, info: &SigInfo) {
    let _ = write!(out, ", si_int={}, si_ptr=", info.i32_lo(1));
    write_ptr(out, info.words[1]);
}

/// A signal a process sent (si_code <= 0, strace's SI_FROMUSER).
fn write_user_sent(out: &mut String, info: &SigInfo, ids: &mut dyn FnMut(&mut String, SenderOrFd)) {
    match info.code {
        SI_USER | SI_TKILL => write_source(out, info, ids),
        SI_TIMER => {
            // C's %#x: "0" for zero, "0x1" otherwise.
            out.push_str(", si_timerid=");
            crate::decode::write_hex(out, u64::from(info.i32_lo(0) as u32));
            let _ = write!(out, ", si_overrun={}", info.i32_hi(0));
            write_value(out, info);
        }
        SI_SIGIO => write_band_and_fd(out, info, ids),
        _ => {
            write_source(out, info, ids);
            if info.words[1] != 0 {
                write_value(out, info);
            }
        }
    }
}

fn write_band_and_fd(
    out: &mut String,
    info: &SigInfo,
    ids: &mut dyn FnMut(&mut String, SenderOrFd),
) {
    let _ = write!(out, ", si_band={}, si_fd=", info.words[0] as i64);
    ids(out, SenderOrFd::Fd(info.i32_lo(1)));
}

/// A signal the kernel raised (si_code > 0): the fields by signal, as strace's print_si_info.
fn write_kernel_sent(
    out: &mut String,
    info: &SigInfo,
    ids: &mut dyn FnMut(&mut String, SenderOrFd),
) {
    let code = info.code;
    match info.signo {
        17 => {
            let status = info.i32_lo(1);
            write_source(out, info, ids);
            out.push_str(", si_status=");
            if code == 1 {
                let _ = write!(out, "{status}");
            } else {
                write_signal(out, status.into());
            }
            write_clock_t(out, ", si_utime=", info.words[2] as i64);
            write_clock_t(out, ", si_stime=", info.words[3] as i64);
        }
        // What the kernel's SI_KERNEL SIGILL/SIGFPE/SIGTRAP carry is not an address.
        4 | 8 | 5 if code == SI_KERNEL => {}
        4 | 7 | 8 | 11 | 5 => {
            out.push_str(", si_addr=");
            write_ptr(out, info.words[0]);
            write_fault_details(out, info);
        }
        29 if (1..=6).contains(&code) => write_band_and_fd(out, info, ids),
        29 => {}
        31 => write_seccomp_fields(out, info),
        _ => {
            if info.words[0] != 0 {
                write_source(out, info, ids);
            }
            if info.words[1] != 0 {
                write_value(out, info);
            }
        }
    }
}

/// After si_addr: the address bounds of SEGV_BNDERR, the key of SEGV_PKUERR, the
/// granularity of BUS_MCEERR_*.
fn write_fault_details(out: &mut String, info: &SigInfo) {
    match (info.signo, info.code) {
        (11, 3) => {
            out.push_str(", si_lower=");
            write_ptr(out, info.words[2]);
            out.push_str(", si_upper=");
            write_ptr(out, info.words[3]);
        }
        (11, 4) => {
            let _ = write!(out, ", si_pkey={}", info.words[2] as u32);
        }
        (7, 4 | 5) => {
            out.push_str(", si_addr_lsb=");
            crate::decode::write_hex(out, info.words[1] & 0xffff);
        }
        _ => {}
    }
}

/// SIGSYS from seccomp: the call's address, number (named for x86_64) and audit arch.
fn write_seccomp_fields(out: &mut String, info: &SigInfo) {
    const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
    out.push_str(", si_call_addr=");
    write_ptr(out, info.words[0]);
    let nr = info.i32_lo(1) as u32;
    let arch = info.i32_hi(1) as u32;
    match Some(u64::from(nr))
        .filter(|_| arch == AUDIT_ARCH_X86_64)
        .and_then(crate::name)
    {
        Some(n) => {
            let _ = write!(out, ", si_syscall=__NR_{n}");
        }
        None => {
            let _ = write!(out, ", si_syscall={nr}");
        }
    }
    out.push_str(", si_arch=");
    match crate::decode::AUDIT_ARCHES
        .entries
        .iter()
        .find(|(value, _)| *value == u64::from(arch))
    {
        Some((_, name)) => out.push_str(name),
        None => {
            let _ = write!(out, "{arch:#x} /* AUDIT_ARCH_??? */");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(signo: i32, code: i32, words: [u64; 4]) -> SigInfo {
        SigInfo {
            signo,
            errno: 0,
            code,
            words,
        }
    }

    // Expected strings copied from strace 6.1 runs on this machine.
    #[test]
    fn formats_like_strace() {
        let check = |i: SigInfo, expect: &str| assert_eq!(format_signal(&i), expect);
        check(
            info(17, 1, [1234, 0, 0, 0]),
            "SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1234, si_uid=0, si_status=0, si_utime=0, si_stime=0}",
        );
        check(
            info(17, 2, [77 | (1000 << 32), 9, 1, 250]),
            "SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=77, si_uid=1000, si_status=SIGKILL, si_utime=1 /* 0.01 s */, si_stime=250 /* 2.50 s */}",
        );
        check(
            info(15, 0, [5, 0, 0, 0]),
            "SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=5, si_uid=0}",
        );
        check(
            info(11, 1, [0, 0, 0, 0]),
            "SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}",
        );
        check(
            info(2, 0x80, [0, 0, 0, 0]),
            "SIGINT {si_signo=SIGINT, si_code=SI_KERNEL}",
        );
    }

    #[test]
    fn names() {
        assert_eq!(signal_name(17), Some("SIGCHLD"));
        assert_eq!(signal_name(32), Some("SIGRTMIN"));
        assert_eq!(signal_name(34), Some("SIGRT_2"));
        assert_eq!(signal_name(65), None);
        assert_eq!(signal_number("chld"), Some(17));
        assert_eq!(signal_number("SIGRT_2"), Some(34));
        assert_eq!(signal_number("IO"), Some(29));
    }

    /// The tracee sees pid 2 as the tracer's 4970.
    struct OtherNamespace;

    impl crate::FdInfo for OtherNamespace {
        fn path(&mut self, _fd: i32) -> Option<String> {
            None
        }
        fn socket(&mut self, _fd: i32) -> Option<String> {
            None
        }
        fn pid_in_tracer_ns(&mut self, pid: i32, _kind: crate::PidKind) -> Option<i32> {
            (pid == 2).then_some(4970)
        }
    }

    /// strace's tests/signal_receive.c under --pidns-translation; an errno and a
    /// `(uid_t) -1` as strace 6.1 prints them.
    #[test]
    fn sender_pid_translated_errno_after_code() {
        let style = crate::Style {
            pids: crate::PidDetails {
                pidns: true,
                ..Default::default()
            },
            ..Default::default()
        };
        // si_pid=2, si_uid=65534
        let sent = info(1, 0, [(65534u64 << 32) | 2, 0, 0, 0]);
        assert_eq!(
            format_signal_with(&sent, &mut OtherNamespace, &style),
            "SIGHUP {si_signo=SIGHUP, si_code=SI_USER, si_pid=2 /* 4970 in strace's PID NS */, si_uid=65534}"
        );
        let mut queued = info(10, -1, [(u64::from(u32::MAX) << 32) | 2, 0, 0, 0]);
        queued.errno = 2;
        assert_eq!(
            format_signal(&queued),
            "SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_errno=ENOENT, si_pid=2, si_uid=-1}"
        );
    }
}
