//! ptrace(2) as strace 6.1's ptrace.c prints it: the request, the tracee, and addr/data as
//! each request uses them: siginfo in and out, register sets (x86_64's user_regs_struct and
//! user_fpregs_struct), seccomp metadata, PTRACE_GET_SYSCALL_INFO's struct at exit. Seccomp
//! filters are shown as addresses.

use std::fmt::Write;

use super::Ctx;
use super::PidKind;
use super::ioctl::{AUDIT_ARCHES, negated_errno, syscall_nr};
use super::structs::{self as st, u32_at, u64_at};
use super::syscalls::{SECCOMP_FILTER_FLAGS, siginfo_in};
use crate::xlat;

// strace 6.1's src/xlat/ptrace_cmds.in, the requests x86_64 has.
xlat::xlat!(REQUESTS, "PTRACE_???", [
    0 => "PTRACE_TRACEME", 1 => "PTRACE_PEEKTEXT", 2 => "PTRACE_PEEKDATA", 3 => "PTRACE_PEEKUSER",
    4 => "PTRACE_POKETEXT", 5 => "PTRACE_POKEDATA", 6 => "PTRACE_POKEUSER", 7 => "PTRACE_CONT",
    8 => "PTRACE_KILL", 9 => "PTRACE_SINGLESTEP", 0x10 => "PTRACE_ATTACH",
    0x11 => "PTRACE_DETACH", 0x18 => "PTRACE_SYSCALL", 0x4200 => "PTRACE_SETOPTIONS",
    0x4201 => "PTRACE_GETEVENTMSG", 0x4202 => "PTRACE_GETSIGINFO", 0x4203 => "PTRACE_SETSIGINFO",
    0x4204 => "PTRACE_GETREGSET", 0x4205 => "PTRACE_SETREGSET", 0x4206 => "PTRACE_SEIZE",
    0x4207 => "PTRACE_INTERRUPT", 0x4208 => "PTRACE_LISTEN", 0x4209 => "PTRACE_PEEKSIGINFO",
    0x420a => "PTRACE_GETSIGMASK", 0x420b => "PTRACE_SETSIGMASK",
    0x420c => "PTRACE_SECCOMP_GET_FILTER", 0x420d => "PTRACE_SECCOMP_GET_METADATA",
    0x420e => "PTRACE_GET_SYSCALL_INFO", 0x420f => "PTRACE_GET_RSEQ_CONFIGURATION",
    0xc => "PTRACE_GETREGS", 0xd => "PTRACE_SETREGS", 0xe => "PTRACE_GETFPREGS",
    0xf => "PTRACE_SETFPREGS", 0x12 => "PTRACE_GETFPXREGS", 0x13 => "PTRACE_SETFPXREGS",
    0x15 => "PTRACE_OLDSETOPTIONS", 0x19 => "PTRACE_GET_THREAD_AREA",
    0x1a => "PTRACE_SET_THREAD_AREA", 0x1e => "PTRACE_ARCH_PRCTL", 0x1f => "PTRACE_SYSEMU",
    0x20 => "PTRACE_SYSEMU_SINGLESTEP", 0x21 => "PTRACE_SINGLEBLOCK",
]);

xlat::xlat!(OPTIONS, "PTRACE_O_???", [
    0x1 => "PTRACE_O_TRACESYSGOOD", 0x2 => "PTRACE_O_TRACEFORK", 0x4 => "PTRACE_O_TRACEVFORK",
    0x8 => "PTRACE_O_TRACECLONE", 0x10 => "PTRACE_O_TRACEEXEC", 0x20 => "PTRACE_O_TRACEVFORKDONE",
    0x40 => "PTRACE_O_TRACEEXIT", 0x80 => "PTRACE_O_TRACESECCOMP",
    0x10_0000 => "PTRACE_O_EXITKILL", 0x20_0000 => "PTRACE_O_SUSPEND_SECCOMP",
]);

xlat::xlat!(SYSCALL_INFO_OPS, "PTRACE_SYSCALL_INFO_???", [
    0 => "PTRACE_SYSCALL_INFO_NONE", 1 => "PTRACE_SYSCALL_INFO_ENTRY",
    2 => "PTRACE_SYSCALL_INFO_EXIT", 3 => "PTRACE_SYSCALL_INFO_SECCOMP",
]);

// strace 6.1's src/xlat/nt_descriptor_types.in.
xlat::xlat!(NT_TYPES, "NT_???", [
    1 => "NT_PRSTATUS", 2 => "NT_FPREGSET", 3 => "NT_PRPSINFO", 4 => "NT_PRXREG",
    5 => "NT_PLATFORM", 6 => "NT_AUXV", 7 => "NT_GWINDOWS", 8 => "NT_ASRS", 10 => "NT_PSTATUS",
    13 => "NT_PSINFO", 14 => "NT_PRCRED", 15 => "NT_UTSNAME", 16 => "NT_LWPSTATUS",
    17 => "NT_LWPSINFO", 20 => "NT_PRFPXREG", 0x100 => "NT_PPC_VMX", 0x101 => "NT_PPC_SPE",
    0x102 => "NT_PPC_VSX", 0x103 => "NT_PPC_TAR", 0x104 => "NT_PPC_PPR", 0x105 => "NT_PPC_DSCR",
    0x106 => "NT_PPC_EBB", 0x107 => "NT_PPC_PMU", 0x108 => "NT_PPC_TM_CGPR",
    0x109 => "NT_PPC_TM_CFPR", 0x10a => "NT_PPC_TM_CVMX", 0x10b => "NT_PPC_TM_CVSX",
    0x10c => "NT_PPC_TM_SPR", 0x10d => "NT_PPC_TM_CTAR", 0x10e => "NT_PPC_TM_CPPR",
    0x10f => "NT_PPC_TM_CDSCR", 0x110 => "NT_PPC_PKEY", 0x200 => "NT_386_TLS",
    0x201 => "NT_386_IOPERM", 0x202 => "NT_X86_XSTATE", 0x300 => "NT_S390_HIGH_GPRS",
    0x301 => "NT_S390_TIMER", 0x302 => "NT_S390_TODCMP", 0x303 => "NT_S390_TODPREG",
    0x304 => "NT_S390_CTRS", 0x305 => "NT_S390_PREFIX", 0x306 => "NT_S390_LAST_BREAK",
    0x307 => "NT_S390_SYSTEM_CALL", 0x308 => "NT_S390_TDB", 0x309 => "NT_S390_VXRS_LOW",
    0x30a => "NT_S390_VXRS_HIGH", 0x30b => "NT_S390_GS_CB", 0x30c => "NT_S390_GS_BC",
    0x30d => "NT_S390_RI_CB", 0x30e => "NT_S390_PV_CPU_DATA", 0x400 => "NT_ARM_VFP",
    0x401 => "NT_ARM_TLS", 0x402 => "NT_ARM_HW_BREAK", 0x403 => "NT_ARM_HW_WATCH",
    0x404 => "NT_ARM_SYSTEM_CALL", 0x405 => "NT_ARM_SVE", 0x406 => "NT_ARM_PAC_MASK",
    0x407 => "NT_ARM_PACA_KEYS", 0x408 => "NT_ARM_PACG_KEYS", 0x409 => "NT_ARM_TAGGED_ADDR_CTRL",
    0x40a => "NT_ARM_PAC_ENABLED_KEYS", 0x40b => "NT_ARM_SSVE", 0x40c => "NT_ARM_ZA",
    0x500 => "NT_METAG_CBUF", 0x501 => "NT_METAG_RPIPE", 0x502 => "NT_METAG_TLS",
    0x600 => "NT_ARC_V2", 0x700 => "NT_VMCOREDD", 0x800 => "NT_MIPS_DSP",
    0x801 => "NT_MIPS_FP_MODE", 0x802 => "NT_MIPS_MSA", 0xa00 => "NT_LOONGARCH_CPUCFG",
    0xa01 => "NT_LOONGARCH_CSR", 0xa02 => "NT_LOONGARCH_LSX", 0xa03 => "NT_LOONGARCH_LASX",
    0xa04 => "NT_LOONGARCH_LBT", 0x4649_4c45 => "NT_FILE", 0x46e6_2b7f => "NT_PRXFPREG",
    0x5349_4749 => "NT_SIGINFO",
]);

xlat::xlat!(PEEKSIGINFO_FLAGS, "PTRACE_PEEKSIGINFO_???", [1 => "PTRACE_PEEKSIGINFO_SHARED"]);

const TRACEME: u64 = 0;
const PEEKTEXT: u64 = 1;
const PEEKDATA: u64 = 2;
const PEEKUSER: u64 = 3;
const CONT: u64 = 7;
const KILL: u64 = 8;
const SINGLESTEP: u64 = 9;
const ATTACH: u64 = 0x10;
const DETACH: u64 = 0x11;
const SYSCALL: u64 = 0x18;
const OLDSETOPTIONS: u64 = 0x15;
const SYSEMU: u64 = 0x1f;
const SYSEMU_SINGLESTEP: u64 = 0x20;
const SINGLEBLOCK: u64 = 0x21;
const GETREGS: u64 = 0xc;
const SETREGS: u64 = 0xd;
const GETFPREGS: u64 = 0xe;
const SETFPREGS: u64 = 0xf;
const SETOPTIONS: u64 = 0x4200;
const GETSIGINFO: u64 = 0x4202;
const SETSIGINFO: u64 = 0x4203;
const GETREGSET: u64 = 0x4204;
const SETREGSET: u64 = 0x4205;
const PEEKSIGINFO: u64 = 0x4209;
const GETEVENTMSG: u64 = 0x4201;
const GETSIGMASK: u64 = 0x420a;
const SETSIGMASK: u64 = 0x420b;
const SEIZE: u64 = 0x4206;
const INTERRUPT: u64 = 0x4207;
const LISTEN: u64 = 0x4208;
const SECCOMP_GET_FILTER: u64 = 0x420c;
const SECCOMP_GET_METADATA: u64 = 0x420d;
const GET_SYSCALL_INFO: u64 = 0x420e;

/// `Ctx::saved[0]` when `data` is shown at exit.
const DATA_AT_EXIT: u64 = 1;
/// `Ctx::saved[0]` when `data` was begun at entry and the exit finishes it.
const DATA_CONTINUES: u64 = 2;

pub(super) fn dec_ptrace(c: &mut Ctx) {
    let [request, pid, addr, data, ..] = c.args;
    if !c.entering() {
        match c.saved[0] {
            DATA_AT_EXIT => {
                c.next();
                data_at_exit(c, request, addr, data);
            }
            DATA_CONTINUES => data_at_exit(c, request, addr, data),
            _ => {}
        }
        return;
    }
    c.next();
    c.xval(request, &REQUESTS);
    if request == TRACEME {
        return;
    }
    c.next();
    c.pid(pid, PidKind::Tgid);
    if matches!(request, ATTACH | INTERRUPT | KILL | LISTEN) {
        return;
    }
    match request {
        // x86_64 takes the registers at data and ignores addr, which strace leaves out.
        GETREGS | GETFPREGS => return at_exit(c, DATA_AT_EXIT),
        SETREGS | SETFPREGS => {
            c.next();
            return if request == SETREGS {
                regs(c, data)
            } else {
                fpregs(c, data)
            };
        }
        _ => {}
    }
    c.next();
    match request {
        GETSIGMASK | SETSIGMASK | SECCOMP_GET_FILTER | SECCOMP_GET_METADATA | GET_SYSCALL_INFO => {
            c.udec(addr)
        }
        GETREGSET | SETREGSET => c.xval(addr, &NT_TYPES),
        PEEKSIGINFO => peeksiginfo_args(c, addr),
        _ => c.ptr(addr),
    }
    match request {
        GETREGSET => {
            // The registers are shown at exit, with the length the kernel wrote back.
            match read_iovec(c, data) {
                Some((_, len)) => {
                    c.saved[1] = len;
                    at_exit(c, DATA_AT_EXIT);
                }
                None => {
                    c.next();
                    c.ptr(data);
                }
            }
        }
        PEEKDATA | PEEKTEXT | PEEKUSER | GETEVENTMSG | GETSIGINFO | GETSIGMASK | PEEKSIGINFO
        | GET_SYSCALL_INFO
            if c.style.dereference =>
        {
            at_exit(c, DATA_AT_EXIT)
        }
        _ => {
            c.next();
            data_at_entry(c, request, addr, data);
        }
    }
}

/// Ends the entry phase; `how` says what the exit prints.
fn at_exit(c: &mut Ctx, how: u64) {
    c.saved[0] = how;
    if how == DATA_CONTINUES {
        c.stop_after();
    } else {
        c.stop();
    }
}

/// The data argument of the requests that pass something in.
fn data_at_entry(c: &mut Ctx, request: u64, addr: u64, data: u64) {
    match request {
        CONT | DETACH | SYSCALL | SINGLESTEP | SINGLEBLOCK | SYSEMU | SYSEMU_SINGLESTEP => {
            c.signal(data);
        }
        SEIZE | SETOPTIONS | OLDSETOPTIONS => c.flags(data, &OPTIONS),
        SETSIGMASK => st::sigset(c, data, addr, false),
        SETSIGINFO => siginfo_in(c, data),
        SETREGSET => match read_iovec(c, data) {
            Some((base, len)) => {
                c.s("{iov_base=");
                regset(c, addr, base, len);
                let _ = write!(c.out, ", iov_len={len}");
                c.saved[1] = len;
                at_exit(c, DATA_CONTINUES);
            }
            None => c.ptr(data),
        },
        SECCOMP_GET_METADATA => {
            if addr < 8 {
                c.ptr(data);
            } else if let Some(filter_off) = st::read_struct::<8>(c, data, false) {
                let _ = write!(c.out, "{{filter_off={}", u64_at(&filter_off, 0));
                at_exit(c, DATA_CONTINUES);
            }
        }
        _ => c.ptr(data),
    }
}

fn data_at_exit(c: &mut Ctx, request: u64, addr: u64, data: u64) {
    match request {
        PEEKDATA | PEEKTEXT | PEEKUSER => {
            if let Some(b) = st::read_struct::<8>(c, data, true) {
                c.s("[");
                c.ptr(u64_at(&b, 0));
                c.s("]");
            }
        }
        GETEVENTMSG => st::u64_ptr(c, data, true),
        GETSIGMASK => st::sigset(c, data, addr, true),
        GETSIGINFO => {
            if c.ok() {
                siginfo_in(c, data);
            } else {
                c.ptr(data);
            }
        }
        PEEKSIGINFO => siginfo_array(c, data),
        GETREGS => regs(c, data),
        GETFPREGS => fpregs(c, data),
        GETREGSET => getregset_exit(c, addr, data),
        SETREGSET => {
            if let Some((_, len)) = read_iovec(c, data)
                && len != c.saved[1]
            {
                let _ = write!(c.out, " => {len}");
            }
            c.s("}");
        }
        SECCOMP_GET_METADATA => seccomp_metadata_exit(c, addr, data),
        _ => syscall_info(c, data, addr),
    }
}

/// A `struct iovec`'s base and length, or `None` (nothing printed) if unreadable.
fn read_iovec(c: &mut Ctx, addr: u64) -> Option<(u64, u64)> {
    let mut b = [0u8; 16];
    (addr != 0 && c.read_exact(addr, &mut b)).then(|| (u64_at(&b, 0), u64_at(&b, 8)))
}

/// PTRACE_GETREGSET at exit: `{iov_base=REGS, iov_len=ASKED => WRITTEN}`.
fn getregset_exit(c: &mut Ctx, note_type: u64, addr: u64) {
    let Some((base, len)) = read_iovec(c, addr) else {
        c.ptr(addr);
        return;
    };
    c.s("{iov_base=");
    regset(c, note_type, base, len);
    let asked = c.saved[1];
    let _ = write!(c.out, ", iov_len={asked}");
    if asked != len {
        let _ = write!(c.out, " => {len}");
    }
    c.s("}");
}

/// A register set by its note type: the general registers and the FPU's are decoded.
fn regset(c: &mut Ctx, note_type: u64, addr: u64, len: u64) {
    match note_type {
        NT_PRSTATUS => prstatus(c, addr, len),
        NT_FPREGSET => fpregset(c, addr, len),
        _ => c.ptr(addr),
    }
}

const NT_PRSTATUS: u64 = 1;
const NT_FPREGSET: u64 = 2;

/// x86_64's `struct user_regs_struct`, in order, every field 8 bytes.
const USER_REGS: [&str; 27] = [
    "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi",
    "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs",
    "gs",
];
const USER_REGS_SIZE: u64 = 27 * 8;
/// x86_64's `struct user_fpregs_struct`.
const USER_FPREGS_SIZE: u64 = 512;

/// Reads the first `min(len, size)` bytes of a register set for its printer: `None` (the
/// address printed) when the length is not a multiple of 8, the call failed at exit, or
/// the memory is unreadable.
fn read_regs(c: &mut Ctx, addr: u64, len: u64, size: u64) -> Option<Vec<u8>> {
    if len == 0 || !len.is_multiple_of(8) || (!c.entering() && !c.ok()) {
        c.ptr(addr);
        return None;
    }
    let mut b = vec![0u8; len.min(size) as usize];
    if c.read_exact(addr, &mut b) {
        Some(b)
    } else {
        c.ptr(addr);
        None
    }
}

/// PTRACE_GETREGS / SETREGS: the whole `user_regs_struct`.
fn regs(c: &mut Ctx, addr: u64) {
    prstatus(c, addr, USER_REGS_SIZE);
}

/// `user_regs_struct`, as many fields as `len` covers (strace's arch_prstatus_regset.c).
fn prstatus(c: &mut Ctx, addr: u64, len: u64) {
    let Some(b) = read_regs(c, addr, len, USER_REGS_SIZE) else {
        return;
    };
    c.s("{");
    for (i, name) in USER_REGS.iter().enumerate().take(b.len() / 8) {
        if i > 0 {
            c.s(", ");
        }
        let _ = write!(c.out, "{name}=");
        c.hex(u64_at(&b, i * 8));
    }
    more_follows(c, len, USER_REGS_SIZE);
}

/// PTRACE_GETFPREGS / SETFPREGS: the whole `user_fpregs_struct`.
fn fpregs(c: &mut Ctx, addr: u64) {
    fpregset(c, addr, USER_FPREGS_SIZE);
}

/// `user_fpregs_struct`, as many fields as `len` covers (strace's arch_fpregset.c).
fn fpregset(c: &mut Ctx, addr: u64, len: u64) {
    let Some(b) = read_regs(c, addr, len, USER_FPREGS_SIZE) else {
        return;
    };
    let fetched = b.len();
    // (name, offset, size): 2-byte control words, then 8- and 4-byte fields.
    let scalars: [(&str, usize, usize); 8] = [
        ("cwd", 0, 2),
        ("swd", 2, 2),
        ("ftw", 4, 2),
        ("fop", 6, 2),
        ("rip", 8, 8),
        ("rdp", 16, 8),
        ("mxcsr", 24, 4),
        ("mxcr_mask", 28, 4),
    ];
    c.s("{");
    for (i, (name, offset, size)) in scalars.into_iter().enumerate() {
        if offset >= fetched {
            break;
        }
        if i > 0 {
            c.s(", ");
        }
        let _ = write!(c.out, "{name}=");
        c.hex(st::uint_at(&b, offset, size));
    }
    for (name, offset, words) in [
        ("st_space", 32, 32),
        ("xmm_space", 160, 64),
        ("padding", 416, 24),
    ] {
        if offset >= fetched {
            break;
        }
        let _ = write!(c.out, ", {name}=");
        let count = ((fetched - offset) / 4).min(words);
        st::local_array(c, count, words as u32, |c, i| {
            c.hex(u64::from(u32_at(&b, offset + i * 4)))
        });
    }
    more_follows(c, len, USER_FPREGS_SIZE);
}

/// Closes a register set's struct, with `...` when the buffer is larger than the struct.
fn more_follows(c: &mut Ctx, len: u64, size: u64) {
    if len > size {
        c.s(", ...");
    }
    c.s("}");
}

/// PTRACE_PEEKSIGINFO's `struct ptrace_peeksiginfo_args` at addr.
fn peeksiginfo_args(c: &mut Ctx, addr: u64) {
    if let Some(b) = st::read_struct::<16>(c, addr, false) {
        let _ = write!(c.out, "{{off={}, flags=", u64_at(&b, 0));
        c.flags(u64::from(u32_at(&b, 8)), &PEEKSIGINFO_FLAGS);
        let _ = write!(c.out, ", nr={}}}", u32_at(&b, 12));
    }
}

/// PTRACE_PEEKSIGINFO's result: as many `siginfo_t` as the call returned.
fn siginfo_array(c: &mut Ctx, addr: u64) {
    const SIGINFO_SIZE: u64 = 128;
    let count = c.rval();
    if count <= 0 || !c.ok() {
        c.ptr(addr);
        return;
    }
    let limit = st::array_limit(c);
    c.s("[");
    for i in 0..count as u64 {
        if i > 0 {
            c.s(", ");
        }
        if i as usize >= limit {
            c.s("...");
            break;
        }
        siginfo_in(c, addr.wrapping_add(i * SIGINFO_SIZE));
    }
    c.s("]");
}

/// PTRACE_SECCOMP_GET_METADATA at exit: the flags the kernel filled in after filter_off.
fn seccomp_metadata_exit(c: &mut Ctx, size: u64, addr: u64) {
    if c.ok() && size > 8 {
        c.s(", ");
        match c.read_u64(addr.wrapping_add(8)).filter(|_| size >= 16) {
            Some(flags) => {
                c.s("flags=");
                c.flags(flags, &SECCOMP_FILTER_FLAGS);
                if size > 16 {
                    c.s(", ...");
                }
            }
            None => c.s("???"),
        }
    }
    c.s("}");
}

/// struct ptrace_syscall_info, as much of it as the caller asked for and the kernel wrote.
fn syscall_info(c: &mut Ctx, addr: u64, user_len: u64) {
    // Up to seccomp.ret_data: 24 bytes of header, nr, args[6], ret_data.
    const SECCOMP_SIZE: u64 = 84;
    const EXIT_SIZE: u64 = 33;
    let kernel_len = c.rval() as u64;
    let fetch = user_len.min(kernel_len).min(SECCOMP_SIZE) as usize;
    let mut b = [0u8; SECCOMP_SIZE as usize];
    if fetch == 0 || !c.ok() || !c.read_exact(addr, &mut b[..fetch]) {
        c.ptr(addr);
        return;
    }
    let op = b[0];
    c.s("{op=");
    c.xval(u64::from(op), &SYSCALL_INFO_OPS);
    let arch = u32_at(&b, 4);
    if fetch >= 8 {
        c.s(", arch=");
        c.xval(u64::from(arch), &AUDIT_ARCHES);
    }
    if fetch >= 16 {
        c.s(", instruction_pointer=");
        c.ptr(u64_at(&b, 8));
    }
    if fetch >= 24 {
        c.s(", stack_pointer=");
        c.ptr(u64_at(&b, 16));
    }
    if fetch >= 32 {
        match op {
            1 | 3 => {
                c.s(if op == 1 {
                    ", entry={nr="
                } else {
                    ", seccomp={nr="
                });
                syscall_nr(c, u64_at(&b, 24), arch);
                let nargs = ((fetch - 32) / 8).min(6);
                if nargs > 0 {
                    c.s(", args=[");
                    for i in 0..nargs {
                        if i > 0 {
                            c.s(", ");
                        }
                        c.hex(u64_at(&b, 32 + i * 8));
                    }
                    c.s("]");
                }
                if op == 3 && fetch as u64 >= SECCOMP_SIZE {
                    let _ = write!(c.out, ", ret_data={}", u32_at(&b, 80));
                }
                c.s("}");
            }
            2 => {
                let rval = u64_at(&b, 24) as i64;
                let full = fetch as u64 >= EXIT_SIZE;
                c.s(", exit={rval=");
                if full && b[32] != 0 {
                    negated_errno(c, rval);
                } else {
                    c.dec(rval);
                }
                if full {
                    let _ = write!(c.out, ", is_error={}", b[32]);
                }
                c.s("}");
            }
            _ => {}
        }
    }
    c.s("}");
}
