//! System V IPC: msgget/semget/shmget flags, the *ctl commands and the structures they read
//! and fill, msgsnd/msgrcv's message (strace's ipc_*.c, print_msgbuf.c). Layouts are x86_64
//! (struct ipc64_perm is 48 bytes).

use super::Ctx;
use super::print::{self, write_composite, write_hex};
use super::structs::{read_struct, u16_at, u32_at, u64_at, uint_at};
use crate::decode::PidKind;
use crate::table::nr;
use crate::xlat::{self, Xlat};

const IPC_64: u64 = 0x100;
const IPC_SET: u64 = 1;
const IPC_STAT: u64 = 2;
const IPC_INFO: u64 = 3;

xlat::xlat!(RESOURCE_FLAGS, "", [0o1000 => "IPC_CREAT", 0o2000 => "IPC_EXCL", 0o4000 => "IPC_NOWAIT"]);
xlat::xlat!(SHM_RESOURCE_FLAGS, "", [
    0o1000 => "IPC_CREAT", 0o2000 => "IPC_EXCL", 0o4000 => "SHM_HUGETLB", 0o10000 => "SHM_NORESERVE",
]);
xlat::xlat!(IPC_PRIVATE, "", [0 => "IPC_PRIVATE"]);
xlat::xlat!(MSGCTL_CMDS, "MSG_???", [
    0 => "IPC_RMID", 1 => "IPC_SET", 2 => "IPC_STAT", 3 => "IPC_INFO", 11 => "MSG_STAT",
    12 => "MSG_INFO", 13 => "MSG_STAT_ANY",
]);
xlat::xlat!(SHMCTL_CMDS, "SHM_???", [
    0 => "IPC_RMID", 1 => "IPC_SET", 2 => "IPC_STAT", 3 => "IPC_INFO", 11 => "SHM_LOCK",
    12 => "SHM_UNLOCK", 13 => "SHM_STAT", 14 => "SHM_INFO", 15 => "SHM_STAT_ANY",
]);
xlat::xlat!(SEMCTL_CMDS, "SEM_???", [
    0 => "IPC_RMID", 1 => "IPC_SET", 2 => "IPC_STAT", 3 => "IPC_INFO", 11 => "GETPID", 12 => "GETVAL",
    13 => "GETALL", 14 => "GETNCNT", 15 => "GETZCNT", 16 => "SETVAL", 17 => "SETALL",
    18 => "SEM_STAT", 19 => "SEM_INFO", 20 => "SEM_STAT_ANY",
]);
xlat::xlat!(MSG_FLAGS, "MSG_???", [
    0o10000 => "MSG_NOERROR", 0o20000 => "MSG_EXCEPT", 0o40000 => "MSG_COPY", 0o4000 => "IPC_NOWAIT",
]);

/// The key: `IPC_PRIVATE` or hex.
fn key(c: &mut Ctx, v: u64) {
    c.xval(v & 0xffff_ffff, &IPC_PRIVATE);
}

/// `IPC_CREAT|IPC_EXCL|0600`: the flags (unknown bits in hex, no comment), then the mode.
fn get_flags(c: &mut Ctx, v: u64, x: &Xlat) {
    let flags = v & 0xffff_ffff & !0o777;
    if flags != 0 {
        c.flags(flags, x);
        c.s("|");
    }
    c.mode(v & 0o777);
}

pub(super) fn msgget(c: &mut Ctx) {
    if c.entering() {
        let a = c.args;
        c.next();
        key(c, a[0]);
        c.next();
        get_flags(c, a[1], &RESOURCE_FLAGS);
    }
}

pub(super) fn semget(c: &mut Ctx) {
    if c.entering() {
        let a = c.args;
        c.next();
        key(c, a[0]);
        c.next();
        c.int(a[1]);
        c.next();
        get_flags(c, a[2], &RESOURCE_FLAGS);
    }
}

/// shmget's flags carry a huge page size: `IPC_CREAT|21<<SHM_HUGE_SHIFT|0600`.
pub(super) fn shmget(c: &mut Ctx) {
    const SHM_HUGE_SHIFT: u64 = 26;
    const HUGE_MASK: u64 = 0x3f << SHM_HUGE_SHIFT;
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    key(c, a[0]);
    c.next();
    c.udec(a[1]);
    c.next();
    let all = a[2] & 0xffff_ffff & !0o777;
    let (flags, huge) = (all & !HUGE_MASK, all & HUGE_MASK);
    if flags != 0 {
        c.flags(flags, &SHM_RESOURCE_FLAGS);
    }
    if huge != 0 {
        if flags != 0 {
            c.s("|");
        }
        c.udec(huge >> SHM_HUGE_SHIFT);
        c.s("<<");
        write_composite(
            c.out,
            |out| print::push_udec(out, SHM_HUGE_SHIFT),
            |out| out.push_str("SHM_HUGE_SHIFT"),
        );
    }
    if flags != 0 || huge != 0 {
        c.s("|");
    }
    c.mode(a[2] & 0o777);
}

/// strace's PRINTCTL: `IPC_64|IPC_STAT` (IPC_64 is what glibc passes).
fn command(c: &mut Ctx, v: u64, x: &Xlat) {
    let v = v & 0xffff_ffff;
    if v & IPC_64 != 0 {
        write_composite(
            c.out,
            |out| write_hex(out, IPC_64),
            |out| out.push_str("IPC_64"),
        );
        c.s("|");
    }
    c.xval(v & !IPC_64, x);
}

/// Prints an info structure (IPC_INFO and the like) at an address.
type InfoPrinter = fn(&mut Ctx, u64);

/// The three *ctl calls: which command reads a structure (IPC_SET, at entry), which fills one
/// (at exit), and how each structure prints.
struct Ctl {
    cmds: &'static Xlat,
    /// Commands that fill a `*id_ds` at exit.
    stat: &'static [u64],
    /// Commands that fill an info structure at exit, and its printer.
    info: &'static [(u64, InfoPrinter)],
    ds: fn(&mut Ctx, u64, bool),
}

const MSGCTL: Ctl = Ctl {
    cmds: &MSGCTL_CMDS,
    stat: &[IPC_STAT, 11, 13],
    info: &[(IPC_INFO, msginfo), (12, msginfo)],
    ds: msqid_ds,
};
const SHMCTL: Ctl = Ctl {
    cmds: &SHMCTL_CMDS,
    stat: &[IPC_STAT, 13, 15],
    info: &[(IPC_INFO, shminfo), (14, shm_info)],
    ds: shmid_ds,
};
const SEMCTL: Ctl = Ctl {
    cmds: &SEMCTL_CMDS,
    stat: &[IPC_STAT, 18, 20],
    info: &[(IPC_INFO, seminfo), (19, seminfo)],
    ds: semid_ds,
};

/// msgctl(id, cmd, buf), shmctl(id, cmd, buf), semctl(id, num, cmd, arg).
pub(super) fn ctl(c: &mut Ctx) {
    let a = c.args;
    let (ctl, cmd_at) = match c.nr {
        nr::msgctl => (&MSGCTL, 1),
        nr::shmctl => (&SHMCTL, 1),
        _ => (&SEMCTL, 2),
    };
    let (cmd, buf) = (a[cmd_at] & 0xffff_ffff & !IPC_64, a[cmd_at + 1]);
    let info = ctl.info.iter().find(|i| i.0 == cmd).map(|i| i.1);
    let at_exit = ctl.stat.contains(&cmd) || info.is_some();
    if c.entering() {
        c.next();
        c.int(a[0]);
        if cmd_at == 2 {
            c.next();
            c.int(a[1]);
        }
        c.next();
        command(c, a[cmd_at], ctl.cmds);
        if at_exit {
            c.stop();
            return;
        }
        c.next();
        if cmd == IPC_SET {
            (ctl.ds)(c, buf, true);
        } else {
            c.ptr(buf);
        }
    } else if at_exit {
        c.next();
        match info {
            Some(print) => print(c, buf),
            None => (ctl.ds)(c, buf, false),
        }
    }
}

/// `struct ipc64_perm`; IPC_SET shows only what it changes.
fn ipc_perm(c: &mut Ctx, b: &[u8], set: bool) {
    c.s("{uid=");
    c.uid(u64::from(u32_at(b, 4)));
    c.s(", gid=");
    c.uid(u64::from(u32_at(b, 8)));
    c.s(", mode=");
    c.mode(u64::from(u16_at(b, 20)));
    if !set {
        c.s(", key=");
        c.udec(u64::from(u32_at(b, 0)));
        c.s(", cuid=");
        c.uid(u64::from(u32_at(b, 12)));
        c.s(", cgid=");
        c.uid(u64::from(u32_at(b, 16)));
    }
    c.s("}");
}

/// Unsigned fields of a structure, `name=value` each: (name, offset, size in bytes).
fn fields(c: &mut Ctx, b: &[u8], list: &[(&str, usize, usize)]) {
    for &(name, at, size) in list {
        c.s(", ");
        c.s(name);
        c.s("=");
        c.udec(uint_at(b, at, size));
    }
}

/// Signed int fields, the first without a leading separator.
fn int_fields(c: &mut Ctx, b: &[u8], names: &[&str]) {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            c.s(", ");
        }
        c.s(name);
        c.s("=");
        c.dec(i64::from(u32_at(b, i * 4) as i32));
    }
}

fn msqid_ds(c: &mut Ctx, addr: u64, set: bool) {
    let Some(b) = read_struct::<120>(c, addr, !set) else {
        return;
    };
    c.s("{msg_perm=");
    ipc_perm(c, &b, set);
    if set {
        fields(c, &b, &[("msg_qbytes", 88, 8)]);
    } else {
        fields(
            c,
            &b,
            &[
                ("msg_stime", 48, 8),
                ("msg_rtime", 56, 8),
                ("msg_ctime", 64, 8),
                ("msg_qnum", 80, 8),
                ("msg_qbytes", 88, 8),
            ],
        );
        c.s(", msg_lspid=");
        c.dec(i64::from(u32_at(&b, 96) as i32));
        c.s(", msg_lrpid=");
        c.dec(i64::from(u32_at(&b, 100) as i32));
    }
    c.s("}");
}

fn msginfo(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<32>(c, addr, true) else {
        return;
    };
    c.s("{");
    int_fields(
        c,
        &b,
        &[
            "msgpool", "msgmap", "msgmax", "msgmnb", "msgmni", "msgssz", "msgtql",
        ],
    );
    fields(c, &b, &[("msgseg", 28, 2)]);
    c.s("}");
}

fn shmid_ds(c: &mut Ctx, addr: u64, set: bool) {
    let Some(b) = read_struct::<112>(c, addr, !set) else {
        return;
    };
    c.s("{shm_perm=");
    ipc_perm(c, &b, set);
    if !set {
        fields(c, &b, &[("shm_segsz", 48, 8)]);
        c.s(", shm_cpid=");
        c.pid(u64::from(u32_at(&b, 80)), PidKind::Tgid);
        c.s(", shm_lpid=");
        c.pid(u64::from(u32_at(&b, 84)), PidKind::Tgid);
        fields(
            c,
            &b,
            &[
                ("shm_nattch", 88, 8),
                ("shm_atime", 56, 8),
                ("shm_dtime", 64, 8),
                ("shm_ctime", 72, 8),
            ],
        );
    }
    c.s("}");
}

/// IPC_INFO's `struct shminfo64` (its first five words).
fn shminfo(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<40>(c, addr, true) else {
        return;
    };
    c.s("{shmmax=");
    c.udec(u64_at(&b, 0));
    fields(
        c,
        &b,
        &[
            ("shmmin", 8, 8),
            ("shmmni", 16, 8),
            ("shmseg", 24, 8),
            ("shmall", 32, 8),
        ],
    );
    c.s("}");
}

fn shm_info(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<48>(c, addr, true) else {
        return;
    };
    c.s("{");
    int_fields(c, &b, &["used_ids"]);
    fields(
        c,
        &b,
        &[
            ("shm_tot", 8, 8),
            ("shm_rss", 16, 8),
            ("shm_swp", 24, 8),
            ("swap_attempts", 32, 8),
            ("swap_successes", 40, 8),
        ],
    );
    c.s("}");
}

/// `struct semid64_ds`; strace prints it even when the call failed, if it can be read.
fn semid_ds(c: &mut Ctx, addr: u64, set: bool) {
    let mut b = [0u8; 104];
    if !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    c.s("{sem_perm=");
    ipc_perm(c, &b, set);
    if !set {
        fields(
            c,
            &b,
            &[
                ("sem_otime", 48, 8),
                ("sem_ctime", 64, 8),
                ("sem_nsems", 80, 8),
            ],
        );
    }
    c.s("}");
}

fn seminfo(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<40>(c, addr, true) else {
        return;
    };
    c.s("{");
    int_fields(
        c,
        &b,
        &[
            "semmap", "semmni", "semmns", "semmnu", "semmsl", "semopm", "semume", "semusz",
            "semvmx", "semaem",
        ],
    );
    c.s("}");
}

/// `{mtype=1, mtext="..."}`: a `struct msgbuf` with `count` bytes of text.
fn msgbuf(c: &mut Ctx, addr: u64, count: u64) {
    let Some(b) = read_struct::<8>(c, addr, false) else {
        return;
    };
    c.s("{mtype=");
    c.dec(u64_at(&b, 0) as i64);
    c.s(", mtext=");
    c.buf(addr + 8, count);
    c.s("}");
}

pub(super) fn msgsnd(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    c.next();
    c.int(a[0]);
    c.next();
    msgbuf(c, a[1], a[2]);
    c.next();
    c.udec(a[2]);
    c.next();
    c.flags(a[3] & 0xffff_ffff, &MSG_FLAGS);
}

/// msgrcv: everything but the id prints at exit, the message as received.
pub(super) fn msgrcv(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.int(a[0]);
        c.stop();
        return;
    }
    c.next();
    if c.ok() {
        msgbuf(c, a[1], a[2]);
    } else {
        c.ptr(a[1]);
    }
    c.next();
    c.udec(a[2]);
    c.next();
    c.dec(a[3] as i64);
    c.next();
    c.flags(a[4] & 0xffff_ffff, &MSG_FLAGS);
}
