//! The kernel side of Saker's responses: the table the capture programs consult at an exec or
//! an open (`kill_check_exec`/`kill_check_open` in capture.bpf.c) and the reports of what they
//! did. What goes in the table is decided by `saker-response`; this module only writes it and
//! reads the reports back.

use std::collections::{BTreeMap, BTreeSet};
use std::os::fd::{AsRawFd, RawFd};

use aya::maps::lpm_trie::{Key, LpmTrie};
use aya::maps::{Array, HashMap, MapData, RingBuf};

use crate::capture::{Capture, take_map};
use crate::decode::BootClock;
use crate::error::BpfError;
use crate::raw::{
    self, COMM_LEN, KILL_PATH_MAX, KILL_SLOTS, KillComm, KillPath, KillSettings, RawKillReport,
    SHORT_ID_LEN,
};

const SETTINGS: &str = "kill_settings";
const COMMS: &str = "kill_comm";
const PATHS: &str = "kill_path";
const PROTECTED_IDS: &str = "kill_protected_ids";
const RATES: &str = "kill_rates";
const REPORTS: &str = "kill_reports";

/// Most entries of the name and path maps (their `max_entries` in capture.bpf.c).
pub const KILL_MAX_ENTRIES: usize = 4096;

/// Everything the kernel needs to decide: masks of slots per test, the names and paths with
/// the slots that accept or exclude them, the protected container ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KillTable {
    pub settings: KillSettings,
    /// By `task->comm` (at most 15 bytes; NUL-padded to 16).
    pub comms: BTreeMap<[u8; COMM_LEN], KillComm>,
    /// By path: a whole path ends with its NUL byte, a prefix does not. Each entry carries only
    /// its own slots; [`KillMaps::install`] adds those of the shorter entries it extends.
    pub paths: BTreeMap<Vec<u8>, KillPath>,
    /// Short (12-character) ids of protected containers.
    pub protected_ids: BTreeSet<[u8; SHORT_ID_LEN]>,
}

impl KillTable {
    /// True when no slot can match anything (the programs return after one lookup).
    pub fn is_empty(&self) -> bool {
        self.settings.type_slots.iter().all(|&s| s == 0)
    }

    /// `comm` as the kernel's 16-byte key; `None` when longer than the kernel keeps (15).
    pub fn comm_key(comm: &str) -> Option<[u8; COMM_LEN]> {
        let bytes = comm.as_bytes();
        if bytes.len() >= COMM_LEN || bytes.contains(&0) {
            return None;
        }
        let mut key = [0u8; COMM_LEN];
        key[..bytes.len()].copy_from_slice(bytes);
        Some(key)
    }
}

/// What the kernel did when a slot matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KillOutcome {
    /// SIGKILL sent to the thread group.
    Killed,
    /// SIGSTOP sent: user space kills the process and its descendants.
    Stopped,
    /// `bpf_send_signal` failed with this (negative errno) result.
    SendFailed(i32),
    /// `dry_run`: nothing sent.
    DryRun,
    /// A safety rule said no.
    Refused(Refusal),
    /// The slot's (`global: false`) or every slot's (`global: true`) limit was reached.
    RateLimited { global: bool },
}

/// Why the kernel left a matching process alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Pid1,
    KernelThread,
    /// Saker itself or a process it started.
    Saker,
    Host,
    ProtectedProgram,
    ProtectedContainer,
}

/// One report of the kernel's `kill_reports` ring.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KillReport {
    /// Wall-clock time of the decision, nanoseconds since the Unix epoch.
    pub time_ns: u64,
    /// Wall-clock time of the event (the exec or the open's exit) the decision was about.
    pub event_time_ns: u64,
    pub cgroup_id: u64,
    pub tid: u32,
    pub pid: u32,
    pub ppid: u32,
    /// The pid in the process's own namespace.
    pub vpid: u32,
    pub uid: u32,
    /// The table ([`KillSettings::generation`]) the slot belongs to.
    pub generation: u32,
    pub slot: usize,
    pub outcome: KillOutcome,
    /// The syscall: `execve`, `execveat`, `open`, `openat`, `openat2` or `creat`.
    pub syscall: &'static str,
    pub comm: Vec<u8>,
    /// Empty on the host.
    pub container_id: String,
    /// The executed file or the opened path (at most 255 bytes).
    pub path: Vec<u8>,
}

fn until_nul(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    &bytes[..end]
}

impl KillReport {
    fn decode(raw: &RawKillReport, clock: BootClock) -> Option<KillReport> {
        let outcome = match raw.outcome {
            raw::KILL_SENT => KillOutcome::Killed,
            raw::KILL_STOPPED => KillOutcome::Stopped,
            raw::KILL_SEND_FAILED => KillOutcome::SendFailed(raw.error),
            raw::KILL_DRY_RUN => KillOutcome::DryRun,
            raw::KILL_REFUSED_PID1 => KillOutcome::Refused(Refusal::Pid1),
            raw::KILL_REFUSED_KTHREAD => KillOutcome::Refused(Refusal::KernelThread),
            raw::KILL_REFUSED_GUARD => KillOutcome::Refused(Refusal::Saker),
            raw::KILL_REFUSED_HOST => KillOutcome::Refused(Refusal::Host),
            raw::KILL_REFUSED_PROGRAM => KillOutcome::Refused(Refusal::ProtectedProgram),
            raw::KILL_REFUSED_CONTAINER => KillOutcome::Refused(Refusal::ProtectedContainer),
            raw::KILL_RATE_SLOT => KillOutcome::RateLimited { global: false },
            raw::KILL_RATE_GLOBAL => KillOutcome::RateLimited { global: true },
            _ => return None,
        };
        let syscall = match usize::from(raw.kind) {
            raw::KILL_EXECVE => "execve",
            raw::KILL_EXECVEAT => "execveat",
            raw::KILL_OPEN => "open",
            raw::KILL_OPENAT => "openat",
            raw::KILL_OPENAT2 => "openat2",
            raw::KILL_CREAT => "creat",
            _ => return None,
        };
        let slot = usize::from(raw.slot);
        if slot >= KILL_SLOTS {
            return None;
        }
        Some(KillReport {
            time_ns: clock.wall_ns(raw.ts_boot_ns),
            event_time_ns: clock.wall_ns(raw.event_boot_ns),
            cgroup_id: raw.cgroup_id,
            tid: raw.tid,
            pid: raw.pid,
            ppid: raw.ppid,
            vpid: raw.vpid,
            uid: raw.uid,
            generation: raw.generation,
            slot,
            outcome,
            syscall,
            comm: until_nul(&raw.comm).to_vec(),
            container_id: String::from_utf8_lossy(until_nul(&raw.container_id)).into_owned(),
            path: until_nul(&raw.path).to_vec(),
        })
    }
}

/// The response maps of a running [`Capture`], taken out of it so that the responder's thread
/// can own them: it installs tables and drains reports while the capture thread reads events.
pub struct KillMaps {
    settings: Array<MapData, KillSettings>,
    comms: HashMap<MapData, [u8; COMM_LEN], KillComm>,
    paths: LpmTrie<MapData, [u8; KILL_PATH_MAX], KillPath>,
    protected_ids: HashMap<MapData, [u8; SHORT_ID_LEN], u8>,
    rates: Array<MapData, [u64; 2]>,
    reports: RingBuf<MapData>,
    clock: BootClock,
    /// Reports that did not decode (an object/loader mismatch; expected to stay 0).
    pub malformed: u64,
}

impl std::fmt::Debug for KillMaps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KillMaps").finish_non_exhaustive()
    }
}

impl Capture {
    /// Takes the response maps out of the capture (once; later calls fail with
    /// [`BpfError::Missing`]). The programs keep using them.
    pub fn take_kill_maps(&mut self) -> Result<KillMaps, BpfError> {
        let clock = self.clock();
        let ebpf = self.ebpf_mut();
        Ok(KillMaps {
            settings: Array::try_from(take_map(ebpf, SETTINGS)?)
                .map_err(BpfError::map(SETTINGS))?,
            comms: HashMap::try_from(take_map(ebpf, COMMS)?).map_err(BpfError::map(COMMS))?,
            paths: LpmTrie::try_from(take_map(ebpf, PATHS)?).map_err(BpfError::map(PATHS))?,
            protected_ids: HashMap::try_from(take_map(ebpf, PROTECTED_IDS)?)
                .map_err(BpfError::map(PROTECTED_IDS))?,
            rates: Array::try_from(take_map(ebpf, RATES)?).map_err(BpfError::map(RATES))?,
            reports: RingBuf::try_from(take_map(ebpf, REPORTS)?).map_err(BpfError::map(REPORTS))?,
            clock,
            malformed: 0,
        })
    }
}

impl KillMaps {
    /// Replaces the table the programs consult. The old one is switched off first (its slots
    /// then match nothing), so no decision ever mixes two tables; reports name the table by
    /// its generation.
    pub fn install(&mut self, table: &KillTable) -> Result<(), BpfError> {
        if table.comms.len() > KILL_MAX_ENTRIES || table.paths.len() > KILL_MAX_ENTRIES {
            return Err(BpfError::Config {
                reason: format!("the kill table holds more than {KILL_MAX_ENTRIES} names or paths"),
            });
        }
        if let Some(path) = table.paths.keys().find(|p| p.len() > KILL_PATH_MAX) {
            return Err(BpfError::Config {
                reason: format!(
                    "kill table path of {} bytes (at most {KILL_PATH_MAX})",
                    path.len()
                ),
            });
        }
        let off = KillSettings {
            generation: table.settings.generation,
            ..KillSettings::default()
        };
        self.settings
            .set(0, off, 0)
            .map_err(BpfError::map(SETTINGS))?;

        let stale: Vec<[u8; COMM_LEN]> = self.comms.keys().filter_map(Result::ok).collect();
        for key in stale {
            let _ = self.comms.remove(&key);
        }
        for (key, value) in &table.comms {
            self.comms
                .insert(key, value, 0)
                .map_err(BpfError::map(COMMS))?;
        }

        let merged = with_prefix_values(&table.paths, merge_kill_path);
        replace_trie(&mut self.paths, &merged, PATHS)?;

        let stale: Vec<[u8; SHORT_ID_LEN]> =
            self.protected_ids.keys().filter_map(Result::ok).collect();
        for key in stale {
            let _ = self.protected_ids.remove(&key);
        }
        for id in &table.protected_ids {
            self.protected_ids
                .insert(id, 1, 0)
                .map_err(BpfError::map(PROTECTED_IDS))?;
        }

        for slot in 0..=KILL_SLOTS as u32 {
            self.rates
                .set(slot, [0u64; 2], 0)
                .map_err(BpfError::map(RATES))?;
        }
        let mut settings = table.settings;
        settings.protected_ids = u8::from(!table.protected_ids.is_empty());
        settings.path_second_byte = second_bytes(&table.paths, |slots| slots.allow != 0);
        self.settings
            .set(0, settings, 0)
            .map_err(BpfError::map(SETTINGS))
    }

    /// The reports queued now, oldest first.
    pub fn drain_reports(&mut self) -> Vec<KillReport> {
        let mut out = Vec::new();
        while let Some(item) = self.reports.next() {
            match RawKillReport::read_from(&item).and_then(|r| KillReport::decode(&r, self.clock)) {
                Some(report) => out.push(report),
                None => self.malformed += 1,
            }
        }
        out
    }

    /// The reports ring's fd: readable when a report is queued (for poll/epoll).
    pub fn reports_fd(&self) -> RawFd {
        self.reports.as_raw_fd()
    }
}

/// The second bytes of the paths whose value `accepts` (capture.h, `path_second_byte`):
/// every byte when one of them is "/" itself.
pub(crate) fn second_bytes<V>(
    paths: &BTreeMap<Vec<u8>, V>,
    accepts: impl Fn(&V) -> bool,
) -> [u64; 4] {
    let mut bits = [0u64; 4];
    for (path, value) in paths {
        if !accepts(value) {
            continue;
        }
        match path.get(1) {
            Some(&b) if b != 0 => bits[usize::from(b >> 6)] |= 1 << (b & 63),
            // "/" as a prefix: every path.
            _ => return [u64::MAX; 4],
        }
    }
    bits
}

/// Each path with its own value merged with those of every shorter entry it starts with: the
/// LPM trie answers with the longest match only.
pub(crate) fn with_prefix_values<V: Copy + Default>(
    paths: &BTreeMap<Vec<u8>, V>,
    merge: impl Fn(&mut V, &V),
) -> Vec<(&[u8], V)> {
    paths
        .keys()
        .map(|path| {
            let mut value = V::default();
            for (other, own) in paths {
                if path.starts_with(other) {
                    merge(&mut value, own);
                }
            }
            (path.as_slice(), value)
        })
        .collect()
}

/// Replaces every entry of a path trie with `entries` (paths of at most KILL_PATH_MAX bytes).
pub(crate) fn replace_trie<T: std::borrow::BorrowMut<MapData>, V: aya::Pod>(
    trie: &mut LpmTrie<T, [u8; KILL_PATH_MAX], V>,
    entries: &[(&[u8], V)],
    name: &'static str,
) -> Result<(), BpfError> {
    let stale: Vec<Key<[u8; KILL_PATH_MAX]>> = trie.keys().filter_map(Result::ok).collect();
    for key in stale {
        let _ = trie.remove(&key);
    }
    for (path, value) in entries {
        let mut data = [0u8; KILL_PATH_MAX];
        data[..path.len()].copy_from_slice(path);
        let key = Key::new(path.len() as u32 * 8, data);
        trie.insert(&key, value, 0).map_err(BpfError::map(name))?;
    }
    Ok(())
}

fn merge_kill_path(into: &mut KillPath, own: &KillPath) {
    into.allow |= own.allow;
    into.deny |= own.deny;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longer_entries_carry_the_slots_of_their_prefixes() {
        let paths = BTreeMap::from([
            (b"/etc/".to_vec(), KillPath { allow: 1, deny: 0 }),
            (b"/etc/shadow\0".to_vec(), KillPath { allow: 2, deny: 0 }),
            (b"/etc/sh".to_vec(), KillPath { allow: 0, deny: 4 }),
            (b"/tmp/".to_vec(), KillPath { allow: 8, deny: 0 }),
        ]);
        let merged: BTreeMap<&[u8], KillPath> = with_prefix_values(&paths, merge_kill_path)
            .into_iter()
            .collect();
        assert_eq!(merged[&b"/etc/"[..]], KillPath { allow: 1, deny: 0 });
        assert_eq!(merged[&b"/etc/sh"[..]], KillPath { allow: 1, deny: 4 });
        assert_eq!(
            merged[&b"/etc/shadow\0"[..]],
            KillPath { allow: 3, deny: 4 }
        );
        assert_eq!(merged[&b"/tmp/"[..]], KillPath { allow: 8, deny: 0 });
    }

    #[test]
    fn second_bytes_of_accepted_paths_only() {
        let paths = BTreeMap::from([
            (b"/etc/".to_vec(), KillPath { allow: 1, deny: 0 }),
            (b"/tmp\0".to_vec(), KillPath { allow: 2, deny: 0 }),
            (b"/proc/".to_vec(), KillPath { allow: 0, deny: 4 }),
        ]);
        let bits = second_bytes(&paths, |s| s.allow != 0);
        let has = |c: u8| bits[usize::from(c >> 6)] & (1 << (c & 63)) != 0;
        assert!(has(b'e') && has(b't'));
        assert!(!has(b'p') && !has(b'u'));
        let root = BTreeMap::from([(b"/".to_vec(), KillPath { allow: 1, deny: 0 })]);
        assert_eq!(second_bytes(&root, |s| s.allow != 0), [u64::MAX; 4]);
    }

    #[test]
    fn comm_keys_are_what_the_kernel_keeps() {
        assert_eq!(&KillTable::comm_key("apt-get").unwrap()[..8], b"apt-get\0");
        assert!(KillTable::comm_key("fifteen-chars-x").is_some());
        assert!(KillTable::comm_key("sixteen-chars-xx").is_none());
        assert!(KillTable::comm_key("nul\0in").is_none());
    }

    #[test]
    fn reports_decode_and_refuse_unknown_codes() {
        let mut raw = RawKillReport {
            ts_boot_ns: 5,
            event_boot_ns: 3,
            cgroup_id: 7,
            tid: 11,
            pid: 11,
            ppid: 3,
            vpid: 1,
            generation: 2,
            error: 0,
            slot: 4,
            outcome: raw::KILL_SENT,
            kind: raw::KILL_EXECVE as u8,
            uid: 0,
            comm: [0; COMM_LEN],
            container_id: [0; raw::CONTAINER_ID_LEN],
            path: [0; KILL_PATH_MAX],
        };
        raw.comm[..7].copy_from_slice(b"apt-get");
        raw.path[..16].copy_from_slice(b"/usr/bin/apt-get");
        let clock = BootClock { offset_ns: 100 };
        let report = KillReport::decode(&raw, clock).unwrap();
        assert_eq!((report.time_ns, report.event_time_ns), (105, 103));
        assert_eq!(report.outcome, KillOutcome::Killed);
        assert_eq!(report.syscall, "execve");
        assert_eq!(report.comm, b"apt-get");
        assert_eq!(report.path, b"/usr/bin/apt-get");
        assert_eq!(report.container_id, "");
        raw.outcome = 99;
        assert_eq!(KillReport::decode(&raw, clock), None);
        raw.outcome = raw::KILL_SEND_FAILED;
        raw.error = -1;
        assert_eq!(
            KillReport::decode(&raw, clock).unwrap().outcome,
            KillOutcome::SendFailed(-1)
        );
    }
}
