//! ptrace(2) as strace 6.1's ptrace.c prints it: the request, the tracee, and addr/data as
//! each request uses them; PTRACE_GET_SYSCALL_INFO's struct at exit. Register sets and
//! seccomp filters are shown as addresses.

use std::fmt::Write;

use super::Ctx;
use super::PidKind;
use super::ioctl::{AUDIT_ARCHES, negated_errno, syscall_nr};
use super::structs::{self as st, u32_at, u64_at};
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
const SETOPTIONS: u64 = 0x4200;
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

pub(super) fn dec_ptrace(c: &mut Ctx) {
    let [request, pid, addr, data, ..] = c.args;
    if !c.entering() {
        if c.saved[0] == DATA_AT_EXIT {
            c.next();
            data_at_exit(c, request, addr, data);
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
    c.next();
    match request {
        GETSIGMASK | SETSIGMASK | SECCOMP_GET_FILTER | SECCOMP_GET_METADATA | GET_SYSCALL_INFO => {
            c.udec(addr)
        }
        _ => c.ptr(addr),
    }
    match request {
        CONT | DETACH | SYSCALL | SINGLESTEP | SINGLEBLOCK | SYSEMU | SYSEMU_SINGLESTEP => {
            c.next();
            c.signal(data);
        }
        SEIZE | SETOPTIONS | OLDSETOPTIONS => {
            c.next();
            c.flags(data, &OPTIONS);
        }
        SETSIGMASK => {
            c.next();
            st::sigset(c, data, addr, false);
        }
        PEEKDATA | PEEKTEXT | PEEKUSER | GETEVENTMSG | GETSIGMASK | GET_SYSCALL_INFO
            if c.style.dereference =>
        {
            c.saved[0] = DATA_AT_EXIT;
            c.stop();
        }
        _ => {
            c.next();
            c.ptr(data);
        }
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
        _ => syscall_info(c, data, addr),
    }
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
