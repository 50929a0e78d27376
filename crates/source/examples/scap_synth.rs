//! Writes a synthetic `.scap` file of N events through Saker's writer, for bench/scap.sh:
//! a few processes that open, read and close files, connect sockets and run commands, the
//! mix of a busy host.
//!
//! `cargo run --release -p saker-source --example scap_synth -- OUT.scap EVENTS`

use std::io::BufWriter;
use std::sync::Arc;

use saker_event::{
    Bytes, Comm, EventBody, EventHeader, ExecInfo, SockAddr, SyscallDetail, SyscallEvent,
    SyscallExit,
};
use saker_source::scap::write::ScapWriter;
use saker_state::{FdEntry, FdKind, ProcessEntry, State, StateOptions};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: scap_synth OUT.scap EVENTS");
    let events: u64 = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000_000);
    let mut state = State::new(StateOptions {
        read_proc: false,
        containers: None,
    });
    for pid in 100..108u32 {
        let mut p = ProcessEntry {
            pid,
            ppid: 1,
            vpid: pid,
            comm: format!("worker{pid}"),
            exe: "/usr/bin/worker".into(),
            exepath: "/usr/bin/worker".into(),
            args: vec!["--serve".into()],
            cwd: "/srv".into(),
            threads: 1,
            ..ProcessEntry::default()
        };
        p.fds.insert(
            0,
            Arc::new(FdEntry::file("/dev/null".into(), 0, FdKind::File)),
        );
        state.insert_process(p);
    }
    let out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
    let mut w = ScapWriter::new(out, "synth")?;
    w.snapshot(&state)?;
    let mut ts = 1_700_000_000_000_000_000u64;
    let mut i = 0u64;
    while w.events < events {
        i += 1;
        ts += 1_000;
        let pid = 100 + (i % 8) as u32;
        let header = EventHeader {
            ts_ns: ts,
            tid: pid,
            pid,
            ppid: 1,
            uid: 1000,
            gid: 1000,
            euid: 1000,
            egid: 1000,
            cgroup_id: 0,
            comm: Comm::from(format!("worker{pid}").as_str()),
        };
        let syscall = |nr, ret, detail| SyscallEvent {
            header: header.clone(),
            body: EventBody::Syscall(SyscallExit {
                nr,
                ret,
                args: [0; 6],
                duration_ns: None,
                off_cpu_ns: None,
                detail,
            }),
        };
        let batch = match i % 16 {
            // A command run now and then: the rules' process paths.
            0 => vec![SyscallEvent {
                header: header.clone(),
                body: EventBody::Exec(ExecInfo {
                    nr: 59,
                    filename: "/usr/bin/worker".into(),
                    argv: vec!["worker".into(), "--serve".into()],
                    argv_truncated: false,
                    env_count: None,
                    envp: None,
                    old_tid: pid,
                    vtid: pid,
                    vpid: pid,
                    loginuid: u32::MAX,
                    tty: None,
                    caps: None,
                    exe_upper_layer: false,
                }),
            }],
            1 => vec![
                syscall(
                    41,
                    5,
                    SyscallDetail::Socket {
                        domain: 2,
                        kind: 1,
                        protocol: 6,
                    },
                ),
                syscall(
                    42,
                    0,
                    SyscallDetail::Connect {
                        fd: 5,
                        addr: Some(SockAddr::Inet("10.0.0.1:443".parse().expect("address"))),
                    },
                ),
                syscall(3, 0, SyscallDetail::Close { fd: 5 }),
            ],
            n => vec![
                syscall(
                    // open (2) for some files, openat (257) for the others, as programs mix them.
                    if n < 6 { 2 } else { 257 },
                    4,
                    SyscallDetail::Open {
                        dirfd: -100,
                        path: Bytes::from(format!("/srv/data/file{n}.txt").as_str()),
                        flags: 0o2000000,
                        mode: 0,
                    },
                ),
                syscall(
                    0,
                    512,
                    SyscallDetail::Read {
                        fd: 4,
                        data: Bytes(vec![b'x'; 64]),
                        truncated: true,
                    },
                ),
                syscall(3, 0, SyscallDetail::Close { fd: 4 }),
            ],
        };
        for event in batch {
            state.apply(&event);
            w.write(&event, &state)?;
        }
    }
    w.flush()?;
    eprintln!("{} events written to {path}", w.events);
    Ok(())
}
