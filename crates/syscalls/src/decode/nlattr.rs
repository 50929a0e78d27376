//! Netlink attributes (strace's nlattr.c): lists of `struct nlattr` after a message's fixed
//! part, each with its type named by a table and its data decoded by the table's decoder
//! for that type ([`Nla`]), as hex bytes when there is none or it does not fit.

use std::fmt::Write;

use super::print;
use super::print::Ctx;
use super::sockaddr;
use super::structs::u16_at;
use crate::xlat::{self, Xlat};

/// `NLA_HDRLEN`: `sizeof(struct nlattr)`, aligned.
pub(crate) const NLA_HDRLEN: u32 = 4;
const NLA_F_NESTED: u16 = 0x8000;
const NLA_F_NET_BYTEORDER: u16 = 0x4000;
const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// The walk over the elements of a netlink buffer or attribute list, as strace's
/// decode_netlink and decode_nlattr loop: an element whose length covers less than its
/// header ends the list; several elements print as `[...]`.
pub(crate) struct Walk {
    addr: u64,
    len: u64,
    next: Option<(u64, u64)>,
    in_array: bool,
    count: usize,
}

impl Walk {
    pub(crate) fn new(addr: u64, len: u64) -> Walk {
        Walk {
            addr,
            len,
            next: None,
            in_array: false,
            count: 0,
        }
    }

    /// The next element's header, `header` bytes read by `read`; `None` at the end (after
    /// printing what is left: short bytes in hex, or the address that cannot be read).
    pub(crate) fn fetch<T>(
        &mut self,
        c: &mut Ctx,
        header: u32,
        read: impl FnOnce(&mut Ctx, u64) -> Option<T>,
    ) -> Option<T> {
        if self.len < u64::from(header) {
            c.buf_hex(self.addr, self.len);
            return None;
        }
        let got = read(c, self.addr);
        if got.is_none() {
            if self.in_array {
                c.s("... /* ");
                print::write_hex(c.out, self.addr);
                c.s(" */");
            } else {
                c.ptr(self.addr);
            }
        }
        got
    }

    /// Whether `-s` elements were shown already (not with `-v`): then `...` ends the list.
    pub(crate) fn at_limit(&mut self, c: &mut Ctx) -> bool {
        let limit = !c.style.verbose && self.count == c.style.string_limit;
        if limit || c.over_budget() {
            c.s("...");
            return true;
        }
        false
    }

    /// Records the element at the current address, `element_len` bytes by its header,
    /// and opens the list if another one follows.
    pub(crate) fn advance(&mut self, c: &mut Ctx, element_len: u64, header: u32) {
        self.next = None;
        // NLMSG_ALIGN/NLA_ALIGN in the header's own 32-bit width: a length near 4 GiB wraps
        // to 0 and ends the walk.
        let aligned = u64::from((element_len as u32).wrapping_add(3) & !3);
        if element_len >= u64::from(header) {
            let next_len = self.len.saturating_sub(aligned);
            let next_addr = self.addr.checked_add(aligned).filter(|n| *n > self.addr);
            if next_len > 0
                && let Some(next_addr) = next_addr
            {
                self.next = Some((next_addr, next_len));
            }
        }
        if !self.in_array && self.next.is_some() {
            c.s("[");
            self.in_array = true;
        }
        self.count += 1;
    }

    /// Where the current element starts and how many bytes are left from there.
    pub(crate) fn position(&self) -> (u64, u64) {
        (self.addr, self.len)
    }

    /// Moves to the next element, writing the separator; false when there is none.
    pub(crate) fn next(&mut self, c: &mut Ctx) -> bool {
        let Some((addr, len)) = self.next.take() else {
            return false;
        };
        c.s(", ");
        self.addr = addr;
        self.len = len;
        true
    }

    pub(crate) fn finish(&mut self, c: &mut Ctx) {
        if self.in_array {
            c.s("]");
        }
    }
}

/// How one attribute's data is shown (strace's `decode_nla_*` functions).
#[derive(Clone, Copy)]
pub(crate) enum Nla {
    /// No decoder: the bytes in hex.
    Hex,
    U8,
    U16,
    U32,
    U64,
    S32,
    X16,
    X32,
    /// `%#x` of a 1, 2, 4 or 8-byte datum.
    Xint,
    /// A string that should end in a NUL (not shown), `...` when it does not.
    Str,
    Fd,
    Uid,
    ClockT,
    Ifindex,
    /// `htons(N)`.
    Be16,
    /// `htobe64(N)`.
    Be64,
    InAddr,
    In6Addr,
    /// An address of the family the table user gives as context (`AF_INET`, `AF_INET6`),
    /// strace's decode_inet_addr; other families in hex.
    InetAddr,
    /// A hardware address, `xx:xx:...` (at most 32 bytes).
    Hwaddr,
    /// `htons(ETH_P_IP)`.
    EtherProto,
    IpProto,
    /// `[[SK_MEMINFO_RMEM_ALLOC]=0, ...]`.
    Meminfo,
    /// `[1, 2, 3]`: bytes in decimal.
    U8Array,
    /// A named value of at most 8 bytes (at least `.1` bytes when it is not 0).
    Xval(&'static Xlat, u8),
    /// Flags of at most 8 bytes (at least `.1` bytes when it is not 0).
    Flags(&'static Xlat, u8),
    /// A `u32` of flags at the start of the data.
    FlagsU32(&'static Xlat),
    /// Attributes inside the attribute.
    Nested(&'static NlaTable),
    /// A decoder of its own: data address, data length and the table user's context (or,
    /// in a [`NlaTable::uniform`] table, the attribute's type); false leaves it in hex.
    Custom(fn(&mut Ctx, u64, u32, u64) -> bool),
}

/// The attribute types of one list and how each one's data is decoded.
pub(crate) struct NlaTable {
    pub names: &'static Xlat,
    decoders: &'static [Nla],
    /// strace's `size == 0`: the one decoder serves every type, and gets the type.
    uniform: bool,
}

impl NlaTable {
    /// `decoders[type]` decodes the data of type `type`; other types show in hex.
    pub(crate) const fn indexed(names: &'static Xlat, decoders: &'static [Nla]) -> NlaTable {
        NlaTable {
            names,
            decoders,
            uniform: false,
        }
    }

    /// One decoder for all types.
    pub(crate) const fn uniform(names: &'static Xlat, decoder: &'static [Nla; 1]) -> NlaTable {
        NlaTable {
            names,
            decoders: decoder,
            uniform: true,
        }
    }

    /// Named types, data in hex.
    pub(crate) const fn names(names: &'static Xlat) -> NlaTable {
        NlaTable::indexed(names, &[])
    }
}

/// strace's decode_nlattr: the attributes in `len` bytes at `addr`; `ctx` is handed to
/// [`Nla::Custom`] decoders.
pub(crate) fn decode(c: &mut Ctx, addr: u64, len: u32, table: &NlaTable, ctx: u64) {
    // Attributes nest in attributes (RTA_MULTIPATH holds route attributes again): a
    // tracee's buffer must not choose how deep the decoder recurses.
    let depth = DEPTH.with(|d| d.get());
    if depth >= MAX_DEPTH {
        c.buf_hex(addr, u64::from(len));
        return;
    }
    DEPTH.with(|d| d.set(depth + 1));
    walk_attrs(c, addr, len, table, ctx);
    DEPTH.with(|d| d.set(depth));
}

/// How deep attribute lists nest before the rest is shown in hex.
const MAX_DEPTH: u32 = 16;

thread_local! {
    static DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

fn walk_attrs(c: &mut Ctx, addr: u64, len: u32, table: &NlaTable, ctx: u64) {
    let mut walk = Walk::new(addr, u64::from(len));
    while let Some((nla_len, nla_type)) = walk.fetch(c, NLA_HDRLEN, |c, at| {
        let mut b = [0u8; 4];
        c.read_exact(at, &mut b)
            .then(|| (u16_at(&b, 0), u16_at(&b, 2)))
    }) {
        if walk.at_limit(c) {
            break;
        }
        let (at, left) = walk.position();
        walk.advance(c, u64::from(nla_len), NLA_HDRLEN);
        with_data(c, nla_len, nla_type, at, left as u32, table, ctx);
        if !walk.next(c) {
            break;
        }
    }
    walk.finish(c);
}

/// One attribute: `{nla_len=8, nla_type=X}` or `[{nla_len=8, nla_type=X}, data]`.
fn with_data(
    c: &mut Ctx,
    nla_len: u16,
    nla_type: u16,
    addr: u64,
    len: u32,
    table: &NlaTable,
    ctx: u64,
) {
    let shown = u32::from(nla_len).min(len);
    let has_data = shown > NLA_HDRLEN;
    if has_data {
        c.s("[");
    }
    let _ = write!(c.out, "{{nla_len={nla_len}, nla_type=");
    for (bit, table) in [
        (NLA_F_NESTED, &NLA_NESTED),
        (NLA_F_NET_BYTEORDER, &NLA_NET_BYTEORDER),
    ] {
        if nla_type & bit != 0 {
            c.xval(u64::from(bit), table);
            c.s("|");
        }
    }
    let index = nla_type & NLA_TYPE_MASK;
    c.xval(u64::from(index), table.names);
    c.s("}");
    if has_data {
        c.s(", ");
        let (data, data_len) = (addr + u64::from(NLA_HDRLEN), shown - NLA_HDRLEN);
        let (decoder, ctx) = if table.uniform {
            (table.decoders.first(), u64::from(nla_type))
        } else {
            (table.decoders.get(usize::from(index)), ctx)
        };
        let decoded = decoder.is_some_and(|d| data_of(c, *d, data, data_len, ctx));
        if !decoded {
            c.buf_hex(data, u64::from(data_len));
        }
        c.s("]");
    }
}

/// Runs one decoder; false when the data does not fit it (then it is shown in hex).
pub(crate) fn data_of(c: &mut Ctx, nla: Nla, addr: u64, len: u32, ctx: u64) -> bool {
    match nla {
        Nla::Hex => false,
        Nla::U8 => int(c, addr, len, 1, |c, v| c.udec(v)),
        Nla::U16 => int(c, addr, len, 2, |c, v| c.udec(v)),
        Nla::U32 => int(c, addr, len, 4, |c, v| c.udec(v)),
        Nla::U64 => int(c, addr, len, 8, |c, v| c.udec(v)),
        Nla::S32 => int(c, addr, len, 4, |c, v| c.dec(i64::from(v as i32))),
        Nla::X16 => int(c, addr, len, 2, |c, v| c.hex(v)),
        Nla::X32 => int(c, addr, len, 4, |c, v| c.hex(v)),
        Nla::Xint => matches!(len, 1 | 2 | 4 | 8) && int(c, addr, len, len, |c, v| c.hex(v)),
        Nla::Str => {
            c.buf_expect_trailing_nul(addr, u64::from(len));
            true
        }
        Nla::Fd => int(c, addr, len, 4, |c, v| c.fd(v)),
        Nla::Uid => int(c, addr, len, 4, |c, v| c.uid(v)),
        Nla::ClockT => clock_t(c, addr, len),
        Nla::Ifindex => int(c, addr, len, 4, |c, v| sockaddr::ifindex(c, v as u32)),
        Nla::Be16 => int(c, addr, len, 2, |c, v| {
            let _ = write!(c.out, "htons({})", (v as u16).swap_bytes());
        }),
        Nla::Be64 => int(c, addr, len, 8, |c, v| {
            let _ = write!(c.out, "htobe64({})", v.swap_bytes());
        }),
        Nla::InAddr => bytes::<4>(c, addr, len, sockaddr::inet_addr_value),
        Nla::In6Addr => bytes::<16>(c, addr, len, |c, b| sockaddr::inet6_addr(c, None, b)),
        Nla::InetAddr => {
            inet_addr(c, addr, len, ctx, None);
            true
        }
        Nla::Hwaddr => hwaddr(c, addr, len),
        Nla::EtherProto => xval(c, addr, len, 2, |c, v| {
            c.s("htons(");
            c.xval(
                u64::from((v as u16).swap_bytes()),
                &sockaddr::ETHERNET_PROTOCOLS,
            );
            c.s(")");
        }),
        Nla::IpProto => xval(c, addr, len, 0, |c, v| c.xval(v, &xlat::INET_PROTOCOLS)),
        Nla::Meminfo => meminfo(c, addr, len),
        Nla::U8Array => {
            c.array(addr, u64::from(len), 1, |c, b| {
                c.udec(u64::from(b[0]));
                true
            });
            true
        }
        Nla::Xval(table, size) => xval(c, addr, len, size.into(), |c, v| c.xval(v, table)),
        Nla::Flags(table, size) => xval(c, addr, len, size.into(), |c, v| c.flags(v, table)),
        Nla::FlagsU32(table) => int(c, addr, len, 4, |c, v| c.flags(v, table)),
        Nla::Nested(table) => {
            decode(c, addr, len, table, ctx);
            true
        }
        Nla::Custom(f) => f(c, addr, len, ctx),
    }
}

/// strace's decode_inet_addr: an IPv4 or IPv6 address of `family` at the start of the data,
/// as `name=...` when named; in hex when the family has none or the data is too short.
pub(crate) fn inet_addr(c: &mut Ctx, addr: u64, len: u32, family: u64, name: Option<&str>) {
    const AF_INET: u64 = 2;
    const AF_INET6: u64 = 10;
    let size = match family {
        AF_INET => 4,
        AF_INET6 => 16,
        _ => 0,
    };
    let named = |c: &mut Ctx| {
        if let Some(name) = name {
            let _ = write!(c.out, "{name}=");
        }
    };
    let mut b = [0u8; 16];
    if size == 0 || len < size {
        named(c);
        c.buf_hex(addr, u64::from(len));
    } else if !c.read_exact(addr, &mut b[..size as usize]) {
        named(c);
        c.ptr(addr);
    } else if size == 4 {
        named(c);
        sockaddr::inet_addr_value(c, &b[..4]);
    } else {
        sockaddr::inet6_addr(c, name, &b);
    }
}

/// strace's decode_nla_hwaddr without a hardware type.
fn hwaddr(c: &mut Ctx, addr: u64, len: u32) -> bool {
    const MAX_ADDR_LEN: u32 = 32;
    if len > MAX_ADDR_LEN {
        return false;
    }
    let mut b = [0u8; MAX_ADDR_LEN as usize];
    let b = &mut b[..len as usize];
    if c.read_exact(addr, b) || len == 0 {
        sockaddr::hwaddr(c, b);
    } else {
        c.ptr(addr);
    }
    true
}

/// An integer of `size` bytes at the start of the data (which may be longer).
fn int(c: &mut Ctx, addr: u64, len: u32, size: u32, show: impl FnOnce(&mut Ctx, u64)) -> bool {
    if len < size {
        return false;
    }
    match read_uint(c, addr, size) {
        Some(v) => show(c, v),
        None => c.ptr(addr),
    }
    true
}

/// `N` bytes at the start of the data.
fn bytes<const N: usize>(
    c: &mut Ctx,
    addr: u64,
    len: u32,
    show: impl FnOnce(&mut Ctx, &[u8]),
) -> bool {
    if (len as usize) < N {
        return false;
    }
    let mut b = [0u8; N];
    if c.read_exact(addr, &mut b) {
        show(c, &b);
    } else {
        c.ptr(addr);
    }
    true
}

/// strace's decode_nla_xval: all of the data (at most 8 bytes, at least `size` when that is
/// not 0, only `size` of them when it is not 0) as one host-order integer.
fn xval(c: &mut Ctx, addr: u64, len: u32, size: u32, show: impl FnOnce(&mut Ctx, u64)) -> bool {
    if len > 8 || len < size {
        return false;
    }
    let len = if size > 0 { len.min(size) } else { len };
    match read_uint(c, addr, len) {
        Some(v) => show(c, v),
        None => c.ptr(addr),
    }
    true
}

/// `len` (at most 8) bytes as a little-endian unsigned integer.
pub(crate) fn read_uint(c: &mut Ctx, addr: u64, len: u32) -> Option<u64> {
    let mut b = [0u8; 8];
    let n = (len as usize).min(8);
    (n == 0 || c.read_exact(addr, &mut b[..n])).then(|| u64::from_le_bytes(b))
}

/// strace's decode_nla_clock_t: up to 8 bytes of clock ticks.
fn clock_t(c: &mut Ctx, addr: u64, len: u32) -> bool {
    if len > 8 {
        return false;
    }
    match read_uint(c, addr, len) {
        Some(v) => super::structs::clock_t(c, v),
        None => c.ptr(addr),
    }
    true
}

/// strace's decode_nla_meminfo: `u32` counters indexed by `SK_MEMINFO_*`.
fn meminfo(c: &mut Ctx, addr: u64, len: u32) -> bool {
    indexed_array(c, addr, len, 4, false, &SK_MEMINFO_INDICES)
}

/// strace's print_array_ex with PAF_PRINT_INDICES: the data as integers of `word` bytes
/// (4 or 8), each after its index's name, `[[NAME]=1, ...]`; false when not one fits.
pub(crate) fn indexed_array(
    c: &mut Ctx,
    addr: u64,
    len: u32,
    word: usize,
    signed: bool,
    names: &Xlat,
) -> bool {
    let count = len as usize / word;
    if count == 0 {
        return false;
    }
    let mut index = 0u64;
    c.array(addr, count as u64, word, |c, b| {
        c.s("[");
        c.xval_u(index, names);
        c.s("]=");
        let v = read_le(b);
        match (signed, word) {
            (true, 4) => c.dec(i64::from(v as u32 as i32)),
            (true, _) => c.dec(v as i64),
            (false, _) => c.udec(v),
        }
        index += 1;
        true
    });
    true
}

/// A named bit printed in the `-X` style (`print_xlat`).
const NLA_NESTED: Xlat = Xlat {
    entries: &[(NLA_F_NESTED as u64, "NLA_F_NESTED")],
    unknown: "",
};
const NLA_NET_BYTEORDER: Xlat = Xlat {
    entries: &[(NLA_F_NET_BYTEORDER as u64, "NLA_F_NET_BYTEORDER")],
    unknown: "",
};

xlat::xlat!(pub(crate) SK_MEMINFO_INDICES, "SK_MEMINFO_???", [
    0 => "SK_MEMINFO_RMEM_ALLOC", 1 => "SK_MEMINFO_RCVBUF", 2 => "SK_MEMINFO_WMEM_ALLOC",
    3 => "SK_MEMINFO_SNDBUF", 4 => "SK_MEMINFO_FWD_ALLOC", 5 => "SK_MEMINFO_WMEM_QUEUED",
    6 => "SK_MEMINFO_OPTMEM", 7 => "SK_MEMINFO_BACKLOG", 8 => "SK_MEMINFO_DROPS",
]);

/// A fixed-size attribute struct: false when the data is shorter (then hex), its address
/// when it cannot be read, else `fields` on its bytes.
pub(crate) fn attr_struct<const N: usize>(
    c: &mut Ctx,
    addr: u64,
    len: u32,
    fields: impl FnOnce(&mut Ctx, &[u8; N]),
) -> bool {
    if (len as usize) < N {
        return false;
    }
    let mut b = [0u8; N];
    if c.read_exact(addr, &mut b) {
        fields(c, &b);
    } else {
        c.ptr(addr);
    }
    true
}

/// A struct of unsigned fields of `word` bytes each (2, 4 or 8), `{name=1, other=2}`: false
/// when the data is shorter (then hex), its address when it cannot be read.
pub(crate) fn uint_struct(c: &mut Ctx, addr: u64, len: u32, word: usize, names: &[&str]) -> bool {
    uint_struct_since(c, addr, len, word, names, names.len())
}

/// [`uint_struct`] of a struct that grew: older kernels send its first `oldest` fields or
/// more; a length between two versions is not one of them (then hex).
pub(crate) fn uint_struct_since(
    c: &mut Ctx,
    addr: u64,
    len: u32,
    word: usize,
    names: &[&str],
    oldest: usize,
) -> bool {
    let len = len as usize;
    let count = if len >= names.len() * word {
        names.len()
    } else if len.is_multiple_of(word) && len / word >= oldest {
        len / word
    } else {
        return false;
    };
    let names = &names[..count];
    let size = count * word;
    let mut b = [0u8; 32 * 8];
    let Some(b) = b.get_mut(..size) else {
        return false;
    };
    if !c.read_exact(addr, b) {
        c.ptr(addr);
        return true;
    }
    write_uints(c, b, word, names);
    true
}

/// `{name=1, other=2}`: `b` as unsigned fields of `word` bytes.
fn write_uints(c: &mut Ctx, b: &[u8], word: usize, names: &[&str]) {
    c.s("{");
    for (i, name) in names.iter().enumerate() {
        let v = read_le(&b[i * word..(i + 1) * word]);
        let sep = if i > 0 { ", " } else { "" };
        let _ = write!(c.out, "{sep}{name}={v}");
    }
    c.s("}");
}

/// Up to 8 bytes as a host-order (little-endian) unsigned integer.
fn read_le(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    let n = b.len().min(8);
    w[..n].copy_from_slice(&b[..n]);
    u64::from_le_bytes(w)
}

/// [`attr_struct`] for data that may go on after the struct: the rest in hex after it.
pub(crate) fn struct_then_hex<const N: usize>(
    c: &mut Ctx,
    addr: u64,
    len: u32,
    fields: impl FnOnce(&mut Ctx, &[u8; N]),
) -> bool {
    let mut b = [0u8; N];
    bytes_then_hex(c, addr, len, &mut b, |c, b| {
        if let Ok(b) = <&[u8; N]>::try_from(b) {
            fields(c, b);
        }
    })
}

/// [`uint_struct`] for data that may go on after the struct: the rest in hex after it.
pub(crate) fn uint_struct_then_hex(
    c: &mut Ctx,
    addr: u64,
    len: u32,
    word: usize,
    names: &[&str],
) -> bool {
    let mut b = [0u8; 32 * 8];
    let Some(b) = b.get_mut(..names.len() * word) else {
        return false;
    };
    bytes_then_hex(c, addr, len, b, |c, b| write_uints(c, b, word, names))
}

/// `buf.len()` bytes at `addr` shown by `fields`, then what follows them in `len` in hex;
/// false when `len` is shorter, the address when they cannot be read.
fn bytes_then_hex(
    c: &mut Ctx,
    addr: u64,
    len: u32,
    buf: &mut [u8],
    fields: impl FnOnce(&mut Ctx, &[u8]),
) -> bool {
    let size = buf.len();
    if (len as usize) < size {
        return false;
    }
    if !c.read_exact(addr, buf) {
        c.ptr(addr);
        return true;
    }
    fields(c, buf);
    if len as usize > size {
        c.s(", ");
        c.buf_hex(addr + size as u64, u64::from(len) - size as u64);
    }
    true
}
