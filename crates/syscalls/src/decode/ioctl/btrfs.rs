//! Type 0x94 requests: linux/fs.h's clone, dedupe and label requests (strace 6.1's
//! fs_0x94_ioctl.c) and btrfs's (linux/btrfs.h, strace's btrfs.c), which share the type.
//!
//! Most btrfs structures are decoded at entry; the read-write ones show at exit, after
//! ` => `, what the kernel filled in.

use std::fmt::Write;

use super::super::Ctx;
use super::super::print::write_named;
use super::super::structs::{
    read_sized, read_struct, u16_at, u32_at, u64_at, write_date_comment, write_dev, write_uuid,
};
use super::{Phase, char_array, io, ior, iow, iowr, rw_prefix};
use crate::xlat::{self, Xlat};

const FICLONE: u32 = iow(0x94, 9, 4);
const FICLONERANGE: u32 = iow(0x94, 13, 32);
const FIDEDUPERANGE: u32 = iowr(0x94, 54, 24);
const FS_IOC_GETFSLABEL: u32 = ior(0x94, 49, FSLABEL_MAX as u32);
const FS_IOC_SETFSLABEL: u32 = iow(0x94, 50, FSLABEL_MAX as u32);
const FSLABEL_MAX: usize = 256;

const TRANS_START: u32 = io(0x94, 6);
const TRANS_END: u32 = io(0x94, 7);
const SYNC: u32 = io(0x94, 8);
const SCRUB_CANCEL: u32 = io(0x94, 28);
const QUOTA_RESCAN_WAIT: u32 = io(0x94, 46);
const SNAP_CREATE: u32 = iow(0x94, 1, VOL_ARGS_SIZE);
const DEFRAG: u32 = iow(0x94, 2, VOL_ARGS_SIZE);
const RESIZE: u32 = iow(0x94, 3, VOL_ARGS_SIZE);
const SCAN_DEV: u32 = iow(0x94, 4, VOL_ARGS_SIZE);
const FORGET_DEV: u32 = iow(0x94, 5, VOL_ARGS_SIZE);
const ADD_DEV: u32 = iow(0x94, 10, VOL_ARGS_SIZE);
const RM_DEV: u32 = iow(0x94, 11, VOL_ARGS_SIZE);
const BALANCE: u32 = iow(0x94, 12, VOL_ARGS_SIZE);
const SUBVOL_CREATE: u32 = iow(0x94, 14, VOL_ARGS_SIZE);
const SNAP_DESTROY: u32 = iow(0x94, 15, VOL_ARGS_SIZE);
const DEFRAG_RANGE: u32 = iow(0x94, 16, 48);
const TREE_SEARCH: u32 = iowr(0x94, 17, 4096);
const TREE_SEARCH_V2: u32 = iowr(0x94, 17, 112);
const INO_LOOKUP: u32 = iowr(0x94, 18, 4096);
const DEFAULT_SUBVOL: u32 = iow(0x94, 19, 8);
const SPACE_INFO: u32 = iowr(0x94, 20, 16);
const WAIT_SYNC: u32 = iow(0x94, 22, 8);
const SNAP_CREATE_V2: u32 = iow(0x94, 23, VOL_ARGS_SIZE);
const SUBVOL_CREATE_V2: u32 = iow(0x94, 24, VOL_ARGS_SIZE);
const START_SYNC: u32 = ior(0x94, 24, 8);
const SUBVOL_GETFLAGS: u32 = ior(0x94, 25, 8);
const SUBVOL_SETFLAGS: u32 = iow(0x94, 26, 8);
const SCRUB: u32 = iowr(0x94, 27, 1024);
const SCRUB_PROGRESS: u32 = iowr(0x94, 29, 1024);
const DEV_INFO: u32 = iowr(0x94, 30, 4096);
const FS_INFO: u32 = ior(0x94, 31, 1024);
const BALANCE_V2: u32 = iowr(0x94, 32, BALANCE_ARGS_SIZE as u32);
const BALANCE_CTL: u32 = iow(0x94, 33, 4);
const BALANCE_PROGRESS: u32 = ior(0x94, 34, BALANCE_ARGS_SIZE as u32);
const INO_PATHS: u32 = iowr(0x94, 35, 56);
const LOGICAL_INO: u32 = iowr(0x94, 36, 56);
const SET_RECEIVED_SUBVOL: u32 = iowr(0x94, 37, 200);
const SEND: u32 = iow(0x94, 38, 72);
const DEVICES_READY: u32 = ior(0x94, 39, VOL_ARGS_SIZE);
const QUOTA_CTL: u32 = iowr(0x94, 40, 16);
const QGROUP_ASSIGN: u32 = iow(0x94, 41, 24);
const QGROUP_CREATE: u32 = iow(0x94, 42, 16);
const QGROUP_LIMIT: u32 = ior(0x94, 43, 48);
const QUOTA_RESCAN: u32 = iow(0x94, 44, 64);
const QUOTA_RESCAN_STATUS: u32 = ior(0x94, 45, 64);
const GET_DEV_STATS: u32 = iowr(0x94, 52, 1032);
const DEV_REPLACE: u32 = iowr(0x94, 53, DEV_REPLACE_SIZE as u32);
const GET_FEATURES: u32 = ior(0x94, 57, 24);
const SET_FEATURES: u32 = iow(0x94, 57, 48);
const GET_SUPPORTED_FEATURES: u32 = ior(0x94, 57, 72);

/// struct btrfs_ioctl_vol_args and _v2: 4096 bytes.
const VOL_ARGS_SIZE: u32 = 4096;
const BALANCE_ARGS_SIZE: usize = 1024;
const DEV_REPLACE_SIZE: usize = 2600;

const FIRST_FREE_OBJECTID: u64 = 256;
const LAST_FREE_OBJECTID: u64 = -256i64 as u64;
const SUBVOL_QGROUP_INHERIT: u64 = 4;
const DEV_REPLACE_CMD_START: u64 = 0;
const DEV_REPLACE_CMD_STATUS: u64 = 1;
const EOVERFLOW: i64 = 75;

/// linux/fs.h's and linux/btrfs.h's requests of type 0x94, for the ioctl name table
/// (strace 6.1's x86_64 ioctl list).
pub(super) static NAMES: &[(u32, &str)] = &[
    (0x9406, "BTRFS_IOC_TRANS_START"),
    (0x9407, "BTRFS_IOC_TRANS_END"),
    (0x9408, "BTRFS_IOC_SYNC"),
    (0x941c, "BTRFS_IOC_SCRUB_CANCEL"),
    (0x942e, "BTRFS_IOC_QUOTA_RESCAN_WAIT"),
    (0x40049409, "BTRFS_IOC_CLONE"),
    (0x40049409, "FICLONE"),
    (0x40049421, "BTRFS_IOC_BALANCE_CTL"),
    (0x40089413, "BTRFS_IOC_DEFAULT_SUBVOL"),
    (0x40089416, "BTRFS_IOC_WAIT_SYNC"),
    (0x4008941a, "BTRFS_IOC_SUBVOL_SETFLAGS"),
    (0x4010942a, "BTRFS_IOC_QGROUP_CREATE"),
    (0x40189429, "BTRFS_IOC_QGROUP_ASSIGN"),
    (0x4020940d, "BTRFS_IOC_CLONE_RANGE"),
    (0x4020940d, "FICLONERANGE"),
    (0x40309410, "BTRFS_IOC_DEFRAG_RANGE"),
    (0x40309439, "BTRFS_IOC_SET_FEATURES"),
    (0x4040942c, "BTRFS_IOC_QUOTA_RESCAN"),
    (0x40489426, "BTRFS_IOC_SEND"),
    (0x40809440, "BTRFS_IOC_ENCODED_WRITE"),
    (0x41009432, "FS_IOC_SETFSLABEL"),
    (0x50009401, "BTRFS_IOC_SNAP_CREATE"),
    (0x50009402, "BTRFS_IOC_DEFRAG"),
    (0x50009403, "BTRFS_IOC_RESIZE"),
    (0x50009404, "BTRFS_IOC_SCAN_DEV"),
    (0x50009405, "BTRFS_IOC_FORGET_DEV"),
    (0x5000940a, "BTRFS_IOC_ADD_DEV"),
    (0x5000940b, "BTRFS_IOC_RM_DEV"),
    (0x5000940c, "BTRFS_IOC_BALANCE"),
    (0x5000940e, "BTRFS_IOC_SUBVOL_CREATE"),
    (0x5000940f, "BTRFS_IOC_SNAP_DESTROY"),
    (0x50009417, "BTRFS_IOC_SNAP_CREATE_V2"),
    (0x50009418, "BTRFS_IOC_SUBVOL_CREATE_V2"),
    (0x5000943a, "BTRFS_IOC_RM_DEV_V2"),
    (0x5000943f, "BTRFS_IOC_SNAP_DESTROY_V2"),
    (0x80089418, "BTRFS_IOC_START_SYNC"),
    (0x80089419, "BTRFS_IOC_SUBVOL_GETFLAGS"),
    (0x80189439, "BTRFS_IOC_GET_FEATURES"),
    (0x8030942b, "BTRFS_IOC_QGROUP_LIMIT"),
    (0x8040942d, "BTRFS_IOC_QUOTA_RESCAN_STATUS"),
    (0x80489439, "BTRFS_IOC_GET_SUPPORTED_FEATURES"),
    (0x80809440, "BTRFS_IOC_ENCODED_READ"),
    (0x81009431, "FS_IOC_GETFSLABEL"),
    (0x81f8943c, "BTRFS_IOC_GET_SUBVOL_INFO"),
    (0x8400941f, "BTRFS_IOC_FS_INFO"),
    (0x84009422, "BTRFS_IOC_BALANCE_PROGRESS"),
    (0x90009427, "BTRFS_IOC_DEVICES_READY"),
    (0xc0109414, "BTRFS_IOC_SPACE_INFO"),
    (0xc0109428, "BTRFS_IOC_QUOTA_CTL"),
    (0xc0189436, "BTRFS_IOC_FILE_EXTENT_SAME"),
    (0xc0189436, "FIDEDUPERANGE"),
    (0xc0389423, "BTRFS_IOC_INO_PATHS"),
    (0xc0389424, "BTRFS_IOC_LOGICAL_INO"),
    (0xc038943b, "BTRFS_IOC_LOGICAL_INO_V2"),
    (0xc0709411, "BTRFS_IOC_TREE_SEARCH_V2"),
    (0xc0c89425, "BTRFS_IOC_SET_RECEIVED_SUBVOL"),
    (0xc400941b, "BTRFS_IOC_SCRUB"),
    (0xc400941d, "BTRFS_IOC_SCRUB_PROGRESS"),
    (0xc4009420, "BTRFS_IOC_BALANCE_V2"),
    (0xc4089434, "BTRFS_IOC_GET_DEV_STATS"),
    (0xca289435, "BTRFS_IOC_DEV_REPLACE"),
    (0xd0009411, "BTRFS_IOC_TREE_SEARCH"),
    (0xd0009412, "BTRFS_IOC_INO_LOOKUP"),
    (0xd000941e, "BTRFS_IOC_DEV_INFO"),
    (0xd000943d, "BTRFS_IOC_GET_SUBVOL_ROOTREF"),
    (0xd000943e, "BTRFS_IOC_INO_LOOKUP_USER"),
];

/// strace's fs_0x94_ioctl, then btrfs_ioctl.
pub(super) fn fs_0x94(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    let entering = c.entering();
    match code {
        FICLONE => {
            c.next();
            c.int(arg);
        }
        FICLONERANGE => {
            c.next();
            if let Some(b) = read_struct::<32>(c, arg, false) {
                c.s("{src_fd=");
                c.fd(u64_at(&b, 0));
                let _ = write!(
                    c.out,
                    ", src_offset={}, src_length={}, dest_offset={}}}",
                    u64_at(&b, 8),
                    u64_at(&b, 16),
                    u64_at(&b, 24)
                );
            }
        }
        FIDEDUPERANGE => return dedupe_range(c, arg),
        FS_IOC_GETFSLABEL if entering => return Phase::Later,
        FS_IOC_GETFSLABEL | FS_IOC_SETFSLABEL => {
            c.next();
            if let Some(b) = read_struct::<FSLABEL_MAX>(c, arg, !entering) {
                char_array(c, &b);
            }
        }
        _ => return btrfs(c, code, arg),
    }
    Phase::Done
}

/// struct file_dedupe_range: what goes in at entry (without -v only the first two
/// destinations), what each destination got at exit.
fn dedupe_range(c: &mut Ctx, arg: u64) -> Phase {
    let entering = c.entering();
    if !rw_prefix(c) {
        return Phase::Done;
    }
    let Some(b) = read_struct::<24>(c, arg, false) else {
        return Phase::Done;
    };
    let count = u16_at(&b, 16);
    c.s("{");
    if entering {
        let _ = write!(
            c.out,
            "src_offset={}, src_length={}, dest_count={count}, ",
            u64_at(&b, 0),
            u64_at(&b, 8)
        );
    }
    c.s("info=");
    let mut left = (!c.style.verbose && count > 2).then_some(2u32);
    let whole = c.array_walked(arg + 24, u64::from(count), 32, |c, info| {
        if let Some(left) = left.as_mut() {
            if *left == 0 {
                c.s("...");
                return false;
            }
            *left -= 1;
        }
        if entering {
            c.s("{dest_fd=");
            c.fd(u64_at(info, 0));
            let _ = write!(c.out, ", dest_offset={}}}", u64_at(info, 8));
        } else {
            let _ = write!(
                c.out,
                "{{bytes_deduped={}, status={}}}",
                u64_at(info, 16),
                u32_at(info, 24) as i32
            );
        }
        true
    });
    c.s("}");
    if whole && entering {
        Phase::Later
    } else {
        Phase::Done
    }
}

/// A read-write request's struct: read after [`rw_prefix`] (its address if it cannot be),
/// `None` when nothing is to be shown.
fn rw_struct<const N: usize>(c: &mut Ctx, arg: u64) -> Option<[u8; N]> {
    if rw_prefix(c) {
        read_struct::<N>(c, arg, false)
    } else {
        None
    }
}

/// A write-only request's struct at entry.
fn in_struct<const N: usize>(c: &mut Ctx, arg: u64) -> Option<[u8; N]> {
    c.next();
    read_struct::<N>(c, arg, false)
}

/// A read-only request's struct at exit (nothing at entry).
fn out_struct<const N: usize>(c: &mut Ctx, arg: u64) -> Option<[u8; N]> {
    c.next();
    read_struct::<N>(c, arg, true)
}

/// strace's btrfs_ioctl.
fn btrfs(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    let entering = c.entering();
    let later = if entering { Phase::Later } else { Phase::Done };
    match code {
        TRANS_START | TRANS_END | SYNC | SCRUB_CANCEL | QUOTA_RESCAN_WAIT | DEFRAG | BALANCE => {}
        BALANCE_CTL => {
            c.next();
            c.xval(arg, &BALANCE_CTL_CMDS);
        }
        START_SYNC
        | SUBVOL_GETFLAGS
        | BALANCE_PROGRESS
        | GET_FEATURES
        | GET_SUPPORTED_FEATURES
        | FS_INFO
        | QGROUP_LIMIT
        | QUOTA_RESCAN_STATUS
            if entering =>
        {
            return Phase::Later;
        }
        START_SYNC | DEFAULT_SUBVOL | WAIT_SYNC => {
            c.next();
            if let Some(b) = read_struct::<8>(c, arg, !entering) {
                let _ = write!(c.out, "[{}]", u64_at(&b, 0));
            }
        }
        SUBVOL_GETFLAGS | SUBVOL_SETFLAGS => {
            c.next();
            if let Some(b) = read_struct::<8>(c, arg, !entering) {
                c.flags(u64_at(&b, 0), &SNAP_FLAGS);
            }
        }
        BALANCE_V2 => {
            if rw_prefix(c) {
                balance(c, arg, !entering);
            }
            return later;
        }
        BALANCE_PROGRESS => {
            c.next();
            balance(c, arg, true);
        }
        DEFRAG_RANGE => {
            if let Some(b) = in_struct::<48>(c, arg) {
                let _ = write!(c.out, "{{start={}, ", u64_at(&b, 0));
                u64_field(c, "len", u64_at(&b, 8));
                c.s(", flags=");
                c.flags(u64_at(&b, 16), &DEFRAG_FLAGS);
                let _ = write!(c.out, ", extent_thresh={}, compress_type=", u32_at(&b, 24));
                c.xval(u64::from(u32_at(&b, 28)), &COMPRESS_TYPES);
                c.s("}");
            }
        }
        DEV_INFO => {
            if let Some(b) = rw_struct::<4096>(c, arg) {
                let uuid = &b[8..24];
                let has_uuid = uuid.iter().any(|&x| x != 0);
                if entering {
                    c.s("{devid=");
                    write_dev(c.out, u64_at(&b, 0));
                    if has_uuid {
                        c.s(", uuid=");
                        write_uuid(c.out, uuid);
                    }
                    c.s("}");
                } else {
                    c.s("{");
                    if has_uuid {
                        c.s("uuid=");
                        write_uuid(c.out, uuid);
                        c.s(", ");
                    }
                    let _ = write!(
                        c.out,
                        "bytes_used={}, total_bytes={}, path=",
                        u64_at(&b, 24),
                        u64_at(&b, 32)
                    );
                    char_array(c, &b[3072..4096]);
                    c.s("}");
                }
            }
            return later;
        }
        DEV_REPLACE => {
            if let Some(b) = rw_struct::<DEV_REPLACE_SIZE>(c, arg) {
                dev_replace(c, &b);
            }
            return later;
        }
        GET_FEATURES => {
            if let Some(b) = out_struct::<24>(c, arg) {
                features(c, &b);
            }
        }
        SET_FEATURES => {
            if let Some(b) = in_struct::<48>(c, arg) {
                c.s("[");
                features(c, &b[..24]);
                c.s(", ");
                features(c, &b[24..]);
                c.s("]");
            }
        }
        GET_SUPPORTED_FEATURES => {
            if let Some(b) = out_struct::<72>(c, arg) {
                c.s("[");
                for (i, note) in ["supported", "safe to set", "safe to clear"]
                    .into_iter()
                    .enumerate()
                {
                    if i > 0 {
                        c.s(", ");
                    }
                    features(c, &b[i * 24..i * 24 + 24]);
                    let _ = write!(c.out, " /* {note} */");
                }
                c.s("]");
            }
        }
        FS_INFO => {
            if let Some(b) = out_struct::<1024>(c, arg) {
                fs_info(c, &b);
            }
        }
        GET_DEV_STATS => {
            if let Some(b) = rw_struct::<1032>(c, arg) {
                dev_stats(c, &b);
            }
            return later;
        }
        INO_LOOKUP => {
            if let Some(b) = rw_struct::<4096>(c, arg) {
                c.s("{");
                if entering {
                    // A zero tree id asks for the containing root's, shown at exit.
                    c.saved[1] = u64::from(u64_at(&b, 0) == 0);
                    c.s("treeid=");
                    objectid(c, u64_at(&b, 0));
                    c.s(", objectid=");
                    objectid(c, u64_at(&b, 8));
                } else {
                    if c.saved[1] != 0 {
                        c.s("treeid=");
                        objectid(c, u64_at(&b, 0));
                        c.s(", ");
                    }
                    c.s("name=");
                    char_array(c, &b[16..4096]);
                }
                c.s("}");
            }
            return later;
        }
        INO_PATHS | LOGICAL_INO => {
            if let Some(b) = rw_struct::<56>(c, arg) {
                ino_paths(c, &b, code == LOGICAL_INO);
            }
            return later;
        }
        QGROUP_ASSIGN => {
            if let Some(b) = in_struct::<24>(c, arg) {
                let _ = write!(
                    c.out,
                    "{{assign={}, src={}, dst={}}}",
                    u64_at(&b, 0),
                    u64_at(&b, 8),
                    u64_at(&b, 16)
                );
            }
        }
        QGROUP_CREATE => {
            if let Some(b) = in_struct::<16>(c, arg) {
                let _ = write!(
                    c.out,
                    "{{create={}, qgroupid={}}}",
                    u64_at(&b, 0),
                    u64_at(&b, 8)
                );
            }
        }
        QGROUP_LIMIT => {
            if let Some(b) = out_struct::<48>(c, arg) {
                let _ = write!(c.out, "{{qgroupid={}, lim=", u64_at(&b, 0));
                qgroup_limit(c, &b[8..48]);
                c.s("}");
            }
        }
        QUOTA_CTL => {
            if let Some(b) = in_struct::<16>(c, arg) {
                c.s("{cmd=");
                c.xval(u64_at(&b, 0), &QGROUP_CTL_CMDS);
                c.s("}");
            }
        }
        QUOTA_RESCAN => {
            if let Some(b) = in_struct::<64>(c, arg) {
                let _ = write!(c.out, "{{flags={}}}", u64_at(&b, 0));
            }
        }
        QUOTA_RESCAN_STATUS => {
            if let Some(b) = out_struct::<64>(c, arg) {
                let _ = write!(c.out, "{{flags={}, progress=", u64_at(&b, 0));
                objectid(c, u64_at(&b, 8));
                c.s("}");
            }
        }
        SET_RECEIVED_SUBVOL => {
            if let Some(b) = rw_struct::<200>(c, arg) {
                if entering {
                    c.s("{uuid=");
                    write_uuid(c.out, &b[..16]);
                    let _ = write!(c.out, ", stransid={}, stime=", u64_at(&b, 16));
                    timespec(c, &b[32..48]);
                    let _ = write!(c.out, ", flags={}}}", u64_at(&b, 64));
                } else {
                    let _ = write!(c.out, "{{rtransid={}, rtime=", u64_at(&b, 24));
                    timespec(c, &b[48..64]);
                    c.s("}");
                }
            }
            return later;
        }
        SCRUB | SCRUB_PROGRESS => {
            if let Some(b) = rw_struct::<1024>(c, arg) {
                if entering {
                    c.s("{devid=");
                    write_dev(c.out, u64_at(&b, 0));
                    if code == SCRUB {
                        let _ = write!(c.out, ", start={}, ", u64_at(&b, 8));
                        u64_field(c, "end", u64_at(&b, 16));
                        c.s(", flags=");
                        c.flags(u64_at(&b, 24), &SCRUB_FLAGS);
                    }
                    c.s("}");
                } else {
                    c.s("{progress=");
                    scrub_progress(c, &b[32..152]);
                    c.s("}");
                }
            }
            return later;
        }
        TREE_SEARCH | TREE_SEARCH_V2 => return tree_search(c, arg, code == TREE_SEARCH_V2),
        SEND => {
            if let Some(b) = in_struct::<72>(c, arg) {
                send(c, &b);
            }
        }
        SPACE_INFO => {
            if let Some(b) = rw_struct::<16>(c, arg) {
                space_info(c, arg, &b);
            }
            return later;
        }
        SNAP_CREATE | RESIZE | SCAN_DEV | FORGET_DEV | ADD_DEV | RM_DEV | SUBVOL_CREATE
        | SNAP_DESTROY | DEVICES_READY => {
            if let Some(b) = in_struct::<{ VOL_ARGS_SIZE as usize }>(c, arg) {
                c.s("{fd=");
                c.fd(u64_at(&b, 0));
                c.s(", name=");
                char_array(c, &b[8..]);
                c.s("}");
            }
        }
        SNAP_CREATE_V2 | SUBVOL_CREATE_V2 => {
            if let Some(b) = rw_struct::<{ VOL_ARGS_SIZE as usize }>(c, arg) {
                if entering {
                    vol_args_v2(c, &b);
                } else {
                    let _ = write!(c.out, "{{transid={}}}", u64_at(&b, 8));
                }
            }
            return later;
        }
        _ => return Phase::Generic,
    }
    Phase::Done
}

/// PRINT_FIELD_U64: `name=UINT64_MAX` for all ones, else the number.
fn u64_field(c: &mut Ctx, name: &str, v: u64) {
    let _ = write!(c.out, "{name}=");
    let text = (v == u64::MAX).then_some("UINT64_MAX");
    write_named(c.out, text, &NO_NAMES, |out| {
        let _ = write!(out, "{v}");
    });
}

/// For names strace prints without a `/* ???  */` for others.
const NO_NAMES: Xlat = Xlat {
    entries: &[],
    unknown: "",
};

/// A tree object id: its name (`BTRFS_FS_TREE_OBJECTID`) or the number.
fn objectid(c: &mut Ctx, v: u64) {
    c.xval_u(v, &TREE_OBJECTIDS);
}

fn key_type(c: &mut Ctx, v: u32) {
    c.xval_u(u64::from(v), &KEY_TYPES);
}

/// struct btrfs_ioctl_timespec: `{sec=1, nsec=2} /* 1970-01-01T00:00:01.000000002+0000 */`.
fn timespec(c: &mut Ctx, b: &[u8]) {
    let (sec, nsec) = (u64_at(b, 0), u32_at(b, 8));
    let _ = write!(c.out, "{{sec={sec}, nsec={nsec}}}");
    if nsec <= 999_999_999 {
        write_date_comment(c.out, sec as i64, u64::from(nsec));
    }
}

/// struct btrfs_ioctl_balance_args (what goes in; with `out` the state too).
fn balance(c: &mut Ctx, arg: u64, out: bool) {
    let Some(b) = read_struct::<BALANCE_ARGS_SIZE>(c, arg, false) else {
        return;
    };
    let flags = u64_at(&b, 0);
    c.s("{flags=");
    c.flags(flags, &BALANCE_FLAGS);
    if out {
        c.s(", state=");
        c.flags(u64_at(&b, 8), &BALANCE_STATE);
    }
    // BTRFS_BALANCE_DATA, _METADATA, _SYSTEM select the member shown.
    for (bit, name, at) in [(1, "data", 16), (4, "meta", 152), (2, "sys", 288)] {
        if flags & bit != 0 {
            let _ = write!(c.out, ", {name}=");
            balance_args(c, &b[at..at + 136]);
        }
    }
    c.s("}");
}

/// struct btrfs_balance_args.
fn balance_args(c: &mut Ctx, b: &[u8]) {
    c.s("{profiles=");
    c.flags(u64_at(b, 0), &BLOCK_GROUP_FLAGS);
    c.s(", ");
    u64_field(c, "usage", u64_at(b, 8));
    c.s(", devid=");
    write_dev(c.out, u64_at(b, 16));
    for (name, at) in [
        ("pstart", 24),
        ("pend", 32),
        ("vstart", 40),
        ("vend", 48),
        ("target", 56),
    ] {
        c.s(", ");
        u64_field(c, name, u64_at(b, at));
    }
    c.s(", flags=");
    c.flags(u64_at(b, 64), &BALANCE_ARGS);
    c.s("}");
}

/// The space info flags with the name strace gives unknown bits in balance arguments.
const BLOCK_GROUP_FLAGS: Xlat = Xlat {
    entries: SPACE_INFO_FLAGS.entries,
    unknown: "BTRFS_BLOCK_GROUP_???",
};

fn features(c: &mut Ctx, b: &[u8]) {
    c.s("{compat_flags=");
    c.flags(u64_at(b, 0), &FEATURES_COMPAT);
    c.s(", compat_ro_flags=");
    c.flags(u64_at(b, 8), &FEATURES_COMPAT_RO);
    c.s(", incompat_flags=");
    c.flags(u64_at(b, 16), &FEATURES_INCOMPAT);
    c.s("}");
}

/// struct btrfs_qgroup_limit.
fn qgroup_limit(c: &mut Ctx, b: &[u8]) {
    c.s("{flags=");
    c.flags(u64_at(b, 0), &QGROUP_LIMIT_FLAGS);
    let _ = write!(
        c.out,
        ", max_rfer={}, max_excl={}, rsv_rfer={}, rsv_excl={}}}",
        u64_at(b, 8),
        u64_at(b, 16),
        u64_at(b, 24),
        u64_at(b, 32)
    );
}

/// struct btrfs_ioctl_fs_info_args.
fn fs_info(c: &mut Ctx, b: &[u8]) {
    let flags = u64_at(b, 48);
    let _ = write!(
        c.out,
        "{{max_id={}, num_devices={}, fsid=",
        u64_at(b, 0),
        u64_at(b, 8)
    );
    write_uuid(c.out, &b[16..32]);
    let _ = write!(
        c.out,
        ", nodesize={}, sectorsize={}, clone_alignment={}",
        u32_at(b, 32),
        u32_at(b, 36),
        u32_at(b, 40)
    );
    // BTRFS_FS_INFO_FLAG_CSUM_INFO, _GENERATION, _METADATA_UUID say what is filled in.
    if flags & 1 != 0 {
        c.s(", csum_type=");
        c.xval(u64::from(u16_at(b, 44)), &CSUM_TYPES);
        let _ = write!(c.out, ", csum_size={}", u16_at(b, 46));
    }
    c.s(", flags=");
    c.flags(flags, &FS_INFO_FLAGS);
    if flags & 2 != 0 {
        let _ = write!(c.out, ", generation={}", u64_at(b, 56));
    }
    if flags & 4 != 0 {
        c.s(", metadata_uuid=");
        write_uuid(c.out, &b[64..80]);
    }
    c.s("}");
}

/// struct btrfs_ioctl_get_dev_stats: the request at entry, the counters at exit.
fn dev_stats(c: &mut Ctx, b: &[u8]) {
    /// BTRFS_DEV_STAT_VALUES_MAX: what the struct holds, whatever nr_items says.
    const VALUES: u64 = 5;
    c.s("{");
    if c.entering() {
        c.s("devid=");
        write_dev(c.out, u64_at(b, 0));
        c.s(", ");
    }
    let items = u64_at(b, 8);
    let _ = write!(c.out, "nr_items={items}, flags=");
    c.flags(u64_at(b, 16), &DEV_STATS_FLAGS);
    if c.entering() {
        c.s("}");
        return;
    }
    c.s(", [");
    for i in 0..items.min(VALUES + 1) {
        if i > 0 {
            c.s(", ");
        }
        if i >= VALUES {
            c.s("...");
            break;
        }
        c.s("[");
        c.xval_u(i, &DEV_STATS_VALUES);
        let _ = write!(c.out, "]={}", u64_at(b, 24 + i as usize * 8));
    }
    c.s("]}");
}

/// BTRFS_IOC_INO_PATHS (struct btrfs_ioctl_ino_path_args) and BTRFS_IOC_LOGICAL_INO
/// (struct btrfs_ioctl_logical_ino_args): the request at entry, the container the kernel
/// filled in at exit.
fn ino_paths(c: &mut Ctx, b: &[u8], logical: bool) {
    let container = u64_at(b, 48);
    if !c.entering() {
        c.s(if logical { "{inodes=" } else { "{fspath=" });
        data_container(c, container, logical);
        c.s("}");
        return;
    }
    if logical {
        let _ = write!(c.out, "{{logical={}, size={}", u64_at(b, 0), u64_at(b, 8));
        let reserved = &b[16..40];
        if reserved.iter().any(|&x| x != 0) {
            c.s(", reserved=[");
            for i in 0..3 {
                if i > 0 {
                    c.s(", ");
                }
                c.hex(u64_at(reserved, i * 8));
            }
            c.s("]");
        }
        c.s(", flags=");
        c.flags(u64_at(b, 40), &LOGICAL_INO_FLAGS);
        c.s(", inodes=");
    } else {
        let _ = write!(
            c.out,
            "{{inum={}, size={}, fspath=",
            u64_at(b, 0),
            u64_at(b, 8)
        );
    }
    c.ptr(container);
    c.s("}");
}

/// struct btrfs_data_container: its header, then (with -v) the inode records or the paths.
fn data_container(c: &mut Ctx, addr: u64, logical: bool) {
    let Some(h) = read_struct::<16>(c, addr, false) else {
        return;
    };
    let count = u32_at(&h, 8);
    let _ = write!(
        c.out,
        "{{bytes_left={}, bytes_missing={}, elem_cnt={count}, elem_missed={}",
        u32_at(&h, 0),
        u32_at(&h, 4),
        u32_at(&h, 12)
    );
    if !c.style.verbose {
        c.s(", ...}");
        return;
    }
    c.s(", val=");
    let val = addr.wrapping_add(16);
    if logical {
        c.array(val, u64::from(count / 3), 24, |c, r| {
            let _ = write!(
                c.out,
                "{{inum={}, offset={}, root={}}}",
                u64_at(r, 0),
                u64_at(r, 8),
                u64_at(r, 16)
            );
            true
        });
    } else {
        c.array(val, u64::from(count), 8, |c, offset| {
            c.path(val.wrapping_add(u64_at(offset, 0)));
            true
        });
    }
    c.s("}");
}

/// struct btrfs_ioctl_dev_replace_args: the command at entry, the result at exit.
fn dev_replace(c: &mut Ctx, b: &[u8]) {
    let cmd = u64_at(b, 0);
    if c.entering() {
        c.s("{cmd=");
        c.xval(cmd, &DEV_REPLACE_CMDS);
        if cmd == DEV_REPLACE_CMD_START {
            c.s(", start={srcdevid=");
            write_dev(c.out, u64_at(b, 16));
            c.s(", cont_reading_from_srcdev_mode=");
            c.xval(u64_at(b, 24), &CONT_READING_MODES);
            c.s(", srcdev_name=");
            char_array(c, &b[32..1057]);
            c.s(", tgtdev_name=");
            char_array(c, &b[1057..2082]);
            c.s("}");
        }
        c.s("}");
        return;
    }
    c.s("{result=");
    c.xval(u64_at(b, 8), &DEV_REPLACE_RESULTS);
    if cmd == DEV_REPLACE_CMD_STATUS {
        c.s(", status={replace_state=");
        c.xval(u64_at(b, 16), &DEV_REPLACE_STATES);
        let progress = u64_at(b, 24);
        let _ = write!(c.out, ", progress_1000={progress}");
        if progress <= 1000 {
            let _ = write!(c.out, " /* {}.{}% */", progress / 10, progress % 10);
        }
        for (name, at) in [("time_started", 32), ("time_stopped", 40)] {
            let t = u64_at(b, at);
            let _ = write!(c.out, ", {name}={t}");
            write_date_comment(c.out, t as i64, 0);
        }
        let _ = write!(
            c.out,
            ", num_write_errors={}, num_uncorrectable_read_errors={}}}",
            u64_at(b, 48),
            u64_at(b, 56)
        );
    }
    c.s("}");
}

/// struct btrfs_scrub_progress: fifteen counters.
fn scrub_progress(c: &mut Ctx, b: &[u8]) {
    const FIELDS: [&str; 15] = [
        "data_extents_scrubbed",
        "tree_extents_scrubbed",
        "data_bytes_scrubbed",
        "tree_bytes_scrubbed",
        "read_errors",
        "csum_errors",
        "verify_errors",
        "no_csum",
        "csum_discards",
        "super_errors",
        "malloc_errors",
        "uncorrectable_errors",
        "corrected_errors",
        "last_physical",
        "unverified_errors",
    ];
    c.s("{");
    for (i, name) in FIELDS.into_iter().enumerate() {
        let sep = if i > 0 { ", " } else { "" };
        let _ = write!(c.out, "{sep}{name}={}", u64_at(b, i * 8));
    }
    c.s("}");
}

/// BTRFS_IOC_TREE_SEARCH(_V2): the search key at entry; at exit how many items were found
/// and (with -v) their headers.
fn tree_search(c: &mut Ctx, arg: u64, v2: bool) -> Phase {
    let entering = c.entering();
    if !entering && v2 && c.ret == Some(-EOVERFLOW) {
        // The buffer was too small: the kernel says how big it must be.
        c.s(" => ");
        if let Some(b) = read_struct::<112>(c, arg, false) {
            let _ = write!(c.out, "{{buf_size={}}}", u64_at(&b, 104));
        }
        return Phase::Done;
    }
    // The key (104 bytes), and for v2 the buffer size after it.
    let mut b = [0u8; 112];
    if !rw_prefix(c) || !read_sized(c, arg, &mut b[..if v2 { 112 } else { 104 }]) {
        return Phase::Done;
    }
    let items = u32_at(&b, 64);
    c.s("{key=");
    search_key(c, &b);
    let (buf, size) = if v2 {
        let size = u64_at(&b, 104);
        let _ = write!(c.out, ", buf_size={size}");
        (arg.wrapping_add(112), size)
    } else {
        (arg.wrapping_add(104), 4096 - 104)
    };
    if !entering {
        search_buf(c, buf, size, items);
    }
    c.s("}");
    if entering { Phase::Later } else { Phase::Done }
}

/// struct btrfs_ioctl_search_key: the whole key at entry (the object id bounds when not
/// the default ones or with -v), the item count at exit.
fn search_key(c: &mut Ctx, b: &[u8]) {
    if !c.entering() {
        let _ = write!(c.out, "{{nr_items={}}}", u32_at(b, 64));
        return;
    }
    c.s("{tree_id=");
    objectid(c, u64_at(b, 0));
    let verbose = c.style.verbose;
    if u64_at(b, 8) != FIRST_FREE_OBJECTID || verbose {
        c.s(", min_objectid=");
        objectid(c, u64_at(b, 8));
    }
    if u64_at(b, 16) != LAST_FREE_OBJECTID || verbose {
        c.s(", max_objectid=");
        objectid(c, u64_at(b, 16));
    }
    for (name, at) in [
        ("min_offset", 24),
        ("max_offset", 32),
        ("min_transid", 40),
        ("max_transid", 48),
    ] {
        c.s(", ");
        u64_field(c, name, u64_at(b, at));
    }
    c.s(", min_type=");
    key_type(c, u32_at(b, 56));
    c.s(", max_type=");
    key_type(c, u32_at(b, 60));
    let _ = write!(c.out, ", nr_items={}}}", u32_at(b, 64));
}

/// The search result headers, each followed by its item's `len` bytes: at most `-s` of
/// them, and never past the buffer.
fn search_buf(c: &mut Ctx, buf: u64, size: u64, items: u32) {
    if !c.style.verbose {
        c.s(", ...");
        return;
    }
    c.s(", buf=[");
    let limit = c.style.string_limit as u64;
    let mut off = 0u64;
    for i in 0..items {
        if i > 0 {
            c.s(", ");
        }
        let addr = buf.wrapping_add(off);
        if addr < buf || off.saturating_add(32) > size || u64::from(i) > limit || c.over_budget() {
            c.s("...");
            break;
        }
        let mut h = [0u8; 32];
        if !c.read_exact(addr, &mut h) {
            let _ = write!(c.out, "... /* {addr:#x} */");
            break;
        }
        let _ = write!(c.out, "{{transid={}, objectid=", u64_at(&h, 0));
        objectid(c, u64_at(&h, 8));
        let _ = write!(c.out, ", offset={}, type=", u64_at(&h, 16));
        key_type(c, u32_at(&h, 24));
        let len = u32_at(&h, 28);
        let _ = write!(c.out, ", len={len}}}");
        off = off.saturating_add(32 + u64::from(len));
    }
    c.s("]");
}

/// struct btrfs_ioctl_send_args.
fn send(c: &mut Ctx, b: &[u8]) {
    c.s("{send_fd=");
    c.fd(u64_at(b, 0));
    let count = u64_at(b, 8);
    let _ = write!(c.out, ", clone_sources_count={count}, clone_sources=");
    if c.style.verbose {
        c.array(u64_at(b, 16), count, 8, |c, e| {
            objectid(c, u64_at(e, 0));
            true
        });
    } else {
        c.ptr(u64_at(b, 16));
    }
    c.s(", parent_root=");
    objectid(c, u64_at(b, 24));
    c.s(", flags=");
    c.flags(u64_at(b, 32), &SEND_FLAGS);
    c.s("}");
}

/// struct btrfs_ioctl_space_args: the slots offered at entry, the spaces at exit.
fn space_info(c: &mut Ctx, arg: u64, b: &[u8]) {
    let (slots, total) = (u64_at(b, 0), u64_at(b, 8));
    if c.entering() {
        let _ = write!(c.out, "{{space_slots={slots}}}");
        return;
    }
    let _ = write!(c.out, "{{total_spaces={total}");
    if slots == 0 && total != 0 {
        c.s("}");
        return;
    }
    if !c.style.verbose {
        c.s(", ...}");
        return;
    }
    c.s(", spaces=");
    c.array(arg.wrapping_add(16), total, 24, |c, info| {
        c.s("{flags=");
        c.flags(u64_at(info, 0), &SPACE_INFO_FLAGS);
        let _ = write!(
            c.out,
            ", total_bytes={}, used_bytes={}}}",
            u64_at(info, 8),
            u64_at(info, 16)
        );
        true
    });
    c.s("}");
}

/// struct btrfs_ioctl_vol_args_v2 at entry.
fn vol_args_v2(c: &mut Ctx, b: &[u8]) {
    c.s("{fd=");
    c.fd(u64_at(b, 0));
    let flags = u64_at(b, 16);
    c.s(", flags=");
    c.flags(flags, &SNAP_FLAGS);
    if flags & SUBVOL_QGROUP_INHERIT != 0 {
        let _ = write!(c.out, ", size={}, qgroup_inherit=", u64_at(b, 24));
        qgroup_inherit(c, u64_at(b, 32));
    }
    c.s(", name=");
    char_array(c, &b[56..]);
    c.s("}");
}

/// struct btrfs_qgroup_inherit, with (under -v) its qgroup ids.
fn qgroup_inherit(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<72>(c, addr, false) else {
        return;
    };
    c.s("{flags=");
    c.flags(u64_at(&b, 0), &QGROUP_INHERIT_FLAGS);
    let count = u64_at(&b, 8);
    let _ = write!(
        c.out,
        ", num_qgroups={count}, num_ref_copies={}, num_excl_copies={}, lim=",
        u64_at(&b, 16),
        u64_at(&b, 24)
    );
    qgroup_limit(c, &b[32..72]);
    if c.style.verbose {
        c.s(", qgroups=");
        c.array(addr.wrapping_add(72), count, 8, |c, e| {
            c.udec(u64_at(e, 0));
            true
        });
    } else {
        c.s(", ...");
    }
    c.s("}");
}

// strace 6.1's src/xlat/btrfs_balance_args.in.
xlat::xlat!(BALANCE_ARGS, "BTRFS_BALANCE_ARGS_???", [
    0x1 => "BTRFS_BALANCE_ARGS_PROFILES", 0x2 => "BTRFS_BALANCE_ARGS_USAGE",
    0x4 => "BTRFS_BALANCE_ARGS_DEVID", 0x8 => "BTRFS_BALANCE_ARGS_DRANGE",
    0x10 => "BTRFS_BALANCE_ARGS_VRANGE", 0x20 => "BTRFS_BALANCE_ARGS_LIMIT",
    0x40 => "BTRFS_BALANCE_ARGS_LIMIT_RANGE", 0x80 => "BTRFS_BALANCE_ARGS_STRIPES_RANGE",
    0x100 => "BTRFS_BALANCE_ARGS_CONVERT", 0x200 => "BTRFS_BALANCE_ARGS_SOFT",
    0x400 => "BTRFS_BALANCE_ARGS_USAGE_RANGE",
]);

// strace 6.1's src/xlat/btrfs_balance_ctl_cmds.in.
xlat::xlat!(BALANCE_CTL_CMDS, "BTRFS_BALANCE_CTL_???", [
    0x1 => "BTRFS_BALANCE_CTL_PAUSE", 0x2 => "BTRFS_BALANCE_CTL_CANCEL",
]);

// strace 6.1's src/xlat/btrfs_balance_flags.in.
xlat::xlat!(BALANCE_FLAGS, "BTRFS_BALANCE_???", [
    0x1 => "BTRFS_BALANCE_DATA", 0x2 => "BTRFS_BALANCE_SYSTEM", 0x4 => "BTRFS_BALANCE_METADATA",
    0x8 => "BTRFS_BALANCE_FORCE", 0x10 => "BTRFS_BALANCE_RESUME",
]);

// strace 6.1's src/xlat/btrfs_balance_state.in.
xlat::xlat!(BALANCE_STATE, "BTRFS_BALANCE_STATE_???", [
    0x1 => "BTRFS_BALANCE_STATE_RUNNING", 0x2 => "BTRFS_BALANCE_STATE_PAUSE_REQ",
    0x4 => "BTRFS_BALANCE_STATE_CANCEL_REQ",
]);

// strace 6.1's src/xlat/btrfs_compress_types.in.
xlat::xlat!(COMPRESS_TYPES, "BTRFS_COMPRESS_???", [
    0 => "BTRFS_COMPRESS_NONE", 0x1 => "BTRFS_COMPRESS_ZLIB", 0x2 => "BTRFS_COMPRESS_LZO",
    0x3 => "BTRFS_COMPRESS_ZSTD",
]);

// strace 6.1's src/xlat/btrfs_cont_reading_from_srcdev_mode.in.
xlat::xlat!(CONT_READING_MODES, "BTRFS_IOCTL_DEV_REPLACE_CONT_READING_FROM_SRCDEV_MODE_???", [
    0 => "BTRFS_IOCTL_DEV_REPLACE_CONT_READING_FROM_SRCDEV_MODE_ALWAYS",
    0x1 => "BTRFS_IOCTL_DEV_REPLACE_CONT_READING_FROM_SRCDEV_MODE_AVOID",
]);

// strace 6.1's src/xlat/btrfs_csum_types.in.
xlat::xlat!(CSUM_TYPES, "BTRFS_CSUM_TYPE_???", [
    0 => "BTRFS_CSUM_TYPE_CRC32", 0x1 => "BTRFS_CSUM_TYPE_XXHASH", 0x2 => "BTRFS_CSUM_TYPE_SHA256",
    0x3 => "BTRFS_CSUM_TYPE_BLAKE2",
]);

// strace 6.1's src/xlat/btrfs_defrag_flags.in.
xlat::xlat!(DEFRAG_FLAGS, "BTRFS_DEFRAG_RANGE_???", [
    0x1 => "BTRFS_DEFRAG_RANGE_COMPRESS", 0x2 => "BTRFS_DEFRAG_RANGE_START_IO",
]);

// strace 6.1's src/xlat/btrfs_dev_replace_cmds.in.
xlat::xlat!(DEV_REPLACE_CMDS, "BTRFS_IOCTL_DEV_REPLACE_CMD_???", [
    0 => "BTRFS_IOCTL_DEV_REPLACE_CMD_START", 0x1 => "BTRFS_IOCTL_DEV_REPLACE_CMD_STATUS",
    0x2 => "BTRFS_IOCTL_DEV_REPLACE_CMD_CANCEL",
]);

// strace 6.1's src/xlat/btrfs_dev_replace_results.in.
xlat::xlat!(DEV_REPLACE_RESULTS, "BTRFS_IOCTL_DEV_REPLACE_RESULT_???", [
    0 => "BTRFS_IOCTL_DEV_REPLACE_RESULT_NO_ERROR",
    0x1 => "BTRFS_IOCTL_DEV_REPLACE_RESULT_NOT_STARTED",
    0x2 => "BTRFS_IOCTL_DEV_REPLACE_RESULT_ALREADY_STARTED",
    0x3 => "BTRFS_IOCTL_DEV_REPLACE_RESULT_SCRUB_INPROGRESS",
]);

// strace 6.1's src/xlat/btrfs_dev_replace_state.in.
xlat::xlat!(DEV_REPLACE_STATES, "BTRFS_IOCTL_DEV_REPLACE_STATE_???", [
    0 => "BTRFS_IOCTL_DEV_REPLACE_STATE_NEVER_STARTED",
    0x1 => "BTRFS_IOCTL_DEV_REPLACE_STATE_STARTED",
    0x2 => "BTRFS_IOCTL_DEV_REPLACE_STATE_FINISHED",
    0x3 => "BTRFS_IOCTL_DEV_REPLACE_STATE_CANCELED",
    0x4 => "BTRFS_IOCTL_DEV_REPLACE_STATE_SUSPENDED",
]);

// strace 6.1's src/xlat/btrfs_dev_stats_flags.in.
xlat::xlat!(DEV_STATS_FLAGS, "BTRFS_DEV_STATS_???", [
    0x1 => "BTRFS_DEV_STATS_RESET",
]);

// strace 6.1's src/xlat/btrfs_dev_stats_values.in.
xlat::xlat!(DEV_STATS_VALUES, "", [
    0 => "BTRFS_DEV_STAT_WRITE_ERRS", 0x1 => "BTRFS_DEV_STAT_READ_ERRS",
    0x2 => "BTRFS_DEV_STAT_FLUSH_ERRS", 0x3 => "BTRFS_DEV_STAT_CORRUPTION_ERRS",
    0x4 => "BTRFS_DEV_STAT_GENERATION_ERRS",
]);

// strace 6.1's src/xlat/btrfs_features_compat.in.
xlat::xlat!(FEATURES_COMPAT, "BTRFS_FEATURE_COMPAT_???", []);

// strace 6.1's src/xlat/btrfs_features_compat_ro.in.
xlat::xlat!(FEATURES_COMPAT_RO, "BTRFS_FEATURE_COMPAT_RO_???", [
    0x1 => "BTRFS_FEATURE_COMPAT_RO_FREE_SPACE_TREE",
    0x2 => "BTRFS_FEATURE_COMPAT_RO_FREE_SPACE_TREE_VALID",
    0x4 => "BTRFS_FEATURE_COMPAT_RO_VERITY", 0x8 => "BTRFS_FEATURE_COMPAT_RO_BLOCK_GROUP_TREE",
]);

// strace 6.1's src/xlat/btrfs_features_incompat.in.
xlat::xlat!(FEATURES_INCOMPAT, "BTRFS_FEATURE_INCOMPAT_???", [
    0x1 => "BTRFS_FEATURE_INCOMPAT_MIXED_BACKREF", 0x2 => "BTRFS_FEATURE_INCOMPAT_DEFAULT_SUBVOL",
    0x4 => "BTRFS_FEATURE_INCOMPAT_MIXED_GROUPS", 0x8 => "BTRFS_FEATURE_INCOMPAT_COMPRESS_LZO",
    0x10 => "BTRFS_FEATURE_INCOMPAT_COMPRESS_ZSTD", 0x20 => "BTRFS_FEATURE_INCOMPAT_BIG_METADATA",
    0x40 => "BTRFS_FEATURE_INCOMPAT_EXTENDED_IREF", 0x80 => "BTRFS_FEATURE_INCOMPAT_RAID56",
    0x100 => "BTRFS_FEATURE_INCOMPAT_SKINNY_METADATA", 0x200 => "BTRFS_FEATURE_INCOMPAT_NO_HOLES",
    0x400 => "BTRFS_FEATURE_INCOMPAT_METADATA_UUID", 0x800 => "BTRFS_FEATURE_INCOMPAT_RAID1C34",
    0x1000 => "BTRFS_FEATURE_INCOMPAT_ZONED", 0x2000 => "BTRFS_FEATURE_INCOMPAT_EXTENT_TREE_V2",
]);

// strace 6.1's src/xlat/btrfs_fs_info_flags.in.
xlat::xlat!(FS_INFO_FLAGS, "BTRFS_FS_INFO_FLAG_???", [
    0x1 => "BTRFS_FS_INFO_FLAG_CSUM_INFO", 0x2 => "BTRFS_FS_INFO_FLAG_GENERATION",
    0x4 => "BTRFS_FS_INFO_FLAG_METADATA_UUID",
]);

// strace 6.1's src/xlat/btrfs_key_types.in.
xlat::xlat!(KEY_TYPES, "", [
    0x1 => "BTRFS_INODE_ITEM_KEY", 0xc => "BTRFS_INODE_REF_KEY", 0xd => "BTRFS_INODE_EXTREF_KEY",
    0x18 => "BTRFS_XATTR_ITEM_KEY", 0x24 => "BTRFS_VERITY_DESC_ITEM_KEY",
    0x25 => "BTRFS_VERITY_MERKLE_ITEM_KEY", 0x30 => "BTRFS_ORPHAN_ITEM_KEY",
    0x3c => "BTRFS_DIR_LOG_ITEM_KEY", 0x48 => "BTRFS_DIR_LOG_INDEX_KEY",
    0x54 => "BTRFS_DIR_ITEM_KEY", 0x60 => "BTRFS_DIR_INDEX_KEY", 0x6c => "BTRFS_EXTENT_DATA_KEY",
    0x80 => "BTRFS_EXTENT_CSUM_KEY", 0x84 => "BTRFS_ROOT_ITEM_KEY",
    0x90 => "BTRFS_ROOT_BACKREF_KEY", 0x9c => "BTRFS_ROOT_REF_KEY",
    0xa8 => "BTRFS_EXTENT_ITEM_KEY", 0xa9 => "BTRFS_METADATA_ITEM_KEY",
    0xb0 => "BTRFS_TREE_BLOCK_REF_KEY", 0xb2 => "BTRFS_EXTENT_DATA_REF_KEY",
    0xb4 => "BTRFS_EXTENT_REF_V0_KEY", 0xb6 => "BTRFS_SHARED_BLOCK_REF_KEY",
    0xb8 => "BTRFS_SHARED_DATA_REF_KEY", 0xc0 => "BTRFS_BLOCK_GROUP_ITEM_KEY",
    0xc6 => "BTRFS_FREE_SPACE_INFO_KEY", 0xc7 => "BTRFS_FREE_SPACE_EXTENT_KEY",
    0xc8 => "BTRFS_FREE_SPACE_BITMAP_KEY", 0xcc => "BTRFS_DEV_EXTENT_KEY",
    0xd8 => "BTRFS_DEV_ITEM_KEY", 0xe4 => "BTRFS_CHUNK_ITEM_KEY",
    0xf0 => "BTRFS_QGROUP_STATUS_KEY", 0xf2 => "BTRFS_QGROUP_INFO_KEY",
    0xf4 => "BTRFS_QGROUP_LIMIT_KEY", 0xf6 => "BTRFS_QGROUP_RELATION_KEY",
    0xf8 => "BTRFS_TEMPORARY_ITEM_KEY", 0xf9 => "BTRFS_PERSISTENT_ITEM_KEY",
    0xfa => "BTRFS_DEV_REPLACE_KEY", 0xfb => "BTRFS_UUID_KEY_SUBVOL",
    0xfc => "BTRFS_UUID_KEY_RECEIVED_SUBVOL", 0xfd => "BTRFS_STRING_ITEM_KEY",
    0xffffffffu64 => "UINT32_MAX",
]);

// strace 6.1's src/xlat/btrfs_logical_ino_args_flags.in.
xlat::xlat!(LOGICAL_INO_FLAGS, "BTRFS_LOGICAL_INO_ARGS_???", [
    0x1 => "BTRFS_LOGICAL_INO_ARGS_IGNORE_OFFSET",
]);

// strace 6.1's src/xlat/btrfs_qgroup_ctl_cmds.in.
xlat::xlat!(QGROUP_CTL_CMDS, "BTRFS_QUOTA_CTL_???", [
    0x1 => "BTRFS_QUOTA_CTL_ENABLE", 0x2 => "BTRFS_QUOTA_CTL_DISABLE",
    0x3 => "BTRFS_QUOTA_CTL_RESCAN__NOTUSED",
]);

// strace 6.1's src/xlat/btrfs_qgroup_inherit_flags.in.
xlat::xlat!(QGROUP_INHERIT_FLAGS, "BTRFS_QGROUP_INHERIT_???", [
    0x1 => "BTRFS_QGROUP_INHERIT_SET_LIMITS",
]);

// strace 6.1's src/xlat/btrfs_qgroup_limit_flags.in.
xlat::xlat!(QGROUP_LIMIT_FLAGS, "BTRFS_QGROUP_LIMIT_???", [
    0x1 => "BTRFS_QGROUP_LIMIT_MAX_RFER", 0x2 => "BTRFS_QGROUP_LIMIT_MAX_EXCL",
    0x4 => "BTRFS_QGROUP_LIMIT_RSV_RFER", 0x8 => "BTRFS_QGROUP_LIMIT_RSV_EXCL",
    0x10 => "BTRFS_QGROUP_LIMIT_RFER_CMPR", 0x20 => "BTRFS_QGROUP_LIMIT_EXCL_CMPR",
]);

// strace 6.1's src/xlat/btrfs_scrub_flags.in.
xlat::xlat!(SCRUB_FLAGS, "BTRFS_SCRUB_???", [
    0x1 => "BTRFS_SCRUB_READONLY",
]);

// strace 6.1's src/xlat/btrfs_send_flags.in.
xlat::xlat!(SEND_FLAGS, "BTRFS_SEND_FLAGS_???", [
    0x1 => "BTRFS_SEND_FLAG_NO_FILE_DATA", 0x2 => "BTRFS_SEND_FLAG_OMIT_STREAM_HEADER",
    0x4 => "BTRFS_SEND_FLAG_OMIT_END_CMD", 0x8 => "BTRFS_SEND_FLAG_VERSION",
    0x10 => "BTRFS_SEND_FLAG_COMPRESSED",
]);

// strace 6.1's src/xlat/btrfs_snap_flags_v2.in.
xlat::xlat!(SNAP_FLAGS, "BTRFS_SUBVOL_???", [
    0x1 => "BTRFS_SUBVOL_CREATE_ASYNC", 0x2 => "BTRFS_SUBVOL_RDONLY",
    0x4 => "BTRFS_SUBVOL_QGROUP_INHERIT",
]);

// strace 6.1's src/xlat/btrfs_space_info_flags.in.
xlat::xlat!(SPACE_INFO_FLAGS, "BTRFS_SPACE_INFO_???", [
    0x1 => "BTRFS_BLOCK_GROUP_DATA", 0x2 => "BTRFS_BLOCK_GROUP_SYSTEM",
    0x4 => "BTRFS_BLOCK_GROUP_METADATA", 0x8 => "BTRFS_BLOCK_GROUP_RAID0",
    0x10 => "BTRFS_BLOCK_GROUP_RAID1", 0x20 => "BTRFS_BLOCK_GROUP_DUP",
    0x40 => "BTRFS_BLOCK_GROUP_RAID10", 0x80 => "BTRFS_BLOCK_GROUP_RAID5",
    0x100 => "BTRFS_BLOCK_GROUP_RAID6", 0x1000000000000u64 => "BTRFS_AVAIL_ALLOC_BIT_SINGLE",
    0x2000000000000u64 => "BTRFS_SPACE_INFO_GLOBAL_RSV",
]);

// strace 6.1's src/xlat/btrfs_tree_objectids.in.
xlat::xlat!(TREE_OBJECTIDS, "", [
    0x1 => "BTRFS_ROOT_TREE_OBJECTID", 0x2 => "BTRFS_EXTENT_TREE_OBJECTID",
    0x3 => "BTRFS_CHUNK_TREE_OBJECTID", 0x4 => "BTRFS_DEV_TREE_OBJECTID",
    0x5 => "BTRFS_FS_TREE_OBJECTID", 0x6 => "BTRFS_ROOT_TREE_DIR_OBJECTID",
    0x7 => "BTRFS_CSUM_TREE_OBJECTID", 0x8 => "BTRFS_QUOTA_TREE_OBJECTID",
    0x9 => "BTRFS_UUID_TREE_OBJECTID", 0xa => "BTRFS_FREE_SPACE_TREE_OBJECTID",
    0xb => "BTRFS_BLOCK_GROUP_TREE_OBJECTID", 0x100 => "BTRFS_FIRST_FREE_OBJECTID",
    0xffffffffffffff00u64 => "BTRFS_LAST_FREE_OBJECTID", 0xffffffffffffffffu64 => "UINT64_MAX",
]);
