//! The daemon's per-event work without the kernel, for bench/event-path.sh: eBPF ring records
//! of the open/read/close loop of bench/run.sh (b) (an `openat` of an absolute path that
//! returns 3, then `close(3)`), built in memory, go through what `saker run` does with each
//! one: `decode_record` -> `State::apply` -> `LiveEvent` -> the default rules. The live
//! figure (bench/run.sh "daemon_ms/1M") adds the ring buffer's cache misses, its polls and
//! wakeups; this one moves only with the user-space code, so a change shows here first.
//!
//! Prints `key=value` lines: ns per event (thread CPU time, median of the repeats) for the
//! decode alone, decode + state, and the whole path.
//!
//! ```text
//! cargo run --release -p saker-source --example event_path_bench -- [EVENTS] [REPEATS]
//! ```

use std::hint::black_box;
use std::sync::Arc;

use saker_bpf::raw::{CAP_STR, EV_SYSCALL, RAW_EVENT_SIZE, RawEvent};
use saker_bpf::{BootClock, decode_record};
use saker_engine::{Engine, EngineOptions};
use saker_state::{EventTypes, FdEntry, FdKind, LiveEvent, ProcessEntry, State, StateOptions};

const PID: u32 = 4242;
const PATH: &[u8] = b"/tmp/tmp.Xb3kQ9wZ1c/small.txt\0";
const O_RDONLY: u64 = 0;
const AT_FDCWD: u64 = -100i64 as u64;

/// CPU time of this thread.
fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we pass and nothing else.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// A record as the capture program writes it: the header, then the blobs.
fn record(nr: i32, args: [u64; 6], ret: i64, ts: u64, blob: &[u8]) -> Vec<u8> {
    let mut raw = RawEvent {
        kind: EV_SYSCALL,
        nr,
        args,
        ret,
        tid: PID,
        pid: PID,
        ppid: 1,
        ts_boot_ns: ts,
        ..RawEvent::default()
    };
    raw.comm[..9].copy_from_slice(b"openloop\0");
    if !blob.is_empty() {
        raw.blob_len[0] = blob.len() as u16;
        raw.blob_kind[0] = CAP_STR;
    }
    raw.total_len = (RAW_EVENT_SIZE + blob.len()) as u32;
    let mut bytes = raw.to_bytes();
    bytes.extend_from_slice(blob);
    bytes
}

/// The loop's records, openat then close, `events` in all, one after the other in one buffer
/// as in the ring (each at an 8-byte boundary): returns the buffer and each record's range.
fn records(events: usize) -> (Vec<u8>, Vec<std::ops::Range<usize>>) {
    let mut ring = Vec::new();
    let mut ranges = Vec::with_capacity(events);
    for i in 0..events {
        let ts = 1_000 + i as u64 * 700;
        let bytes = if i % 2 == 0 {
            let args = [AT_FDCWD, 0x7ffd_0000_1000, O_RDONLY, 0, 0, 0];
            record(libc::SYS_openat as i32, args, 3, ts, PATH)
        } else {
            record(libc::SYS_close as i32, [3, 0, 0, 0, 0, 0], 0, ts, &[])
        };
        ranges.push(ring.len()..ring.len() + bytes.len());
        ring.extend_from_slice(&bytes);
        ring.resize(ring.len().next_multiple_of(8), 0);
    }
    (ring, ranges)
}

fn state() -> State {
    let mut state = State::new(StateOptions {
        read_proc: false,
        containers: None,
    });
    let mut p = ProcessEntry {
        pid: PID,
        ppid: 1,
        vpid: PID,
        comm: "openloop".into(),
        exe: "/tmp/openloop".into(),
        exepath: "/tmp/openloop".into(),
        cwd: "/root".into(),
        threads: 1,
        ..ProcessEntry::default()
    };
    for fd in 0..3 {
        p.fds.insert(
            fd,
            Arc::new(FdEntry::file("/dev/pts/0".into(), 2, FdKind::File)),
        );
    }
    state.insert_process(p);
    state
}

/// Thread CPU ns per record of `pass`, which handles `events` records, median of `repeats`.
fn per_event(events: usize, repeats: usize, mut pass: impl FnMut()) -> f64 {
    let mut runs: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = thread_cpu_ns();
            pass();
            (thread_cpu_ns() - start) as f64 / events as f64
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let events: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let repeats: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let (ruleset, diagnostics) = saker_engine::load_default_rules();
    if diagnostics.iter().any(|d| d.is_error()) {
        eprintln!("event_path_bench: the default rules do not load");
        std::process::exit(1);
    }
    let engine = Engine::new(&ruleset, EngineOptions::default()).unwrap_or_else(|e| {
        eprintln!("event_path_bench: {e}");
        std::process::exit(1);
    });
    let types = EventTypes::new(&engine);
    let (ring, ranges) = records(events);
    let records = || ranges.iter().map(|r| &ring[r.clone()]);
    let clock = BootClock { offset_ns: 0 };

    let decode = per_event(events, repeats, || {
        for r in records() {
            black_box(decode_record(r, clock).ok());
        }
    });
    let mut st = state();
    let apply = per_event(events, repeats, || {
        for r in records() {
            if let Ok(event) = &decode_record(r, clock) {
                black_box(st.apply(event));
            }
        }
    });
    let mut st = state();
    let mut alerts = 0u64;
    let mut num = 0u64;
    let whole = per_event(events, repeats, || {
        for r in records() {
            // Lent where it was decoded, as the live source does (`poll_batch_by_ref`).
            let Ok(event) = &decode_record(r, clock) else {
                continue;
            };
            st.poll_containers();
            let ctx = st.apply(event);
            num += 1;
            // As `saker run` does: no view of an event no rule can match (a close).
            if types.can_match(event)
                && let Some(live) = LiveEvent::new(&st, &types, event, &ctx, num)
            {
                engine.evaluate(&live, |_| alerts += 1);
            }
        }
    });
    println!("events={events}");
    println!("repeats={repeats}");
    println!("decode_ns_per_event={decode:.1}");
    println!("decode_state_ns_per_event={apply:.1}");
    println!("whole_ns_per_event={whole:.1}");
    println!("alerts={alerts}");
}
