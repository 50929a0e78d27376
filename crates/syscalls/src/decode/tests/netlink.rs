//! Netlink messages in socket buffers. Expected lines are those of strace 6.1's own tests
//! (named at each case), with their fds and addresses.

use super::*;

const MSG_DONTWAIT: u64 = 0x40;
const NLM_F_REQUEST: u16 = 1;
const NLM_F_DUMP: u16 = 0x300;

/// A `struct nlmsghdr` with its payload after it; `len` is what the header claims.
fn nlmsg(len: u32, kind: u16, flags: u16, seq: u32, pid: u32, payload: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&len.to_ne_bytes());
    b.extend_from_slice(&kind.to_ne_bytes());
    b.extend_from_slice(&flags.to_ne_bytes());
    b.extend_from_slice(&seq.to_ne_bytes());
    b.extend_from_slice(&pid.to_ne_bytes());
    b.extend_from_slice(payload);
    b
}

/// A `struct nlattr` with its data.
fn nlattr(len: u16, kind: u16, data: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&len.to_ne_bytes());
    b.extend_from_slice(&kind.to_ne_bytes());
    b.extend_from_slice(data);
    b
}

/// `sendto(fd, buf, len, MSG_DONTWAIT, NULL, 0)` of `bytes` at 0x1000, returning `len`.
fn check_sendto(fd: u64, bytes: &[u8], style: &Style, expect_buf: &str) {
    let len = bytes.len() as u64;
    let mut m = Fixture::default().with(0x1000, bytes);
    check_style(
        "sendto",
        [fd, 0x1000, len, MSG_DONTWAIT, 0, 0],
        &mut m,
        len as i64,
        style,
        &format!("sendto({fd}, {expect_buf}, {len}, MSG_DONTWAIT, NULL, 0) = {len}"),
    );
}

const NOOP_HDR: &str =
    "nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST|0x300, nlmsg_seq=0, nlmsg_pid=0}";

#[test]
fn nlmsghdr_and_payloads() {
    let style = Style::default();
    // strace's netlink_protocol.c: less than a header is shown in hex.
    check_sendto(11, b"abcd", &style, r#""\x61\x62\x63\x64""#);
    // A header with a payload: the NOOP type has no flags of its own.
    let msg = nlmsg(20, 1, NLM_F_REQUEST | 0x300, 0, 0, b"abcd");
    check_sendto(
        11,
        &msg,
        &style,
        &format!(r#"[{{nlmsg_len=20, {NOOP_HDR}, "\x61\x62\x63\x64"]"#),
    );
    // Two messages.
    let two = [msg.clone(), msg.clone()].concat();
    let one = format!(r#"[{{nlmsg_len=20, {NOOP_HDR}, "\x61\x62\x63\x64"]"#);
    check_sendto(11, &two, &style, &format!("[{one}, {one}]"));
    // A length near 4 GiB aligns to 0: one message, its payload cut at the buffer.
    let huge = nlmsg(u32::MAX, 1, NLM_F_REQUEST | 0x300, 0, 0, b"abcd");
    check_sendto(
        11,
        &huge,
        &style,
        &format!(r#"[{{nlmsg_len=4294967295, {NOOP_HDR}, "\x61\x62\x63\x64"]"#),
    );
    // NLMSG_ERROR: the error and the request it answers, named by the socket's protocol.
    let inner = nlmsg(16, 1, NLM_F_REQUEST | 0x300, 42, 1234, b"");
    let err = nlmsg(
        36,
        2,
        NLM_F_REQUEST,
        0,
        0,
        &[&(-13i32).to_ne_bytes()[..], &inner].concat(),
    );
    check_sendto(
        11,
        &err,
        &style,
        "[{nlmsg_len=36, nlmsg_type=NLMSG_ERROR, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, \
         nlmsg_pid=0}, {error=-EACCES, msg={nlmsg_len=16, nlmsg_type=NLMSG_NOOP, \
         nlmsg_flags=NLM_F_REQUEST|0x300, nlmsg_seq=42, nlmsg_pid=1234}}]",
    );
    // NLMSG_DONE with one int.
    let done = nlmsg(20, 3, 2, 0, 0, &(-87097619i32).to_ne_bytes());
    check_sendto(
        11,
        &done,
        &style,
        "[{nlmsg_len=20, nlmsg_type=NLMSG_DONE, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=0, \
         nlmsg_pid=0}, -87097619]",
    );
}

#[test]
fn message_lists_are_bounded() {
    // strace's netlink_protocol.c: without -v, at most -s messages, then `...`.
    let msg = nlmsg(16, 1, NLM_F_REQUEST | 0x300, 0, 0, b"");
    let three = [msg.clone(), msg.clone(), msg.clone()].concat();
    let style = Style {
        string_limit: 2,
        ..Style::default()
    };
    let one = format!("{{nlmsg_len=16, {NOOP_HDR}");
    check_sendto(11, &three, &style, &format!("[{one}, {one}, ...]"));
    // A second message that cannot be read ends the list with its address.
    let msg = nlmsg(20, 1, NLM_F_REQUEST | 0x300, 0, 0, b"abcd");
    let mut m = Fixture::default().with(0x1000, &msg);
    check(
        "sendto",
        [11, 0x1000, 40, MSG_DONTWAIT, 0, 0],
        &mut m,
        -14,
        &format!(
            r#"sendto(11, [[{{nlmsg_len=20, {NOOP_HDR}, "\x61\x62\x63\x64"], ... /* 0x1014 */], 40, MSG_DONTWAIT, NULL, 0) = -1 EFAULT (Bad address)"#
        ),
    );
    // With -e verbose=none the buffer is a string, as strace's decode_sockbuf.
    let quiet = Style {
        dereference: false,
        ..Style::default()
    };
    check_sendto(11, b"abcd", &quiet, r#""abcd""#);
}

#[test]
fn socket_diag_messages() {
    // strace's nlattr.c: a unix_diag_msg reply and an attribute of an unknown type.
    let mut body = vec![1, 1, 4, 0];
    body.extend_from_slice(&[0; 12]);
    body.extend(nlattr(8, 8, b"1234"));
    let msg = nlmsg(40, 20, NLM_F_DUMP, 0, 0, &body);
    check_sendto(
        11,
        &msg,
        &Style::default(),
        r#"[{nlmsg_len=40, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, {udiag_family=AF_UNIX, udiag_type=SOCK_STREAM, udiag_state=TCP_FIN_WAIT1, udiag_ino=0, udiag_cookie=[0, 0]}, [{nla_len=8, nla_type=0x8 /* UNIX_DIAG_??? */}, "\x31\x32\x33\x34"]]"#,
    );
    // An attribute claiming more than the message holds shows what there is.
    let mut body = vec![1, 1, 4, 0];
    body.extend_from_slice(&[0; 12]);
    body.extend(nlattr(u16::MAX, 0, b"1234"));
    let msg = nlmsg(40, 20, NLM_F_DUMP, 0, 0, &body);
    check_sendto(
        11,
        &msg,
        &Style::default(),
        r#"[{nlmsg_len=40, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, {udiag_family=AF_UNIX, udiag_type=SOCK_STREAM, udiag_state=TCP_FIN_WAIT1, udiag_ino=0, udiag_cookie=[0, 0]}, [{nla_len=65535, nla_type=UNIX_DIAG_NAME}, "1234"...]]"#,
    );
}

#[test]
fn route_messages() {
    // strace's nlattr_ifaddrmsg.c: an ifaddrmsg and its IPv4 address attribute.
    let mut body = vec![2, 0, 1, 0];
    body.extend_from_slice(&0u32.to_ne_bytes());
    body.extend(nlattr(8, 1, &[127, 0, 0, 1]));
    let msg = nlmsg(32, 22, NLM_F_DUMP, 0, 0, &body);
    check_sendto(
        12,
        &msg,
        &Style::default(),
        r#"[{nlmsg_len=32, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, {ifa_family=AF_INET, ifa_prefixlen=0, ifa_flags=IFA_F_SECONDARY, ifa_scope=RT_SCOPE_UNIVERSE, ifa_index=0}, [{nla_len=8, nla_type=IFA_ADDRESS}, inet_addr("127.0.0.1")]]"#,
    );
    // strace's netlink_route.c: a message shorter than its fixed part.
    let msg = nlmsg(17, 16, NLM_F_REQUEST, 0, 0, &[1]);
    check_sendto(
        12,
        &msg,
        &Style::default(),
        "[{nlmsg_len=17, nlmsg_type=RTM_NEWLINK, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, \
         nlmsg_pid=0}, {ifi_family=AF_UNIX, ...}]",
    );
}

#[test]
fn netfilter_and_generic_types() {
    // strace's nfnetlink_acct.c: a subsystem and its message type.
    let msg = nlmsg(16, 7 << 8, NLM_F_REQUEST | 0x400, 0, 0, b"");
    check_sendto(
        13,
        &msg,
        &Style::default(),
        "{nlmsg_len=16, nlmsg_type=NFNL_SUBSYS_ACCT<<8|NFNL_MSG_ACCT_NEW, \
         nlmsg_flags=NLM_F_REQUEST|NLM_F_CREATE, nlmsg_seq=0, nlmsg_pid=0}",
    );
    // An unbound socket's protocol is unknown: only the control types are named.
    let msg = nlmsg(16, 0x10, NLM_F_REQUEST, 0, 0, b"");
    check_sendto(
        14,
        &msg,
        &Style::default(),
        "{nlmsg_len=16, nlmsg_type=0x10 /* NLMSG_??? */, nlmsg_flags=NLM_F_REQUEST, \
         nlmsg_seq=0, nlmsg_pid=0}",
    );
}

#[test]
fn netlink_fds_and_addresses() {
    // strace's net-yy-netlink.c: a bound socket by its protocol and port id.
    let yy = Style {
        fd_decode: 2,
        ..Style::default()
    };
    let mut m = Fixture::default();
    check_style(
        "close",
        [11, 0, 0, 0, 0, 0],
        &mut m,
        0,
        &yy,
        "close(11<NETLINK:[SOCK_DIAG:1234]>) = 0",
    );
    check_style(
        "close",
        [14, 0, 0, 0, 0, 0],
        &mut m,
        0,
        &yy,
        "close(14<NETLINK:[778]>) = 0",
    );
    // sendmsg to a netlink address: the iovec's data are netlink messages.
    let name = [16u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let msg = nlmsg(16, 20, NLM_F_REQUEST | NLM_F_DUMP, 0, 0, b"");
    let mut hdr = Vec::new();
    for v in [0x2000u64, 12, 0x3000, 1, 0, 0] {
        hdr.extend_from_slice(&v.to_ne_bytes());
    }
    hdr.extend_from_slice(&0u64.to_ne_bytes());
    let mut m = Fixture::default()
        .with(0x1000, &hdr)
        .with(0x2000, &name)
        .ptrs(0x3000, &[0x4000, 16])
        .with(0x4000, &msg);
    check(
        "sendmsg",
        [11, 0x1000, 0, 0, 0, 0],
        &mut m,
        16,
        "sendmsg(11, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, \
         msg_namelen=12, msg_iov=[{iov_base={nlmsg_len=16, nlmsg_type=SOCK_DIAG_BY_FAMILY, \
         nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, iov_len=16}], \
         msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 16",
    );
}

#[test]
fn hostile_buffers_never_panic() {
    // Every length and type pattern in a few bytes, on every kind of netlink socket.
    let style = Style {
        verbose: true,
        string_limit: 4,
        ..Style::default()
    };
    for fd in 11..=14 {
        for kind in [1u16, 2, 3, 16, 20, 22, 24, 36, 0x700, 0xa00, 0xffff] {
            for len in [0u32, 15, 16, 17, 20, 36, 0xffff, u32::MAX] {
                let mut body = vec![0xffu8; 64];
                body[..4].copy_from_slice(&4u32.to_ne_bytes());
                let msg = nlmsg(len, kind, 0xffff, 0, 0, &body);
                let mut m = Fixture::default().with(0x1000, &msg);
                for buf_len in [0u64, 16, 40, 80, 1 << 40] {
                    let _ = run("sendto", [fd, 0x1000, buf_len, 0, 0, 0], &mut m, 0, &style);
                    let _ = run(
                        "recvfrom",
                        [fd, 0x1000, buf_len, 0, 0, 0],
                        &mut m,
                        80,
                        &style,
                    );
                }
            }
        }
    }
}

#[test]
fn nesting_is_bounded() {
    // RTA_MULTIPATH holds route attributes, which may hold RTA_MULTIPATH again: a buffer
    // nesting them thousands deep shows the deep part in hex instead of exhausting the stack.
    let mut attrs: Vec<u8> = nlattr(8, 1, &[127, 0, 0, 1]);
    for _ in 0..2000 {
        let mut nexthop = Vec::new();
        nexthop.extend_from_slice(&((8 + attrs.len() + 4) as u16).to_ne_bytes());
        nexthop.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        let inner = [nexthop, attrs].concat();
        attrs = nlattr((inner.len() + 4) as u16, 9, &inner);
        if attrs.len() > 60000 {
            break;
        }
    }
    let mut body = vec![2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    body.extend(attrs);
    let msg = nlmsg((16 + body.len()) as u32, 24, NLM_F_REQUEST, 0, 0, &body);
    let mut m = Fixture::default().with(0x1000, &msg);
    let style = Style {
        verbose: true,
        ..Style::default()
    };
    let (_, done) = run(
        "sendto",
        [12, 0x1000, msg.len() as u64, 0, 0, 0],
        &mut m,
        0,
        &style,
    );
    assert_eq!(done.call.matches("rtnh_len=").count(), 16);
}

/// An RTM_GETLINK request on the route socket (fd 12) for a loopback link, with `attrs`.
fn getlink(attrs: &[u8]) -> Vec<u8> {
    let mut body = vec![1, 0];
    body.extend_from_slice(&0x304u16.to_ne_bytes());
    body.extend_from_slice(&0u32.to_ne_bytes());
    body.extend_from_slice(&1u32.to_ne_bytes());
    body.extend_from_slice(&0u32.to_ne_bytes());
    body.extend_from_slice(attrs);
    nlmsg((16 + body.len()) as u32, 18, NLM_F_DUMP, 0, 0, &body)
}

const GETLINK_HEAD: &str = "{nlmsg_len=LEN, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_DUMP, \
     nlmsg_seq=0, nlmsg_pid=0}, {ifi_family=AF_UNIX, ifi_type=ARPHRD_LOOPBACK, ifi_index=0, \
     ifi_flags=IFF_UP, ifi_change=0}";

#[test]
fn link_kinds_decide_link_data() {
    // strace's nlattr_ifla_linkinfo.c: data before its kind is hex; tun data after it.
    let linkinfo = [
        nlattr(8, 2, &[5, 0, 3, 0]),
        nlattr(8, 1, b"tun\0"),
        nlattr(12, 2, &nlattr(5, 3, &[1, 0, 0, 0])),
    ]
    .concat();
    let msg = getlink(&nlattr(32, 18, &linkinfo));
    check_sendto(
        12,
        &msg,
        &Style::default(),
        &format!(
            r#"[{}, [{{nla_len=32, nla_type=IFLA_LINKINFO}}, [[{{nla_len=8, nla_type=IFLA_INFO_DATA}}, "\x05\x00\x03\x00"], [{{nla_len=8, nla_type=IFLA_INFO_KIND}}, "tun"], [{{nla_len=12, nla_type=IFLA_INFO_DATA}}, [{{nla_len=5, nla_type=IFLA_TUN_TYPE}}, IFF_TUN]]]]]"#,
            GETLINK_HEAD.replace("LEN", "64")
        ),
    );
}

#[test]
fn string_attributes_expect_their_nul() {
    // strace's nlattr_ifinfomsg.c (decode_nla_str): the NUL is not shown, its absence is.
    for (name, shown) in [(&b"lo\0\0"[..], r#""lo\0""#), (b"eth0", r#""eth0"..."#)] {
        let msg = getlink(&nlattr(8, 3, name));
        check_sendto(
            12,
            &msg,
            &Style::default(),
            &format!(
                "[{}, [{{nla_len=8, nla_type=IFLA_IFNAME}}, {shown}]]",
                GETLINK_HEAD.replace("LEN", "40")
            ),
        );
    }
}

#[test]
fn hex_fields_print_as_c_does() {
    // strace's nlattr_rtmsg.c: rta_cacheinfo's rta_id is %#x, 0 for zero.
    let mut body = vec![2, 0, 0, 0, 0, 0, 0, 0];
    body.extend_from_slice(&0u32.to_ne_bytes());
    body.extend(nlattr(36, 12, &[0u8; 32]));
    let msg = nlmsg((16 + body.len()) as u32, 26, NLM_F_DUMP, 0, 0, &body);
    check_sendto(
        12,
        &msg,
        &Style::default(),
        "[{nlmsg_len=64, nlmsg_type=RTM_GETROUTE, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, \
         nlmsg_pid=0}, {rtm_family=AF_INET, rtm_dst_len=0, rtm_src_len=0, rtm_tos=0, \
         rtm_table=RT_TABLE_UNSPEC, rtm_protocol=RTPROT_UNSPEC, rtm_scope=RT_SCOPE_UNIVERSE, \
         rtm_type=RTN_UNSPEC, rtm_flags=0}, [{nla_len=36, nla_type=RTA_CACHEINFO}, \
         {rta_clntref=0, rta_lastuse=0, rta_expires=0, rta_error=0, rta_used=0, rta_id=0, \
         rta_ts=0, rta_tsage=0}]]",
    );
}
