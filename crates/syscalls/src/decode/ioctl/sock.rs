//! Socket requests (type 0x89, linux/sockios.h) as strace 6.1's sock.c prints them: struct
//! ifreq by request, struct ifconf with its array of interfaces.

use std::fmt::Write;

use super::super::Ctx;
use super::super::sockaddr::{self, MAX_LEN};
use super::super::structs::{read_struct, u16_at, u32_at, u64_at};
use super::{Phase, char_array};

/// sizeof(struct ifreq) on x86_64.
const IFREQ_SIZE: usize = 40;

pub(super) static NAMES: &[(u32, &str)] = &[
    (0x8901, "FIOSETOWN"),
    (0x8902, "SIOCSPGRP"),
    (0x8903, "FIOGETOWN"),
    (0x8904, "SIOCGPGRP"),
    (0x8905, "SIOCATMARK"),
    (0x8906, "SIOCGSTAMP_OLD"),
    (0x8907, "SIOCGSTAMPNS_OLD"),
    (0x8010_8906, "SIOCGSTAMP_NEW"),
    (0x8010_8907, "SIOCGSTAMPNS_NEW"),
    (0x890b, "SIOCADDRT"),
    (0x890c, "SIOCDELRT"),
    (0x890d, "SIOCRTMSG"),
    (0x8910, "SIOCGIFNAME"),
    (0x8911, "SIOCSIFLINK"),
    (0x8912, "SIOCGIFCONF"),
    (0x8913, "SIOCGIFFLAGS"),
    (0x8914, "SIOCSIFFLAGS"),
    (0x8915, "SIOCGIFADDR"),
    (0x8916, "SIOCSIFADDR"),
    (0x8917, "SIOCGIFDSTADDR"),
    (0x8918, "SIOCSIFDSTADDR"),
    (0x8919, "SIOCGIFBRDADDR"),
    (0x891a, "SIOCSIFBRDADDR"),
    (0x891b, "SIOCGIFNETMASK"),
    (0x891c, "SIOCSIFNETMASK"),
    (0x891d, "SIOCGIFMETRIC"),
    (0x891e, "SIOCSIFMETRIC"),
    (0x891f, "SIOCGIFMEM"),
    (0x8920, "SIOCSIFMEM"),
    (0x8921, "SIOCGIFMTU"),
    (0x8922, "SIOCSIFMTU"),
    (0x8923, "SIOCSIFNAME"),
    (0x8924, "SIOCSIFHWADDR"),
    (0x8925, "SIOCGIFENCAP"),
    (0x8926, "SIOCSIFENCAP"),
    (0x8927, "SIOCGIFHWADDR"),
    (0x8929, "SIOCGIFSLAVE"),
    (0x8930, "SIOCSIFSLAVE"),
    (0x8931, "SIOCADDMULTI"),
    (0x8932, "SIOCDELMULTI"),
    (0x8933, "SIOCGIFINDEX"),
    (0x8934, "SIOCSIFPFLAGS"),
    (0x8935, "SIOCGIFPFLAGS"),
    (0x8936, "SIOCDIFADDR"),
    (0x8937, "SIOCSIFHWBROADCAST"),
    (0x8938, "SIOCGIFCOUNT"),
    (0x8940, "SIOCGIFBR"),
    (0x8941, "SIOCSIFBR"),
    (0x8942, "SIOCGIFTXQLEN"),
    (0x8943, "SIOCSIFTXQLEN"),
    (0x8946, "SIOCETHTOOL"),
    (0x8947, "SIOCGMIIPHY"),
    (0x8948, "SIOCGMIIREG"),
    (0x8949, "SIOCSMIIREG"),
    (0x894a, "SIOCWANDEV"),
    (0x894b, "SIOCOUTQNSD"),
    (0x894c, "SIOCGSKNS"),
    (0x8953, "SIOCDARP"),
    (0x8954, "SIOCGARP"),
    (0x8955, "SIOCSARP"),
    (0x8960, "SIOCDRARP"),
    (0x8961, "SIOCGRARP"),
    (0x8962, "SIOCSRARP"),
    (0x8970, "SIOCGIFMAP"),
    (0x8971, "SIOCSIFMAP"),
    (0x8980, "SIOCADDDLCI"),
    (0x8981, "SIOCDELDLCI"),
    (0x8982, "SIOCGIFVLAN"),
    (0x8983, "SIOCSIFVLAN"),
    (0x8990, "SIOCBONDENSLAVE"),
    (0x8991, "SIOCBONDRELEASE"),
    (0x8992, "SIOCBONDSETHWADDR"),
    (0x8993, "SIOCBONDSLAVEINFOQUERY"),
    (0x8994, "SIOCBONDINFOQUERY"),
    (0x8995, "SIOCBONDCHANGEACTIVE"),
    (0x89a0, "SIOCBRADDBR"),
    (0x89a1, "SIOCBRDELBR"),
    (0x89a2, "SIOCBRADDIF"),
    (0x89a3, "SIOCBRDELIF"),
    (0x89b0, "SIOCSHWTSTAMP"),
    (0x89b1, "SIOCGHWTSTAMP"),
];

const SET_IFREQ: [u32; 15] = [
    0x8931, 0x8932, 0x8916, 0x891a, 0x8918, 0x8914, 0x8924, 0x8937, 0x8971, 0x891e, 0x8922, 0x8923,
    0x891c, 0x8930, 0x8943,
];
const GET_IFREQ: [u32; 13] = [
    0x8915, 0x8919, 0x8917, 0x8913, 0x8927, 0x8933, 0x8970, 0x891d, 0x8921, 0x8910, 0x891b, 0x8929,
    0x8942,
];
const SIOCGIFNAME: u32 = 0x8910;
const SIOCGIFCONF: u32 = 0x8912;

/// strace's sock_ioctl.
pub(super) fn sock(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        SIOCGIFCONF => ifconf(c, arg),
        // SIOCBRADDBR, SIOCBRDELBR: a bridge name.
        0x89a0 | 0x89a1 => {
            c.next();
            c.cstr_bounded(arg, 16);
            Phase::Done
        }
        // FIOGETOWN, SIOCATMARK, SIOCGIFENCAP, SIOCGPGRP, SIOCOUTQNSD: an int written back.
        0x8903 | 0x8905 | 0x8925 | 0x8904 | 0x894b if c.entering() => Phase::Later,
        0x8903 | 0x8905 | 0x8925 | 0x8904 | 0x894b | 0x8901 | 0x8926 | 0x8902 => {
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, !c.entering()) {
                let _ = write!(c.out, "[{}]", u32_at(&b, 0) as i32);
            }
            Phase::Done
        }
        // SIOCBRADDIF, SIOCBRDELIF: the interface to add or remove.
        0x89a2 | 0x89a3 => {
            c.next();
            if let Some(b) = read_struct::<IFREQ_SIZE>(c, arg, false) {
                c.s("{ifr_ifindex=");
                sockaddr::ifindex(c, u32_at(&b, 16));
                c.s("}");
            }
            Phase::Done
        }
        _ if SET_IFREQ.contains(&code) => {
            c.next();
            if let Some(b) = read_struct::<IFREQ_SIZE>(c, arg, false) {
                c.s("{ifr_name=");
                char_array(c, &b[..16]);
                c.s(", ");
                ifreq_field(c, code, &b);
                c.s("}");
            }
            Phase::Done
        }
        _ if GET_IFREQ.contains(&code) => {
            if c.entering() {
                c.next();
                let Some(b) = read_struct::<IFREQ_SIZE>(c, arg, false) else {
                    return Phase::Done;
                };
                if code == SIOCGIFNAME {
                    let _ = write!(c.out, "{{ifr_ifindex={}", u32_at(&b, 16) as i32);
                } else {
                    c.s("{ifr_name=");
                    char_array(c, &b[..16]);
                }
                return Phase::Later;
            }
            let mut b = [0u8; IFREQ_SIZE];
            if c.ok() && c.read_exact(arg, &mut b) {
                c.s(", ");
                ifreq_field(c, code, &b);
            }
            c.s("}");
            Phase::Done
        }
        // The other known requests: their argument's address.
        _ if NAMES.iter().any(|&(known, _)| known == code) => {
            c.next();
            c.ptr(arg);
            Phase::Done
        }
        _ => Phase::Generic,
    }
}

/// The union member of struct ifreq this request uses.
fn ifreq_field(c: &mut Ctx, code: u32, b: &[u8]) {
    let address = |c: &mut Ctx, name: &str| {
        let _ = write!(c.out, "{name}=");
        let mut sa = [0u8; MAX_LEN + 1];
        sa[..16].copy_from_slice(&b[16..32]);
        sockaddr::write_sockaddr(c, &sa, 16);
    };
    match code {
        0x8916 | 0x8915 => address(c, "ifr_addr"),
        0x8918 | 0x8917 => address(c, "ifr_dstaddr"),
        0x891a | 0x8919 => address(c, "ifr_broadaddr"),
        0x891c | 0x891b => address(c, "ifr_netmask"),
        0x8931 | 0x8932 | 0x8927 | 0x8924 | 0x8937 => {
            let family = u16_at(b, 16);
            c.s("ifr_hwaddr={sa_family=");
            c.xval(u64::from(family), &sockaddr::ARP_HARDWARE_TYPES);
            c.s(", sa_data=");
            // An Ethernet address is six bytes; other types show all of sa_data.
            let len = if family == 1 { 6 } else { 14 };
            sockaddr::hwaddr(c, &b[18..18 + len]);
            c.s("}");
        }
        0x8914 | 0x8913 => {
            c.s("ifr_flags=");
            c.flags(u64::from(u16_at(b, 16)), &crate::xlat::IFF_FLAGS);
        }
        0x8933 => {
            let _ = write!(c.out, "ifr_ifindex={}", u32_at(b, 16) as i32);
        }
        0x891e | 0x891d => {
            let _ = write!(c.out, "ifr_metric={}", u32_at(b, 16) as i32);
        }
        0x8922 | 0x8921 => {
            let _ = write!(c.out, "ifr_mtu={}", u32_at(b, 16) as i32);
        }
        0x8930 | 0x8929 => {
            c.s("ifr_slave=");
            char_array(c, &b[16..32]);
        }
        0x8923 => {
            c.s("ifr_newname=");
            char_array(c, &b[16..32]);
        }
        SIOCGIFNAME => {
            c.s("ifr_name=");
            char_array(c, &b[..16]);
        }
        0x8943 | 0x8942 => {
            let _ = write!(c.out, "ifr_qlen={}", u32_at(b, 16) as i32);
        }
        _ => {
            c.s("ifr_map={mem_start=");
            c.hex(u64_at(b, 16));
            c.s(", mem_end=");
            c.hex(u64_at(b, 24));
            c.s(", base_addr=");
            c.hex(u64::from(u16_at(b, 32)));
            c.s(", irq=");
            c.hex(u64::from(b[34]));
            c.s(", dma=");
            c.hex(u64::from(b[35]));
            c.s(", port=");
            c.hex(u64::from(b[36]));
            c.s("}");
        }
    }
}

/// `80 /* 2 * sizeof(struct ifreq) */`: an ifc_len, with the count when it is a whole one.
fn ifc_len(c: &mut Ctx, len: i32) {
    let _ = write!(c.out, "{len}");
    let n = len as u32 as usize / IFREQ_SIZE;
    if len > 0 && n * IFREQ_SIZE == len as usize {
        let _ = write!(c.out, " /* {n} * sizeof(struct ifreq) */");
    }
}

/// SIOCGIFCONF: ifc_len (and what the kernel changed it to) and the interfaces it listed.
fn ifconf(c: &mut Ctx, arg: u64) -> Phase {
    if c.entering() {
        c.next();
        let mut b = [0u8; 16];
        if !c.read_exact(arg, &mut b) {
            c.ptr(arg);
            return Phase::Done;
        }
        let (len, buf) = (u32_at(&b, 0) as i32, u64_at(&b, 8));
        c.s("{ifc_len=");
        if buf != 0 {
            ifc_len(c, len);
        }
        c.saved[1] = u64::from(len as u32);
        c.saved[2] = buf;
        return Phase::Later;
    }
    let (entry_len, entry_buf) = (c.saved[1] as u32 as i32, c.saved[2]);
    let mut b = [0u8; 16];
    if !c.read_exact(arg, &mut b) {
        if entry_buf == 0 {
            ifc_len(c, entry_len);
        }
        c.s(", ifc_buf=");
        c.ptr(entry_buf);
        c.s("}");
        return Phase::Done;
    }
    let (len, buf) = (u32_at(&b, 0) as i32, u64_at(&b, 8));
    if entry_buf != 0 && entry_len != len {
        c.s(" => ");
    }
    if entry_buf == 0 || entry_len != len {
        ifc_len(c, len);
    }
    c.s(", ifc_buf=");
    if entry_buf == 0 || !c.ok() {
        c.ptr(entry_buf);
        if entry_buf != buf {
            c.s(" => ");
            c.ptr(buf);
        }
    } else {
        let count = len as u32 as usize / IFREQ_SIZE;
        c.array(buf, count as u64, IFREQ_SIZE, |c, e| {
            c.s("{ifr_name=");
            char_array(c, &e[..16]);
            c.s(", ifr_addr=");
            let mut sa = [0u8; MAX_LEN + 1];
            sa[..16].copy_from_slice(&e[16..32]);
            sockaddr::write_sockaddr(c, &sa, 16);
            c.s("}");
            true
        });
    }
    c.s("}");
    Phase::Done
}
