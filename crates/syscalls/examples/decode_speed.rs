//! Measures the decoder's cost per syscall (entry + exit) on in-memory fixtures:
//! `cargo run --release -p saker-syscalls --example decode_speed`.

use std::time::Instant;

use saker_syscalls::{
    Decoded, Entry, Memory, NoFdInfo, Style, decode_entry_into, decode_exit_into, number,
};

/// One page of tracee memory at 0x1000 holding a path and a buffer.
struct Page([u8; 4096]);

impl Memory for Page {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        let Some(off) = addr.checked_sub(0x1000) else {
            return 0;
        };
        let src = self.0.get(off as usize..).unwrap_or(&[]);
        let n = src.len().min(buf.len());
        buf[..n].copy_from_slice(&src[..n]);
        n
    }
}

fn main() {
    let mut page = [b'x'; 4096];
    page[..25].copy_from_slice(b"/usr/lib/x86_64-linux-gn\0");
    let mut stat = [0u8; 144];
    stat[24..28].copy_from_slice(&0o100644u32.to_ne_bytes());
    page[512..656].copy_from_slice(&stat);
    let mut mem = Page(page);
    let style = Style::default();
    let calls: [(&str, [u64; 6], i64); 4] = [
        ("read", [3, 0x1000 + 1024, 832, 0, 0, 0], 832),
        ("openat", [(-100i64) as u64, 0x1000, 0o2000000, 0, 0, 0], 3),
        (
            "newfstatat",
            [3, 0x1000 + 24, 0x1000 + 512, 0x1000, 0, 0],
            0,
        ),
        ("close", [3, 0, 0, 0, 0, 0], 0),
    ];
    let mut entry = Entry::default();
    let mut done = Decoded::default();
    for (name, args, ret) in calls {
        let nr = number(name).expect("known syscall");
        let rounds = 1_000_000u32;
        let start = Instant::now();
        let mut bytes = 0usize;
        for _ in 0..rounds {
            decode_entry_into(&mut entry, nr, args, &mut mem, &mut NoFdInfo, &style);
            decode_exit_into(&mut done, &entry, ret, &mut mem, &mut NoFdInfo, &style);
            bytes += done.call.len();
        }
        let ns = start.elapsed().as_nanos() as f64 / f64::from(rounds);
        println!(
            "{name:<12} {ns:7.1} ns/call  ({} bytes: {} = {})",
            bytes / rounds as usize,
            done.call,
            done.result
        );
    }
}
