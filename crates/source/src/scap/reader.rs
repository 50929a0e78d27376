//! The libscap file format (`.scap`), read block by block; docs/capture-format.md has the
//! layout.
//!
//! A file is a section header block followed by blocks, each `type u32, total_length u32,
//! body, total_length u32` with the body padded to 4 bytes. Before the events come metadata
//! blocks (machine info, process list, fd lists, interface and user lists); then event
//! blocks. Every length is checked against what is left; memory grows only with bytes that
//! were actually read, so a length field claiming gigabytes in a short file costs nothing.

use std::io::{self, Read};

use super::table;

pub const SHB: u32 = 0x0A0D_0D0A;
pub const SHB_MAGIC: u32 = 0x1A2B_3C4D;
pub const MI: u32 = 0x201;
pub const MI_INT: u32 = 0x8002_ABCD;
pub const PL_V1: u32 = 0x202;
pub const PL_V1_INT: u32 = 0x8000_ABCD;
pub const PL_V2: u32 = 0x207;
pub const PL_V2_INT: u32 = 0x8013_ABCD;
pub const PL_V3: u32 = 0x209;
pub const PL_V3_INT: u32 = 0x8014_ABCD;
pub const PL_V4: u32 = 0x210;
pub const PL_V5: u32 = 0x211;
pub const PL_V6: u32 = 0x212;
pub const PL_V7: u32 = 0x213;
pub const PL_V8: u32 = 0x214;
pub const PL_V9: u32 = 0x215;
pub const FDL: u32 = 0x203;
pub const FDL_INT: u32 = 0x8001_ABCD;
pub const FDL_V2: u32 = 0x218;
pub const EV: u32 = 0x204;
pub const EV_INT: u32 = 0x8010_ABCD;
pub const EV_V2: u32 = 0x216;
pub const EV_V2_LARGE: u32 = 0x221;
pub const EVF: u32 = 0x208;
pub const EVF_V2: u32 = 0x217;
pub const EVF_V2_LARGE: u32 = 0x222;
pub const IL: u32 = 0x205;
pub const IL_INT: u32 = 0x8011_ABCD;
pub const IL_V2: u32 = 0x219;
pub const UL: u32 = 0x206;
pub const UL_INT: u32 = 0x8012_ABCD;
pub const UL_V2: u32 = 0x220;

/// Largest event block of the non-large types (libscap's reader buffer).
const MAX_EVENT_BLOCK: u32 = 8 << 20;
/// Largest block of any other kind Saker accepts: a process list of a large host is tens of
/// MiB; beyond this the file is taken as corrupt rather than read into memory.
const MAX_BLOCK: u32 = 1 << 30;

/// What went wrong, and where (byte offset in the decompressed stream).
#[derive(Debug)]
pub struct FormatError {
    pub offset: u64,
    pub message: String,
}

fn err<T>(offset: u64, message: impl Into<String>) -> Result<T, FormatError> {
    Err(FormatError {
        offset,
        message: message.into(),
    })
}

/// One block: its type, where it started, its body (without header and trailer).
#[derive(Debug, Default)]
pub struct Block {
    pub kind: u32,
    pub offset: u64,
    pub body: Vec<u8>,
}

/// Reads blocks from a (decompressed) stream.
pub struct BlockReader<R: Read> {
    input: R,
    offset: u64,
    /// Bytes read ahead while looking for a misplaced trailer, handed out first.
    pushback: Vec<u8>,
    /// Blocks whose declared length was wrong and whose end was found by their trailer.
    pub repaired: u64,
}

/// Blocks up to this size are read into a buffer sized at once (at most this much is
/// allocated for a length that the file does not hold).
const SMALL_BLOCK: usize = 1 << 20;

/// How far past a block's declared end its trailer is looked for (sysdig 0.29's writer
/// leaves the 4-byte entry lengths out of an interface list's block length).
const RESYNC_WINDOW: usize = 64 << 10;

impl<R: Read> Read for BlockReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.pushback.is_empty() {
            let n = buf.len().min(self.pushback.len());
            buf[..n].copy_from_slice(&self.pushback[..n]);
            self.pushback.drain(..n);
            return Ok(n);
        }
        self.input.read(buf)
    }
}

impl<R: Read> BlockReader<R> {
    pub fn new(input: R) -> BlockReader<R> {
        BlockReader {
            input,
            offset: 0,
            pushback: Vec::new(),
            repaired: 0,
        }
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Reads exactly `buf.len()` bytes; `Ok(false)` at a clean end before the first byte.
    fn read_exact_or_end(&mut self, buf: &mut [u8]) -> Result<bool, FormatError> {
        let mut done = 0;
        while done < buf.len() {
            match Read::read(self, &mut buf[done..]) {
                Ok(0) if done == 0 => return Ok(false),
                Ok(0) => {
                    return err(
                        self.offset + done as u64,
                        format!(
                            "the file ends inside a block header ({done} of {} bytes)",
                            buf.len()
                        ),
                    );
                }
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return err(self.offset + done as u64, read_error(&e)),
            }
        }
        self.offset += buf.len() as u64;
        Ok(true)
    }

    /// The next block into `block` (its buffer reused); `Ok(false)` at the end of the file.
    pub fn next_into(&mut self, block: &mut Block) -> Result<bool, FormatError> {
        let start = self.offset;
        let mut header = [0u8; 8];
        if !self.read_exact_or_end(&mut header)? {
            return Ok(false);
        }
        let kind = u32::from_le_bytes(header[..4].try_into().expect("4 bytes"));
        let total = u32::from_le_bytes(header[4..].try_into().expect("4 bytes"));
        if total < 12 {
            return err(
                start,
                format!("block of type {kind:#x} has length {total}, less than a block header"),
            );
        }
        let limit = if is_event_block(kind) && !matches!(kind, EV_V2_LARGE | EVF_V2_LARGE) {
            MAX_EVENT_BLOCK
        } else {
            MAX_BLOCK
        };
        if total > limit {
            return err(
                start,
                format!("block of type {kind:#x} claims {total} bytes (more than {limit})"),
            );
        }
        let body_len = (total - 12) as usize;
        block.kind = kind;
        block.offset = start;
        block.body.clear();
        if body_len <= SMALL_BLOCK {
            // The common case, read in one call into the reused buffer.
            block.body.resize(body_len, 0);
            let mut done = 0;
            while done < body_len {
                match Read::read(self, &mut block.body[done..]) {
                    Ok(0) => break,
                    Ok(n) => done += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        return err(self.offset + done as u64, read_error(&e));
                    }
                }
            }
            self.offset += done as u64;
            if done < body_len {
                return err(
                    start,
                    format!(
                        "the file ends inside a block of type {kind:#x} ({done} of {body_len} bytes; truncated?)"
                    ),
                );
            }
            return self.trailer(block, kind, total, start);
        }
        // Grows only with what is read: a corrupt length in a short file allocates little.
        let read = self
            .by_ref()
            .take(body_len as u64)
            .read_to_end(&mut block.body)
            .map_err(|e| FormatError {
                offset: self.offset,
                message: read_error(&e),
            })?;
        self.offset += read as u64;
        if read < body_len {
            return err(
                start,
                format!(
                    "the file ends inside a block of type {kind:#x} ({read} of {body_len} bytes; truncated?)"
                ),
            );
        }
        self.trailer(block, kind, total, start)
    }

    fn trailer(
        &mut self,
        block: &mut Block,
        kind: u32,
        total: u32,
        start: u64,
    ) -> Result<bool, FormatError> {
        let mut trailer = [0u8; 4];
        if !self.read_exact_or_end(&mut trailer)? {
            return err(
                self.offset,
                "the file ends before a block's trailer (truncated?)",
            );
        }
        let trailer = u32::from_le_bytes(trailer);
        if trailer != total {
            if !is_event_block(kind) && self.resync(block, total, trailer)? {
                self.repaired += 1;
                return Ok(true);
            }
            return err(
                start,
                format!("block length {total} and trailer {trailer} differ (corrupt file)"),
            );
        }
        Ok(true)
    }

    /// A metadata block whose length field is short: reads on, 4 bytes at a time, until its
    /// trailer is followed by a known block type, within [`RESYNC_WINDOW`]. The bytes read
    /// past a failed search are handed out again.
    fn resync(&mut self, block: &mut Block, total: u32, first: u32) -> Result<bool, FormatError> {
        let mut extra = first.to_le_bytes().to_vec();
        while extra.len() < RESYNC_WINDOW {
            let mut word = [0u8; 4];
            if !self.read_exact_or_end(&mut word).unwrap_or(false) {
                break;
            }
            extra.extend(word);
            let n = extra.len();
            if n >= 8 && extra[n - 8..n - 4] == total.to_le_bytes() {
                let next = u32::from_le_bytes(word);
                if is_known_block(next) {
                    block.body.extend(&extra[..n - 8]);
                    self.offset -= 4;
                    self.pushback.splice(0..0, word);
                    return Ok(true);
                }
            }
        }
        // Not found: the bytes go back, the caller reports the mismatch.
        self.offset -= (extra.len() - 4) as u64;
        self.pushback.splice(0..0, extra[4..].iter().copied());
        Ok(false)
    }
}

fn is_known_block(kind: u32) -> bool {
    is_event_block(kind)
        || matches!(
            kind,
            SHB | MI
                | MI_INT
                | PL_V1
                | PL_V1_INT
                | PL_V2
                | PL_V2_INT
                | PL_V3
                | PL_V3_INT
                | PL_V4
                | PL_V5
                | PL_V6
                | PL_V7
                | PL_V8
                | PL_V9
                | FDL
                | FDL_INT
                | FDL_V2
                | IL
                | IL_INT
                | IL_V2
                | UL
                | UL_INT
                | UL_V2
        )
}

/// A read error as the user should read it: a cut gzip stream is a truncated file.
fn read_error(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::UnexpectedEof || e.to_string().contains("deflate") {
        format!("the file ends early (truncated?): {e}")
    } else {
        format!("read error: {e}")
    }
}

pub fn is_event_block(kind: u32) -> bool {
    matches!(
        kind,
        EV | EV_INT | EV_V2 | EV_V2_LARGE | EVF | EVF_V2 | EVF_V2_LARGE
    )
}

/// The section header: checks the magic and the major version.
pub fn section_header(block: &Block) -> Result<(u16, u16), FormatError> {
    if block.kind != SHB {
        return err(
            block.offset,
            format!(
                "not a .scap file (first block type {:#x}, expected the section header {SHB:#x})",
                block.kind
            ),
        );
    }
    let mut c = Cursor::new(&block.body, block.offset + 8);
    let magic = c.u32()?;
    if magic == SHB_MAGIC.swap_bytes() {
        return err(
            block.offset,
            "a big-endian capture; only little-endian files are read",
        );
    }
    if magic != SHB_MAGIC {
        return err(block.offset, format!("bad section magic {magic:#x}"));
    }
    let major = c.u16()?;
    let minor = c.u16()?;
    if major > 1 {
        return err(
            block.offset,
            format!("format version {major}.{minor}; this reader knows 1.x"),
        );
    }
    Ok((major, minor))
}

/// A little-endian reader over a block body, whose errors carry the file offset.
pub struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
    base: u64,
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8], base: u64) -> Cursor<'a> {
        Cursor { data, pos: 0, base }
    }

    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], FormatError> {
        if self.remaining() < n {
            return err(
                self.base + self.pos as u64,
                format!("{n} bytes needed, {} left in the block", self.remaining()),
            );
        }
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub fn skip(&mut self, n: usize) -> Result<(), FormatError> {
        self.bytes(n).map(|_| ())
    }

    pub fn u8(&mut self) -> Result<u8, FormatError> {
        Ok(self.bytes(1)?[0])
    }
    pub fn u16(&mut self) -> Result<u16, FormatError> {
        Ok(u16::from_le_bytes(self.bytes(2)?.try_into().expect("2")))
    }
    pub fn u32(&mut self) -> Result<u32, FormatError> {
        Ok(u32::from_le_bytes(self.bytes(4)?.try_into().expect("4")))
    }
    pub fn u64(&mut self) -> Result<u64, FormatError> {
        Ok(u64::from_le_bytes(self.bytes(8)?.try_into().expect("8")))
    }

    /// A `u16` length then that many bytes, at most `max`.
    pub fn string16(&mut self, what: &str, max: usize) -> Result<&'a [u8], FormatError> {
        let at = self.base + self.pos as u64;
        let len = usize::from(self.u16()?);
        if len > max {
            return err(at, format!("{what} length {len} over {max}"));
        }
        self.bytes(len)
    }
}

/// One event, borrowed from its block.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub ts: u64,
    pub tid: u64,
    pub kind: u16,
    pub cpu: u16,
    /// The EVF blocks' flags (0 otherwise).
    pub flags: u32,
    /// Parameter values.
    params: &'a [u8],
    lens: &'a [u8],
    len_width: usize,
    nparams: usize,
    /// End offsets (in `params`) of the first [`INDEXED`] parameters, so that `param(i)` does
    /// not walk the lengths.
    ends: [u32; INDEXED],
}

/// Parameters indexed per event: more than any event type of the table has.
const INDEXED: usize = 24;

impl<'a> Event<'a> {
    pub fn nparams(&self) -> usize {
        self.nparams
    }

    /// Iterates over the parameters' bytes.
    pub fn params(&self) -> ParamIter<'a> {
        ParamIter {
            lens: self.lens,
            values: self.params,
            width: self.len_width,
        }
    }

    /// Parameter `i`, `None` when the event has fewer.
    pub fn param(&self, i: usize) -> Option<&'a [u8]> {
        if i >= self.nparams {
            return None;
        }
        if i < INDEXED {
            let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
            return self.params.get(start..self.ends[i] as usize);
        }
        self.params().nth(i)
    }
}

pub struct ParamIter<'a> {
    lens: &'a [u8],
    values: &'a [u8],
    width: usize,
}

impl<'a> Iterator for ParamIter<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.lens.len() < self.width {
            return None;
        }
        let (len, rest) = self.lens.split_at(self.width);
        self.lens = rest;
        let len = if self.width == 4 {
            u32::from_le_bytes(len.try_into().ok()?) as usize
        } else {
            usize::from(u16::from_le_bytes(len.try_into().ok()?))
        };
        // Lengths were checked when the event was parsed.
        let (value, rest) = self.values.split_at(len.min(self.values.len()));
        self.values = rest;
        Some(value)
    }
}

/// The event type of an event block, without parsing the event.
pub fn peek_kind(block: &Block) -> Option<u16> {
    let flags = if matches!(block.kind, EVF | EVF_V2 | EVF_V2_LARGE) {
        4
    } else {
        0
    };
    let at = 2 + flags + 20;
    Some(u16::from_le_bytes(
        block.body.get(at..at + 2)?.try_into().ok()?,
    ))
}

/// Parses the event of an event block. `Ok(None)` for a type this reader does not know
/// (a newer capture): skipped, like libscap does.
pub fn parse_event(block: &Block) -> Result<Option<Event<'_>>, FormatError> {
    let mut c = Cursor::new(&block.body, block.offset + 8);
    let cpu = c.u16()?;
    let flags = if matches!(block.kind, EVF | EVF_V2 | EVF_V2_LARGE) {
        c.u32()?
    } else {
        0
    };
    let event_start = c.pos();
    let ts = c.u64()?;
    let tid = c.u64()?;
    let len = c.u32()? as usize;
    let kind = c.u16()?;
    let v2 = matches!(block.kind, EV_V2 | EV_V2_LARGE | EVF_V2 | EVF_V2_LARGE);
    let header_len = if v2 { 26 } else { 22 };
    let Some(info) = table::info(kind) else {
        return Ok(None);
    };
    let at = block.offset + 8 + event_start as u64;
    let available = block.body.len() - event_start;
    let width = if info.large_payload { 4 } else { 2 };
    let (nparams, event_len) = if v2 {
        let nparams = c.u32()? as usize;
        if len < header_len || len > available {
            return err(
                at,
                format!("event length {len} does not fit its block ({available} bytes)"),
            );
        }
        (nparams, len)
    } else {
        // Old events have no parameter count: the most parameters whose lengths add up to
        // the event's length (libscap's conversion of v1 blocks).
        let len = len.min(available);
        let body = &block.body[event_start + header_len..event_start + len.max(header_len)];
        match v1_param_count(body, info.params.len(), width) {
            Some(n) => (n, len),
            None => {
                return err(
                    at,
                    format!(
                        "old-format event of type {kind} ({}): parameter lengths do not add up to its length {len}",
                        info.name
                    ),
                );
            }
        }
    };
    let lens_len = nparams
        .checked_mul(width)
        .filter(|n| header_len + n <= event_len)
        .ok_or_else(|| FormatError {
            offset: at,
            message: format!(
                "event of type {kind}: {nparams} parameters do not fit its length {event_len}"
            ),
        })?;
    let lens_start = event_start + header_len;
    let lens = &block.body[lens_start..lens_start + lens_len];
    let values = &block.body[lens_start + lens_len..event_start + event_len];
    let mut ends = [0u32; INDEXED];
    let mut total = 0usize;
    for (i, l) in lens.chunks_exact(width).enumerate() {
        total += if width == 4 {
            u32::from_le_bytes(l.try_into().expect("4")) as usize
        } else {
            usize::from(u16::from_le_bytes(l.try_into().expect("2")))
        };
        if let Some(end) = ends.get_mut(i) {
            *end = total.min(u32::MAX as usize) as u32;
        }
    }
    if total > values.len() {
        return err(
            at,
            format!(
                "event of type {kind} ({}): parameters need {total} bytes, {} in the event",
                info.name,
                values.len()
            ),
        );
    }
    Ok(Some(Event {
        ts,
        tid,
        kind,
        cpu,
        flags,
        params: values,
        lens,
        len_width: width,
        nparams,
        ends,
    }))
}

fn v1_param_count(body: &[u8], table_params: usize, width: usize) -> Option<usize> {
    (0..=table_params).rev().find(|&n| {
        let Some(lens) = body.get(..n * width) else {
            return false;
        };
        let sum: usize = lens
            .chunks_exact(width)
            .map(|l| usize::from(u16::from_le_bytes([l[0], l[1]])))
            .sum();
        n * width + sum == body.len()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_bytes(kind: u32, body: &[u8]) -> Vec<u8> {
        let pad = (4 - body.len() % 4) % 4;
        let total = (12 + body.len() + pad) as u32;
        let mut out = Vec::new();
        out.extend(kind.to_le_bytes());
        out.extend(total.to_le_bytes());
        out.extend(body);
        out.extend(vec![0; pad]);
        out.extend(total.to_le_bytes());
        out
    }

    #[test]
    fn blocks_and_their_errors_carry_offsets() {
        let mut file = block_bytes(
            SHB,
            &[0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        );
        file.extend(block_bytes(0x999, b"abcd"));
        let mut r = BlockReader::new(&file[..]);
        let mut b = Block::default();
        assert!(r.next_into(&mut b).unwrap());
        assert_eq!(section_header(&b).unwrap(), (1, 2));
        assert!(r.next_into(&mut b).unwrap());
        assert_eq!((b.kind, b.offset, &b.body[..]), (0x999, 28, &b"abcd"[..]));
        assert!(!r.next_into(&mut b).unwrap());

        let cut = &file[..file.len() - 6];
        let mut r = BlockReader::new(cut);
        r.next_into(&mut b).unwrap();
        let e = r.next_into(&mut b).unwrap_err();
        assert_eq!(e.offset, 28);
        assert!(e.message.contains("truncated"), "{}", e.message);

        let mut bad = file.clone();
        bad[28 + 4] = 200; // the second block's length no longer matches its trailer
        let mut r = BlockReader::new(&bad[..]);
        r.next_into(&mut b).unwrap();
        assert!(r.next_into(&mut b).is_err());
    }

    #[test]
    fn v1_events_get_their_parameter_count_from_the_lengths() {
        // close_x (type 5) with one 8-byte parameter.
        let mut body = vec![1, 0]; // cpu
        body.extend(7u64.to_le_bytes());
        body.extend(42u64.to_le_bytes());
        body.extend((22u32 + 2 + 8).to_le_bytes());
        body.extend(5u16.to_le_bytes());
        body.extend(8u16.to_le_bytes());
        body.extend((-2i64).to_le_bytes());
        let block = Block {
            kind: EV,
            offset: 0,
            body,
        };
        let e = parse_event(&block).unwrap().unwrap();
        assert_eq!((e.ts, e.tid, e.kind, e.cpu, e.nparams()), (7, 42, 5, 1, 1));
        assert_eq!(e.param(0).unwrap(), (-2i64).to_le_bytes());
    }
}
