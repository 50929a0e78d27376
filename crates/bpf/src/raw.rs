//! Mirrors of `src/bpf/capture.h`: the record layouts shared with the BPF programs.
//! Keep in step with the header; the size asserts catch most drift at compile time.

pub const COMM_LEN: usize = 16;
pub const MAX_SYSCALLS: u32 = 512;
pub const BLOB_MAX: usize = 4096;
/// Memory arguments (blobs) per syscall record.
pub const BLOBS: usize = 4;

pub const EV_SYSCALL: u32 = 1;
pub const EV_FORK: u32 = 2;
pub const EV_EXEC: u32 = 3;
pub const EV_EXIT: u32 = 4;
pub const EV_SIGNAL: u32 = 5;

pub const CAP_NONE: u8 = 0;
pub const CAP_STR: u8 = 1;
pub const CAP_SOCKADDR_IN: u8 = 2;
pub const CAP_SOCKADDR_OUT: u8 = 3;
pub const CAP_DATA_RET: u8 = 4;
pub const CAP_DATA_LEN: u8 = 5;
pub const CAP_ARGV: u8 = 6;
pub const CAP_KSTR: u8 = 7;
pub const CAP_MEM: u8 = 8;
pub const CAP_MEM_COUNT: u8 = 9;
pub const CAP_MEM_RET: u8 = 10;
pub const CAP_SIGINFO: u8 = 11;
pub const CAP_IOV_IN: u8 = 12;
pub const CAP_IOV_OUT: u8 = 13;
/// The iovecs whose data a `CAP_IOV_*` blob holds, each in a slot of `IOV_SLOT` bytes.
pub const IOV_MAX: usize = 8;
pub const IOV_SLOT: usize = BLOB_MAX / IOV_MAX;
pub const CAP_MSG_IOV_IN: u8 = 14;
pub const CAP_MSG_IOV_OUT: u8 = 15;
/// A `CAP_MSG_IOV_*` blob: the iovec array, then slots of `MSG_IOV_SLOT` bytes.
pub const MSG_IOV_ARRAY: usize = IOV_MAX * 16;
pub const MSG_IOV_SLOT: usize = (BLOB_MAX - MSG_IOV_ARRAY) / IOV_MAX;
/// An ioctl's argument, as many bytes as its request's `_IOC_SIZE`.
pub const CAP_IOC: u8 = 16;
/// A bit mask of `args[len]` bits, in 64-bit words.
pub const CAP_MEM_BITS: u8 = 17;
/// As many bytes as the `u32` at `args[len]` says after the call.
pub const CAP_MEM_LEN_AT: u8 = 18;
/// The array a struct points to; see `SAKER_CAP_MEM_DEREF` for how the spec packs the
/// pointer's and the count's places.
pub const CAP_MEM_DEREF: u8 = 19;

pub const AUX_NONE: u8 = 0;
pub const AUX_INT_PAIR: u8 = 1;
pub const AUX_OPEN_HOW: u8 = 2;
/// A tracer's in/out value: `aux_size` bytes at `args[aux_arg]` as they were at the entry.
pub const AUX_ENTRY: u8 = 3;

pub const SPEC_INTERESTING: u8 = 1;
pub const SPEC_FAILURES_ONLY: u8 = 2;
pub const SPEC_TIMED: u8 = 4;
/// A tracer's socket data call: the capture looks up whether `args[0]` is a netlink socket.
pub const SPEC_SOCKET_FD: u8 = 8;

pub const EVF_BLOB0_TRUNCATED: u8 = 1;
pub const EVF_BLOB1_TRUNCATED: u8 = 2;
/// `SAKER_EV_EXEC`: args[3..5] hold cap_permitted, cap_effective, cap_inheritable.
pub const EVF_EXEC_CAPS: u8 = 16;
pub const EVF_EXEC_ENVC: u8 = 32;
/// `SAKER_EV_SYSCALL`: `aux` holds the entry-time bytes of an `AUX_ENTRY` spec.
pub const EVF_ENTRY_MEM: u8 = 64;
/// `SAKER_EV_EXEC`: `duration_ns` holds the envp pointer the caller passed.
pub const EVF_EXEC_ENVP: u8 = 128;
/// `exec_flags` of an exec record: the executable is in an overlayfs upper layer.
pub const EXEC_UPPER_LAYER: u8 = 1;

/// `struct saker_syscall_spec`: how the kernel side captures one syscall.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyscallSpec {
    pub flags: u8,
    pub aux_kind: u8,
    pub aux_arg: u8,
    /// `AUX_ENTRY`'s byte count.
    pub aux_size: u8,
    pub cap_kind: [u8; BLOBS],
    pub cap_arg: [u8; BLOBS],
    pub cap_len_arg: [u8; BLOBS],
    /// Element size of the `CAP_MEM*` kinds.
    pub cap_size: [u16; BLOBS],
}

// SAFETY: plain integers, no implicit padding (aux_size aligns cap_size; 24 bytes, asserted
// below), every bit pattern is valid.
unsafe impl aya::Pod for SyscallSpec {}

/// `struct saker_event`: the fixed header of every ring-buffer record.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RawEvent {
    pub ts_boot_ns: u64,
    pub cgroup_id: u64,
    pub args: [u64; 6],
    pub ret: i64,
    pub aux: [u64; 2],
    pub duration_ns: u64,
    /// Of `duration_ns`, the time off the CPU (kept with `dispatch_switch` attached), else 0.
    pub off_cpu_ns: u64,
    pub kind: u32,
    pub nr: i32,
    pub tid: u32,
    pub pid: u32,
    pub ppid: u32,
    pub uid: u32,
    pub gid: u32,
    pub euid: u32,
    pub egid: u32,
    pub total_len: u32,
    pub blob_len: [u16; BLOBS],
    pub blob_kind: [u8; BLOBS],
    pub flags: u8,
    /// `SPEC_SOCKET_FD` calls: the socket's netlink protocol + 1; 0 when it is not netlink.
    pub netlink: u8,
    /// `EV_EXEC`: `EXEC_*` bits.
    pub exec_flags: u8,
    pub pad: u8,
    pub comm: [u8; COMM_LEN],
}

pub const RAW_EVENT_SIZE: usize = std::mem::size_of::<RawEvent>();

impl RawEvent {
    /// Reads the header from the start of a record; `None` when the record is shorter.
    pub fn read_from(bytes: &[u8]) -> Option<RawEvent> {
        if bytes.len() < RAW_EVENT_SIZE {
            return None;
        }
        // SAFETY: the length is checked above, RawEvent is repr(C) plain integers for which
        // every bit pattern is valid, and read_unaligned copes with any alignment.
        Some(unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast::<RawEvent>()) })
    }

    /// The record as bytes, for tests and capture files.
    pub fn to_bytes(&self) -> Vec<u8> {
        // SAFETY: repr(C) with no padding (asserted below), so every byte is initialised.
        unsafe {
            std::slice::from_raw_parts((self as *const RawEvent).cast::<u8>(), RAW_EVENT_SIZE)
        }
        .to_vec()
    }
}

/// `struct saker_syscall_count`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RawSyscallCount {
    pub calls: u64,
    pub errors: u64,
    pub total_ns: u64,
    pub sample_in: u64,
}

// SAFETY: plain u64s, every bit pattern is valid.
unsafe impl aya::Pod for RawSyscallCount {}

const _: () = assert!(std::mem::size_of::<SyscallSpec>() == 24);
const _: () = assert!(RAW_EVENT_SIZE == 176);
const _: () = assert!(std::mem::size_of::<RawSyscallCount>() == 32);
// No implicit padding: the sum of the field sizes equals the struct size.
const _: () = assert!(
    8 * 2 + 8 * 6 + 8 + 8 * 2 + 8 * 2 + 4 * 10 + 2 * BLOBS + BLOBS + 1 + 3 + COMM_LEN == 176
);

// ---- responses decided in the kernel (capture.h, "Responses decided in the kernel") ----

pub const KILL_SLOTS: usize = 64;
pub const KILL_PATH_MAX: usize = 256;
pub const CONTAINER_ID_LEN: usize = 64;
pub const SHORT_ID_LEN: usize = 12;

pub const KILL_EXECVE: usize = 0;
pub const KILL_EXECVEAT: usize = 1;
pub const KILL_OPEN: usize = 2;
pub const KILL_OPENAT: usize = 3;
pub const KILL_OPENAT2: usize = 4;
pub const KILL_CREAT: usize = 5;
pub const KILL_TYPES: usize = 8;

pub const KILL_COMM_PROTECTED: u32 = 1;
pub const KILL_COMM_WAKE: u32 = 2;

pub const KILL_SENT: u8 = 1;
pub const KILL_STOPPED: u8 = 2;
pub const KILL_SEND_FAILED: u8 = 3;
pub const KILL_DRY_RUN: u8 = 4;
pub const KILL_REFUSED_PID1: u8 = 5;
pub const KILL_REFUSED_KTHREAD: u8 = 6;
pub const KILL_REFUSED_GUARD: u8 = 7;
pub const KILL_REFUSED_HOST: u8 = 8;
pub const KILL_REFUSED_PROGRAM: u8 = 9;
pub const KILL_REFUSED_CONTAINER: u8 = 10;
pub const KILL_RATE_SLOT: u8 = 11;
pub const KILL_RATE_GLOBAL: u8 = 12;

/// `struct saker_kill_settings`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KillSettings {
    pub type_slots: [u64; KILL_TYPES],
    pub comm_slots: u64,
    pub path_slots: u64,
    pub path_allow_slots: u64,
    pub container_slots: u64,
    pub read_slots: u64,
    pub write_slots: u64,
    pub file_slots: u64,
    pub success_slots: u64,
    pub stop_slots: u64,
    pub path_second_byte: [u64; 4],
    pub rate_window_ns: u64,
    pub rate_per_slot: u32,
    pub rate_global: u32,
    pub guard_tgid: u32,
    pub generation: u32,
    pub allow_host: u8,
    pub dry_run: u8,
    pub protected_ids: u8,
    pub wake: u8,
    pub pad: [u8; 4],
}

/// `struct saker_kill_comm`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KillComm {
    pub allow: u64,
    pub deny: u64,
    pub flags: u32,
    pub pad: u32,
}

/// `struct saker_kill_path` (the key is aya's `lpm_trie::Key<[u8; KILL_PATH_MAX]>`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KillPath {
    pub allow: u64,
    pub deny: u64,
}

/// `struct saker_kill_report`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawKillReport {
    pub ts_boot_ns: u64,
    pub event_boot_ns: u64,
    pub cgroup_id: u64,
    pub tid: u32,
    pub pid: u32,
    pub ppid: u32,
    pub vpid: u32,
    pub generation: u32,
    pub error: i32,
    pub slot: u16,
    pub outcome: u8,
    pub kind: u8,
    pub uid: u32,
    pub comm: [u8; COMM_LEN],
    pub container_id: [u8; CONTAINER_ID_LEN],
    pub path: [u8; KILL_PATH_MAX],
}

impl RawKillReport {
    /// Reads a report from a ring record; `None` when the record is shorter.
    pub fn read_from(bytes: &[u8]) -> Option<RawKillReport> {
        if bytes.len() < std::mem::size_of::<RawKillReport>() {
            return None;
        }
        // SAFETY: the length is checked above; plain integers and byte arrays, for which
        // every bit pattern is valid; read_unaligned copes with any alignment.
        Some(unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast::<RawKillReport>()) })
    }
}

// SAFETY (all three): repr(C) plain integers without implicit padding (sizes asserted below),
// every bit pattern is valid.
/// `struct saker_open_filter` (capture.h): which opens the capture leaves out.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenFilter {
    pub path_second_byte: [u64; 4],
    pub enabled: u8,
    pub all_paths: u8,
    pub used: u8,
    pub pad: [u8; 5],
}

/// `SAKER_OPEN_CLASS_*`: rules that need an open's read access, its write access, or neither.
pub const OPEN_CLASS_READ: u8 = 1;
pub const OPEN_CLASS_WRITE: u8 = 2;
pub const OPEN_CLASS_ANY: u8 = 4;

unsafe impl aya::Pod for OpenFilter {}
const _: () = assert!(std::mem::size_of::<OpenFilter>() == 40);

unsafe impl aya::Pod for KillSettings {}
unsafe impl aya::Pod for KillComm {}
unsafe impl aya::Pod for KillPath {}

const _: () = assert!(std::mem::size_of::<KillSettings>() == 200);
const _: () = assert!(8 * KILL_TYPES + 8 * 10 + 8 * 4 + 4 * 4 + 8 == 200);
const _: () = assert!(std::mem::size_of::<KillComm>() == 24);
const _: () = assert!(std::mem::size_of::<KillPath>() == 16);
const _: () = assert!(std::mem::size_of::<RawKillReport>() == 392);
