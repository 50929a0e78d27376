//! Ring-buffer records -> [`SyscallEvent`]. Every length is checked; a bad record is an error
//! value, never a panic.

use saker_event::{
    ArgMemory, Bytes, Capabilities, Comm, CopiedMemory, EventBody, EventHeader, ExecInfo, SockAddr,
    SyscallDetail, SyscallEvent, SyscallExit, decode_detail,
};

use crate::error::DecodeError;
use crate::raw::{
    AUX_ENTRY, BLOBS, CAP_IOV_IN, CAP_IOV_OUT, CAP_MEM_DEREF, CAP_MSG_IOV_IN, CAP_MSG_IOV_OUT,
    EV_EXEC, EV_EXIT, EV_FORK, EV_SIGNAL, EV_SYSCALL, EVF_BLOB0_TRUNCATED, EVF_BLOB1_TRUNCATED,
    EVF_ENTRY_MEM, EVF_EXEC_CAPS, EVF_EXEC_ENVC, EVF_EXEC_ENVP, EXEC_UPPER_LAYER, IOV_MAX,
    IOV_SLOT, MSG_IOV_ARRAY, MSG_IOV_SLOT, RAW_EVENT_SIZE, RawEvent,
};

/// Converts the kernel's boot-time clock to wall-clock time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BootClock {
    /// `CLOCK_REALTIME - CLOCK_BOOTTIME`, in nanoseconds.
    pub offset_ns: i128,
}

impl BootClock {
    /// Measures the offset now.
    pub fn now() -> BootClock {
        let read = |clock| {
            let mut ts = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: clock_gettime writes into the timespec we own; both clocks exist on Linux.
            unsafe { libc::clock_gettime(clock, &mut ts) };
            i128::from(ts.tv_sec) * 1_000_000_000 + i128::from(ts.tv_nsec)
        };
        BootClock {
            offset_ns: read(libc::CLOCK_REALTIME) - read(libc::CLOCK_BOOTTIME),
        }
    }

    pub(crate) fn wall_ns(self, boot_ns: u64) -> u64 {
        u64::try_from(i128::from(boot_ns) + self.offset_ns).unwrap_or(0)
    }
}

/// Decodes one ring-buffer record.
pub fn decode_record(record: &[u8], clock: BootClock) -> Result<SyscallEvent, DecodeError> {
    decode(record, clock, false, false)
}

/// Decodes a record of a tracer's capture (`CaptureConfig::tracer_memory`): a syscall's
/// detail is the memory its arguments point to ([`SyscallDetail::Memory`]). `off_cpu`: the
/// capture measured each timed call's time off the CPU (`CaptureConfig::off_cpu`).
pub fn decode_tracer_record(
    record: &[u8],
    clock: BootClock,
    off_cpu: bool,
) -> Result<SyscallEvent, DecodeError> {
    decode(record, clock, true, off_cpu)
}

fn decode(
    record: &[u8],
    clock: BootClock,
    tracer_memory: bool,
    off_cpu: bool,
) -> Result<SyscallEvent, DecodeError> {
    let raw = RawEvent::read_from(record).ok_or(DecodeError::Short {
        len: record.len(),
        need: RAW_EVENT_SIZE,
    })?;
    let total = RAW_EVENT_SIZE + raw.blob_len.iter().map(|&n| usize::from(n)).sum::<usize>();
    if total > record.len() || raw.total_len as usize != total {
        return Err(DecodeError::Length {
            len: record.len(),
            total_len: raw.total_len,
            blobs: raw.blob_len,
        });
    }
    // Each blob follows the one before it.
    let mut at = RAW_EVENT_SIZE;
    let blobs: [&[u8]; BLOBS] = std::array::from_fn(|i| {
        let blob = &record[at..at + usize::from(raw.blob_len[i])];
        at += blob.len();
        blob
    });
    let [blob0, blob1, ..] = blobs;
    let header = header(&raw, clock);
    let body = match raw.kind {
        EV_SYSCALL => EventBody::Syscall(SyscallExit {
            nr: i64::from(raw.nr),
            ret: raw.ret,
            args: raw.args,
            duration_ns: (raw.duration_ns != 0).then_some(raw.duration_ns),
            off_cpu_ns: (raw.duration_ns != 0 && off_cpu).then_some(raw.off_cpu_ns),
            detail: if tracer_memory {
                copied_memory(&raw, blobs)
            } else {
                detail(&raw, blob0, blob1)
            },
        }),
        EV_SIGNAL => EventBody::Signal {
            signo: raw.args[0] as i32,
            siginfo: Bytes(blob0.to_vec()),
        },
        EV_FORK => EventBody::Fork {
            child_tid: raw.args[0] as u32,
            child_pid: raw.args[1] as u32,
            child_vtid: raw.args[2] as u32,
            child_vpid: raw.args[3] as u32,
        },
        EV_EXEC => EventBody::Exec(ExecInfo {
            nr: i64::from(raw.nr),
            filename: c_string(blob0),
            argv: split_argv(blob1),
            argv_truncated: raw.flags & EVF_BLOB1_TRUNCATED != 0,
            old_tid: raw.args[0] as u32,
            vtid: raw.args[1] as u32,
            vpid: raw.args[2] as u32,
            loginuid: raw.aux[0] as u32,
            tty: (raw.aux[1] != 0).then(|| ((raw.aux[1] >> 32) as u32, raw.aux[1] as u32)),
            env_count: (raw.flags & EVF_EXEC_ENVC != 0).then_some(raw.ret as u32),
            envp: (raw.flags & EVF_EXEC_ENVP != 0).then_some(raw.duration_ns),
            caps: (raw.flags & EVF_EXEC_CAPS != 0).then_some(Capabilities {
                permitted: raw.args[3],
                effective: raw.args[4],
                inheritable: raw.args[5],
            }),
            exe_upper_layer: raw.exec_flags & EXEC_UPPER_LAYER != 0,
        }),
        EV_EXIT => EventBody::Exit {
            status: raw.args[0] as i32,
            process_exited: raw.args[1] != 0,
        },
        kind => return Err(DecodeError::Kind { kind }),
    };
    Ok(SyscallEvent { header, body })
}

fn header(raw: &RawEvent, clock: BootClock) -> EventHeader {
    EventHeader {
        ts_ns: clock.wall_ns(raw.ts_boot_ns),
        tid: raw.tid,
        pid: raw.pid,
        ppid: raw.ppid,
        uid: raw.uid,
        gid: raw.gid,
        euid: raw.euid,
        egid: raw.egid,
        cgroup_id: raw.cgroup_id,
        comm: Comm::from_nul_padded(raw.comm),
    }
}

/// The bytes up to the first NUL (the kernel copies strings with their terminator).
fn c_string(bytes: &[u8]) -> Bytes {
    let end = memchr_nul(bytes);
    Bytes(bytes[..end].to_vec())
}

fn memchr_nul(bytes: &[u8]) -> usize {
    memchr::memchr(0, bytes).unwrap_or(bytes.len())
}

fn split_argv(area: &[u8]) -> Vec<Bytes> {
    let area = area.strip_suffix(&[0]).unwrap_or(area);
    if area.is_empty() {
        return Vec::new();
    }
    area.split(|&b| b == 0).map(|a| Bytes(a.to_vec())).collect()
}

/// The blobs of a tracer's record at the addresses they were copied from, by the spec the
/// capture wrote for the syscall.
fn copied_memory(raw: &RawEvent, blobs: [&[u8]; BLOBS]) -> SyscallDetail {
    let spec = crate::spec::tracer_spec(i64::from(raw.nr));
    let mut regions: Vec<CopiedMemory> = Vec::new();
    for (slot, blob) in blobs.iter().enumerate() {
        if blob.is_empty() || raw.blob_kind[slot] != spec.cap_kind[slot] {
            continue;
        }
        let arg = |i: u8| raw.args[usize::from(i).min(5)];
        if matches!(spec.cap_kind[slot], CAP_IOV_IN | CAP_IOV_OUT) {
            // The iovec array is the region copied (by the other slot) at the same argument.
            let array = regions.iter().find(|r| r.addr == arg(spec.cap_arg[slot]));
            let bases = array.map(|a| iov_bases(&a.bytes.0)).unwrap_or_default();
            regions.extend(iov_chunks(blob, IOV_SLOT, &bases));
            continue;
        }
        if spec.cap_kind[slot] == CAP_MEM_DEREF {
            // The struct (an earlier slot's copy) holds the pointer the array was read from.
            let at = arg(spec.cap_arg[slot]).wrapping_add(u64::from(spec.cap_size[slot] >> 8));
            if let Some(target) = u64_at(&regions, at) {
                regions.push(exit_copy(target, blob.to_vec()));
            }
            continue;
        }
        if matches!(spec.cap_kind[slot], CAP_MSG_IOV_IN | CAP_MSG_IOV_OUT) {
            // The msghdr (the other slot's copy) says where the iovec array is, and how long.
            let header = regions.iter().find(|r| r.addr == arg(spec.cap_arg[slot]));
            if let Some((msg_iov, count)) = header.and_then(|h| msg_iovecs(&h.bytes.0)) {
                let array = &blob[..(count * 16).min(blob.len())];
                let bases = iov_bases(array);
                regions.push(exit_copy(msg_iov, array.to_vec()));
                let data = blob.get(MSG_IOV_ARRAY..).unwrap_or_default();
                regions.extend(iov_chunks(data, MSG_IOV_SLOT, &bases));
            }
            continue;
        }
        regions.push(exit_copy(arg(spec.cap_arg[slot]), blob.to_vec()));
    }
    if raw.flags & EVF_ENTRY_MEM != 0 && spec.aux_kind == AUX_ENTRY {
        // The in/out value as the caller passed it, for the decoder's entry phase.
        let aux: Vec<u8> = raw.aux.iter().flat_map(|word| word.to_ne_bytes()).collect();
        let size = usize::from(spec.aux_size).min(aux.len());
        regions.push(CopiedMemory {
            addr: raw.args[usize::from(spec.aux_arg).min(5)],
            bytes: Bytes(aux[..size].to_vec()),
            at_entry: true,
        });
    }
    if i64::from(raw.nr) == libc::SYS_rt_sigreturn {
        // The restored mask, where the decoder finds it in the signal frame.
        regions.push(exit_copy(
            SIGRETURN_FRAME + UC_SIGMASK_OFFSET,
            raw.aux[0].to_ne_bytes().to_vec(),
        ));
    }
    SyscallDetail::Memory {
        regions,
        netlink: raw.netlink.checked_sub(1),
    }
}

/// The `u64` at `addr` in the regions copied so far.
fn u64_at(regions: &[CopiedMemory], addr: u64) -> Option<u64> {
    regions.iter().find_map(|r| {
        let from = usize::try_from(addr.checked_sub(r.addr)?).ok()?;
        let bytes = r.bytes.0.get(from..from.checked_add(8)?)?;
        Some(u64::from_ne_bytes(bytes.try_into().ok()?))
    })
}

/// Memory as the call left it.
fn exit_copy(addr: u64, bytes: Vec<u8>) -> CopiedMemory {
    CopiedMemory {
        addr,
        bytes: Bytes(bytes),
        at_entry: false,
    }
}

/// The `iov_base` of each `struct iovec` in a copied array.
fn iov_bases(array: &[u8]) -> Vec<u64> {
    array
        .chunks_exact(16)
        .take(IOV_MAX)
        .map(|iov| u64::from_ne_bytes(iov[..8].try_into().expect("8 bytes")))
        .collect()
}

/// `msg_iov` and `msg_iovlen` (at most [`IOV_MAX`]) of a copied `struct msghdr`.
fn msg_iovecs(msghdr: &[u8]) -> Option<(u64, usize)> {
    let field = |at: usize| Some(u64::from_ne_bytes(msghdr.get(at..at + 8)?.try_into().ok()?));
    Some((field(16)?, (field(24)? as usize).min(IOV_MAX)))
}

/// A `CAP_IOV_*` blob (iov i's bytes in slot i, after their `u32` length) as regions at
/// the iovs' bases.
fn iov_chunks(blob: &[u8], slot: usize, bases: &[u64]) -> Vec<CopiedMemory> {
    blob.chunks(slot)
        .zip(bases)
        .map_while(|(slot, &base)| {
            let (len, bytes) = slot.split_first_chunk::<4>()?;
            let len = (u32::from_ne_bytes(*len) as usize).min(bytes.len());
            Some(exit_copy(base, bytes[..len].to_vec()))
        })
        .collect()
}

/// Where a tracer's decoder should take the stack pointer of an `rt_sigreturn` to be: the
/// kernel copies no frame (it is gone at the call's return), only the signal mask it
/// restored, placed at this made-up address plus [`UC_SIGMASK_OFFSET`].
pub const SIGRETURN_FRAME: u64 = 0xffff_0000_0000_0000;
/// `uc_sigmask` in x86_64's `struct ucontext`: after uc_flags, uc_link, uc_stack (24 bytes)
/// and uc_mcontext (256).
pub const UC_SIGMASK_OFFSET: u64 = 296;

/// What the kernel side copied for a syscall record, served to the shared decoder
/// ([`saker_event::decode_detail`]). The capture copies string arguments in argument order
/// (`spec.rs`), which is the order the decoder asks for them: the first string asked is
/// blob 0, the second blob 1.
struct RecordMemory<'a> {
    raw: &'a RawEvent,
    blobs: [&'a [u8]; 2],
    strings_read: usize,
}

impl ArgMemory for RecordMemory<'_> {
    fn string(&mut self, _: &[u64; 6], _: usize) -> Bytes {
        let blob = self
            .blobs
            .get(self.strings_read)
            .copied()
            .unwrap_or_default();
        self.strings_read += 1;
        c_string(blob)
    }

    fn sockaddr(&mut self, _: &[u64; 6], _: usize, _: u64) -> Option<SockAddr> {
        SockAddr::parse(self.blobs[0])
    }

    fn peer(&mut self, _: &[u64; 6]) -> Option<SockAddr> {
        SockAddr::parse(self.blobs[0])
    }

    fn fd_pair(&mut self, _: &[u64; 6], _: usize) -> Option<[i32; 2]> {
        let pair = self.raw.aux[0];
        Some([pair as i32, (pair >> 32) as i32])
    }

    fn open_how(&mut self, _: &[u64; 6]) -> (u64, u32) {
        (self.raw.aux[0], self.raw.aux[1] as u32)
    }

    fn data(&mut self, _: &[u64; 6], _: u64) -> (Bytes, bool) {
        (
            Bytes(self.blobs[0].to_vec()),
            self.raw.flags & EVF_BLOB0_TRUNCATED != 0,
        )
    }
}

fn detail(raw: &RawEvent, blob0: &[u8], blob1: &[u8]) -> SyscallDetail {
    let mut memory = RecordMemory {
        raw,
        blobs: [blob0, blob1],
        strings_read: 0,
    };
    decode_detail(i64::from(raw.nr), raw.args, raw.ret, &mut memory)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::{CAP_STR, COMM_LEN};
    use saker_event::syscall_event::AT_FDCWD;

    fn record(kind: u32, nr: i64, args: [u64; 6], ret: i64, blobs: &[&[u8]]) -> Vec<u8> {
        let mut raw = RawEvent {
            kind,
            nr: nr as i32,
            args,
            ret,
            tid: 11,
            pid: 10,
            ppid: 1,
            uid: 1000,
            ts_boot_ns: 5,
            ..RawEvent::default()
        };
        raw.comm[..4].copy_from_slice(b"cat\0");
        for (i, b) in blobs.iter().enumerate() {
            raw.blob_len[i] = b.len() as u16;
            raw.blob_kind[i] = CAP_STR;
        }
        raw.total_len = (RAW_EVENT_SIZE + blobs.iter().map(|b| b.len()).sum::<usize>()) as u32;
        let mut bytes = raw.to_bytes();
        for b in blobs {
            bytes.extend_from_slice(b);
        }
        bytes
    }

    /// A timed call's time off the CPU is read only from a capture that measured it, and a call
    /// with no duration has none.
    #[test]
    fn off_cpu_time_comes_with_a_duration_when_measured() {
        let off_cpu_of = |duration_ns: u64, measured: bool| {
            let mut bytes = record(EV_SYSCALL, 35, [0; 6], 0, &[]);
            let mut raw = RawEvent::read_from(&bytes).unwrap();
            (raw.duration_ns, raw.off_cpu_ns) = (duration_ns, 60);
            bytes[..RAW_EVENT_SIZE].copy_from_slice(&raw.to_bytes());
            match decode_tracer_record(&bytes, BootClock::default(), measured)
                .expect("decodes")
                .body
            {
                EventBody::Syscall(s) => (s.duration_ns, s.off_cpu_ns),
                other => panic!("not a syscall: {other:?}"),
            }
        };
        assert_eq!(off_cpu_of(100, true), (Some(100), Some(60)));
        assert_eq!(off_cpu_of(100, false), (Some(100), None));
        assert_eq!(off_cpu_of(0, true), (None, None));
    }

    /// Sets the kinds of a record's first blobs.
    fn set_kinds(bytes: &mut [u8], kinds: &[u8]) {
        let mut raw = RawEvent::read_from(bytes).unwrap();
        raw.blob_kind[..kinds.len()].copy_from_slice(kinds);
        bytes[..RAW_EVENT_SIZE].copy_from_slice(&raw.to_bytes());
    }

    fn decode(bytes: &[u8]) -> SyscallEvent {
        decode_record(bytes, BootClock { offset_ns: 1_000 }).expect("decodes")
    }

    fn detail_of(bytes: &[u8]) -> SyscallDetail {
        match decode(bytes).body {
            EventBody::Syscall(s) => s.detail,
            other => panic!("not a syscall: {other:?}"),
        }
    }

    fn tracer_regions(bytes: &[u8]) -> Vec<(u64, Vec<u8>)> {
        let ev = decode_tracer_record(bytes, BootClock::default(), false).expect("decodes");
        match ev.body {
            EventBody::Syscall(SyscallExit {
                detail: SyscallDetail::Memory { regions, .. },
                ..
            }) => regions.into_iter().map(|r| (r.addr, r.bytes.0)).collect(),
            other => panic!("not a tracer syscall record: {other:?}"),
        }
    }

    /// A tracer's record: each blob lands at the argument its spec slot copied from.
    #[test]
    fn tracer_records_place_blobs_at_their_arguments() {
        let stat = [7u8; 144];
        let mut bytes = record(
            EV_SYSCALL,
            libc::SYS_newfstatat,
            [3, 0x1000, 0x2000, 0x1000, 0, 0],
            0,
            &[b"/etc\0", &stat],
        );
        // blob 1 is a struct copy, not a string.
        set_kinds(&mut bytes, &[CAP_STR, crate::raw::CAP_MEM]);
        assert_eq!(
            tracer_regions(&bytes),
            [(0x1000, b"/etc\0".to_vec()), (0x2000, stat.to_vec())]
        );

        // accept4: the peer address, its length as the call left it (blob 1) and as the
        // caller passed it (kept at the entry, in the aux words).
        let peer = [2u8, 0, 0, 80, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        let mut bytes = record(
            EV_SYSCALL,
            libc::SYS_accept4,
            [3, 0x3000, 0x4000, 0, 0, 0],
            5,
            &[&peer, &16u32.to_ne_bytes()],
        );
        set_kinds(
            &mut bytes,
            &[crate::raw::CAP_SOCKADDR_OUT, crate::raw::CAP_MEM],
        );
        let mut raw = RawEvent::read_from(&bytes).unwrap();
        raw.aux[0] = 110;
        raw.flags |= EVF_ENTRY_MEM;
        bytes[..RAW_EVENT_SIZE].copy_from_slice(&raw.to_bytes());
        let ev = decode_tracer_record(&bytes, BootClock::default(), false).expect("decodes");
        let EventBody::Syscall(SyscallExit {
            detail: SyscallDetail::Memory { regions, .. },
            ..
        }) = ev.body
        else {
            panic!("not a tracer syscall record: {:?}", ev.body);
        };
        let regions: Vec<(u64, Vec<u8>, bool)> = regions
            .into_iter()
            .map(|r| (r.addr, r.bytes.0, r.at_entry))
            .collect();
        assert_eq!(
            regions,
            [
                (0x3000, peer.to_vec(), false),
                (0x4000, 16u32.to_ne_bytes().to_vec(), false),
                (0x4000, 110u32.to_ne_bytes().to_vec(), true)
            ]
        );

        // A blob whose kind is not the spec's (an older object) is left out, not misplaced.
        let bytes = record(
            EV_SYSCALL,
            libc::SYS_fstat,
            [3, 0x5000, 0, 0, 0, 0],
            0,
            &[&stat],
        );
        assert!(tracer_regions(&bytes).is_empty());
    }

    /// mount: four strings, one blob each, each at its argument (the third and fourth after
    /// the first two in the record).
    #[test]
    fn tracer_records_place_all_four_blobs() {
        let bytes = record(
            EV_SYSCALL,
            libc::SYS_mount,
            [0x1000, 0x2000, 0x3000, 1, 0x4000, 0],
            -2,
            &[b"none\0", b"/mnt\0", b"tmpfs\0", b"size=1m\0"],
        );
        assert_eq!(
            tracer_regions(&bytes),
            [
                (0x1000, b"none\0".to_vec()),
                (0x2000, b"/mnt\0".to_vec()),
                (0x3000, b"tmpfs\0".to_vec()),
                (0x4000, b"size=1m\0".to_vec())
            ]
        );
        // A record whose lengths do not add up is an error.
        let mut raw = RawEvent::read_from(&bytes).unwrap();
        raw.blob_len[3] += 1;
        let mut bad = raw.to_bytes();
        bad.extend_from_slice(&bytes[RAW_EVENT_SIZE..]);
        assert!(matches!(
            decode_tracer_record(&bad, BootClock::default(), false),
            Err(DecodeError::Length { .. })
        ));
    }

    /// seccomp: the filter (blob 1) lands where the sock_fprog (blob 0) points.
    #[test]
    fn tracer_records_place_arrays_behind_struct_pointers() {
        let mut fprog = [0u8; 16];
        fprog[..2].copy_from_slice(&2u16.to_ne_bytes());
        fprog[8..].copy_from_slice(&0x9000u64.to_ne_bytes());
        let filter = [1u8; 16];
        let mut bytes = record(
            EV_SYSCALL,
            libc::SYS_seccomp,
            [1, 0, 0x8000, 0, 0, 0],
            -22,
            &[&fprog, &filter],
        );
        set_kinds(&mut bytes, &[crate::raw::CAP_MEM, CAP_MEM_DEREF]);
        assert_eq!(
            tracer_regions(&bytes),
            [(0x8000, fprog.to_vec()), (0x9000, filter.to_vec())]
        );
    }

    /// writev: the iovec array lands at args[1], each iov's data (slot i of blob 1) at its
    /// iov_base.
    #[test]
    fn tracer_records_place_iov_data_at_each_base() {
        let mut array = Vec::new();
        for (base, len) in [(0x7000u64, 5u64), (0x8000, 7)] {
            array.extend_from_slice(&base.to_ne_bytes());
            array.extend_from_slice(&len.to_ne_bytes());
        }
        let mut data = vec![0u8; IOV_SLOT];
        data[..4].copy_from_slice(&5u32.to_ne_bytes());
        data[4..9].copy_from_slice(b"hello");
        data.extend_from_slice(&7u32.to_ne_bytes());
        data.extend_from_slice(b" world\n");
        let mut bytes = record(
            EV_SYSCALL,
            libc::SYS_writev,
            [1, 0x6000, 2, 0, 0, 0],
            12,
            &[&array, &data],
        );
        set_kinds(&mut bytes, &[crate::raw::CAP_MEM_COUNT, CAP_IOV_IN]);
        assert_eq!(
            tracer_regions(&bytes),
            [
                (0x6000, array.clone()),
                (0x7000, b"hello".to_vec()),
                (0x8000, b" world\n".to_vec())
            ]
        );
    }

    /// recvmsg: the msghdr (blob 0) says where the iovec array goes; blob 1 holds the array
    /// and then each iov's data in its slot.
    #[test]
    fn tracer_records_place_msghdr_iovs() {
        let mut msghdr = [0u8; 56];
        msghdr[16..24].copy_from_slice(&0x9000u64.to_ne_bytes());
        msghdr[24..32].copy_from_slice(&1u64.to_ne_bytes());
        let mut blob = vec![0u8; MSG_IOV_ARRAY];
        blob[..8].copy_from_slice(&0xa000u64.to_ne_bytes());
        blob[8..16].copy_from_slice(&32u64.to_ne_bytes());
        blob.extend_from_slice(&4u32.to_ne_bytes());
        blob.extend_from_slice(b"ping");
        let mut bytes = record(
            EV_SYSCALL,
            libc::SYS_recvmsg,
            [4, 0x8000, 0, 0, 0, 0],
            4,
            &[&msghdr, &blob],
        );
        set_kinds(&mut bytes, &[crate::raw::CAP_MEM, CAP_MSG_IOV_OUT]);
        assert_eq!(
            tracer_regions(&bytes),
            [
                (0x8000, msghdr.to_vec()),
                (0x9000, blob[..16].to_vec()),
                (0xa000, b"ping".to_vec())
            ]
        );
    }

    #[test]
    fn signal_records_carry_the_siginfo() {
        let mut bytes = record(EV_SIGNAL, -1, [17, 0, 0, 0, 0, 0], 0, &[&[17, 0, 0, 0]]);
        set_kinds(&mut bytes, &[crate::raw::CAP_SIGINFO]);
        match decode(&bytes).body {
            EventBody::Signal { signo, siginfo } => {
                assert_eq!(signo, 17);
                assert_eq!(siginfo.0, [17, 0, 0, 0]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn header_fields_and_clock() {
        let ev = decode(&record(
            EV_SYSCALL,
            libc::SYS_close,
            [3, 0, 0, 0, 0, 0],
            0,
            &[],
        ));
        assert_eq!(ev.header.ts_ns, 1_005);
        assert_eq!((ev.header.tid, ev.header.pid, ev.header.ppid), (11, 10, 1));
        assert_eq!(ev.header.comm, Comm::from("cat"));
        assert_eq!(ev.header.uid, 1000);
    }

    /// nr, args, ret, blobs, expected detail.
    type Case<'a> = (i64, [u64; 6], i64, Vec<&'a [u8]>, SyscallDetail);

    #[test]
    fn syscall_details() {
        let cases: Vec<Case> = vec![
            (
                libc::SYS_openat,
                [AT_FDCWD as u64, 0, 0o1101, 0o644, 0, 0],
                3,
                vec![b"/etc/x\0"],
                SyscallDetail::Open {
                    dirfd: AT_FDCWD,
                    path: "/etc/x".into(),
                    flags: 0o1101,
                    mode: 0o644,
                },
            ),
            (
                libc::SYS_renameat2,
                [5, 0, 6, 0, 1, 0],
                0,
                vec![b"a\0", b"b\0"],
                SyscallDetail::Rename {
                    old_dirfd: 5,
                    old_path: "a".into(),
                    new_dirfd: 6,
                    new_path: "b".into(),
                    flags: 1,
                },
            ),
            (
                libc::SYS_connect,
                [4, 0, 16, 0, 0, 0],
                0,
                vec![&[2, 0, 0, 80, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]],
                SyscallDetail::Connect {
                    fd: 4,
                    addr: Some(SockAddr::Inet("10.0.0.1:80".parse().unwrap())),
                },
            ),
            (
                libc::SYS_fcntl,
                [3, libc::F_DUPFD_CLOEXEC as u64, 10, 0, 0, 0],
                10,
                vec![],
                SyscallDetail::Dup { old_fd: 3 },
            ),
            (
                libc::SYS_tgkill,
                [7, 8, 9, 0, 0, 0],
                0,
                vec![],
                SyscallDetail::Kill { pid: 8, sig: 9 },
            ),
            (
                libc::SYS_execve,
                [0; 6],
                -2,
                vec![b"/nope\0"],
                SyscallDetail::ExecFailed {
                    dirfd: AT_FDCWD,
                    path: "/nope".into(),
                },
            ),
            (libc::SYS_getpid, [0; 6], 10, vec![], SyscallDetail::Other),
            // A missing blob (NULL or unreadable pointer) gives an empty path, not a failure.
            (
                libc::SYS_unlink,
                [0; 6],
                -14,
                vec![],
                SyscallDetail::Unlink {
                    dirfd: AT_FDCWD,
                    path: Bytes::default(),
                    flags: 0,
                },
            ),
        ];
        for (nr, args, ret, blobs, expect) in cases {
            assert_eq!(
                detail_of(&record(EV_SYSCALL, nr, args, ret, &blobs)),
                expect,
                "nr {nr}"
            );
        }
    }

    #[test]
    fn fd_pairs_come_from_aux() {
        let mut bytes = record(
            EV_SYSCALL,
            libc::SYS_pipe2,
            [0, 0o2000000, 0, 0, 0, 0],
            0,
            &[],
        );
        let mut raw = RawEvent::read_from(&bytes).unwrap();
        raw.aux[0] = (4u64 << 32) | 3;
        bytes[..RAW_EVENT_SIZE].copy_from_slice(&raw.to_bytes());
        assert_eq!(
            detail_of(&bytes),
            SyscallDetail::FdPair {
                fds: Some([3, 4]),
                flags: 0o2000000
            }
        );
    }

    #[test]
    fn exec_fork_exit_records() {
        let mut bytes = record(
            EV_EXEC,
            libc::SYS_execve,
            [42, 1, 1, 0, 0, 0],
            0,
            &[b"/bin/sh\0", b"sh\0-c\0x\0"],
        );
        let mut raw = RawEvent::read_from(&bytes).unwrap();
        raw.aux = [1000, (136u64 << 32) | 2];
        bytes[..RAW_EVENT_SIZE].copy_from_slice(&raw.to_bytes());
        let EventBody::Exec(exec) = decode(&bytes).body else {
            panic!("not exec")
        };
        assert_eq!(exec.filename, Bytes::from("/bin/sh"));
        assert_eq!(exec.argv, vec![Bytes::from("sh"), "-c".into(), "x".into()]);
        assert_eq!(
            (exec.old_tid, exec.loginuid, exec.tty),
            (42, 1000, Some((136, 2)))
        );

        let fork = decode(&record(EV_FORK, -1, [20, 19, 2, 1, 0, 0], 0, &[])).body;
        assert_eq!(
            fork,
            EventBody::Fork {
                child_tid: 20,
                child_pid: 19,
                child_vtid: 2,
                child_vpid: 1
            }
        );
        let exit = decode(&record(EV_EXIT, -1, [256, 1, 0, 0, 0, 0], 0, &[])).body;
        assert_eq!(
            exit,
            EventBody::Exit {
                status: 256,
                process_exited: true
            }
        );
    }

    #[test]
    fn malformed_records_are_errors() {
        let good = record(EV_SYSCALL, libc::SYS_openat, [0; 6], 3, &[b"/x\0"]);
        assert!(matches!(
            decode_record(&good[..10], BootClock::default()),
            Err(DecodeError::Short { .. })
        ));
        assert!(matches!(
            decode_record(&good[..good.len() - 1], BootClock::default()),
            Err(DecodeError::Length { .. })
        ));
        let mut bad_kind = good.clone();
        bad_kind[offset_of_kind()..offset_of_kind() + 4].copy_from_slice(&99u32.to_ne_bytes());
        assert_eq!(
            decode_record(&bad_kind, BootClock::default()),
            Err(DecodeError::Kind { kind: 99 })
        );
        // Every truncation and every corrupted byte of a record decodes or errors, never panics.
        for cut in 0..good.len() {
            let _ = decode_record(&good[..cut], BootClock::default());
        }
        for i in 0..RAW_EVENT_SIZE {
            let mut b = good.clone();
            b[i] = 0xff;
            let _ = decode_record(&b, BootClock::default());
        }
        assert_eq!(COMM_LEN, 16);
    }

    fn offset_of_kind() -> usize {
        std::mem::offset_of!(RawEvent, kind)
    }
}
