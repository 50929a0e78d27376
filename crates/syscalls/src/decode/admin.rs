//! Decoders of system-administration calls whose arguments need more than a table of kinds:
//! kcmp, ioprio_get/ioprio_set, landlock_*, fanotify_init, reboot, swapon.

use std::fmt::Write;

use super::PidKind;
use super::print::{self, Ctx};
use crate::xlat::{self, Xlat};

/// kcmp(pid1, pid2, type, idx1, idx2): the indexes are fds for KCMP_FILE, an fd and a
/// `struct kcmp_epoll_slot` for KCMP_EPOLL_TFD, absent for the types that compare whole
/// resources, and numbers otherwise.
pub(crate) fn kcmp(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.pid(a[0], PidKind::Tgid);
    c.next();
    c.pid(a[1], PidKind::Tgid);
    c.next();
    let kind = a[2] & 0xffff_ffff;
    c.xval(kind, &xlat::KCMP_TYPES);
    match kind {
        KCMP_FILE => {
            c.next();
            c.fd(a[3]);
            c.next();
            c.fd(a[4]);
        }
        KCMP_EPOLL_TFD => {
            c.next();
            c.fd(a[3]);
            c.next();
            let mut slot = [0u8; 12];
            if a[4] == 0 || !c.read_exact(a[4], &mut slot) {
                c.ptr(a[4]);
                return;
            }
            let word = |i: usize| u32::from_ne_bytes(slot[i..i + 4].try_into().unwrap_or([0; 4]));
            c.s("{efd=");
            c.fd(u64::from(word(0)));
            c.s(", tfd=");
            c.fd(u64::from(word(4)));
            let _ = write!(c.out, ", toff={}}}", word(8));
        }
        1..=6 => {}
        _ => {
            c.next();
            c.hex(a[3]);
            c.next();
            c.hex(a[4]);
        }
    }
}

const KCMP_FILE: u64 = 0;
const KCMP_EPOLL_TFD: u64 = 7;

/// `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`: the class in the top bits, the data below.
fn ioprio_text(value: u32) -> String {
    // The class follows -X even inside the text (strace's sprintxval).
    let mut text = String::from("IOPRIO_PRIO_VALUE(");
    print::write_xval(&mut text, u64::from(value >> 13), &xlat::IOPRIO_CLASS);
    let _ = write!(text, ", {})", value & 0x1fff);
    text
}

fn ioprio_which_who(c: &mut Ctx) {
    let a = c.args;
    c.next();
    c.xval(a[0] & 0xffff_ffff, &xlat::IOPRIO_WHO);
    c.next();
    let kind = match a[0] & 0xffff_ffff {
        1 => Some(PidKind::Tgid),
        2 => Some(PidKind::Pgid),
        _ => None,
    };
    c.pid_if(a[1], kind);
}

/// ioprio_get(which, who): the priority it returns is also shown decoded.
pub(crate) fn ioprio_get(c: &mut Ctx) {
    if c.entering() {
        ioprio_which_who(c);
    } else if c.ok() && print::xlat_style() != super::XlatStyle::Raw {
        c.aux = format!("({})", ioprio_text(c.rval() as u32));
    }
}

pub(crate) fn ioprio_set(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    ioprio_which_who(c);
    c.next();
    let value = c.args[2] as u32;
    let text = ioprio_text(value);
    print::write_composite(
        c.out,
        |out| {
            let _ = write!(out, "{}", value as i32);
        },
        |out| out.push_str(&text),
    );
}

/// landlock_create_ruleset(attr, size, flags): the attr struct only when `size` covers its
/// first field; `...` when the caller's struct is bigger than the one strace knows.
pub(crate) fn landlock_create_ruleset(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    if a[1] < 8 {
        c.ptr(a[0]);
    } else {
        let mut attr = [0u8; 8];
        if !c.read_exact(a[0], &mut attr) {
            c.ptr(a[0]);
        } else {
            c.s("{handled_access_fs=");
            c.flags(u64::from_ne_bytes(attr), &xlat::LANDLOCK_ACCESS_FS);
            if a[1] > 8 {
                c.s(", ...");
            }
            c.s("}");
        }
    }
    c.next();
    c.udec(a[1]);
    c.next();
    c.flags(a[2] & 0xffff_ffff, &LANDLOCK_CREATE_RULESET_FLAGS);
    // With LANDLOCK_CREATE_RULESET_VERSION the result is the ABI version, not an fd.
    if a[2] & 1 != 0 {
        c.ret_kind = Some(super::Ret::Dec);
    }
}

const LANDLOCK_CREATE_RULESET_FLAGS: Xlat = Xlat {
    entries: &[(1, "LANDLOCK_CREATE_RULESET_VERSION")],
    unknown: "LANDLOCK_CREATE_RULESET_???",
};

const LANDLOCK_RULE_TYPES: Xlat = Xlat {
    entries: &[(1, "LANDLOCK_RULE_PATH_BENEATH")],
    unknown: "LANDLOCK_RULE_???",
};

pub(crate) fn landlock_add_rule(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    let kind = a[1] & 0xffff_ffff;
    c.xval(kind, &LANDLOCK_RULE_TYPES);
    c.next();
    // struct landlock_path_beneath_attr is packed: u64 allowed_access, s32 parent_fd.
    let mut attr = [0u8; 12];
    if kind == 1 && c.read_exact(a[2], &mut attr) {
        c.s("{allowed_access=");
        let access = u64::from_ne_bytes(attr[..8].try_into().unwrap_or([0; 8]));
        c.flags(access, &xlat::LANDLOCK_ACCESS_FS);
        c.s(", parent_fd=");
        c.fd(u64::from(u32::from_ne_bytes(
            attr[8..].try_into().unwrap_or([0; 4]),
        )));
        c.s("}");
    } else {
        c.ptr(a[2]);
    }
    c.next();
    c.hex(a[3] & 0xffff_ffff);
}

/// fanotify_init(flags, event_f_flags): a notification class in the low bits, flags above
/// it, then open(2) flags.
pub(crate) fn fanotify_init(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    let flags = a[0] & 0xffff_ffff;
    c.next();
    c.xval(flags & 0xc, &xlat::FAN_CLASSES);
    if flags & !0xc != 0 {
        c.s("|");
        c.flags(flags & !0xc, &xlat::FAN_INIT_FLAGS);
    }
    c.next();
    super::syscalls::open_flags(c, a[1]);
}

/// reboot(magic, magic2, cmd, arg): `arg` is a command string only for RESTART2.
pub(crate) fn reboot(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.xval(a[0] & 0xffff_ffff, &xlat::REBOOT_MAGIC1);
    c.next();
    c.xval(a[1] & 0xffff_ffff, &xlat::REBOOT_MAGIC2);
    c.next();
    let cmd = a[2] & 0xffff_ffff;
    c.xval(cmd, &xlat::REBOOT_CMDS);
    if cmd == 0xa1b2_c3d4 {
        c.next();
        // The kernel copies at most 255 bytes of it.
        c.cstr_bounded(a[3], 255);
    }
}

/// swapon(path, flags): SWAP_FLAG_* bits, then the priority in the low 15 bits.
pub(crate) fn swapon(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.path(a[0]);
    c.next();
    let flags = a[1] & 0xffff_ffff;
    if flags & !0x7fff != 0 {
        c.flags(flags & !0x7fff, &xlat::SWAP_FLAGS);
        c.s("|");
    }
    c.udec(flags & 0x7fff);
}

/// fanotify_mark(fd, flags, mask, dirfd, pathname): FAN_NOFD (-1) instead of a dirfd.
pub(crate) fn fanotify_mark(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    c.flags(a[1] & 0xffff_ffff, &xlat::FAN_MARK_FLAGS);
    c.next();
    c.flags(a[2], &xlat::FAN_EVENT_FLAGS);
    c.next();
    if a[3] as i32 == -1 {
        print::write_named(c.out, Some("FAN_NOFD"), &xlat::FAN_MARK_FLAGS, |out| {
            out.push_str("-1")
        });
    } else {
        c.dirfd(a[3]);
    }
    c.next();
    c.path(a[4]);
}
