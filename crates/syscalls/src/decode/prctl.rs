//! prctl(2): each option has its own arguments, some filled at exit, and several results are
//! explained after the value (`= 0x3 (PR_FP_MODE_FR|PR_FP_MODE_FRE)`), as strace 6.1 prints.

use std::fmt::Write;

use super::print::{self, Ctx};
use super::{PidKind, Ret, XlatStyle};
use crate::xlat::{self, Xlat};

mod opt {
    pub const SET_PDEATHSIG: u64 = 1;
    pub const GET_PDEATHSIG: u64 = 2;
    pub const GET_DUMPABLE: u64 = 3;
    pub const SET_DUMPABLE: u64 = 4;
    pub const GET_UNALIGN: u64 = 5;
    pub const SET_UNALIGN: u64 = 6;
    pub const GET_KEEPCAPS: u64 = 7;
    pub const SET_KEEPCAPS: u64 = 8;
    pub const GET_FPEMU: u64 = 9;
    pub const SET_FPEMU: u64 = 10;
    pub const GET_FPEXC: u64 = 11;
    pub const SET_FPEXC: u64 = 12;
    pub const GET_TIMING: u64 = 13;
    pub const SET_TIMING: u64 = 14;
    pub const SET_NAME: u64 = 15;
    pub const GET_NAME: u64 = 16;
    pub const GET_ENDIAN: u64 = 19;
    pub const SET_ENDIAN: u64 = 20;
    pub const GET_SECCOMP: u64 = 21;
    pub const SET_SECCOMP: u64 = 22;
    pub const CAPBSET_READ: u64 = 23;
    pub const CAPBSET_DROP: u64 = 24;
    pub const GET_TSC: u64 = 25;
    pub const SET_TSC: u64 = 26;
    pub const GET_SECUREBITS: u64 = 27;
    pub const SET_SECUREBITS: u64 = 28;
    pub const SET_TIMERSLACK: u64 = 29;
    pub const GET_TIMERSLACK: u64 = 30;
    pub const TASK_PERF_EVENTS_DISABLE: u64 = 31;
    pub const TASK_PERF_EVENTS_ENABLE: u64 = 32;
    pub const MCE_KILL: u64 = 33;
    pub const MCE_KILL_GET: u64 = 34;
    pub const SET_MM: u64 = 35;
    pub const SET_CHILD_SUBREAPER: u64 = 36;
    pub const GET_CHILD_SUBREAPER: u64 = 37;
    pub const SET_NO_NEW_PRIVS: u64 = 38;
    pub const GET_TID_ADDRESS: u64 = 40;
    pub const SET_THP_DISABLE: u64 = 41;
    pub const SET_FP_MODE: u64 = 45;
    pub const GET_FP_MODE: u64 = 46;
    pub const CAP_AMBIENT: u64 = 47;
    pub const SVE_SET_VL: u64 = 50;
    pub const SVE_GET_VL: u64 = 51;
    pub const GET_SPECULATION_CTRL: u64 = 52;
    pub const SET_SPECULATION_CTRL: u64 = 53;
    pub const PAC_RESET_KEYS: u64 = 54;
    pub const SET_TAGGED_ADDR_CTRL: u64 = 55;
    pub const GET_TAGGED_ADDR_CTRL: u64 = 56;
    pub const SET_IO_FLUSHER: u64 = 57;
    pub const SET_SYSCALL_USER_DISPATCH: u64 = 59;
    pub const PAC_SET_ENABLED_KEYS: u64 = 60;
    pub const PAC_GET_ENABLED_KEYS: u64 = 61;
    pub const SCHED_CORE: u64 = 62;
    pub const SME_SET_VL: u64 = 63;
    pub const SME_GET_VL: u64 = 64;
    pub const SET_PTRACER: u64 = 0x5961_6d61;
    pub const SET_VMA: u64 = 0x5356_4d41;
}

pub(crate) fn prctl(c: &mut Ctx) {
    let option = c.args[0] & 0xffff_ffff;
    if c.entering() {
        c.next();
        c.xval(option, &xlat::PRCTL_OPTIONS);
        entry(c, option);
    } else {
        exit(c, option);
    }
}

/// strace's print_prctl_args: the remaining arguments (of five) in hex.
fn rest_hex(c: &mut Ctx, first: usize) {
    for i in first..5 {
        c.next();
        c.hex(c.args[i]);
    }
}

fn entry(c: &mut Ctx, option: u64) {
    use opt::*;
    let [_, arg2, arg3, arg4, arg5, _] = c.args;
    match option {
        GET_KEEPCAPS
        | GET_SECCOMP
        | GET_TIMERSLACK
        | GET_TIMING
        | GET_DUMPABLE
        | GET_SECUREBITS
        | GET_FP_MODE
        | SVE_GET_VL
        | SME_GET_VL
        | TASK_PERF_EVENTS_DISABLE
        | TASK_PERF_EVENTS_ENABLE => {}
        GET_CHILD_SUBREAPER | GET_ENDIAN | GET_FPEMU | GET_FPEXC | GET_NAME | GET_PDEATHSIG
        | GET_TID_ADDRESS | GET_TSC | GET_UNALIGN => c.stop(),
        SVE_SET_VL | SME_SET_VL => {
            c.next();
            let text = vector_length(arg2, option == SVE_SET_VL, false);
            c.s(&text.unwrap_or_default());
        }
        GET_SPECULATION_CTRL => {
            c.next();
            c.xval(arg2, &PR_SPEC_CMDS);
        }
        SET_TAGGED_ADDR_CTRL => {
            c.next();
            let text = tagged_addr(arg2, false).unwrap_or_default();
            c.s(&text);
            rest_hex(c, 2);
        }
        GET_TAGGED_ADDR_CTRL | MCE_KILL_GET | PAC_GET_ENABLED_KEYS => rest_hex(c, 1),
        SET_CHILD_SUBREAPER | SET_ENDIAN | SET_FPEMU | SET_FPEXC | SET_KEEPCAPS | SET_TIMING => {
            c.next();
            c.udec(arg2);
        }
        SET_DUMPABLE => {
            c.next();
            c.xval(arg2, &xlat::DUMPABLE);
        }
        CAPBSET_DROP | CAPBSET_READ => {
            c.next();
            c.xval(arg2, &xlat::CAPABILITIES);
        }
        CAP_AMBIENT => {
            c.next();
            c.xval(arg2, &xlat::CAP_AMBIENT_OPS);
            if (1..=3).contains(&arg2) {
                c.next();
                c.xval(arg3, &xlat::CAPABILITIES);
                rest_hex(c, 3);
            } else {
                rest_hex(c, 2);
            }
        }
        MCE_KILL => {
            c.next();
            c.xval(arg2, &PR_MCE_KILL);
            c.next();
            if arg2 == 1 {
                c.xval(arg3, &PR_MCE_KILL_POLICY);
            } else {
                c.hex(arg3);
            }
            rest_hex(c, 3);
        }
        SET_NAME => {
            c.next();
            c.cstr_bounded(arg2, TASK_COMM_LEN - 1);
        }
        SET_VMA => {
            c.next();
            c.xval(arg2, &PR_SET_VMA);
            if arg2 == 0 {
                c.next();
                c.ptr(arg3);
                c.next();
                c.udec(arg4);
                c.next();
                c.cstr(arg5);
            } else {
                rest_hex(c, 2);
            }
        }
        SET_MM => {
            c.next();
            c.xval(arg2 & 0xffff_ffff, &PR_SET_MM);
            rest_hex(c, 2);
        }
        SET_PDEATHSIG => {
            c.next();
            if arg2 > 128 {
                c.udec(arg2);
            } else {
                c.signal(arg2);
            }
        }
        SET_PTRACER => {
            c.next();
            if arg2 as i32 == -1 {
                print::write_named(c.out, Some("PR_SET_PTRACER_ANY"), &PR_PTRACER, |out| {
                    out.push_str("-1")
                });
            } else {
                c.pid(arg2, PidKind::Tgid);
            }
        }
        SET_SECCOMP => {
            c.next();
            c.xval(arg2, &super::syscalls::SECCOMP_MODES);
            match arg2 {
                1 => {}
                2 => {
                    c.next();
                    super::bpf_filter::fprog(c, arg3, super::bpf_filter::Filter::Seccomp);
                }
                _ => rest_hex(c, 2),
            }
        }
        SET_SECUREBITS => {
            c.next();
            c.flags(arg2, &SECBITS);
        }
        SET_TIMERSLACK => {
            c.next();
            c.dec(arg2 as i64);
        }
        SET_TSC => {
            c.next();
            c.xval(arg2 & 0xffff_ffff, &PR_TSC);
        }
        SET_UNALIGN => {
            c.next();
            c.flags(arg2 & 0xffff_ffff, &PR_UNALIGN);
        }
        SET_NO_NEW_PRIVS | SET_THP_DISABLE | SET_IO_FLUSHER => {
            c.next();
            c.udec(arg2);
            rest_hex(c, 2);
        }
        SET_FP_MODE => {
            c.next();
            c.flags(arg2 & 0xffff_ffff, &PR_FP_MODE);
        }
        SET_SPECULATION_CTRL => {
            c.next();
            c.xval(arg2, &PR_SPEC_CMDS);
            c.next();
            if arg2 <= 2 {
                c.xval(arg3, &PR_SPEC_SET_FLAGS);
            } else {
                c.hex(arg3);
            }
        }
        PAC_RESET_KEYS => {
            c.next();
            c.flags(arg2, &PR_PAC_ALL_KEYS);
            rest_hex(c, 2);
        }
        PAC_SET_ENABLED_KEYS => {
            c.next();
            c.flags(arg2, &PR_PAC_ENABLED_KEYS);
            c.next();
            c.flags(arg3, &PR_PAC_ENABLED_KEYS);
            rest_hex(c, 3);
        }
        SET_SYSCALL_USER_DISPATCH => {
            c.next();
            c.xval(arg2, &PR_SUD_CMDS);
            c.next();
            c.hex(arg3);
            c.next();
            c.hex(arg4);
            c.next();
            c.ptr(arg5);
        }
        SCHED_CORE => {
            c.next();
            c.xval(arg2 & 0xffff_ffff, &PR_SCHED_CORE_CMDS);
            c.next();
            match arg4 & 0xffff_ffff {
                0 => c.pid(arg3, PidKind::Tid),
                1 => c.pid(arg3, PidKind::Tgid),
                2 => c.pid(arg3, PidKind::Pgid),
                3 => c.pid(arg3, PidKind::Sid),
                _ => c.int(arg3),
            }
            c.next();
            // strace always names the pid type, in a comment unless -X raw.
            let style = match print::xlat_style() {
                XlatStyle::Raw => XlatStyle::Raw,
                _ => XlatStyle::Verbose,
            };
            print::with_xlat_style(style, || {
                print::write_xval(c.out, arg4 & 0xffff_ffff, &PIDTYPES)
            });
            if arg2 & 0xffff_ffff == 0 {
                c.stop();
            } else {
                c.next();
                c.ptr(arg5);
            }
        }
        _ => rest_hex(c, 1),
    }
}

/// TASK_COMM_LEN: thread names are at most 15 bytes and a NUL.
const TASK_COMM_LEN: u64 = 16;

fn exit(c: &mut Ctx, option: u64) {
    use opt::*;
    let [_, arg2, _, _, arg5, _] = c.args;
    let ok = c.ok();
    let rval = c.rval() as u64;
    match option {
        GET_CHILD_SUBREAPER | GET_ENDIAN | GET_FPEMU | GET_FPEXC => {
            c.next();
            indirect_u32(c, arg2, |c, v| c.udec(u64::from(v)));
        }
        GET_PDEATHSIG => {
            c.next();
            indirect_u32(c, arg2, |c, v| c.signal(u64::from(v)));
        }
        GET_TSC => {
            c.next();
            indirect_u32(c, arg2, |c, v| c.xval(u64::from(v), &PR_TSC));
        }
        GET_UNALIGN => {
            c.next();
            indirect_u32(c, arg2, |c, v| c.flags(u64::from(v), &PR_UNALIGN));
        }
        GET_TID_ADDRESS => {
            c.next();
            if arg2 == 0 || !ok {
                c.ptr(arg2);
            } else {
                match c.read_u64(arg2) {
                    Some(v) => {
                        c.s("[");
                        c.ptr(v);
                        c.s("]");
                    }
                    None => c.ptr(arg2),
                }
            }
        }
        GET_NAME => {
            c.next();
            if ok {
                c.cstr_bounded(arg2, TASK_COMM_LEN);
            } else {
                c.ptr(arg2);
            }
        }
        GET_DUMPABLE if ok => {
            if let Some(name) = lookup(&xlat::DUMPABLE, rval) {
                c.aux = format!("({name})");
            }
        }
        MCE_KILL_GET if ok => {
            if let Some(name) = lookup(&PR_MCE_KILL_POLICY, rval) {
                c.aux = format!("({name})");
            }
        }
        GET_SECUREBITS if ok && rval != 0 => explained_hex(c, flags_aux(rval, &SECBITS)),
        GET_FP_MODE if ok && rval != 0 => explained_hex(c, flags_aux(rval, &PR_FP_MODE)),
        PAC_GET_ENABLED_KEYS if ok => explained_hex(c, flags_aux(rval, &PR_PAC_ENABLED_KEYS)),
        SVE_SET_VL | SVE_GET_VL | SME_SET_VL | SME_GET_VL if ok && rval != 0 => {
            let sve = matches!(option, SVE_SET_VL | SVE_GET_VL);
            explained_hex(c, vector_length(rval, sve, true));
        }
        GET_TAGGED_ADDR_CTRL if ok => explained_hex(c, tagged_addr(rval, true)),
        GET_SPECULATION_CTRL if ok && arg2 <= 2 => {
            explained_hex(c, flags_aux(rval, &PR_SPEC_GET_FLAGS))
        }
        SCHED_CORE if arg2 & 0xffff_ffff == 0 => {
            c.next();
            if !ok || arg5 == 0 {
                c.ptr(arg5);
            } else {
                match c.read_u64(arg5) {
                    Some(cookie) => {
                        c.s("[");
                        c.hex(cookie);
                        c.s("]");
                    }
                    None => c.ptr(arg5),
                }
            }
        }
        _ => {}
    }
}

/// A result printed in hex with its meaning after it: `= 0x3 (PR_FP_MODE_FR|...)`.
fn explained_hex(c: &mut Ctx, text: Option<String>) {
    c.ret_kind = Some(Ret::Hex);
    if let Some(text) = text {
        c.aux = format!("({text})");
    }
}

/// An `unsigned int *` filled by the call: `[value]`, or its address when it cannot be shown.
fn indirect_u32(c: &mut Ctx, addr: u64, value: impl FnOnce(&mut Ctx, u32)) {
    if addr == 0 || !c.ok() {
        c.ptr(addr);
        return;
    }
    match c.read_u32(addr) {
        Some(v) => {
            c.s("[");
            value(c, v);
            c.s("]");
        }
        None => c.ptr(addr),
    }
}

fn lookup(x: &Xlat, v: u64) -> Option<&'static str> {
    x.entries.iter().find(|e| e.0 == v).map(|e| e.1)
}

/// strace's sprintflags: the names of the set bits joined by `|`, the unknown rest in hex,
/// without the `/* X_??? */` comment; `None` for 0 without a zero entry.
fn flags_text(v: u64, x: &Xlat) -> Option<String> {
    if v == 0 {
        return lookup(x, 0).map(str::to_owned);
    }
    let mut text = String::new();
    let mut rest = v;
    for &(bits, name) in x.entries {
        if bits != 0 && rest & bits == bits {
            if !text.is_empty() {
                text.push('|');
            }
            text.push_str(name);
            rest &= !bits;
        }
    }
    if rest != 0 {
        if !text.is_empty() {
            text.push('|');
        }
        print::write_hex(&mut text, rest);
    }
    Some(text)
}

/// The explanation of a result made of flags (strace's SPFF_AUXSTR_MODE): none with -X raw,
/// and only the names (no number) otherwise.
fn flags_aux(v: u64, x: &Xlat) -> Option<String> {
    if print::xlat_style() == XlatStyle::Raw {
        return None;
    }
    let mut names = String::new();
    let mut rest = v;
    for &(bits, name) in x.entries {
        if (bits == 0 && v == 0) || (bits != 0 && rest & bits == bits) {
            if !names.is_empty() {
                names.push('|');
            }
            names.push_str(name);
            rest &= !bits;
        }
    }
    if rest != 0 && !names.is_empty() {
        names.push('|');
        print::write_hex(&mut names, rest);
    }
    (!names.is_empty()).then_some(names)
}

/// PR_SVE_SET_VL / PR_SME_SET_VL's value: flags above bit 16, the vector length below.
/// `explaining` is for the result's note (none when there are no flags).
fn vector_length(arg: u64, sve: bool, explaining: bool) -> Option<String> {
    let style = print::xlat_style();
    let mut out = String::new();
    if style == XlatStyle::Raw {
        if explaining {
            return None;
        }
        print::write_hex(&mut out, arg);
        return Some(out);
    }
    let vl = arg & 0xffff;
    let flags = arg & !0xffff;
    if flags == 0 && explaining {
        return None;
    }
    let table = if sve {
        &PR_SVE_VL_FLAGS
    } else {
        &PR_SME_VL_FLAGS
    };
    let flags_str = flags_text(flags, table);
    let verbose = !explaining && flags != 0 && style == XlatStyle::Verbose;
    if verbose {
        print::write_hex(&mut out, arg);
        out.push_str(" /* ");
    }
    if let Some(f) = flags_str {
        out.push_str(&f);
        out.push('|');
    }
    print::write_hex(&mut out, vl);
    if verbose {
        out.push_str(" */");
    }
    Some(out)
}

/// PR_SET_TAGGED_ADDR_CTRL's value: enable bit, MTE fault mode, tag mask, rest.
fn tagged_addr(arg: u64, explaining: bool) -> Option<String> {
    let style = print::xlat_style();
    let mut out = String::new();
    if !explaining && style != XlatStyle::Abbrev {
        print::write_hex(&mut out, arg);
    }
    if style == XlatStyle::Raw {
        return (!explaining).then_some(out);
    }
    let verbose = !explaining && style == XlatStyle::Verbose;
    if verbose {
        out.push_str(" /* ");
    }
    let enabled = arg & 1;
    let tcf = arg & 6;
    let tag = arg & (0xffff << 3);
    let rest = arg & !(1 | 6 | (0xffff << 3));
    out.push_str(if enabled != 0 {
        "PR_TAGGED_ADDR_ENABLE"
    } else {
        "!PR_TAGGED_ADDR_ENABLE"
    });
    out.push('|');
    match lookup(&PR_MTE_TCF, tcf) {
        Some(name) => out.push_str(name),
        None => print::write_hex(&mut out, tcf),
    }
    if tag != 0 {
        let _ = write!(out, "|{:#x}<<PR_MTE_TAG_SHIFT", tag >> 3);
    }
    if rest != 0 {
        out.push('|');
        print::write_hex(&mut out, rest);
    }
    if verbose {
        out.push_str(" */");
    }
    Some(out)
}

macro_rules! table {
    ($name:ident, $unknown:literal, [$($val:expr => $n:literal),* $(,)?]) => {
        const $name: Xlat = Xlat { entries: &[$(($val as u64, $n)),*], unknown: $unknown };
    };
}

table!(PR_PTRACER, "PR_SET_PTRACER_???", [-1i64 => "PR_SET_PTRACER_ANY"]);
table!(PR_MCE_KILL, "PR_MCE_KILL_???", [0 => "PR_MCE_KILL_CLEAR", 1 => "PR_MCE_KILL_SET"]);
table!(PR_MCE_KILL_POLICY, "PR_MCE_KILL_???", [
    0 => "PR_MCE_KILL_LATE", 1 => "PR_MCE_KILL_EARLY", 2 => "PR_MCE_KILL_DEFAULT",
]);
table!(PR_SET_VMA, "PR_SET_VMA_???", [0 => "PR_SET_VMA_ANON_NAME"]);
table!(PR_SET_MM, "PR_SET_MM_???", [
    1 => "PR_SET_MM_START_CODE", 2 => "PR_SET_MM_END_CODE", 3 => "PR_SET_MM_START_DATA",
    4 => "PR_SET_MM_END_DATA", 5 => "PR_SET_MM_START_STACK", 6 => "PR_SET_MM_START_BRK",
    7 => "PR_SET_MM_BRK", 8 => "PR_SET_MM_ARG_START", 9 => "PR_SET_MM_ARG_END",
    10 => "PR_SET_MM_ENV_START", 11 => "PR_SET_MM_ENV_END", 12 => "PR_SET_MM_AUXV",
    13 => "PR_SET_MM_EXE_FILE", 14 => "PR_SET_MM_MAP", 15 => "PR_SET_MM_MAP_SIZE",
]);
table!(SECBITS, "SECBIT_???", [
    1 << 0 => "SECBIT_NOROOT", 1 << 1 => "SECBIT_NOROOT_LOCKED",
    1 << 2 => "SECBIT_NO_SETUID_FIXUP", 1 << 3 => "SECBIT_NO_SETUID_FIXUP_LOCKED",
    1 << 4 => "SECBIT_KEEP_CAPS", 1 << 5 => "SECBIT_KEEP_CAPS_LOCKED",
    1 << 6 => "SECBIT_NO_CAP_AMBIENT_RAISE", 1 << 7 => "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED",
]);
table!(PR_TSC, "PR_TSC_???", [1 => "PR_TSC_ENABLE", 2 => "PR_TSC_SIGSEGV"]);
table!(PR_UNALIGN, "PR_UNALIGN_???", [1 => "PR_UNALIGN_NOPRINT", 2 => "PR_UNALIGN_SIGBUS"]);
table!(PR_FP_MODE, "PR_FP_MODE_???", [1 => "PR_FP_MODE_FR", 2 => "PR_FP_MODE_FRE"]);
table!(PR_SPEC_CMDS, "PR_SPEC_???", [
    0 => "PR_SPEC_STORE_BYPASS", 1 => "PR_SPEC_INDIRECT_BRANCH", 2 => "PR_SPEC_L1D_FLUSH",
]);
table!(PR_SPEC_SET_FLAGS, "PR_SPEC_???", [
    1 << 1 => "PR_SPEC_ENABLE", 1 << 2 => "PR_SPEC_DISABLE", 1 << 3 => "PR_SPEC_FORCE_DISABLE",
    1 << 4 => "PR_SPEC_DISABLE_NOEXEC",
]);
table!(PR_SPEC_GET_FLAGS, "PR_SPEC_???", [
    0 => "PR_SPEC_NOT_AFFECTED", 1 << 0 => "PR_SPEC_PRCTL", 1 << 1 => "PR_SPEC_ENABLE",
    1 << 2 => "PR_SPEC_DISABLE", 1 << 3 => "PR_SPEC_FORCE_DISABLE",
    1 << 4 => "PR_SPEC_DISABLE_NOEXEC",
]);
table!(PR_PAC_ENABLED_KEYS, "PR_PAC_???", [
    1 << 0 => "PR_PAC_APIAKEY", 1 << 1 => "PR_PAC_APIBKEY", 1 << 2 => "PR_PAC_APDAKEY",
    1 << 3 => "PR_PAC_APDBKEY",
]);
table!(PR_PAC_ALL_KEYS, "PR_PAC_???", [
    1 << 0 => "PR_PAC_APIAKEY", 1 << 1 => "PR_PAC_APIBKEY", 1 << 2 => "PR_PAC_APDAKEY",
    1 << 3 => "PR_PAC_APDBKEY", 1 << 4 => "PR_PAC_APGAKEY",
]);
table!(PR_SUD_CMDS, "PR_SYS_DISPATCH_???", [0 => "PR_SYS_DISPATCH_OFF", 1 => "PR_SYS_DISPATCH_ON"]);
table!(PR_SCHED_CORE_CMDS, "PR_SCHED_CORE_???", [
    0 => "PR_SCHED_CORE_GET", 1 => "PR_SCHED_CORE_CREATE", 2 => "PR_SCHED_CORE_SHARE_TO",
    3 => "PR_SCHED_CORE_SHARE_FROM",
]);
table!(PIDTYPES, "PIDTYPE_???", [
    0 => "PIDTYPE_PID", 1 => "PIDTYPE_TGID", 2 => "PIDTYPE_PGID", 3 => "PIDTYPE_SID",
]);
table!(PR_SVE_VL_FLAGS, "PR_SVE_???", [1 << 18 => "PR_SVE_SET_VL_ONEXEC", 1 << 17 => "PR_SVE_VL_INHERIT"]);
table!(PR_SME_VL_FLAGS, "PR_SME_???", [1 << 18 => "PR_SME_SET_VL_ONEXEC", 1 << 17 => "PR_SME_VL_INHERIT"]);
table!(PR_MTE_TCF, "PR_MTE_TCF_???", [
    0 => "PR_MTE_TCF_NONE", 2 => "PR_MTE_TCF_SYNC", 4 => "PR_MTE_TCF_ASYNC", 6 => "PR_MTE_TCF_MASK",
]);
