//! Loop device requests (`'L'`, linux/loop.h) as strace's loop.c prints them: struct
//! loop_info, loop_info64 and loop_config (abbreviated unless `-v`).

use std::fmt::Write;

use super::super::Ctx;
use super::super::print;
use super::super::structs::{self as st, u32_at, u64_at};
use super::{Phase, char_array};
use crate::xlat;

const LOOP_SET_FD: u32 = 0x4c00;
const LOOP_CLR_FD: u32 = 0x4c01;
const LOOP_SET_STATUS: u32 = 0x4c02;
const LOOP_GET_STATUS: u32 = 0x4c03;
const LOOP_SET_STATUS64: u32 = 0x4c04;
const LOOP_GET_STATUS64: u32 = 0x4c05;
const LOOP_CHANGE_FD: u32 = 0x4c06;
const LOOP_SET_CAPACITY: u32 = 0x4c07;
const LOOP_SET_DIRECT_IO: u32 = 0x4c08;
const LOOP_SET_BLOCK_SIZE: u32 = 0x4c09;
const LOOP_CONFIGURE: u32 = 0x4c0a;
const LOOP_CTL_ADD: u32 = 0x4c80;
const LOOP_CTL_REMOVE: u32 = 0x4c81;
const LOOP_CTL_GET_FREE: u32 = 0x4c82;

pub(super) static NAMES: &[(u32, &str)] = &[
    (LOOP_SET_FD, "LOOP_SET_FD"),
    (LOOP_CLR_FD, "LOOP_CLR_FD"),
    (LOOP_SET_STATUS, "LOOP_SET_STATUS"),
    (LOOP_GET_STATUS, "LOOP_GET_STATUS"),
    (LOOP_SET_STATUS64, "LOOP_SET_STATUS64"),
    (LOOP_GET_STATUS64, "LOOP_GET_STATUS64"),
    (LOOP_CHANGE_FD, "LOOP_CHANGE_FD"),
    (LOOP_SET_CAPACITY, "LOOP_SET_CAPACITY"),
    (LOOP_SET_DIRECT_IO, "LOOP_SET_DIRECT_IO"),
    (LOOP_SET_BLOCK_SIZE, "LOOP_SET_BLOCK_SIZE"),
    (LOOP_CONFIGURE, "LOOP_CONFIGURE"),
    (LOOP_CTL_ADD, "LOOP_CTL_ADD"),
    (LOOP_CTL_REMOVE, "LOOP_CTL_REMOVE"),
    (LOOP_CTL_GET_FREE, "LOOP_CTL_GET_FREE"),
];

xlat::xlat!(FLAGS, "LO_FLAGS_???", [
    1 => "LO_FLAGS_READ_ONLY", 2 => "LO_FLAGS_USE_AOPS", 4 => "LO_FLAGS_AUTOCLEAR",
    8 => "LO_FLAGS_PARTSCAN", 16 => "LO_FLAGS_DIRECT_IO",
]);

xlat::xlat!(CRYPT_TYPES, "LO_CRYPT_???", [
    0 => "LO_CRYPT_NONE", 1 => "LO_CRYPT_XOR", 2 => "LO_CRYPT_DES", 3 => "LO_CRYPT_FISH2",
    4 => "LO_CRYPT_BLOW", 5 => "LO_CRYPT_CAST128", 6 => "LO_CRYPT_IDEA", 9 => "LO_CRYPT_DUMMY",
    10 => "LO_CRYPT_SKIPJACK", 18 => "LO_CRYPT_CRYPTOAPI",
]);

/// struct loop_info on x86_64 (its dev_t fields are `unsigned long`).
const LOOP_INFO_SIZE: usize = 168;
const LOOP_INFO64_SIZE: usize = 232;
const LOOP_CONFIG_SIZE: usize = 304;
const LO_KEY_SIZE: usize = 32;

/// strace's loop_ioctl.
pub(super) fn loop_dev(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        LOOP_GET_STATUS | LOOP_GET_STATUS64 if c.entering() => return Phase::Later,
        LOOP_SET_STATUS | LOOP_GET_STATUS => {
            c.next();
            if let Some(b) = read::<LOOP_INFO_SIZE>(c, arg) {
                loop_info(c, &b);
            }
        }
        LOOP_SET_STATUS64 | LOOP_GET_STATUS64 => {
            c.next();
            if let Some(b) = read::<LOOP_INFO64_SIZE>(c, arg) {
                loop_info64(c, &b);
            }
        }
        LOOP_CONFIGURE => {
            c.next();
            if let Some(b) = read::<LOOP_CONFIG_SIZE>(c, arg) {
                c.s("{fd=");
                c.fd(u64::from(u32_at(&b, 0)));
                let _ = write!(c.out, ", block_size={}, info=", u32_at(&b, 4));
                loop_info64(c, &b[8..240]);
                if b[240..].iter().any(|&x| x != 0) {
                    c.s(", __reserved=");
                    hex_u64s(c, &b[240..]);
                }
                c.s("}");
            }
        }
        LOOP_CLR_FD | LOOP_SET_CAPACITY | LOOP_CTL_GET_FREE => {}
        LOOP_SET_FD | LOOP_CHANGE_FD => {
            c.next();
            c.fd(arg);
        }
        LOOP_CTL_ADD | LOOP_CTL_REMOVE => {
            c.next();
            c.dec(i64::from(arg as u32 as i32));
        }
        LOOP_SET_DIRECT_IO | LOOP_SET_BLOCK_SIZE => {
            c.next();
            c.udec(arg);
        }
        _ => return Phase::Generic,
    }
    Phase::Done
}

/// The structure, or its address when it cannot be read (or `-e verbose=none`).
fn read<const N: usize>(c: &mut Ctx, arg: u64) -> Option<[u8; N]> {
    if !c.style.dereference && arg != 0 {
        c.ptr(arg);
        return None;
    }
    st::read_struct::<N>(c, arg, !c.entering())
}

fn loop_info(c: &mut Ctx, b: &[u8]) {
    let verbose = c.style.verbose;
    let _ = write!(c.out, "{{lo_number={}", u32_at(b, 0) as i32);
    if verbose {
        c.s(", lo_device=");
        st::write_dev(c.out, u64_at(b, 8));
        let _ = write!(c.out, ", lo_inode={}, lo_rdevice=", u64_at(b, 16));
        st::write_dev(c.out, u64_at(b, 24));
    }
    c.s(", lo_offset=");
    c.hex(u64::from(u32_at(b, 32)));
    let encrypted = u32_at(b, 36) != 0;
    if verbose || encrypted {
        encryption(c, u32_at(b, 36), u32_at(b, 40));
    }
    c.s(", lo_flags=");
    c.flags(u64::from(u32_at(b, 44)), &FLAGS);
    c.s(", lo_name=");
    char_array(c, &b[48..112]);
    if verbose || encrypted {
        encrypt_key(c, &b[112..144], u32_at(b, 40));
    }
    if verbose {
        c.s(", lo_init=");
        hex_u64s(c, &b[144..160]);
        c.s(", reserved=");
        c.s("[");
        for (i, &byte) in b[160..164].iter().enumerate() {
            if i > 0 {
                c.s(", ");
            }
            c.hex(u64::from(byte));
        }
        c.s("]");
    } else {
        c.s(", ...");
    }
    c.s("}");
}

fn loop_info64(c: &mut Ctx, b: &[u8]) {
    let verbose = c.style.verbose;
    if verbose {
        c.s("{lo_device=");
        st::write_dev(c.out, u64_at(b, 0));
        let _ = write!(c.out, ", lo_inode={}, lo_rdevice=", u64_at(b, 8));
        st::write_dev(c.out, u64_at(b, 16));
        c.s(", lo_offset=");
        c.hex(u64_at(b, 24));
        let _ = write!(c.out, ", lo_sizelimit={}", u64_at(b, 32));
    } else {
        c.s("{lo_offset=");
        c.hex(u64_at(b, 24));
    }
    let _ = write!(c.out, ", lo_number={}", u32_at(b, 40));
    let encrypted = u32_at(b, 44) != 0;
    if verbose || encrypted {
        encryption(c, u32_at(b, 44), u32_at(b, 48));
    }
    c.s(", lo_flags=");
    c.flags(u64::from(u32_at(b, 52)), &FLAGS);
    c.s(", lo_file_name=");
    char_array(c, &b[56..120]);
    if verbose || encrypted {
        c.s(", lo_crypt_name=");
        char_array(c, &b[120..184]);
        encrypt_key(c, &b[184..216], u32_at(b, 48));
    }
    if verbose {
        c.s(", lo_init=");
        hex_u64s(c, &b[216..232]);
    } else {
        c.s(", ...");
    }
    c.s("}");
}

fn encryption(c: &mut Ctx, kind: u32, key_size: u32) {
    c.s(", lo_encrypt_type=");
    c.xval(u64::from(kind), &CRYPT_TYPES);
    let _ = write!(c.out, ", lo_encrypt_key_size={key_size}");
}

/// The key's first `key_size` bytes (at most its 32), quoted.
fn encrypt_key(c: &mut Ctx, key: &[u8], key_size: u32) {
    let len = (key_size as usize).min(LO_KEY_SIZE);
    let shown = len.min(c.style.string_limit);
    c.s(", lo_encrypt_key=");
    print::quote(c.out, &key[..shown], c.style.hex, b"", true);
    if len > shown {
        c.s("...");
    }
}

fn hex_u64s(c: &mut Ctx, b: &[u8]) {
    c.s("[");
    for (i, word) in b.chunks_exact(8).enumerate() {
        if i > 0 {
            c.s(", ");
        }
        c.hex(u64_at(word, 0));
    }
    c.s("]");
}
