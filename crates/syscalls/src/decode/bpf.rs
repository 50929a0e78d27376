//! bpf(2) attributes for the commands tools issue most (map create and element operations,
//! program load, pinning, info by fd), in strace 6.1's format. strace shows only the
//! fields that fit in the `size` argument; so does this.

use std::fmt::Write;

use super::Ctx;

const MAP_TYPES: &[&str] = &[
    "UNSPEC",
    "HASH",
    "ARRAY",
    "PROG_ARRAY",
    "PERF_EVENT_ARRAY",
    "PERCPU_HASH",
    "PERCPU_ARRAY",
    "STACK_TRACE",
    "CGROUP_ARRAY",
    "LRU_HASH",
    "LRU_PERCPU_HASH",
    "LPM_TRIE",
    "ARRAY_OF_MAPS",
    "HASH_OF_MAPS",
    "DEVMAP",
    "SOCKMAP",
    "CPUMAP",
    "XSKMAP",
    "SOCKHASH",
    "CGROUP_STORAGE",
    "REUSEPORT_SOCKARRAY",
    "PERCPU_CGROUP_STORAGE",
    "QUEUE",
    "STACK",
    "SK_STORAGE",
    "DEVMAP_HASH",
    "STRUCT_OPS",
    "RINGBUF",
    "INODE_STORAGE",
    "TASK_STORAGE",
    "BLOOM_FILTER",
    "USER_RINGBUF",
    "CGRP_STORAGE",
    "ARENA",
];

const PROG_TYPES: &[&str] = &[
    "UNSPEC",
    "SOCKET_FILTER",
    "KPROBE",
    "SCHED_CLS",
    "SCHED_ACT",
    "TRACEPOINT",
    "XDP",
    "PERF_EVENT",
    "CGROUP_SKB",
    "CGROUP_SOCK",
    "LWT_IN",
    "LWT_OUT",
    "LWT_XMIT",
    "SOCK_OPS",
    "SK_SKB",
    "CGROUP_DEVICE",
    "SK_MSG",
    "RAW_TRACEPOINT",
    "CGROUP_SOCK_ADDR",
    "LWT_SEG6LOCAL",
    "LIRC_MODE2",
    "SK_REUSEPORT",
    "FLOW_DISSECTOR",
    "CGROUP_SYSCTL",
    "RAW_TRACEPOINT_WRITABLE",
    "CGROUP_SOCKOPT",
    "TRACING",
    "STRUCT_OPS",
    "EXT",
    "LSM",
    "SK_LOOKUP",
    "SYSCALL",
];

const ATTACH_TYPES: &[&str] = &[
    "CGROUP_INET_INGRESS",
    "CGROUP_INET_EGRESS",
    "CGROUP_INET_SOCK_CREATE",
    "CGROUP_SOCK_OPS",
    "SK_SKB_STREAM_PARSER",
    "SK_SKB_STREAM_VERDICT",
    "CGROUP_DEVICE",
    "SK_MSG_VERDICT",
    "CGROUP_INET4_BIND",
    "CGROUP_INET6_BIND",
    "CGROUP_INET4_CONNECT",
    "CGROUP_INET6_CONNECT",
    "CGROUP_INET4_POST_BIND",
    "CGROUP_INET6_POST_BIND",
    "CGROUP_UDP4_SENDMSG",
    "CGROUP_UDP6_SENDMSG",
    "LIRC_MODE2",
    "FLOW_DISSECTOR",
    "CGROUP_SYSCTL",
    "CGROUP_UDP4_RECVMSG",
    "CGROUP_UDP6_RECVMSG",
    "CGROUP_GETSOCKOPT",
    "CGROUP_SETSOCKOPT",
    "TRACE_RAW_TP",
    "TRACE_FENTRY",
    "TRACE_FEXIT",
    "MODIFY_RETURN",
    "LSM_MAC",
    "TRACE_ITER",
    "CGROUP_INET4_GETPEERNAME",
    "CGROUP_INET6_GETPEERNAME",
    "CGROUP_INET4_GETSOCKNAME",
    "CGROUP_INET6_GETSOCKNAME",
    "XDP_DEVMAP",
    "CGROUP_INET_SOCK_RELEASE",
    "XDP_CPUMAP",
    "SK_LOOKUP",
    "XDP",
    "SK_SKB_VERDICT",
    "SK_REUSEPORT_SELECT",
    "SK_REUSEPORT_SELECT_OR_MIGRATE",
    "PERF_EVENT",
    "TRACE_KPROBE_MULTI",
    "LSM_CGROUP",
];

const MAP_FLAGS: &[(u64, &str)] = &[
    (1, "BPF_F_NO_PREALLOC"),
    (2, "BPF_F_NO_COMMON_LRU"),
    (4, "BPF_F_NUMA_NODE"),
    (8, "BPF_F_RDONLY"),
    (16, "BPF_F_WRONLY"),
    (32, "BPF_F_STACK_BUILD_ID"),
    (64, "BPF_F_ZERO_SEED"),
    (128, "BPF_F_RDONLY_PROG"),
    (256, "BPF_F_WRONLY_PROG"),
    (512, "BPF_F_CLONE"),
    (1024, "BPF_F_MMAPABLE"),
    (2048, "BPF_F_PRESERVE_ELEMS"),
    (4096, "BPF_F_INNER_MAP"),
];

const PROG_FLAGS: &[(u64, &str)] = &[
    (1, "BPF_F_STRICT_ALIGNMENT"),
    (2, "BPF_F_ANY_ALIGNMENT"),
    (4, "BPF_F_TEST_RND_HI32"),
    (8, "BPF_F_TEST_STATE_FREQ"),
    (16, "BPF_F_SLEEPABLE"),
    (32, "BPF_F_XDP_HAS_FRAGS"),
    (64, "BPF_F_XDP_DEV_BOUND_ONLY"),
];

const ELEM_FLAGS: &[(u64, &str)] = &[
    (0, "BPF_ANY"),
    (1, "BPF_NOEXIST"),
    (2, "BPF_EXIST"),
    (4, "BPF_F_LOCK"),
];

fn u32_at(b: &[u8], o: usize) -> u64 {
    u64::from(u32::from_ne_bytes(b[o..o + 4].try_into().unwrap_or([0; 4])))
}
fn u64_at(b: &[u8], o: usize) -> u64 {
    u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or([0; 8]))
}

/// A value named `prefix` + `names[v]`, in the `-X` style (`0x20 /* BPF_PROG_TYPE_??? */`
/// for an unknown one).
fn named(out: &mut String, prefix: &str, names: &[&str], v: u64, unknown: &'static str) {
    let name = names.get(v as usize).map(|n| format!("{prefix}{n}"));
    let x = crate::xlat::Xlat {
        entries: &[],
        unknown,
    };
    super::print::write_named(out, name.as_deref(), &x, |out| {
        super::print::write_hex(out, v)
    });
}

fn flags(out: &mut String, table: &'static [(u64, &'static str)], v: u64, unknown: &'static str) {
    super::print::write_flags(
        out,
        v,
        &crate::xlat::Xlat {
            entries: table,
            unknown,
        },
    );
}

/// Prints the attribute struct of `cmd` at `addr` (of `size` bytes) at entry. For
/// BPF_OBJ_GET_INFO_BY_FD it stops after `info_len` and returns that length: [`attr_exit`]
/// prints the rest.
pub(crate) fn attr(c: &mut Ctx, cmd: u64, addr: u64, size: u64) -> Option<u64> {
    let mut b = [0u8; 160];
    let n = (size as usize).min(b.len());
    if addr == 0 {
        c.s("NULL");
        return None;
    }
    if n == 0 || !c.read_exact(addr, &mut b[..n]) {
        c.ptr(addr);
        return None;
    }
    let fits = |end: usize| end <= n;
    // Each field is printed when it lies entirely within `size`.
    let mut first = true;
    macro_rules! sep {
        () => {
            if !first {
                c.s(", ");
            }
            #[allow(unused_assignments)]
            {
                first = false;
            }
        };
    }
    c.s("{");
    match cmd {
        0 => {
            if fits(4) {
                sep!();
                c.s("map_type=");
                named(
                    c.out,
                    "BPF_MAP_TYPE_",
                    MAP_TYPES,
                    u32_at(&b, 0),
                    "BPF_MAP_TYPE_???",
                );
            }
            for (name, off) in [("key_size", 4), ("value_size", 8), ("max_entries", 12)] {
                if fits(off + 4) {
                    sep!();
                    let _ = write!(c.out, "{name}={}", u32_at(&b, off));
                }
            }
            if fits(20) {
                sep!();
                c.s("map_flags=");
                flags(c.out, MAP_FLAGS, u32_at(&b, 16), "BPF_F_???");
            }
            if fits(24) {
                sep!();
                c.s("inner_map_fd=");
                c.fd(u32_at(&b, 20));
            }
            if fits(28) && u32_at(&b, 16) & 4 != 0 {
                sep!();
                let _ = write!(c.out, "numa_node={}", u32_at(&b, 24));
            }
            if fits(44) {
                sep!();
                c.s("map_name=");
                name16(c, &b[28..44]);
            }
            if fits(48) {
                sep!();
                let _ = write!(c.out, "map_ifindex={}", u32_at(&b, 44));
            }
            if fits(52) {
                sep!();
                c.s("btf_fd=");
                c.fd(u32_at(&b, 48));
            }
            for (name, off) in [
                ("btf_key_type_id", 52),
                ("btf_value_type_id", 56),
                ("btf_vmlinux_value_type_id", 60),
            ] {
                if fits(off + 4) {
                    sep!();
                    let _ = write!(c.out, "{name}={}", u32_at(&b, off));
                }
            }
            if fits(72) {
                sep!();
                let _ = write!(c.out, "map_extra={}", u64_at(&b, 64));
            }
        }
        1..=4 => {
            if fits(4) {
                sep!();
                c.s("map_fd=");
                c.fd(u32_at(&b, 0));
            }
            if fits(16) {
                sep!();
                c.s("key=");
                c.ptr(u64_at(&b, 8));
            }
            // BPF_MAP_DELETE_ELEM stops after the key.
            if cmd != 3 && fits(24) {
                sep!();
                c.s(if cmd == 4 { "next_key=" } else { "value=" });
                c.ptr(u64_at(&b, 16));
            }
            if (cmd == 1 || cmd == 2) && fits(32) {
                sep!();
                c.s("flags=");
                flags(c.out, ELEM_FLAGS, u64_at(&b, 24), "BPF_???");
            }
        }
        5 => prog_load(c, &b, n),
        6 | 7 => {
            if fits(8) {
                sep!();
                c.s("pathname=");
                c.path(u64_at(&b, 0));
            }
            if fits(12) {
                sep!();
                c.s("bpf_fd=");
                c.fd(u32_at(&b, 8));
            }
            if fits(16) {
                sep!();
                let _ = write!(c.out, "file_flags={}", u32_at(&b, 12));
            }
        }
        15 => {
            if fits(16) {
                sep!();
                c.s("info={bpf_fd=");
                c.fd(u32_at(&b, 0));
                let _ = write!(c.out, ", info_len={}", u32_at(&b, 4));
                // The kernel writes the length it filled back: the rest at exit. With -v
                // a map's info struct is decoded then (MAP_INFO_FLAG).
                let is_map = c.style.verbose
                    && c.fds.path(u32_at(&b, 0) as i32).as_deref() == Some("anon_inode:bpf-map");
                return Some(u32_at(&b, 4) | if is_map { MAP_INFO_FLAG } else { 0 });
            }
        }
        _ => {
            c.out.pop();
            c.ptr(addr);
            return None;
        }
    }
    tail(c, cmd, &b[..n]);
    None
}

/// BPF_OBJ_GET_INFO_BY_FD at exit: ` => N` when the kernel changed `info_len` from the
/// `entry_len` [`attr`] returned, then the info buffer's address and the rest of the struct.
pub(crate) fn attr_exit(c: &mut Ctx, cmd: u64, addr: u64, size: u64, saved: u64) {
    let mut b = [0u8; 160];
    let n = (size as usize).min(b.len());
    if c.read_exact(addr, &mut b[..n]) {
        let info_len = u32_at(&b, 4);
        if info_len != saved & 0xffff_ffff {
            let _ = write!(c.out, " => {info_len}");
        }
        c.s(", info=");
        let info = u64_at(&b, 8);
        let mut buf = vec![0u8; info_len.min(4096) as usize];
        if saved & MAP_INFO_FLAG != 0
            && (1..=4096).contains(&info_len)
            && c.read_exact(info, &mut buf)
        {
            map_info(c, &buf);
        } else {
            c.ptr(info);
        }
        c.s("}");
        tail(c, cmd, &b[..n]);
    } else {
        c.s("}}");
    }
}

/// In the value [`attr`] returns: the fd is a map and -v asks for its info struct.
pub(crate) const MAP_INFO_FLAG: u64 = 1 << 32;

/// struct bpf_map_info as BPF_OBJ_GET_INFO_BY_FD filled it (`b`: info_len bytes): the
/// fields that fit, in the groups older kernels lacked.
fn map_info(c: &mut Ctx, b: &[u8]) {
    const SIZE: usize = 88;
    let mut info = [0u8; SIZE];
    let len = b.len().min(SIZE);
    info[..len].copy_from_slice(&b[..len]);
    let i = &info;
    c.s("{type=");
    named(
        c.out,
        "BPF_MAP_TYPE_",
        MAP_TYPES,
        u32_at(i, 0),
        "BPF_MAP_TYPE_???",
    );
    let _ = write!(
        c.out,
        ", id={}, key_size={}, value_size={}, max_entries={}, map_flags=",
        u32_at(i, 4),
        u32_at(i, 8),
        u32_at(i, 12),
        u32_at(i, 16)
    );
    flags(c.out, MAP_FLAGS, u32_at(i, 20), "BPF_F_???");
    if len > 24 {
        c.s(", name=");
        name16(c, &i[24..40]);
    }
    if len > 40 {
        c.s(", ifindex=");
        super::sockaddr::ifindex(c, u32_at(i, 40) as u32);
        let _ = write!(
            c.out,
            ", btf_vmlinux_value_type_id={}, netns_dev=",
            u32_at(i, 44)
        );
        super::structs::write_dev(c.out, u64_at(i, 48));
        let _ = write!(c.out, ", netns_ino={}", u64_at(i, 56));
    }
    if len > 64 {
        let _ = write!(
            c.out,
            ", btf_id={}, btf_key_type_id={}, btf_value_type_id={}",
            u32_at(i, 64),
            u32_at(i, 68),
            u32_at(i, 72)
        );
        if b.len() > SIZE && b[SIZE..].iter().any(|x| *x != 0) {
            c.s(", extra_data=");
            super::print::quote(c.out, &b[SIZE..], 2, b"", true);
            let _ = write!(c.out, " /* bytes {SIZE}..{} */", b.len() - 1);
        }
    }
    c.s("}");
}

/// Bytes past the fields this command uses: strace shows `...` if any is non-zero
/// (`extra_data="..." /* bytes A..B */` with -v); then the struct's closing brace.
fn tail(c: &mut Ctx, cmd: u64, b: &[u8]) {
    let n = b.len();
    let known = match cmd {
        0 => 72,
        1 | 2 => 32,
        3 => 16,
        4 => 24,
        5 => 116,
        6 | 7 => 16,
        15 => 16,
        _ => n,
    };
    if n > known && b[known..n].iter().any(|x| *x != 0) {
        if c.style.verbose {
            c.s(", extra_data=");
            super::print::quote(c.out, &b[known..n], 2, b"", true);
            let _ = write!(c.out, " /* bytes {known}..{} */", n - 1);
        } else {
            c.s(", ...");
        }
    }
    c.s("}");
}

fn name16(c: &mut Ctx, raw: &[u8]) {
    let len = raw.iter().position(|x| *x == 0).unwrap_or(raw.len());
    super::print::quote(c.out, &raw[..len], c.style.hex, b"", true);
}

fn prog_load(c: &mut Ctx, b: &[u8], n: usize) {
    let fits = |end: usize| end <= n;
    let mut parts = 0;
    let mut sep = |c: &mut Ctx| {
        if parts > 0 {
            c.s(", ");
        }
        parts += 1;
    };
    if fits(4) {
        sep(c);
        c.s("prog_type=");
        named(
            c.out,
            "BPF_PROG_TYPE_",
            PROG_TYPES,
            u32_at(b, 0),
            "BPF_PROG_TYPE_???",
        );
    }
    if fits(8) {
        sep(c);
        let _ = write!(c.out, "insn_cnt={}", u32_at(b, 4));
    }
    if fits(16) {
        sep(c);
        c.s("insns=");
        c.ptr(u64_at(b, 8));
    }
    if fits(24) {
        sep(c);
        c.s("license=");
        c.cstr(u64_at(b, 16));
    }
    if fits(28) {
        sep(c);
        let _ = write!(c.out, "log_level={}", u32_at(b, 24));
    }
    if fits(32) {
        sep(c);
        let _ = write!(c.out, "log_size={}", u32_at(b, 28));
    }
    if fits(40) {
        sep(c);
        // The buffer's text at entry, up to log_size bytes (strace's printstr_ex).
        c.s("log_buf=");
        c.cstr_bounded(u64_at(b, 32), u32_at(b, 28));
    }
    if fits(44) {
        sep(c);
        let v = u32_at(b, 40);
        c.s("kern_version=");
        super::print::write_kernel_version(c.out, v as u32);
    }
    if fits(48) {
        sep(c);
        c.s("prog_flags=");
        flags(c.out, PROG_FLAGS, u32_at(b, 44), "BPF_F_???");
    }
    if fits(64) {
        sep(c);
        c.s("prog_name=");
        name16(c, &b[48..64]);
    }
    if fits(68) {
        sep(c);
        let _ = write!(c.out, "prog_ifindex={}", u32_at(b, 64));
    }
    if fits(72) {
        sep(c);
        c.s("expected_attach_type=");
        named(c.out, "BPF_", ATTACH_TYPES, u32_at(b, 68), "BPF_???");
    }
    if fits(76) {
        sep(c);
        c.s("prog_btf_fd=");
        c.fd(u32_at(b, 72));
    }
    if fits(80) {
        sep(c);
        let _ = write!(c.out, "func_info_rec_size={}", u32_at(b, 76));
    }
    if fits(88) {
        sep(c);
        c.s("func_info=");
        c.ptr(u64_at(b, 80));
    }
    for (name, off) in [("func_info_cnt", 88), ("line_info_rec_size", 92)] {
        if fits(off + 4) {
            sep(c);
            let _ = write!(c.out, "{name}={}", u32_at(b, off));
        }
    }
    if fits(104) {
        sep(c);
        c.s("line_info=");
        c.ptr(u64_at(b, 96));
    }
    for (name, off) in [("line_info_cnt", 104), ("attach_btf_id", 108)] {
        if fits(off + 4) {
            sep(c);
            let _ = write!(c.out, "{name}={}", u32_at(b, off));
        }
    }
    if fits(116) {
        sep(c);
        c.s("attach_prog_fd=");
        c.fd(u32_at(b, 112));
    }
    // Linux 5.14's fd_array, after 4 bytes of padding.
    if fits(128) {
        sep(c);
        c.s("fd_array=");
        c.ptr(u64_at(b, 120));
    }
}
