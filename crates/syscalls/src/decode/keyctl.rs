//! keyctl(2) as strace 6.1's keyctl.c prints it: each command's arguments, the buffers
//! some commands fill shown at exit.

use std::fmt::Write;

use super::Ctx;
use super::print::{self, write_composite};
use super::structs::{self as st, read_struct, u16_at, u32_at, u64_at};
use crate::xlat;

xlat::xlat!(COMMANDS, "KEYCTL_???", [
    0 => "KEYCTL_GET_KEYRING_ID", 1 => "KEYCTL_JOIN_SESSION_KEYRING", 2 => "KEYCTL_UPDATE",
    3 => "KEYCTL_REVOKE", 4 => "KEYCTL_CHOWN", 5 => "KEYCTL_SETPERM", 6 => "KEYCTL_DESCRIBE",
    7 => "KEYCTL_CLEAR", 8 => "KEYCTL_LINK", 9 => "KEYCTL_UNLINK", 10 => "KEYCTL_SEARCH",
    11 => "KEYCTL_READ", 12 => "KEYCTL_INSTANTIATE", 13 => "KEYCTL_NEGATE",
    14 => "KEYCTL_SET_REQKEY_KEYRING", 15 => "KEYCTL_SET_TIMEOUT",
    16 => "KEYCTL_ASSUME_AUTHORITY", 17 => "KEYCTL_GET_SECURITY",
    18 => "KEYCTL_SESSION_TO_PARENT", 19 => "KEYCTL_REJECT", 20 => "KEYCTL_INSTANTIATE_IOV",
    21 => "KEYCTL_INVALIDATE", 22 => "KEYCTL_GET_PERSISTENT", 23 => "KEYCTL_DH_COMPUTE",
    24 => "KEYCTL_PKEY_QUERY", 25 => "KEYCTL_PKEY_ENCRYPT", 26 => "KEYCTL_PKEY_DECRYPT",
    27 => "KEYCTL_PKEY_SIGN", 28 => "KEYCTL_PKEY_VERIFY", 29 => "KEYCTL_RESTRICT_KEYRING",
    30 => "KEYCTL_MOVE", 31 => "KEYCTL_CAPABILITIES", 32 => "KEYCTL_WATCH_KEY",
]);

// strace's src/xlat/key_perms.in (its order: the single bits before the *_ALL masks).
xlat::xlat!(KEY_PERMS, "KEY_???", [
    0x0100_0000 => "KEY_POS_VIEW", 0x0200_0000 => "KEY_POS_READ", 0x0400_0000 => "KEY_POS_WRITE",
    0x0800_0000 => "KEY_POS_SEARCH", 0x1000_0000 => "KEY_POS_LINK",
    0x2000_0000 => "KEY_POS_SETATTR", 0x3f00_0000 => "KEY_POS_ALL",
    0x0001_0000 => "KEY_USR_VIEW", 0x0002_0000 => "KEY_USR_READ", 0x0004_0000 => "KEY_USR_WRITE",
    0x0008_0000 => "KEY_USR_SEARCH", 0x0010_0000 => "KEY_USR_LINK",
    0x0020_0000 => "KEY_USR_SETATTR", 0x003f_0000 => "KEY_USR_ALL",
    0x0100 => "KEY_GRP_VIEW", 0x0200 => "KEY_GRP_READ", 0x0400 => "KEY_GRP_WRITE",
    0x0800 => "KEY_GRP_SEARCH", 0x1000 => "KEY_GRP_LINK", 0x2000 => "KEY_GRP_SETATTR",
    0x3f00 => "KEY_GRP_ALL",
    0x01 => "KEY_OTH_VIEW", 0x02 => "KEY_OTH_READ", 0x04 => "KEY_OTH_WRITE",
    0x08 => "KEY_OTH_SEARCH", 0x10 => "KEY_OTH_LINK", 0x20 => "KEY_OTH_SETATTR",
    0x3f => "KEY_OTH_ALL",
]);

xlat::xlat!(REQKEY_DEFAULTS, "KEY_REQKEY_DEFL_???", [
    -1i64 => "KEY_REQKEY_DEFL_NO_CHANGE", 0 => "KEY_REQKEY_DEFL_DEFAULT",
    1 => "KEY_REQKEY_DEFL_THREAD_KEYRING", 2 => "KEY_REQKEY_DEFL_PROCESS_KEYRING",
    3 => "KEY_REQKEY_DEFL_SESSION_KEYRING", 4 => "KEY_REQKEY_DEFL_USER_KEYRING",
    5 => "KEY_REQKEY_DEFL_USER_SESSION_KEYRING", 6 => "KEY_REQKEY_DEFL_GROUP_KEYRING",
    7 => "KEY_REQKEY_DEFL_REQUESTOR_KEYRING",
]);

xlat::xlat!(MOVE_FLAGS, "KEYCTL_MOVE_???", [1 => "KEYCTL_MOVE_EXCL"]);

xlat::xlat!(CAPS0, "KEYCTL_CAPS0_???", [
    0x01 => "KEYCTL_CAPS0_CAPABILITIES", 0x02 => "KEYCTL_CAPS0_PERSISTENT_KEYRINGS",
    0x04 => "KEYCTL_CAPS0_DIFFIE_HELLMAN", 0x08 => "KEYCTL_CAPS0_PUBLIC_KEY",
    0x10 => "KEYCTL_CAPS0_BIG_KEY", 0x20 => "KEYCTL_CAPS0_INVALIDATE",
    0x40 => "KEYCTL_CAPS0_RESTRICT_KEYRING", 0x80 => "KEYCTL_CAPS0_MOVE",
]);

xlat::xlat!(CAPS1, "KEYCTL_CAPS1_???", [
    0x01 => "KEYCTL_CAPS1_NS_KEYRING_NAME", 0x02 => "KEYCTL_CAPS1_NS_KEY_TAG",
    0x04 => "KEYCTL_CAPS1_NOTIFICATIONS",
]);

xlat::xlat!(PKEY_OPS, "KEYCTL_SUPPORTS_???", [
    0x01 => "KEYCTL_SUPPORTS_ENCRYPT", 0x02 => "KEYCTL_SUPPORTS_DECRYPT",
    0x04 => "KEYCTL_SUPPORTS_SIGN", 0x08 => "KEYCTL_SUPPORTS_VERIFY",
]);

const GET_KEYRING_ID: u32 = 0;
const JOIN_SESSION_KEYRING: u32 = 1;
const UPDATE: u32 = 2;
const REVOKE: u32 = 3;
const CHOWN: u32 = 4;
const SETPERM: u32 = 5;
const DESCRIBE: u32 = 6;
const CLEAR: u32 = 7;
const LINK: u32 = 8;
const UNLINK: u32 = 9;
const SEARCH: u32 = 10;
const READ: u32 = 11;
const INSTANTIATE: u32 = 12;
const NEGATE: u32 = 13;
const SET_REQKEY_KEYRING: u32 = 14;
const SET_TIMEOUT: u32 = 15;
const ASSUME_AUTHORITY: u32 = 16;
const GET_SECURITY: u32 = 17;
const SESSION_TO_PARENT: u32 = 18;
const REJECT: u32 = 19;
const INSTANTIATE_IOV: u32 = 20;
const INVALIDATE: u32 = 21;
const GET_PERSISTENT: u32 = 22;
const DH_COMPUTE: u32 = 23;
const PKEY_QUERY: u32 = 24;
const PKEY_ENCRYPT: u32 = 25;
const PKEY_DECRYPT: u32 = 26;
const PKEY_SIGN: u32 = 27;
const PKEY_VERIFY: u32 = 28;
const RESTRICT_KEYRING: u32 = 29;
const MOVE: u32 = 30;
const CAPABILITIES: u32 = 31;

/// `Ctx::saved[0]`: the exit phase has something to print; `saved[1]`: the out_len of a
/// pkey operation.
const AT_EXIT: u64 = 1;

pub(super) fn dec_keyctl(c: &mut Ctx) {
    let a = c.args;
    let cmd = a[0] as u32;
    if c.entering() {
        c.next();
        c.xval(u64::from(cmd), &COMMANDS);
        if entry(c, cmd, a) {
            c.saved[0] = AT_EXIT;
            c.stop();
        }
    } else if c.saved[0] == AT_EXIT {
        exit(c, cmd, a);
    }
}

/// A key serial number: `KEY_SPEC_*` or the number.
fn serial(c: &mut Ctx, v: u64) {
    c.xval_d(i64::from(v as u32 as i32), &xlat::KEY_SPEC);
}

/// The arguments known at entry; true when more is printed at exit.
fn entry(c: &mut Ctx, cmd: u32, a: [u64; 6]) -> bool {
    match cmd {
        SESSION_TO_PARENT => return false,
        // Only the buffer the kernel fills, at exit.
        CAPABILITIES => return true,
        _ => c.next(),
    }
    match cmd {
        GET_KEYRING_ID => {
            serial(c, a[1]);
            c.next();
            c.int(a[2]);
        }
        JOIN_SESSION_KEYRING => c.cstr(a[1]),
        UPDATE => {
            serial(c, a[1]);
            c.next();
            c.buf(a[2], a[3]);
            c.next();
            c.udec(a[3]);
        }
        REVOKE | CLEAR | INVALIDATE | ASSUME_AUTHORITY => serial(c, a[1]),
        LINK | UNLINK => {
            serial(c, a[1]);
            c.next();
            serial(c, a[2]);
        }
        DESCRIBE | READ | GET_SECURITY => {
            serial(c, a[1]);
            return true;
        }
        SEARCH => {
            serial(c, a[1]);
            c.next();
            c.cstr(a[2]);
            c.next();
            c.cstr(a[3]);
            c.next();
            serial(c, a[4]);
        }
        CHOWN => {
            serial(c, a[1]);
            c.next();
            c.uid(a[2] & 0xffff_ffff);
            c.next();
            c.uid(a[3] & 0xffff_ffff);
        }
        SETPERM => {
            serial(c, a[1]);
            c.next();
            c.flags(a[2] & 0xffff_ffff, &KEY_PERMS);
        }
        INSTANTIATE => {
            serial(c, a[1]);
            c.next();
            c.buf(a[2], a[3]);
            c.next();
            c.udec(a[3]);
            c.next();
            serial(c, a[4]);
        }
        NEGATE => {
            serial(c, a[1]);
            c.next();
            c.udec(a[2] & 0xffff_ffff);
            c.next();
            serial(c, a[3]);
        }
        SET_REQKEY_KEYRING => c.xval_d(i64::from(a[1] as u32 as i32), &REQKEY_DEFAULTS),
        SET_TIMEOUT => {
            serial(c, a[1]);
            c.next();
            c.udec(a[2] & 0xffff_ffff);
        }
        REJECT => {
            serial(c, a[1]);
            c.next();
            c.udec(a[2] & 0xffff_ffff);
            c.next();
            errno_arg(c, a[3] as u32);
            c.next();
            serial(c, a[4]);
        }
        INSTANTIATE_IOV => {
            serial(c, a[1]);
            c.next();
            st::iovec(c, a[2], a[3], None, false);
            c.next();
            c.udec(a[3]);
            c.next();
            serial(c, a[4]);
        }
        GET_PERSISTENT => {
            c.uid(a[1] & 0xffff_ffff);
            c.next();
            serial(c, a[2]);
        }
        DH_COMPUTE => {
            if let Some(b) = read_struct::<12>(c, a[1], false) {
                c.s("{private=");
                serial(c, u64::from(u32_at(&b, 0)));
                c.s(", prime=");
                serial(c, u64::from(u32_at(&b, 4)));
                c.s(", base=");
                serial(c, u64::from(u32_at(&b, 8)));
                c.s("}");
            }
            return true;
        }
        PKEY_QUERY => {
            serial(c, a[1]);
            c.next();
            c.hex(a[2]);
            c.next();
            c.cstr(a[3]);
            return true;
        }
        PKEY_ENCRYPT | PKEY_DECRYPT | PKEY_SIGN | PKEY_VERIFY => {
            return pkey_op(c, a, cmd != PKEY_VERIFY);
        }
        RESTRICT_KEYRING => {
            serial(c, a[1]);
            c.next();
            c.cstr(a[2]);
            c.next();
            c.cstr(a[3]);
        }
        MOVE => {
            serial(c, a[1]);
            c.next();
            serial(c, a[2]);
            c.next();
            serial(c, a[3]);
            c.next();
            c.flags(a[4] & 0xffff_ffff, &MOVE_FLAGS);
        }
        _ => {
            for (i, &v) in a[1..5].iter().enumerate() {
                if i > 0 {
                    c.next();
                }
                c.hex(v);
            }
        }
    }
    false
}

/// An errno value by name (strace's print_err, not negated).
fn errno_arg(c: &mut Ctx, err: u32) {
    let name = i32::try_from(err)
        .ok()
        .filter(|&e| e > 0)
        .and_then(crate::errno_name);
    match name {
        Some(name) => write_composite(
            c.out,
            |out| print::push_udec(out, u64::from(err)),
            |out| out.push_str(name),
        ),
        None => c.udec(u64::from(err)),
    }
}

/// The caller's struct keyctl_pkey_params and input buffers; true when the output buffer
/// (encrypt, decrypt, sign) is shown at exit.
fn pkey_op(c: &mut Ctx, a: [u64; 6], out: bool) -> bool {
    let params = read_struct::<40>(c, a[1], false);
    if let Some(b) = &params {
        c.s("{key_id=");
        serial(c, u64::from(u32_at(b, 0)));
        let second = if out { "out_len" } else { "in2_len" };
        let _ = write!(
            c.out,
            ", in_len={}, {second}={}",
            u32_at(b, 4),
            u32_at(b, 8)
        );
        super::ioctl::nonzero_words(c, "__spare", &b[12..40]);
        c.s("}");
    }
    c.next();
    c.cstr(a[2]);
    c.next();
    match &params {
        Some(b) => c.buf(a[3], u64::from(u32_at(b, 4))),
        None => c.ptr(a[3]),
    }
    match (&params, out) {
        (Some(b), true) => {
            c.saved[1] = u64::from(u32_at(b, 8));
            return true;
        }
        (Some(b), false) => {
            c.next();
            c.buf(a[4], u64::from(u32_at(b, 8)));
        }
        (None, _) => {
            c.next();
            c.ptr(a[4]);
        }
    }
    false
}

/// What the kernel filled in, at exit.
fn exit(c: &mut Ctx, cmd: u32, a: [u64; 6]) {
    let ret = c.rval();
    // The part of a buffer of `len` bytes the call reports as written.
    let written = |len: u64| {
        if ret >= 0 && ret as u64 > len {
            len
        } else {
            ret as u64
        }
    };
    c.next();
    match cmd {
        DESCRIBE | READ | GET_SECURITY => {
            if c.ok() {
                let n = written(a[3]);
                if cmd == READ {
                    c.buf(a[2], n);
                } else {
                    c.buf_omit_trailing_nul(a[2], n);
                }
            } else {
                c.ptr(a[2]);
            }
            c.next();
            c.udec(a[3]);
        }
        DH_COMPUTE => {
            if c.ok() {
                let n = written(a[3]);
                c.buf(a[2], n);
            } else {
                c.ptr(a[2]);
            }
            c.next();
            c.udec(a[3]);
            c.next();
            kdf_params(c, a[4]);
        }
        PKEY_QUERY => {
            if let Some(b) = read_struct::<56>(c, a[4], true) {
                c.s("{supported_ops=");
                c.flags(u64::from(u32_at(&b, 0)), &PKEY_OPS);
                let _ = write!(
                    c.out,
                    ", key_size={}, max_data_size={}, max_sig_size={}, max_enc_size={}, max_dec_size={}",
                    u32_at(&b, 4),
                    u16_at(&b, 8),
                    u16_at(&b, 10),
                    u16_at(&b, 12),
                    u16_at(&b, 14)
                );
                super::ioctl::nonzero_words(c, "__spare", &b[16..56]);
                c.s("}");
            }
        }
        CAPABILITIES => {
            if c.ok() {
                let mut index = 0;
                c.array(a[1], a[2].min(ret as u64), 1, |c, e| {
                    let v = u64::from(e[0]);
                    match index {
                        0 => c.flags(v, &CAPS0),
                        1 => c.flags(v, &CAPS1),
                        _ => c.hex(v),
                    }
                    index += 1;
                    true
                });
            } else {
                c.ptr(a[1]);
            }
            c.next();
            c.udec(a[2]);
        }
        _ => {
            // The output buffer of a pkey operation.
            if c.ok() {
                c.buf(a[4], c.saved[1]);
            } else {
                c.ptr(a[4]);
            }
        }
    }
}

/// struct keyctl_kdf_params: hashname, otherinfo (otherinfolen bytes), __spare.
fn kdf_params(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<56>(c, addr, false) else {
        return;
    };
    c.s("{hashname=");
    c.cstr(u64_at(&b, 0));
    let otherinfo = u64_at(&b, 8);
    let len = u32_at(&b, 16);
    c.s(", otherinfo=");
    if len != 0 {
        c.buf(otherinfo, u64::from(len));
    } else {
        c.ptr(otherinfo);
    }
    let _ = write!(c.out, ", otherinfolen={len}");
    super::ioctl::nonzero_words(c, "__spare", &b[20..52]);
    c.s("}");
}
