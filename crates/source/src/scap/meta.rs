//! The metadata blocks before the events: machine info, process list (versions 1 to 9), fd
//! lists (1 and 2), user lists (1 and 2), interface lists (only checked: Saker has no use for
//! them).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::reader::*;

/// A thread as the process list block describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ThreadInfo {
    pub tid: u64,
    pub pid: u64,
    pub ptid: u64,
    pub comm: Vec<u8>,
    pub exe: Vec<u8>,
    pub exepath: Vec<u8>,
    /// The arguments after argv[0], NUL-separated.
    pub args: Vec<u8>,
    pub cwd: Vec<u8>,
    pub fdlimit: u64,
    pub flags: u32,
    pub uid: u32,
    pub gid: u32,
    pub env: Vec<u8>,
    pub vtid: i64,
    pub vpid: i64,
    /// `subsys=path` entries, NUL-separated.
    pub cgroups: Vec<u8>,
    pub root: Vec<u8>,
    pub tty: u32,
    pub loginuid: u32,
    pub cap_inheritable: u64,
    pub cap_permitted: u64,
    pub cap_effective: u64,
    pub exe_from_memfd: bool,
}

/// What an fd list entry says an fd is (libscap's `scap_fd_type`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FdInfo {
    File {
        name: Vec<u8>,
        flags: u32,
    },
    Directory {
        name: Vec<u8>,
    },
    Ipv4 {
        sip: Ipv4Addr,
        sport: u16,
        dip: Ipv4Addr,
        dport: u16,
        l4: u8,
    },
    Ipv6 {
        sip: Ipv6Addr,
        sport: u16,
        dip: Ipv6Addr,
        dport: u16,
        l4: u8,
    },
    Ipv4Server {
        ip: Ipv4Addr,
        port: u16,
        l4: u8,
    },
    Ipv6Server {
        ip: Ipv6Addr,
        port: u16,
        l4: u8,
    },
    Unix {
        source: u64,
        dest: u64,
        name: Vec<u8>,
    },
    /// Any other kind (pipe, eventfd, netlink, memfd...): its scap type number and name.
    Other {
        kind: u8,
        name: Vec<u8>,
    },
}

pub const FD_FILE: u8 = 1;
pub const FD_DIRECTORY: u8 = 2;
pub const FD_IPV4: u8 = 3;
pub const FD_IPV6: u8 = 4;
pub const FD_IPV4_SERVER: u8 = 5;
pub const FD_IPV6_SERVER: u8 = 6;
pub const FD_FIFO: u8 = 7;
pub const FD_UNIX: u8 = 8;
pub const FD_EVENT: u8 = 9;
pub const FD_UNSUPPORTED: u8 = 10;
pub const FD_NETLINK: u8 = 15;
pub const FD_FILE_V2: u8 = 16;
pub const FD_MEMFD: u8 = 20;

/// Users and groups of the recording host.
#[derive(Clone, Debug, Default)]
pub struct UserList {
    pub users: Vec<(u32, String)>,
    pub groups: Vec<(u32, String)>,
}

/// Everything the metadata blocks said.
#[derive(Debug, Default)]
pub struct Metadata {
    pub hostname: Option<String>,
    pub threads: Vec<ThreadInfo>,
    pub fds: Vec<(u64, i64, FdInfo)>,
    pub users: UserList,
    pub unknown_blocks: u64,
}

impl Metadata {
    /// Takes one metadata block; `Ok(false)` when it is not one (an event block).
    pub fn read(&mut self, block: &Block) -> Result<bool, FormatError> {
        let mut c = Cursor::new(&block.body, block.offset + 8);
        match block.kind {
            MI | MI_INT => {
                // num_cpus u32, memory u64, max_pid u64, hostname[128].
                c.skip(20)?;
                let name = c.bytes(128.min(c.remaining()))?;
                self.hostname = Some(String::from_utf8_lossy(c_str(name)).into_owned());
            }
            PL_V1 | PL_V1_INT | PL_V2 | PL_V2_INT | PL_V3 | PL_V3_INT | PL_V4 | PL_V5 | PL_V6
            | PL_V7 | PL_V8 | PL_V9 => {
                while c.remaining() >= 4 {
                    self.threads.push(thread(&mut c, block.kind)?);
                }
            }
            FDL | FDL_INT | FDL_V2 => {
                let tid = c.u64()?;
                while c.remaining() >= 4 {
                    let (fd, info) = fd_entry(&mut c, block.kind == FDL_V2)?;
                    self.fds.push((tid, fd, info));
                }
            }
            UL | UL_INT | UL_V2 => {
                while c.remaining() >= 4 {
                    user_entry(&mut c, block.kind == UL_V2, &mut self.users)?;
                }
            }
            IL | IL_INT | IL_V2 => {}
            kind if is_event_block(kind) => return Ok(false),
            _ => self.unknown_blocks += 1,
        }
        Ok(true)
    }
}

fn c_str(b: &[u8]) -> &[u8] {
    &b[..b.iter().position(|&x| x == 0).unwrap_or(b.len())]
}

/// One process list entry (`scap_read_proclist` in libscap: the fields each block version
/// adds, then for version 9 the fields an entry's own length says it has).
fn thread(c: &mut Cursor<'_>, kind: u32) -> Result<ThreadInfo, FormatError> {
    let version = match kind {
        PL_V1 | PL_V1_INT => 1,
        PL_V2 | PL_V2_INT => 2,
        PL_V3 | PL_V3_INT => 3,
        PL_V4 => 4,
        PL_V5 => 5,
        PL_V6 => 6,
        PL_V7 => 7,
        PL_V8 => 8,
        _ => 9,
    };
    let start = c.pos();
    let sub_len = if version == 9 { c.u32()? as usize } else { 0 };
    let mut t = ThreadInfo {
        vtid: -1,
        vpid: -1,
        loginuid: u32::MAX,
        tid: c.u64()?,
        pid: c.u64()?,
        ptid: c.u64()?,
        ..ThreadInfo::default()
    };
    if version >= 6 {
        c.u64()?; // sid
    }
    if version >= 8 {
        c.u64()?; // vpgid
    }
    t.comm = c.string16("comm", 1024)?.to_vec();
    t.exe = c.string16("exe", 1024)?.to_vec();
    if version >= 7 {
        t.exepath = c.string16("exepath", 1024)?.to_vec();
    }
    t.args = c.string16("args", 65535)?.to_vec();
    t.cwd = c.string16("cwd", 1024)?.to_vec();
    t.fdlimit = c.u64()?;
    t.flags = c.u32()?;
    t.uid = c.u32()?;
    t.gid = c.u32()?;
    if version >= 2 {
        c.skip(4 + 4 + 4 + 8 + 8)?; // vmsize, vmrss, vmswap, pfmajor, pfminor
    }
    if version >= 3 {
        t.env = c.string16("env", 65535)?.to_vec();
    }
    if version >= 4 {
        t.vtid = c.u64()? as i64;
        t.vpid = c.u64()? as i64;
        t.cgroups = c.string16("cgroups", 65535)?.to_vec();
        if version >= 5 {
            t.root = c.string16("root", 1024)?.to_vec();
        }
    }
    if sub_len > 0 {
        let read = |c: &Cursor<'_>| c.pos() - start;
        let fits = |c: &Cursor<'_>, n: usize| read(c) + n <= sub_len;
        // Captures of libs before 0.10 lack two fields in the middle: they are told apart by
        // what is left (at most the 29 bytes of the older fields).
        if sub_len.saturating_sub(read(c)) > 29 {
            if fits(c, 8) {
                c.u64()?; // pidns_init_start_ts
            }
            if fits(c, 4) {
                t.tty = c.u32()?;
            }
        }
        if fits(c, 4) {
            t.loginuid = c.u32()?;
        }
        if fits(c, 1) {
            c.u8()?; // exe_writable
        }
        if fits(c, 8) {
            t.cap_inheritable = c.u64()?;
        }
        if fits(c, 8) {
            t.cap_permitted = c.u64()?;
        }
        if fits(c, 8) {
            t.cap_effective = c.u64()?;
        }
        if fits(c, 1) {
            c.u8()?; // exe_upper_layer
        }
        if fits(c, 24) {
            c.skip(24)?; // exe_ino, ctime, mtime
        }
        if fits(c, 1) {
            t.exe_from_memfd = c.u8()? != 0;
        }
        let used = read(c);
        if used > sub_len {
            return Err(FormatError {
                offset: 0,
                message: format!("process entry longer ({used}) than its length {sub_len}"),
            });
        }
        c.skip(sub_len - used)?;
    }
    Ok(t)
}

fn ipv4(c: &mut Cursor<'_>) -> Result<Ipv4Addr, FormatError> {
    // Stored in network order, as the kernel holds it.
    Ok(Ipv4Addr::from(<[u8; 4]>::try_from(c.bytes(4)?).expect("4")))
}

fn ipv6(c: &mut Cursor<'_>) -> Result<Ipv6Addr, FormatError> {
    Ok(Ipv6Addr::from(
        <[u8; 16]>::try_from(c.bytes(16)?).expect("16"),
    ))
}

/// One fd list entry (`scap_fd_read_from_disk`).
fn fd_entry(c: &mut Cursor<'_>, v2: bool) -> Result<(i64, FdInfo), FormatError> {
    let start = c.pos();
    let sub_len = if v2 { c.u32()? as usize } else { 0 };
    let fd = c.u64()? as i64;
    c.u64()?; // ino
    let kind = c.u8()?;
    let name = |c: &mut Cursor<'_>| -> Result<Vec<u8>, FormatError> {
        Ok(c.string16("fd name", 4096)?.to_vec())
    };
    let info = match kind {
        FD_IPV4 => {
            let sip = ipv4(c)?;
            let dip = ipv4(c)?;
            let (sport, dport, l4) = (c.u16()?, c.u16()?, c.u8()?);
            FdInfo::Ipv4 {
                sip,
                sport,
                dip,
                dport,
                l4,
            }
        }
        FD_IPV4_SERVER => FdInfo::Ipv4Server {
            ip: ipv4(c)?,
            port: c.u16()?,
            l4: c.u8()?,
        },
        FD_IPV6 => {
            let sip = ipv6(c)?;
            let dip = ipv6(c)?;
            let (sport, dport, l4) = (c.u16()?, c.u16()?, c.u8()?);
            FdInfo::Ipv6 {
                sip,
                sport,
                dip,
                dport,
                l4,
            }
        }
        FD_IPV6_SERVER => FdInfo::Ipv6Server {
            ip: ipv6(c)?,
            port: c.u16()?,
            l4: c.u8()?,
        },
        FD_UNIX => FdInfo::Unix {
            source: c.u64()?,
            dest: c.u64()?,
            name: name(c)?,
        },
        FD_FILE_V2 => {
            let flags = c.u32()?;
            let name = name(c)?;
            if sub_len > 0 && c.pos() - start + 4 <= sub_len {
                c.u32()?; // dev
            }
            FdInfo::File { name, flags }
        }
        FD_FILE => FdInfo::File {
            name: name(c)?,
            flags: 0,
        },
        FD_DIRECTORY => FdInfo::Directory { name: name(c)? },
        7 | 9..=15 | 17..=21 => FdInfo::Other {
            kind,
            name: name(c)?,
        },
        _ => FdInfo::Other {
            kind: FD_UNSUPPORTED,
            name: format!("unknown-type:[{kind}]").into_bytes(),
        },
    };
    if sub_len > 0 {
        let used = c.pos() - start;
        if used > sub_len {
            return Err(FormatError {
                offset: 0,
                message: format!("fd entry longer ({used}) than its length {sub_len}"),
            });
        }
        c.skip(sub_len - used)?;
    }
    Ok((fd, info))
}

fn user_entry(c: &mut Cursor<'_>, v2: bool, list: &mut UserList) -> Result<(), FormatError> {
    let start = c.pos();
    let sub_len = if v2 { c.u32()? as usize } else { 0 };
    let kind = c.u8()?;
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if kind == 0 {
        let uid = c.u32()?;
        c.u32()?; // gid
        let name = text(c.string16("user name", 255)?);
        c.string16("home", 255)?;
        c.string16("shell", 255)?;
        list.users.push((uid, name));
    } else {
        let gid = c.u32()?;
        let name = text(c.string16("group name", 255)?);
        list.groups.push((gid, name));
    }
    if sub_len > 0 {
        let used = c.pos() - start;
        if used > sub_len {
            return Err(FormatError {
                offset: 0,
                message: format!("user entry longer ({used}) than its length {sub_len}"),
            });
        }
        c.skip(sub_len - used)?;
    }
    Ok(())
}

impl FdInfo {
    /// The local and remote ends of an inet socket, as Saker's fd table keeps them.
    pub fn tuple(&self) -> Option<(IpAddr, u16, IpAddr, u16)> {
        match *self {
            FdInfo::Ipv4 {
                sip,
                sport,
                dip,
                dport,
                ..
            } => Some((sip.into(), sport, dip.into(), dport)),
            FdInfo::Ipv6 {
                sip,
                sport,
                dip,
                dport,
                ..
            } => Some((sip.into(), sport, dip.into(), dport)),
            _ => None,
        }
    }
}
