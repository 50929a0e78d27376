//! `struct user_desc` calls as strace 6.1's ldt.c prints them: modify_ldt, set_thread_area,
//! get_thread_area. Entry numbers print as strace's ids do (PRINT_FIELD_ID: -1 as -1), which
//! is [`Ctx::uid`].

use std::fmt::Write;

use super::print::Ctx;
use super::structs::{self as st, u32_at};

/// sizeof(struct user_desc): entry_number, base_addr, limit, then one word of bit fields.
const USER_DESC_SIZE: u64 = 16;
/// `Ctx::saved[0]` at get_thread_area's entry: the entry number was printed, its value + 1.
const ENTRY_SHOWN: usize = 0;

/// C's `%#08x` (strace's PRINT_FIELD_0X of a 32-bit field): `0x87868584`, `0x001234`, and
/// `00000000` for zero, which `#` leaves without its prefix.
fn write_0x8(c: &mut Ctx, v: u32) {
    let _ = match v {
        0 => write!(c.out, "00000000"),
        _ => write!(c.out, "{v:#08x}"),
    };
}

/// The fields after entry_number, and the closing brace.
fn write_rest(c: &mut Ctx, b: &[u8; 16]) {
    c.s(", base_addr=");
    write_0x8(c, u32_at(b, 4));
    c.s(", limit=");
    write_0x8(c, u32_at(b, 8));
    let bits = u32_at(b, 12);
    let fields = [
        ("seg_32bit", bits & 1),
        ("contents", bits >> 1 & 3),
        ("read_exec_only", bits >> 3 & 1),
        ("limit_in_pages", bits >> 4 & 1),
        ("seg_not_present", bits >> 5 & 1),
        ("useable", bits >> 6 & 1),
        ("lm", bits >> 7 & 1),
    ];
    for (name, value) in fields {
        let _ = write!(c.out, ", {name}={value}");
    }
    c.s("}");
}

/// The whole struct, read at entry (strace's USER_DESC_BOTH).
fn user_desc(c: &mut Ctx, addr: u64) {
    let Some(b) = st::read_struct::<16>(c, addr, false) else {
        return;
    };
    c.s("{entry_number=");
    c.uid(u64::from(u32_at(&b, 0)));
    write_rest(c, &b);
}

pub(super) fn dec_modify_ldt(c: &mut Ctx) {
    let [func, ptr, bytecount, ..] = c.args;
    if !c.entering() {
        return;
    }
    c.next();
    c.dec(i64::from(func as i32));
    c.next();
    if bytecount == USER_DESC_SIZE {
        user_desc(c, ptr);
    } else {
        c.ptr(ptr);
    }
    c.next();
    c.udec(bytecount);
}

pub(super) fn dec_set_thread_area(c: &mut Ctx) {
    let addr = c.args[0];
    if c.entering() {
        c.next();
        user_desc(c, addr);
        return;
    }
    // The entry number the kernel chose (the caller may pass -1 for "any").
    let mut b = [0u8; 16];
    if c.style.dereference && c.ok() && c.read_exact(addr, &mut b) {
        c.aux = format!("(entry_number={})", u32_at(&b, 0));
    }
}

/// The entry number the caller asks for at entry, the descriptor the kernel filled at exit.
pub(super) fn dec_get_thread_area(c: &mut Ctx) {
    let addr = c.args[0];
    if c.entering() {
        c.next();
        let mut number = [0u8; 4];
        if addr == 0 {
            c.s("NULL");
        } else if c.read_exact(addr, &mut number) {
            let number = u32::from_ne_bytes(number);
            c.s("{entry_number=");
            c.uid(u64::from(number));
            c.saved[ENTRY_SHOWN] = u64::from(number) + 1;
        } else {
            c.ptr(addr);
        }
        c.stop_after();
        return;
    }
    if addr == 0 || !c.style.dereference {
        return;
    }
    let mut b = [0u8; 16];
    if !c.ok() || !c.read_exact(addr, &mut b) {
        if c.saved[ENTRY_SHOWN] != 0 {
            c.s(", ...}");
        }
        return;
    }
    let number = u32_at(&b, 0);
    match c.saved[ENTRY_SHOWN] {
        0 => {
            c.s(" => {entry_number=");
            c.uid(u64::from(number));
        }
        shown if shown - 1 != u64::from(number) => {
            c.s(" => ");
            c.uid(u64::from(number));
        }
        _ => {}
    }
    write_rest(c, &b);
}
