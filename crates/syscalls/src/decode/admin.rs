//! Decoders of system-administration calls whose arguments need more than a table of kinds:
//! kcmp, ioprio_get/ioprio_set, landlock_*, fanotify_init, reboot, swapon, kexec_load,
//! kexec_file_load, mount_setattr, fsconfig, _sysctl.

use std::fmt::Write;

use super::PidKind;
use super::print::{self, Ctx};
use super::structs::u64_at;
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
        // The indexes are fds of pid1 and pid2 (strace's printfd_pid_tracee_ns).
        KCMP_FILE => {
            c.next();
            c.fd_of(a[0], a[3]);
            c.next();
            c.fd_of(a[1], a[4]);
        }
        KCMP_EPOLL_TFD => {
            c.next();
            c.fd_of(a[0], a[3]);
            c.next();
            let mut slot = [0u8; 12];
            if a[4] == 0 || !c.read_exact(a[4], &mut slot) {
                c.ptr(a[4]);
                return;
            }
            let word = |i: usize| u32::from_ne_bytes(slot[i..i + 4].try_into().unwrap_or([0; 4]));
            c.s("{efd=");
            c.fd_of(a[1], u64::from(word(0)));
            c.s(", tfd=");
            c.fd_of(a[1], u64::from(word(4)));
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
pub(crate) fn ioprio_text(value: u32) -> String {
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
    // With LANDLOCK_CREATE_RULESET_VERSION the result is the ABI version, not an fd (the
    // result's kind is read at exit).
    if c.args[2] & 1 != 0 {
        c.ret_kind = Some(super::Ret::Dec);
    }
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

xlat::xlat!(KEXEC_ARCHES, "KEXEC_ARCH_???", [
    0 => "KEXEC_ARCH_DEFAULT", 3 << 16 => "KEXEC_ARCH_386", 4 << 16 => "KEXEC_ARCH_68K",
    15 << 16 => "KEXEC_ARCH_PARISC", 62 << 16 => "KEXEC_ARCH_X86_64", 20 << 16 => "KEXEC_ARCH_PPC",
    21 << 16 => "KEXEC_ARCH_PPC64", 50 << 16 => "KEXEC_ARCH_IA_64", 40 << 16 => "KEXEC_ARCH_ARM",
    22 << 16 => "KEXEC_ARCH_S390", 42 << 16 => "KEXEC_ARCH_SH", 10 << 16 => "KEXEC_ARCH_MIPS_LE",
    8 << 16 => "KEXEC_ARCH_MIPS", 183 << 16 => "KEXEC_ARCH_AARCH64", 243 << 16 => "KEXEC_ARCH_RISCV",
    258 << 16 => "KEXEC_ARCH_LOONGARCH",
]);
xlat::xlat!(KEXEC_FLAGS, "KEXEC_???", [1 => "KEXEC_ON_CRASH", 2 => "KEXEC_PRESERVE_CONTEXT"]);
xlat::xlat!(KEXEC_FILE_FLAGS, "KEXEC_FILE_???", [
    1 => "KEXEC_FILE_UNLOAD", 2 => "KEXEC_FILE_ON_CRASH", 4 => "KEXEC_FILE_NO_INITRAMFS",
]);

/// kexec_load(entry, nr_segments, segments, flags): at most KEXEC_SEGMENT_MAX (16)
/// segments are shown; the flags hold the architecture in their high half.
pub(crate) fn kexec_load(c: &mut Ctx) {
    const ARCH_MASK: u64 = 0xffff_0000;
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.ptr(a[0]);
    c.next();
    c.udec(a[1]);
    c.next();
    if a[1] > 16 {
        c.ptr(a[2]);
    } else {
        c.array(a[2], a[1], 32, |c, b| {
            let word = |i: usize| u64_at(b, i * 8);
            c.s("{buf=");
            c.ptr(word(0));
            c.s(", bufsz=");
            c.udec(word(1));
            c.s(", mem=");
            c.ptr(word(2));
            c.s(", memsz=");
            c.udec(word(3));
            c.s("}");
            true
        });
    }
    c.next();
    c.xval(a[3] & ARCH_MASK, &KEXEC_ARCHES);
    let rest = a[3] & !ARCH_MASK;
    if rest != 0 {
        c.s("|");
        c.flags(rest, &KEXEC_FLAGS);
    }
}

/// kexec_file_load(kernel_fd, initrd_fd, cmdline_len, cmdline, flags).
pub(crate) fn kexec_file_load(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.fd(a[0]);
    c.next();
    c.fd(a[1]);
    c.next();
    c.udec(a[2]);
    c.next();
    c.buf(a[3], a[2]);
    c.next();
    c.flags(a[4], &KEXEC_FILE_FLAGS);
}

xlat::xlat!(MOUNT_ATTRS, "MOUNT_ATTR_???", [
    0x1 => "MOUNT_ATTR_RDONLY", 0x2 => "MOUNT_ATTR_NOSUID", 0x4 => "MOUNT_ATTR_NODEV",
    0x8 => "MOUNT_ATTR_NOEXEC", 0x10 => "MOUNT_ATTR_NOATIME", 0x20 => "MOUNT_ATTR_STRICTATIME",
    0x80 => "MOUNT_ATTR_NODIRATIME", 0x100000 => "MOUNT_ATTR_IDMAP", 0x200000 => "MOUNT_ATTR_NOSYMFOLLOW",
]);
xlat::xlat!(MOUNT_PROPAGATION, "MS_???", [
    1 << 17 => "MS_UNBINDABLE", 1 << 18 => "MS_PRIVATE", 1 << 19 => "MS_SLAVE", 1 << 20 => "MS_SHARED",
]);
xlat::xlat!(MOUNT_SETATTR_FLAGS, "AT_???", [
    0x100 => "AT_SYMLINK_NOFOLLOW", 0x800 => "AT_NO_AUTOMOUNT", 0x1000 => "AT_EMPTY_PATH",
    0x8000 => "AT_RECURSIVE",
]);

/// mount_setattr(dirfd, path, flags, attr, size): `struct mount_attr` (32 bytes in its
/// first version); userns_fd is an fd only when MOUNT_ATTR_IDMAP is being changed.
pub(crate) fn mount_setattr(c: &mut Ctx) {
    const IDMAP: u64 = 0x100000;
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.dirfd(a[0]);
    c.next();
    c.path(a[1]);
    c.next();
    c.flags(a[2] & 0xffff_ffff, &MOUNT_SETATTR_FLAGS);
    c.next();
    let size = a[4];
    let mut b = [0u8; 32];
    if size < 32 || a[3] == 0 || !c.read_exact(a[3], &mut b) {
        c.ptr(a[3]);
    } else {
        let word = |i: usize| u64_at(&b, i * 8);
        c.s("{attr_set=");
        c.flags(word(0), &MOUNT_ATTRS);
        c.s(", attr_clr=");
        c.flags(word(1), &MOUNT_ATTRS);
        c.s(", propagation=");
        c.xval(word(2), &MOUNT_PROPAGATION);
        c.s(", userns_fd=");
        let fd = word(3);
        if fd > i32::MAX as u64 || (word(0) | word(1)) & IDMAP == 0 {
            c.udec(fd);
        } else {
            c.fd(fd);
        }
        if size > 32 {
            c.nonzero_tail(a[3], 32, size.min(4096));
        }
        c.s("}");
    }
    c.next();
    c.udec(size);
}

xlat::xlat!(FSCONFIG_CMDS, "FSCONFIG_???", [
    0 => "FSCONFIG_SET_FLAG", 1 => "FSCONFIG_SET_STRING", 2 => "FSCONFIG_SET_BINARY",
    3 => "FSCONFIG_SET_PATH", 4 => "FSCONFIG_SET_PATH_EMPTY", 5 => "FSCONFIG_SET_FD",
    6 => "FSCONFIG_CMD_CREATE", 7 => "FSCONFIG_CMD_RECONFIGURE",
]);

/// fsconfig(fs_fd, cmd, key, value, aux): what key, value and aux are depends on the command
/// (strace's fsconfig.c); strings are read up to 256 bytes.
pub(crate) fn fsconfig(c: &mut Ctx) {
    const SET_STRING: u64 = 1;
    const SET_BINARY: u64 = 2;
    const SET_PATH: u64 = 3;
    const SET_PATH_EMPTY: u64 = 4;
    const SET_FD: u64 = 5;
    if !c.entering() {
        return;
    }
    let a = c.args;
    let cmd = a[1] & 0xffff_ffff;
    let aux = a[4] as i32;
    c.next();
    c.fd(a[0]);
    c.next();
    c.xval(cmd, &FSCONFIG_CMDS);
    c.next();
    if cmd <= SET_FD {
        c.cstr_bounded(a[2], 256);
    } else {
        c.ptr(a[2]);
    }
    c.next();
    match cmd {
        SET_STRING => c.cstr_bounded(a[3], 256),
        SET_PATH | SET_PATH_EMPTY => c.path(a[3]),
        SET_BINARY if (0..=1 << 20).contains(&aux) => c.buf_hex(a[3], aux as u64),
        _ => c.ptr(a[3]),
    }
    c.next();
    match cmd {
        SET_PATH | SET_PATH_EMPTY => c.dirfd(u64::from(aux as u32)),
        SET_FD => c.fd(u64::from(aux as u32)),
        _ => c.dec(i64::from(aux)),
    }
}

/// _sysctl(args): `struct __sysctl_args` (80 bytes), its pointers as addresses (strace 6.1).
pub(crate) fn sysctl(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let addr = c.args[0];
    c.next();
    let Some(b) = super::structs::read_struct::<80>(c, addr, false) else {
        return;
    };
    let ptr = |c: &mut Ctx, name: &str, at: usize| {
        c.s(name);
        c.ptr(u64_at(&b, at));
    };
    ptr(c, "{name=", 0);
    c.s(", nlen=");
    c.int(u64_at(&b, 8));
    ptr(c, ", oldval=", 16);
    ptr(c, ", oldlenp=", 24);
    ptr(c, ", newval=", 32);
    c.s(", newlen=");
    c.udec(u64_at(&b, 40));
    c.s("}");
}
