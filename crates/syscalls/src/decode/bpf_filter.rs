//! Classic BPF programs (strace's bpf_filter.c, bpf_sock_filter.c, bpf_seccomp_filter.c):
//! `{len=2, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0), BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ALLOW)]}`
//! for socket filters and seccomp filters; without `-v` only the program's address.

use std::fmt::Write;

use super::Ctx;
use super::print::{self, write_composite};
use crate::xlat::{self, Xlat};

/// strace stops after BPF_MAXINSNS instructions.
const MAX_INSNS: u64 = 4096;

/// Who runs the program decides how its constants print.
#[derive(Clone, Copy)]
pub(crate) enum Filter {
    Socket,
    Seccomp,
}

xlat::xlat!(CLASSES, "BPF_???", [
    0 => "BPF_LD", 1 => "BPF_LDX", 2 => "BPF_ST", 3 => "BPF_STX", 4 => "BPF_ALU", 5 => "BPF_JMP",
    6 => "BPF_RET", 7 => "BPF_MISC",
]);
xlat::xlat!(SIZES, "BPF_???", [0 => "BPF_W", 0x08 => "BPF_H", 0x10 => "BPF_B", 0x18 => "BPF_DW"]);
xlat::xlat!(MODES, "BPF_???", [
    0 => "BPF_IMM", 0x20 => "BPF_ABS", 0x40 => "BPF_IND", 0x60 => "BPF_MEM", 0x80 => "BPF_LEN",
    0xa0 => "BPF_MSH", 0xc0 => "BPF_XADD",
]);
xlat::xlat!(SOURCES, "BPF_???", [0 => "BPF_K", 0x08 => "BPF_X"]);
xlat::xlat!(ALU_OPS, "BPF_???", [
    0 => "BPF_ADD", 0x10 => "BPF_SUB", 0x20 => "BPF_MUL", 0x30 => "BPF_DIV", 0x40 => "BPF_OR",
    0x50 => "BPF_AND", 0x60 => "BPF_LSH", 0x70 => "BPF_RSH", 0x80 => "BPF_NEG", 0x90 => "BPF_MOD",
    0xa0 => "BPF_XOR", 0xb0 => "BPF_MOV", 0xc0 => "BPF_ARSH", 0xd0 => "BPF_END",
]);
xlat::xlat!(JMP_OPS, "BPF_???", [
    0 => "BPF_JA", 0x10 => "BPF_JEQ", 0x20 => "BPF_JGT", 0x30 => "BPF_JGE", 0x40 => "BPF_JSET",
    0x50 => "BPF_JNE", 0x60 => "BPF_JSGT", 0x70 => "BPF_JSGE", 0x80 => "BPF_CALL", 0x90 => "BPF_EXIT",
    0xa0 => "BPF_JLT", 0xb0 => "BPF_JLE", 0xc0 => "BPF_JSLT", 0xd0 => "BPF_JSLE",
]);
xlat::xlat!(MISC_OPS, "BPF_???", [0 => "BPF_TAX", 0x80 => "BPF_TXA"]);
xlat::xlat!(RVALS, "BPF_???", [0 => "BPF_K", 0x08 => "BPF_X", 0x10 => "BPF_A"]);
xlat::xlat!(SKF_AD, "SKF_AD_???", [
    0 => "SKF_AD_PROTOCOL", 4 => "SKF_AD_PKTTYPE", 8 => "SKF_AD_IFINDEX", 12 => "SKF_AD_NLATTR",
    16 => "SKF_AD_NLATTR_NEST", 20 => "SKF_AD_MARK", 24 => "SKF_AD_QUEUE", 28 => "SKF_AD_HATYPE",
    32 => "SKF_AD_RXHASH", 36 => "SKF_AD_CPU", 40 => "SKF_AD_ALU_XOR_X", 44 => "SKF_AD_VLAN_TAG",
    48 => "SKF_AD_VLAN_TAG_PRESENT", 52 => "SKF_AD_PAY_OFFSET", 56 => "SKF_AD_RANDOM",
    60 => "SKF_AD_VLAN_TPID",
]);
pub(crate) const SECCOMP_RET_ACTIONS: Xlat = Xlat {
    entries: &[
        (0x8000_0000, "SECCOMP_RET_KILL_PROCESS"),
        (0, "SECCOMP_RET_KILL_THREAD"),
        (0x0003_0000, "SECCOMP_RET_TRAP"),
        (0x0005_0000, "SECCOMP_RET_ERRNO"),
        (0x7fc0_0000, "SECCOMP_RET_USER_NOTIF"),
        (0x7ff0_0000, "SECCOMP_RET_TRACE"),
        (0x7ffc_0000, "SECCOMP_RET_LOG"),
        (0x7fff_0000, "SECCOMP_RET_ALLOW"),
    ],
    unknown: "SECCOMP_RET_???",
};

/// `struct sock_fprog`: `{len=N, filter=[...]}`.
pub(crate) fn fprog(c: &mut Ctx, addr: u64, kind: Filter) {
    let mut b = [0u8; 16];
    if addr == 0 {
        c.s("NULL");
        return;
    }
    if !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    let len = u16::from_ne_bytes([b[0], b[1]]);
    let filter = u64::from_ne_bytes(b[8..16].try_into().unwrap_or([0; 8]));
    let _ = write!(c.out, "{{len={len}, filter=");
    program(c, filter, u64::from(len), kind);
    c.s("}");
}

/// The instructions themselves (getsockopt SO_GET_FILTER returns them bare).
pub(crate) fn program(c: &mut Ctx, addr: u64, len: u64, kind: Filter) {
    if !c.style.verbose {
        c.ptr(addr);
        return;
    }
    let mut count = 0;
    c.array(addr, len, 8, |c, b| {
        if count >= MAX_INSNS {
            c.s("...");
            return false;
        }
        count += 1;
        let code = u16::from_ne_bytes([b[0], b[1]]);
        let (jt, jf) = (b[2], b[3]);
        let k = u32::from_ne_bytes(b[4..8].try_into().unwrap_or([0; 4]));
        if jt != 0 || jf != 0 {
            c.s("BPF_JUMP(");
            code_text(c, code);
            let _ = write!(
                c.out,
                ", {}, {}, {})",
                hex(k.into()),
                hex(jt.into()),
                hex(jf.into())
            );
        } else {
            c.s("BPF_STMT(");
            code_text(c, code);
            c.s(", ");
            if !constant(c, code, k, kind) {
                c.hex(u64::from(k));
            }
            c.s(")");
        }
        true
    });
}

fn hex(v: u64) -> String {
    let mut s = String::new();
    print::write_hex(&mut s, v);
    s
}

/// `BPF_LD|BPF_B|BPF_ABS` (strace's print_bpf_filter_code for classic BPF).
fn code_text(c: &mut Ctx, code: u16) {
    let code = u64::from(code);
    let class = code & 7;
    let mut rest = code & !7;
    c.xval(class, &CLASSES);
    let or_unknown = |c: &mut Ctx, v: u64| {
        if v != 0 {
            c.s("|");
            c.hex(v);
            c.s(" /* BPF_??? */");
        }
    };
    match class {
        // BPF_ST, BPF_STX
        2 | 3 => or_unknown(c, rest),
        // BPF_LD, BPF_LDX
        0 | 1 => {
            c.s("|");
            c.xval(code & 0x18, &SIZES);
            c.s("|");
            c.xval(code & 0xe0, &MODES);
        }
        // BPF_MISC
        7 => {
            c.s("|");
            c.xval(code & 0xf8, &MISC_OPS);
            rest &= !(code & 0xf8);
            or_unknown(c, rest);
        }
        // BPF_ALU, BPF_JMP
        4 | 5 => {
            c.s("|");
            c.xval(code & 0x08, &SOURCES);
            c.s("|");
            c.xval(code & 0xf0, if class == 4 { &ALU_OPS } else { &JMP_OPS });
        }
        // BPF_RET
        _ => {
            c.s("|");
            c.xval(code & 0x18, &RVALS);
            rest &= !(code & 0x18);
            or_unknown(c, rest);
        }
    }
}

/// The `k` of a statement when the program's user gives it a meaning: packet offsets for
/// socket filters, return actions for seccomp filters. False to print it in hex.
fn constant(c: &mut Ctx, code: u16, k: u32, kind: Filter) -> bool {
    let class = code & 7;
    match kind {
        Filter::Socket if class == 0 && code & 0xe0 == 0x20 => {
            // SKF_AD_OFF, SKF_NET_OFF, SKF_LL_OFF (negative offsets).
            let (base, name) = match k {
                k if k >= 0xffff_f000 => (0xffff_f000u32, "SKF_AD_OFF"),
                k if k >= 0xfff0_0000 => (0xfff0_0000, "SKF_NET_OFF"),
                k if k >= 0xffe0_0000 => (0xffe0_0000, "SKF_LL_OFF"),
                _ => return false,
            };
            write_composite(
                c.out,
                |out| print::write_hex(out, u64::from(base)),
                |out| out.push_str(name),
            );
            c.s("+");
            if name == "SKF_AD_OFF" {
                c.xval(u64::from(k - base), &SKF_AD);
            } else {
                c.udec(u64::from(k - base));
            }
            true
        }
        Filter::Seccomp if class == 6 => {
            let action = k & 0xffff_0000;
            c.xval(u64::from(action), &SECCOMP_RET_ACTIONS);
            if k & !action != 0 {
                c.s("|");
                c.hex(u64::from(k & !action));
            }
            true
        }
        _ => false,
    }
}
