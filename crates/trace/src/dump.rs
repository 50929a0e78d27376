//! `-e read=SET` and `-e write=SET`: hex dumps of the data a call read or wrote, after its
//! line, as strace's dumpio() and dumpstr() print them:
//!
//! ```text
//!  | 00000  68 65 6c 6c 6f 0a                                hello.           |
//! ```

use std::fmt::Write as _;

use saker_syscalls::Memory;

use crate::qualify::NumberSet;

/// Bytes fetched at a time, like strace's dumpstr buffer.
const CHUNK: usize = 1 << 16;

/// A call that returned.
pub struct Finished<'a> {
    pub pid: i32,
    pub nr: u64,
    pub args: &'a [u64; 6],
    pub ret: i64,
    pub failed: bool,
}

/// Appends the dumps for one finished call to `out`: `-e write=` fds in `writes`, `-e read=`
/// fds in `reads`. `copies_only`: `memory` holds what an eBPF capture copied, so a buffer it
/// cannot read was not copied (too long), and the dump says so instead of being left out.
pub fn dump_io(
    out: &mut String,
    memory: &mut dyn Memory,
    call: &Finished<'_>,
    reads: &NumberSet,
    writes: &NumberSet,
    copies_only: bool,
) {
    let Finished {
        pid,
        nr,
        args,
        ret,
        failed,
    } = *call;
    let fd = args[0] as i32;
    if fd < 0 {
        return;
    }
    let name = saker_syscalls::name(nr).unwrap_or("");
    let mut dumper = Dumper {
        out,
        memory,
        pid,
        // A buffer the kernel could not read (EFAULT) was not copied either: nothing to dump,
        // as strace's read of it fails too (strace's pread64-pwrite64 test).
        copies_only: copies_only && ret != -i64::from(libc::EFAULT),
    };
    if writes.contains(fd as u32) {
        match name {
            "write" | "pwrite64" | "sendto" | "mq_timedsend" => {
                dumper.bytes(args[1], args[2]);
            }
            "writev" | "pwritev" | "pwritev2" | "vmsplice" => {
                dumper.iovec(args[1], args[2] as i32, u64::MAX);
            }
            "sendmsg" => dumper.msghdr(args[1], u64::MAX),
            "sendmmsg" if !failed => dumper.mmsghdrs(args[1], ret as u32),
            _ => {}
        }
    }
    if failed || !reads.contains(fd as u32) {
        return;
    }
    match name {
        "read" | "pread64" | "recvfrom" | "mq_timedreceive" => dumper.bytes(args[1], ret as u64),
        "readv" | "preadv" | "preadv2" => dumper.iovec(args[1], args[2] as i32, ret as u64),
        "recvmsg" => dumper.msghdr(args[1], ret as u64),
        "recvmmsg" => dumper.mmsghdrs(args[1], ret as u32),
        _ => {}
    }
}

struct Dumper<'a> {
    out: &'a mut String,
    memory: &'a mut dyn Memory,
    pid: i32,
    copies_only: bool,
}

impl Dumper<'_> {
    fn word(&mut self, addr: u64) -> Option<u64> {
        let mut buf = [0u8; 8];
        (self.memory.read(addr, &mut buf) == 8).then(|| u64::from_ne_bytes(buf))
    }

    /// strace's dumpiov_upto(): each buffer of an iovec array, `data_size` bytes in all.
    fn iovec(&mut self, addr: u64, count: i32, mut data_size: u64) {
        if count <= 0 {
            return;
        }
        let count = count as u64;
        let mut vec = vec![0u8; (count as usize).min(1 << 20) * 16];
        if self.memory.read(addr, &mut vec) < vec.len() {
            return;
        }
        for (i, pair) in vec.chunks_exact(16).enumerate() {
            let base = u64::from_ne_bytes(pair[..8].try_into().unwrap_or_default());
            let len = u64::from_ne_bytes(pair[8..].try_into().unwrap_or_default()).min(data_size);
            if len == 0 {
                break;
            }
            data_size -= len;
            let _ = writeln!(self.out, " * {len} bytes in buffer {i}");
            self.bytes(base, len);
        }
    }

    /// The iovec array of a `struct msghdr`.
    fn msghdr(&mut self, addr: u64, data_size: u64) {
        // msg_iov at offset 16, msg_iovlen at 24.
        let (Some(iov), Some(iovlen)) = (self.word(addr + 16), self.word(addr + 24)) else {
            return;
        };
        self.iovec(iov, iovlen as i32, data_size);
    }

    /// strace's dumpiov_in_mmsghdr(): `count` entries of a `struct mmsghdr` array.
    fn mmsghdrs(&mut self, addr: u64, count: u32) {
        const MMSGHDR_SIZE: u64 = 64;
        for i in 0..u64::from(count) {
            let entry = addr + i * MMSGHDR_SIZE;
            let (Some(iov), Some(iovlen)) = (self.word(entry + 16), self.word(entry + 24)) else {
                break;
            };
            let mut len = [0u8; 4];
            if self.memory.read(entry + 56, &mut len) < 4 {
                break;
            }
            let _ = writeln!(self.out, " = {iovlen} buffers in vector {i}");
            self.iovec(iov, iovlen as i32, u64::from(u32::from_ne_bytes(len)));
        }
    }

    /// strace's dumpstr(): 16 bytes a line, offset, hex in two groups of 8, then the text.
    fn bytes(&mut self, addr: u64, len: u64) {
        if len.checked_add(16).is_none() || addr.checked_add(len).is_none() {
            return;
        }
        let offset_width = if len > 1 << 20 {
            1 + (63 - (len - 1).leading_zeros()) as usize / 4
        } else {
            5
        };
        let mut data = Vec::new();
        let mut done = 0u64;
        while done < len {
            if done.is_multiple_of(CHUNK as u64) {
                let want = (len - done).min(CHUNK as u64) as usize;
                data.resize(want, 0);
                if self.memory.read(addr + done, &mut data) < want {
                    if done == 0 && self.copies_only {
                        let _ = writeln!(
                            self.out,
                            " | <{len} bytes: more than the eBPF capture copied, not dumped>"
                        );
                    }
                    if done > 0 {
                        let _ = writeln!(
                            self.out,
                            " | <Cannot fetch {want} byte{} from pid {} @{:#x}>",
                            if want == 1 { "" } else { "s" },
                            self.pid,
                            addr + done
                        );
                    }
                    return;
                }
            }
            let start = (done % CHUNK as u64) as usize;
            let line = &data[start..(start + 16).min(data.len())];
            let _ = write!(self.out, " | {done:0offset_width$x}  ");
            for i in 0..16 {
                match line.get(i) {
                    Some(byte) => {
                        let _ = write!(self.out, "{byte:02x} ");
                    }
                    None => self.out.push_str("   "),
                }
                if i == 7 {
                    self.out.push(' ');
                }
            }
            self.out.push(' ');
            for i in 0..16 {
                self.out.push(match line.get(i) {
                    Some(&b) if (0x20..0x7f).contains(&b) => b as char,
                    Some(_) => '.',
                    None => ' ',
                });
            }
            self.out.push_str(" |\n");
            done += 16;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Bytes(u64, Vec<u8>);

    impl Memory for Bytes {
        fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
            let Some(start) = addr.checked_sub(self.0) else {
                return 0;
            };
            let from = self.1.get(start as usize..).unwrap_or_default();
            let n = from.len().min(buf.len());
            buf[..n].copy_from_slice(&from[..n]);
            n
        }
    }

    fn all() -> NumberSet {
        NumberSet::all()
    }

    #[test]
    fn dumpstr_layout() {
        let mut memory = Bytes(0x1000, b"hello, world\n0123456789".to_vec());
        let mut out = String::new();
        let write = saker_syscalls::number("write").unwrap();
        dump_io(
            &mut out,
            &mut memory,
            &Finished {
                pid: 1,
                nr: write,
                args: &[1, 0x1000, 23, 0, 0, 0],
                ret: 23,
                failed: false,
            },
            &NumberSet::none(),
            &all(),
            false,
        );
        assert_eq!(
            out,
            " | 00000  68 65 6c 6c 6f 2c 20 77  6f 72 6c 64 0a 30 31 32  hello, world.012 |\n \
             | 00010  33 34 35 36 37 38 39                              3456789          |\n"
        );
    }

    /// A buffer the eBPF capture did not copy (longer than it copies) says so; the same
    /// unreadable buffer under ptrace prints nothing, as strace's dumpstr does.
    #[test]
    fn uncopied_buffers_say_so_only_for_copies() {
        let write = saker_syscalls::number("write").unwrap();
        let call = Finished {
            pid: 1,
            nr: write,
            args: &[1, 0x1000, 5000, 0, 0, 0],
            ret: 5000,
            failed: false,
        };
        for (copies_only, expected) in [
            (
                true,
                " | <5000 bytes: more than the eBPF capture copied, not dumped>\n",
            ),
            (false, ""),
        ] {
            let mut memory = Bytes(0x1000, vec![b'x'; 4096]);
            let mut out = String::new();
            let none = NumberSet::none();
            dump_io(&mut out, &mut memory, &call, &none, &all(), copies_only);
            assert_eq!(out, expected);
        }
    }

    /// strace's tests/pread64-pwrite64.c: a write of an unreadable buffer fails with EFAULT
    /// and strace dumps nothing; the capture could not copy it either, which is no truncation.
    #[test]
    fn a_buffer_the_kernel_could_not_read_dumps_nothing() {
        let pwrite = saker_syscalls::number("pwrite64").unwrap();
        let call = Finished {
            pid: 1,
            nr: pwrite,
            args: &[1, 0x7000, 1, 0, 0, 0],
            ret: -i64::from(libc::EFAULT),
            failed: true,
        };
        let mut out = String::new();
        let mut memory = Bytes(0x1000, Vec::new());
        dump_io(
            &mut out,
            &mut memory,
            &call,
            &NumberSet::none(),
            &all(),
            true,
        );
        assert_eq!(out, "");
    }

    #[test]
    fn reads_only_when_successful_and_up_to_the_result() {
        let mut memory = Bytes(0x1000, b"abcdef".to_vec());
        let read = saker_syscalls::number("read").unwrap();
        let mut out = String::new();
        let args = [0, 0x1000, 6, 0, 0, 0];
        dump_io(
            &mut out,
            &mut memory,
            &Finished {
                pid: 1,
                nr: read,
                args: &args,
                ret: -9,
                failed: true,
            },
            &all(),
            &all(),
            false,
        );
        assert_eq!(out, "");
        dump_io(
            &mut out,
            &mut memory,
            &Finished {
                pid: 1,
                nr: read,
                args: &args,
                ret: 2,
                failed: false,
            },
            &all(),
            &all(),
            false,
        );
        assert!(out.starts_with(" | 00000  61 62  "), "{out}");
    }

    #[test]
    fn iovecs() {
        // Two iovecs at 0x2000: "ab" at 0x1000, "cd" at 0x1002.
        let mut bytes = Vec::new();
        for (base, len) in [(0x1000u64, 2u64), (0x1002, 2)] {
            bytes.extend_from_slice(&base.to_ne_bytes());
            bytes.extend_from_slice(&len.to_ne_bytes());
        }
        struct Two(Bytes, Bytes);
        impl Memory for Two {
            fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
                if addr >= 0x2000 {
                    self.1.read(addr, buf)
                } else {
                    self.0.read(addr, buf)
                }
            }
        }
        let mut memory = Two(Bytes(0x1000, b"abcd".to_vec()), Bytes(0x2000, bytes));
        let readv = saker_syscalls::number("readv").unwrap();
        let mut out = String::new();
        dump_io(
            &mut out,
            &mut memory,
            &Finished {
                pid: 1,
                nr: readv,
                args: &[3, 0x2000, 2, 0, 0, 0],
                ret: 3,
                failed: false,
            },
            &all(),
            &NumberSet::none(),
            false,
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], " * 2 bytes in buffer 0");
        assert_eq!(lines[2], " * 1 bytes in buffer 1");
        assert!(lines[3].starts_with(" | 00000  63 "), "{out}");
    }
}
