//! quotactl and quotactl_fd (strace's quota.c): the command word `QCMD(Q_GETQUOTA, USRQUOTA)`
//! and the structures of linux/quota.h and linux/dqblk_xfs.h (x86_64 layouts).

use std::fmt::Write;

use super::Ctx;
use super::print::{self, write_composite};
use super::structs::{read_struct, u16_at, u32_at, u64_at};
use crate::table::nr;
use crate::xlat;

const fn new_cmd(x: u64) -> u64 {
    0x80_0000 + x
}
const fn xqm_cmd(x: u64) -> u64 {
    0x5800 + x
}

const Q_SYNC: u64 = new_cmd(1);
const Q_QUOTAON: u64 = new_cmd(2);
const Q_QUOTAOFF: u64 = new_cmd(3);
const Q_GETFMT: u64 = new_cmd(4);
const Q_GETINFO: u64 = new_cmd(5);
const Q_SETINFO: u64 = new_cmd(6);
const Q_GETQUOTA: u64 = new_cmd(7);
const Q_SETQUOTA: u64 = new_cmd(8);
const Q_GETNEXTQUOTA: u64 = new_cmd(9);
const Q_XQUOTAON: u64 = xqm_cmd(1);
const Q_XQUOTAOFF: u64 = xqm_cmd(2);
const Q_XGETQUOTA: u64 = xqm_cmd(3);
const Q_XSETQLIM: u64 = xqm_cmd(4);
const Q_XGETQSTAT: u64 = xqm_cmd(5);
const Q_XQUOTARM: u64 = xqm_cmd(6);
const Q_XQUOTASYNC: u64 = xqm_cmd(7);
const Q_XGETQSTATV: u64 = xqm_cmd(8);
const Q_XGETNEXTQUOTA: u64 = xqm_cmd(9);

// strace's src/xlat/quotacmds.in (OLD_CMD(x) is x << 8).
xlat::xlat!(QUOTA_CMDS, "Q_???", [
    0x1 << 8 => "Q_V1_QUOTAON", 0x2 << 8 => "Q_V1_QUOTAOFF", 0x3 << 8 => "Q_V1_GETQUOTA",
    0x4 << 8 => "Q_V1_SETQUOTA", 0x5 << 8 => "Q_V1_SETUSE", 0x6 << 8 => "Q_V1_SYNC",
    0x7 << 8 => "Q_SETQLIM", 0x8 << 8 => "Q_V1_GETSTATS", 0x10 << 8 => "Q_V1_RSQUASH",
    0xd << 8 => "Q_V2_GETQUOTA", 0xe << 8 => "Q_V2_SETQUOTA", 0xf << 8 => "Q_V2_SETUSE",
    0x9 << 8 => "Q_V2_GETINFO", 0xa << 8 => "Q_V2_SETINFO", 0xb << 8 => "Q_V2_SETGRACE",
    0xc << 8 => "Q_V2_SETFLAGS", 0x11 << 8 => "Q_V2_GETSTATS",
    Q_SYNC => "Q_SYNC", Q_QUOTAON => "Q_QUOTAON", Q_QUOTAOFF => "Q_QUOTAOFF", Q_GETFMT => "Q_GETFMT",
    Q_GETINFO => "Q_GETINFO", Q_SETINFO => "Q_SETINFO", Q_GETQUOTA => "Q_GETQUOTA",
    Q_SETQUOTA => "Q_SETQUOTA", Q_GETNEXTQUOTA => "Q_GETNEXTQUOTA",
    Q_XQUOTAON => "Q_XQUOTAON", Q_XQUOTAOFF => "Q_XQUOTAOFF", Q_XGETQUOTA => "Q_XGETQUOTA",
    Q_XSETQLIM => "Q_XSETQLIM", Q_XGETQSTAT => "Q_XGETQSTAT", Q_XQUOTARM => "Q_XQUOTARM",
    Q_XQUOTASYNC => "Q_XQUOTASYNC", Q_XGETQSTATV => "Q_XGETQSTATV", Q_XGETNEXTQUOTA => "Q_XGETNEXTQUOTA",
]);
xlat::xlat!(QUOTA_TYPES, "???QUOTA", [0 => "USRQUOTA", 1 => "GRPQUOTA", 2 => "PRJQUOTA"]);
xlat::xlat!(QUOTA_FORMATS, "QFMT_VFS_???", [
    1 => "QFMT_VFS_OLD", 2 => "QFMT_VFS_V0", 3 => "QFMT_OCFS2", 4 => "QFMT_VFS_V1",
]);
xlat::xlat!(DQBLK_VALID, "QIF_???", [
    1 => "QIF_BLIMITS", 2 => "QIF_SPACE", 4 => "QIF_ILIMITS", 8 => "QIF_INODES", 16 => "QIF_BTIME",
    32 => "QIF_ITIME",
]);
xlat::xlat!(DQINFO_FLAGS, "DQF_???", [1 => "DQF_ROOT_SQUASH", 1 << 16 => "DQF_SYS_FILE"]);
xlat::xlat!(DQINFO_VALID, "IIF_???", [1 => "IIF_BGRACE", 2 => "IIF_IGRACE", 4 => "IIF_FLAGS"]);
xlat::xlat!(XFS_DQBLK_FLAGS, "FS_???_QUOTA", [
    1 => "FS_USER_QUOTA", 2 => "FS_PROJ_QUOTA", 4 => "FS_GROUP_QUOTA",
]);
xlat::xlat!(XFS_QUOTA_FLAGS, "FS_QUOTA_???", [
    1 => "FS_QUOTA_UDQ_ACCT", 2 => "FS_QUOTA_UDQ_ENFD", 4 => "FS_QUOTA_GDQ_ACCT",
    8 => "FS_QUOTA_GDQ_ENFD", 0x10 => "FS_QUOTA_PDQ_ACCT", 0x20 => "FS_QUOTA_PDQ_ENFD",
]);

/// quotactl(cmd, special, id, addr) and quotactl_fd(fd, cmd, id, addr).
pub(super) fn quotactl(c: &mut Ctx) {
    let a = c.args;
    let (qcmd, id, addr) = if c.nr == nr::quotactl_fd {
        (a[1] & 0xffff_ffff, a[2] & 0xffff_ffff, a[3])
    } else {
        (a[0] & 0xffff_ffff, a[2] & 0xffff_ffff, a[3])
    };
    if c.entering() {
        c.next();
        if c.nr == nr::quotactl_fd {
            c.fd(a[0]);
            c.next();
            qcmd_text(c, qcmd);
        } else {
            qcmd_text(c, qcmd);
            c.next();
            c.path(a[1]);
        }
    } else if c.saved[0] == 0 {
        return;
    }
    let later = command_data(c, id, qcmd >> 8, addr);
    if c.entering() && later {
        c.saved[0] = 1;
        c.stop();
    }
}

/// `QCMD(Q_GETQUOTA, USRQUOTA)`; `-X raw` the number in decimal.
fn qcmd_text(c: &mut Ctx, qcmd: u64) {
    write_composite(
        c.out,
        |out| print::push_udec(out, qcmd),
        |out| {
            out.push_str("QCMD(");
            print::write_xval(out, qcmd >> 8, &QUOTA_CMDS);
            out.push_str(", ");
            print::write_xval(out, qcmd & 0xff, &QUOTA_TYPES);
            out.push(')');
        },
    );
}

/// strace's decode_cmd_data; true when the rest prints at exit.
fn command_data(c: &mut Ctx, id: u64, cmd: u64, addr: u64) -> bool {
    let entering = c.entering();
    let id_arg = |c: &mut Ctx| {
        c.next();
        c.uid(id);
    };
    match cmd {
        Q_QUOTAOFF | Q_SYNC | Q_XQUOTASYNC => return false,
        Q_QUOTAON => {
            c.next();
            c.xval(id, &QUOTA_FORMATS);
            c.next();
            c.path(addr);
            return false;
        }
        Q_GETQUOTA | Q_GETNEXTQUOTA | Q_XGETQUOTA | Q_XGETNEXTQUOTA if entering => {
            id_arg(c);
            return true;
        }
        Q_GETFMT | Q_GETINFO | Q_XGETQSTAT | Q_XGETQSTATV if entering => return true,
        Q_SETQUOTA | Q_XSETQLIM => id_arg(c),
        _ => {}
    }
    c.next();
    match cmd {
        Q_GETQUOTA | Q_SETQUOTA => dqblk(c, addr, false),
        Q_GETNEXTQUOTA => dqblk(c, addr, true),
        Q_XGETQUOTA | Q_XGETNEXTQUOTA | Q_XSETQLIM => disk_quota(c, addr),
        Q_GETFMT => {
            if let Some(b) = read_struct::<4>(c, addr, true) {
                c.s("[");
                c.xval(u64::from(u32_at(&b, 0)), &QUOTA_FORMATS);
                c.s("]");
            }
        }
        Q_GETINFO | Q_SETINFO => dqinfo(c, addr),
        Q_XGETQSTAT => quota_stat(c, addr),
        Q_XGETQSTATV => quota_statv(c, addr),
        Q_XQUOTAON | Q_XQUOTAOFF | Q_XQUOTARM => {
            let x = if cmd == Q_XQUOTARM {
                &XFS_DQBLK_FLAGS
            } else {
                &XFS_QUOTA_FLAGS
            };
            if let Some(b) = read_struct::<4>(c, addr, false) {
                c.s("[");
                c.flags(u64::from(u32_at(&b, 0)), x);
                c.s("]");
            }
        }
        _ => {
            c.uid(id);
            c.next();
            c.ptr(addr);
        }
    }
    false
}

/// Reads a structure the call reads (at entry) or fills (at exit, only if it succeeded).
fn fetch<const N: usize>(c: &mut Ctx, addr: u64) -> Option<[u8; N]> {
    let output = !c.entering();
    read_struct::<N>(c, addr, output)
}

/// Unsigned 64-bit fields `name=value`, each after `, ` but the first.
fn u64_fields(c: &mut Ctx, b: &[u8], fields: &[(&str, usize)]) {
    for (i, &(name, at)) in fields.iter().enumerate() {
        let _ = write!(
            c.out,
            "{}{name}={}",
            if i > 0 { ", " } else { "" },
            u64_at(b, at)
        );
    }
}

/// `struct if_dqblk` (72 bytes), or `struct if_nextdqblk` with its id.
fn dqblk(c: &mut Ctx, addr: u64, next: bool) {
    let Some(b) = fetch::<72>(c, addr) else {
        return;
    };
    c.s("{");
    u64_fields(
        c,
        &b,
        &[
            ("dqb_bhardlimit", 0),
            ("dqb_bsoftlimit", 8),
            ("dqb_curspace", 16),
            ("dqb_ihardlimit", 24),
            ("dqb_isoftlimit", 32),
            ("dqb_curinodes", 40),
        ],
    );
    let id = u32_at(&b, 68);
    if c.style.verbose {
        let _ = write!(
            c.out,
            ", dqb_btime={}, dqb_itime={}, dqb_valid=",
            u64_at(&b, 48),
            u64_at(&b, 56)
        );
        c.flags(u64::from(u32_at(&b, 64)), &DQBLK_VALID);
        if next {
            let _ = write!(c.out, ", dqb_id={id}");
        }
    } else {
        if next {
            let _ = write!(c.out, ", dqb_id={id}");
        }
        c.s(", ...");
    }
    c.s("}");
}

/// `struct fs_disk_quota` (112 bytes).
fn disk_quota(c: &mut Ctx, addr: u64) {
    let Some(b) = fetch::<112>(c, addr) else {
        return;
    };
    let _ = write!(c.out, "{{d_version={}, d_flags=", b[0] as i8);
    c.flags(u64::from(b[1]), &XFS_DQBLK_FLAGS);
    c.s(", d_fieldmask=");
    c.hex(u64::from(u16_at(&b, 2)));
    let _ = write!(c.out, ", d_id={}, ", u32_at(&b, 4));
    u64_fields(
        c,
        &b,
        &[
            ("d_blk_hardlimit", 8),
            ("d_blk_softlimit", 16),
            ("d_ino_hardlimit", 24),
            ("d_ino_softlimit", 32),
            ("d_bcount", 40),
            ("d_icount", 48),
        ],
    );
    if c.style.verbose {
        let _ = write!(
            c.out,
            ", d_itimer={}, d_btimer={}, d_iwarns={}, d_bwarns={}, d_rtb_hardlimit={}, \
             d_rtb_softlimit={}, d_rtbcount={}, d_rtbtimer={}, d_rtbwarns={}",
            u32_at(&b, 56) as i32,
            u32_at(&b, 60) as i32,
            u16_at(&b, 64),
            u16_at(&b, 66),
            u64_at(&b, 72),
            u64_at(&b, 80),
            u64_at(&b, 88),
            u32_at(&b, 96) as i32,
            u16_at(&b, 100)
        );
    } else {
        c.s(", ...");
    }
    c.s("}");
}

/// `struct if_dqinfo` (24 bytes).
fn dqinfo(c: &mut Ctx, addr: u64) {
    let Some(b) = fetch::<24>(c, addr) else {
        return;
    };
    let _ = write!(
        c.out,
        "{{dqi_bgrace={}, dqi_igrace={}, dqi_flags=",
        u64_at(&b, 0),
        u64_at(&b, 8)
    );
    c.flags(u64::from(u32_at(&b, 16)), &DQINFO_FLAGS);
    c.s(", dqi_valid=");
    c.flags(u64::from(u32_at(&b, 20)), &DQINFO_VALID);
    c.s("}");
}

/// A `struct fs_qfilestat` or `fs_qfilestatv` at `at`.
fn qfilestat(c: &mut Ctx, b: &[u8], name: &str, at: usize) {
    let _ = write!(
        c.out,
        ", {name}={{qfs_ino={}, qfs_nblks={}, qfs_nextents={}}}",
        u64_at(b, at),
        u64_at(b, at + 8),
        u32_at(b, at + 16)
    );
}

/// The limits both quota stat structures end with: (btime, itime, rtbtime, bwarn, iwarn).
fn limits(c: &mut Ctx, b: &[u8], at: [usize; 5]) {
    let _ = write!(
        c.out,
        ", qs_btimelimit={}, qs_itimelimit={}, qs_rtbtimelimit={}, qs_bwarnlimit={}, qs_iwarnlimit={}",
        u32_at(b, at[0]) as i32,
        u32_at(b, at[1]) as i32,
        u32_at(b, at[2]) as i32,
        u16_at(b, at[3]),
        u16_at(b, at[4])
    );
}

/// `struct fs_quota_stat` (80 bytes).
fn quota_stat(c: &mut Ctx, addr: u64) {
    let Some(b) = fetch::<80>(c, addr) else {
        return;
    };
    let _ = write!(c.out, "{{qs_version={}", b[0] as i8);
    if c.style.verbose {
        c.s(", qs_flags=");
        c.flags(u64::from(u16_at(&b, 2)), &XFS_QUOTA_FLAGS);
        qfilestat(c, &b, "qs_uquota", 8);
        qfilestat(c, &b, "qs_gquota", 32);
        let _ = write!(c.out, ", qs_incoredqs={}", u32_at(&b, 56));
        limits(c, &b, [60, 64, 68, 72, 74]);
    } else {
        c.s(", ...");
    }
    c.s("}");
}

/// `struct fs_quota_statv` (160 bytes).
fn quota_statv(c: &mut Ctx, addr: u64) {
    let Some(b) = fetch::<160>(c, addr) else {
        return;
    };
    let _ = write!(c.out, "{{qs_version={}", b[0] as i8);
    if c.style.verbose {
        c.s(", qs_flags=");
        c.flags(u64::from(u16_at(&b, 2)), &XFS_QUOTA_FLAGS);
        let _ = write!(c.out, ", qs_incoredqs={}", u32_at(&b, 4));
        qfilestat(c, &b, "qs_uquota", 8);
        qfilestat(c, &b, "qs_gquota", 32);
        qfilestat(c, &b, "qs_pquota", 56);
        limits(c, &b, [80, 84, 88, 92, 94]);
    } else {
        c.s(", ...");
    }
    c.s("}");
}
