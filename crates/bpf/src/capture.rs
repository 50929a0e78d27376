//! Loading, attaching and reading the capture programs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use aya::maps::{Array, HashMap, Map, PerCpuArray};
use aya::programs::trace_point::TracePointLinkId;
use aya::programs::{BtfTracePoint, RawTracePoint, TracePoint};
use aya::{Btf, Ebpf, EbpfLoader};
use saker_event::SyscallEvent;

use crate::decode::{BootClock, decode_record, decode_tracer_record};
use crate::error::{BpfError, DecodeError};
use crate::raw::{MAX_SYSCALLS, SPEC_TIMED, SyscallSpec};
use crate::ring::{RingReader, RingUse};
use crate::spec::{captured, raw_only_spec, tracer_spec};

/// The committed object, built by scripts/build-bpf.sh from src/bpf/capture.bpf.c.
pub(crate) static CAPTURE_OBJECT: &[u8] = aya::include_bytes_aligned!("../obj/capture.bpf.o");

/// How syscall exits reach the capture program. See docs/capture-bpf.md for the measurements
/// behind the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DispatchMode {
    /// One `syscalls/sys_exit_<name>` tracepoint per interesting syscall (the default): other
    /// syscalls never run BPF code.
    #[default]
    PerSyscallTracepoints,
    /// `tp_btf/sys_exit` (+ `sys_enter` when timing): one program on every syscall, filtered by
    /// the interesting-syscalls array. Needed for all-syscalls capture (`-A`, `trace --ebpf`).
    TpBtf,
    /// `raw_tp/sys_exit` (+ enter): like `TpBtf` through the raw tracepoint interface.
    RawTracepoint,
    /// `tracepoint/raw_syscalls/sys_exit` (+ enter): the perf-event tracepoint interface.
    RawSyscallsTracepoint,
}

/// What to capture.
#[derive(Clone, Debug)]
pub struct CaptureConfig {
    pub mode: DispatchMode,
    /// The syscall numbers to report (the rules' set plus state tracking, see
    /// [`crate::STATE_SYSCALLS`]).
    pub syscalls: BTreeSet<i64>,
    /// Ring buffer size in bytes: a power of two, at least one page.
    pub ring_buffer_bytes: u32,
    /// Only these processes (and, with `follow_forks`, their descendants); `None` = all.
    pub pids: Option<Vec<u32>>,
    pub follow_forks: bool,
    /// Bytes of read/write data copied per event.
    pub snaplen: u32,
    /// The kernel wakes a waiting [`Capture::poll`] only once a CPU has queued this many bytes
    /// since its last wakeup (0: on every record). Below it, events wait until the poll timeout: poll with a timeout
    /// (say 50 ms) when this is not 0.
    pub wakeup_bytes: u32,
    /// Attach the sched_process_{fork,exec,exit} programs (process lifecycle events).
    pub lifecycle: bool,
    /// Measure each syscall's duration (dispatcher modes only: needs an enter program).
    pub timed: bool,
    /// With `timed`, also the time each call spent off the CPU (a program on sched_switch), so
    /// that its system time is known: strace -c's time without -w.
    pub off_cpu: bool,
    /// Leave out this process (the default; turned off only by tests).
    pub exclude_self: bool,
    /// A tracer's capture (`saker trace --ebpf`): each syscall record carries the memory its
    /// argument decoders read ([`saker_event::SyscallDetail::Memory`]) instead of the
    /// rules' typed detail.
    pub tracer_memory: bool,
    /// Report signal deliveries ([`saker_event::EventBody::Signal`]).
    pub signals: bool,
    /// Check execs and opens against the in-kernel kill table ([`crate::KillMaps`]). Off for a
    /// tracer, which never kills: the verifier then leaves the kill code out, and the capture
    /// loads in about half the time.
    pub kill_checks: bool,
}

/// The [`CaptureConfig::wakeup_bytes`] for a ring of `ring_bytes` shared by `cpus` CPUs: a
/// quarter of the ring spread over the CPUs, so that all of them together queue at most a
/// quarter before the reader wakes, between 4 KiB and 1 MiB. Every wakeup costs an interrupt
/// on the writing CPU and a context switch on the reader's: on this 2-CPU VM, 64 KiB (the
/// daemon's earlier fixed value) against this function's 1 MiB took `saker run` on an
/// open/read/close loop from 1.79-1.94x to 1.62-1.68x CPU, and the reader from 310-327 to
/// 247-267 ms per 1M events (docs/capture-bpf.md, "Reading the ring").
pub fn batched_wakeup_bytes(ring_bytes: u32, cpus: usize) -> u32 {
    let cpus = u32::try_from(cpus.max(1)).unwrap_or(u32::MAX);
    (ring_bytes / 4 / cpus).clamp(4 << 10, 1 << 20)
}

/// The number of CPUs the kernel may bring online (1 when it cannot be read).
pub fn possible_cpus() -> usize {
    aya::util::nr_cpus().unwrap_or(1).max(1)
}

impl Default for CaptureConfig {
    fn default() -> Self {
        // Falco's default (buf_size_preset 4), as `saker run` and `saker capture` use.
        let ring_buffer_bytes = 8 << 20;
        CaptureConfig {
            mode: DispatchMode::default(),
            syscalls: crate::spec::STATE_SYSCALLS.iter().copied().collect(),
            ring_buffer_bytes,
            pids: None,
            follow_forks: true,
            snaplen: 256,
            wakeup_bytes: batched_wakeup_bytes(ring_buffer_bytes, possible_cpus()),
            lifecycle: true,
            timed: false,
            off_cpu: false,
            exclude_self: true,
            tracer_memory: false,
            signals: false,
            kill_checks: true,
        }
    }
}

/// A running capture: programs attached, events waiting in the ring buffer.
pub struct Capture {
    ebpf: Ebpf,
    ring: RingReader,
    /// The most bytes found waiting at the start of a drain since [`Capture::take_ring_use`].
    ring_peak: AtomicU64,
    clock: BootClock,
    mode: DispatchMode,
    timed: bool,
    off_cpu: bool,
    tracer_memory: bool,
    /// Per-syscall tracepoint links, by syscall number (PerSyscallTracepoints mode).
    links: BTreeMap<i64, TracePointLinkId>,
    /// Interesting syscalls this kernel has no tracepoint for (e.g. no CONFIG_MODULES).
    unavailable: BTreeSet<i64>,
    malformed: u64,
    /// An open filter was switched on once: fds may be marked as left out.
    pub(crate) open_filter_used: bool,
}

impl std::fmt::Debug for Capture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Capture")
            .field("mode", &self.mode)
            .field("attached", &self.links.len())
            .finish_non_exhaustive()
    }
}

const RING: &str = "events";
const SPECS: &str = "syscall_specs";
const PIDS: &str = "pid_filter";
const DROPS: &str = "drops";
/// Slots of the per-CPU `drops` array (DROPS_SLOT_* in capture.bpf.c).
const DROPS_SLOT_DROPPED: u32 = 0;
const DROPS_SLOT_SUBMITTED: u32 = 2;
pub(crate) const DROPS_SLOT_FILTERED: u32 = 3;

impl Capture {
    /// Loads the programs, fills the filters and attaches everything `config` asks for.
    pub fn start(config: &CaptureConfig) -> Result<Capture, BpfError> {
        check_config(config)?;
        preflight()?;
        let self_tgid = if config.exclude_self {
            std::process::id()
        } else {
            0
        };
        let filter = u8::from(config.pids.is_some());
        let follow = u8::from(config.follow_forks);
        let snaplen = config.snaplen.min(crate::raw::BLOB_MAX as u32);
        let (mut loader, btf) = loader_and_kernel_btf()?;
        let mut ebpf = loader
            // task_enter_ts is a task-storage map: aya has no wrapper, only BPF uses it.
            .allow_unsupported_maps()
            .override_global("saker_tgid", &self_tgid, true)
            .override_global("filter_pids", &filter, true)
            .override_global("follow_forks", &follow, true)
            .override_global("snaplen", &snaplen, true)
            .override_global("signals", &u8::from(config.signals), true)
            .override_global("kill_checks", &u8::from(config.kill_checks), true)
            .override_global(
                "wakeup_bytes",
                &config.wakeup_bytes.min(config.ring_buffer_bytes / 2),
                true,
            )
            .map_max_entries(RING, config.ring_buffer_bytes)
            .load(CAPTURE_OBJECT)
            .map_err(|source| BpfError::Load { source })?;
        let Map::RingBuf(ring) = take_map(&mut ebpf, RING)? else {
            return Err(BpfError::Missing {
                what: "ring buffer map",
                name: RING,
            });
        };
        let ring = RingReader::new(ring, config.ring_buffer_bytes)?;
        let mut capture = Capture {
            ebpf,
            ring,
            ring_peak: AtomicU64::new(0),
            clock: BootClock::now(),
            mode: config.mode,
            timed: config.timed,
            off_cpu: config.timed && config.off_cpu,
            tracer_memory: config.tracer_memory,
            links: BTreeMap::new(),
            unavailable: BTreeSet::new(),
            malformed: 0,
            open_filter_used: false,
        };
        capture.write_specs(&config.syscalls)?;
        if config.signals {
            attach_btf(
                &mut capture.ebpf,
                "on_signal_deliver",
                "signal_deliver",
                &btf,
            )?;
            attach_btf(
                &mut capture.ebpf,
                "on_signal_generate",
                "signal_generate",
                &btf,
            )?;
        }
        if config.lifecycle {
            for (prog, tp) in [
                ("on_fork", "sched_process_fork"),
                ("on_exec", "sched_process_exec"),
                ("on_exit", "sched_process_exit"),
            ] {
                attach_btf(&mut capture.ebpf, prog, tp, &btf)?;
            }
            if config.tracer_memory {
                // strace shows the envp pointer of an exec line and in/out values as the
                // call found them: kept at the call's entry.
                capture.attach_tracer_enter(&btf)?;
            }
        }
        match config.mode {
            DispatchMode::PerSyscallTracepoints => {
                load_tracepoint(&mut capture.ebpf, "syscall_exit")?;
                capture.sync_tracepoints(&config.syscalls)?;
            }
            DispatchMode::TpBtf => {
                if config.timed {
                    attach_btf(&mut capture.ebpf, "dispatch_enter_btf", "sys_enter", &btf)?;
                }
                attach_btf(&mut capture.ebpf, "dispatch_exit_btf", "sys_exit", &btf)?;
            }
            DispatchMode::RawTracepoint => {
                if config.timed {
                    attach_raw(&mut capture.ebpf, "dispatch_enter_raw", "sys_enter")?;
                }
                attach_raw(&mut capture.ebpf, "dispatch_exit_raw", "sys_exit")?;
            }
            DispatchMode::RawSyscallsTracepoint => {
                if config.timed {
                    attach_tracepoint(
                        &mut capture.ebpf,
                        "dispatch_enter_tp",
                        "raw_syscalls",
                        "sys_enter",
                    )?;
                }
                attach_tracepoint(
                    &mut capture.ebpf,
                    "dispatch_exit_tp",
                    "raw_syscalls",
                    "sys_exit",
                )?;
            }
        }
        if capture.off_cpu {
            attach_btf(&mut capture.ebpf, "dispatch_switch", "sched_switch", &btf)?;
        }
        // The pids go in last: with every program attached, a traced process is seen whole
        // from that moment (with the lifecycle programs attached first, a call returning
        // before its syscall's program was attached was lost while the process's exit
        // was seen).
        if let Some(pids) = &config.pids {
            let mut map: HashMap<_, u32, u8> = HashMap::try_from(map_mut(&mut capture.ebpf, PIDS)?)
                .map_err(BpfError::map(PIDS))?;
            for pid in pids {
                map.insert(pid, 1, 0).map_err(BpfError::map(PIDS))?;
            }
        }
        drop_in_background(btf);
        Ok(capture)
    }

    /// Replaces the set of reported syscalls. In the per-syscall mode this attaches and detaches
    /// tracepoints, so syscalls that leave the set stop costing anything.
    pub fn set_interesting(&mut self, syscalls: &BTreeSet<i64>) -> Result<(), BpfError> {
        if self.mode == DispatchMode::PerSyscallTracepoints {
            // Check first so a bad set changes nothing.
            if let Some(&nr) = syscalls.iter().find(|&&nr| tracepoint_name(nr).is_none()) {
                return Err(BpfError::NoTracepoint { nr });
            }
        }
        self.write_specs(syscalls)?;
        if self.mode == DispatchMode::PerSyscallTracepoints {
            self.sync_tracepoints(syscalls)?;
        }
        Ok(())
    }

    /// Adds a process to the pid filter (when the capture was started with `pids`).
    pub fn add_pid(&mut self, pid: u32) -> Result<(), BpfError> {
        let mut map: HashMap<_, u32, u8> =
            HashMap::try_from(map_mut(&mut self.ebpf, PIDS)?).map_err(BpfError::map(PIDS))?;
        map.insert(pid, 1, 0).map_err(BpfError::map(PIDS))
    }

    /// The ring buffer's size and the most it held at one read since the last call.
    pub fn take_ring_use(&self) -> RingUse {
        RingUse {
            size_bytes: self.ring.size(),
            peak_used_bytes: self.ring_peak.swap(0, Ordering::Relaxed),
        }
    }

    /// Records the kernel could not queue because the ring buffer was full, per CPU.
    pub fn drops(&self) -> Result<Vec<u64>, BpfError> {
        self.per_cpu_counter(DROPS_SLOT_DROPPED)
    }

    /// Records the kernel queued in the ring buffer, per CPU (the CPU that produced them),
    /// since the capture started: read or still queued, whether they decode or not.
    pub fn submitted(&self) -> Result<Vec<u64>, BpfError> {
        self.per_cpu_counter(DROPS_SLOT_SUBMITTED)
    }

    /// One slot of the per-CPU `drops` counters (see capture.bpf.c).
    pub(crate) fn per_cpu_counter(&self, slot: u32) -> Result<Vec<u64>, BpfError> {
        let map = self.ebpf.map(DROPS).ok_or(BpfError::Missing {
            what: "map",
            name: DROPS,
        })?;
        let array: PerCpuArray<_, u64> =
            PerCpuArray::try_from(map).map_err(BpfError::map(DROPS))?;
        let values = array.get(&slot, 0).map_err(BpfError::map(DROPS))?;
        Ok(values.iter().copied().collect())
    }

    /// Interesting syscalls that this kernel cannot report in the per-syscall mode because it
    /// has no tracepoint for them (it lacks the syscall, e.g. init_module without CONFIG_MODULES).
    pub fn unavailable_syscalls(&self) -> &BTreeSet<i64> {
        &self.unavailable
    }

    pub(crate) fn ebpf_mut(&mut self) -> &mut Ebpf {
        &mut self.ebpf
    }

    /// The boot-to-wall clock offset the records are converted with.
    pub(crate) fn clock(&self) -> BootClock {
        self.clock
    }

    /// Records that did not decode (a loader/object mismatch; expected to stay 0).
    pub fn malformed(&self) -> u64 {
        self.malformed
    }

    /// Hands queued events to `f`, at most [`Capture::DEFAULT_POLL_BATCH`]; when none is
    /// queued, waits up to `timeout` (`None` = forever) for one. Returns the number of events
    /// handled. EINTR returns 0. See [`Capture::poll_batch`].
    pub fn poll(
        &mut self,
        timeout: Option<Duration>,
        f: impl FnMut(SyscallEvent),
    ) -> Result<usize, BpfError> {
        self.poll_batch(timeout, Self::DEFAULT_POLL_BATCH, f)
    }

    /// The batch [`Capture::poll`] hands over before returning: a few milliseconds of work at a
    /// high event rate, so a caller checks its deadline and signals often enough.
    pub const DEFAULT_POLL_BATCH: usize = 4096;

    /// Hands at most `max_events` queued events to `f` (0 counts as 1) and returns, so a steady
    /// event stream cannot keep the caller from its deadline; events left over stay queued for
    /// the next call. When none is queued, waits up to `timeout` (`None` = forever) first.
    /// Returns the number of events handled. EINTR returns 0.
    pub fn poll_batch(
        &mut self,
        timeout: Option<Duration>,
        max_events: usize,
        mut f: impl FnMut(SyscallEvent),
    ) -> Result<usize, BpfError> {
        let decode = self.decoder();
        self.poll_records(timeout, max_events, |record| match decode(record) {
            Ok(event) => {
                f(event);
                true
            }
            Err(_) => false,
        })
    }

    /// [`Capture::poll_batch`] for a consumer that does not keep the events (`saker run`):
    /// each is lent to `f` where it was decoded. Handed over by value, every event (216 bytes)
    /// was copied once more, 5% of the daemon's time on an open loop.
    pub fn poll_batch_by_ref(
        &mut self,
        timeout: Option<Duration>,
        max_events: usize,
        mut f: impl FnMut(&SyscallEvent),
    ) -> Result<usize, BpfError> {
        let decode = self.decoder();
        self.poll_records(timeout, max_events, |record| match &decode(record) {
            Ok(event) => {
                f(event);
                true
            }
            Err(_) => false,
        })
    }

    /// Collects the events queued now (no waiting, no limit).
    pub fn next_batch(&mut self) -> Vec<SyscallEvent> {
        let mut out = Vec::new();
        let decode = self.decoder();
        self.drain(usize::MAX, &mut |record| match decode(record) {
            Ok(event) => {
                out.push(event);
                true
            }
            Err(_) => false,
        });
        out
    }

    /// How this capture's records decode (a tracer's carry the copied memory).
    fn decoder(&self) -> impl Fn(&[u8]) -> Result<SyscallEvent, DecodeError> + use<> {
        let (clock, tracer_memory, off_cpu) = (self.clock, self.tracer_memory, self.off_cpu);
        move |record| {
            if tracer_memory {
                decode_tracer_record(record, clock, off_cpu)
            } else {
                decode_record(record, clock)
            }
        }
    }

    /// [`Capture::poll_batch`] over the records: `handle` decodes one and hands its event on,
    /// and says whether it decoded.
    fn poll_records(
        &mut self,
        timeout: Option<Duration>,
        max_events: usize,
        mut handle: impl FnMut(&[u8]) -> bool,
    ) -> Result<usize, BpfError> {
        let max_events = max_events.max(1);
        let n = self.drain(max_events, &mut handle);
        if n > 0 {
            return Ok(n);
        }
        let mut pfd = libc::pollfd {
            fd: self.ring.fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = timeout.map_or(-1, |t| i32::try_from(t.as_millis()).unwrap_or(i32::MAX));
        // SAFETY: one valid pollfd for the ring buffer's fd, which self keeps open.
        let r = unsafe { libc::poll(&mut pfd, 1, ms) };
        if r < 0 {
            let err = std::io::Error::last_os_error();
            if err.kind() == std::io::ErrorKind::Interrupted {
                return Ok(0);
            }
            return Err(BpfError::Poll { source: err });
        }
        Ok(self.drain(max_events, &mut handle))
    }

    /// Consumes up to `max` records (malformed ones included, so the loop ends even when every
    /// record is bad) and returns how many `handle` decoded.
    fn drain(&mut self, max: usize, handle: &mut impl FnMut(&[u8]) -> bool) -> usize {
        self.ring_peak
            .fetch_max(self.ring.used(), Ordering::Relaxed);
        let mut handled = 0;
        let mut malformed = 0;
        self.ring.read(max, |record| {
            if handle(record) {
                handled += 1;
            } else {
                malformed += 1;
            }
        });
        self.malformed += malformed;
        handled
    }

    fn write_specs(&mut self, syscalls: &BTreeSet<i64>) -> Result<(), BpfError> {
        let timed = self.timed && self.mode != DispatchMode::PerSyscallTracepoints;
        let mut specs: Array<_, SyscallSpec> =
            Array::try_from(map_mut(&mut self.ebpf, SPECS)?).map_err(BpfError::map(SPECS))?;
        for nr in 0..MAX_SYSCALLS {
            let mut spec = if syscalls.contains(&i64::from(nr)) {
                if self.tracer_memory {
                    tracer_spec(i64::from(nr))
                } else {
                    captured(i64::from(nr)).map_or_else(raw_only_spec, |c| c.spec)
                }
            } else {
                SyscallSpec::default()
            };
            if timed && spec.flags != 0 {
                spec.flags |= SPEC_TIMED;
            }
            specs.set(nr, spec, 0).map_err(BpfError::map(SPECS))?;
        }
        Ok(())
    }

    /// `tracer_enter` on every syscall's entry (it keeps execve's and execveat's envp, and
    /// the in/out values of `AUX_ENTRY` calls).
    fn attach_tracer_enter(&mut self, btf: &Btf) -> Result<(), BpfError> {
        attach_btf(&mut self.ebpf, "tracer_enter", "sys_enter", btf)
    }

    fn sync_tracepoints(&mut self, syscalls: &BTreeSet<i64>) -> Result<(), BpfError> {
        let prog: &mut TracePoint = program(&mut self.ebpf, "syscall_exit")?;
        self.unavailable.clear();
        let stale: Vec<i64> = self
            .links
            .keys()
            .filter(|nr| !syscalls.contains(nr))
            .copied()
            .collect();
        for nr in stale {
            if let Some(link) = self.links.remove(&nr) {
                prog.detach(link).map_err(|source| BpfError::Attach {
                    program: "syscall_exit",
                    target: format!("syscall {nr} (detach)"),
                    source,
                })?;
            }
        }
        for &nr in syscalls {
            if self.links.contains_key(&nr) {
                continue;
            }
            let name = format!(
                "sys_exit_{}",
                tracepoint_name(nr).ok_or(BpfError::NoTracepoint { nr })?
            );
            match attach_syscall_tracepoint(prog, "syscall_exit", &name)? {
                Some(link) => self.links.insert(nr, link),
                None => {
                    self.unavailable.insert(nr);
                    continue;
                }
            };
        }
        Ok(())
    }
}

/// Attaches `prog` to `syscalls/NAME`; `None` when this kernel has no such tracepoint.
fn attach_syscall_tracepoint(
    prog: &mut TracePoint,
    program: &'static str,
    name: &str,
) -> Result<Option<TracePointLinkId>, BpfError> {
    if !tracefs_events().join("syscalls").join(name).exists() {
        return Ok(None);
    }
    prog.attach("syscalls", name)
        .map(Some)
        .map_err(|source| BpfError::Attach {
            program,
            target: format!("syscalls/{name}"),
            source,
        })
}

impl Drop for Capture {
    /// Detaching a tracepoint waits for the kernel's RCU grace period (60-100 ms each here):
    /// one after another, the 40 links of a default run held a SIGTERM up for 3-4 s. Detached
    /// on threads of their own, the waits overlap.
    fn drop(&mut self) {
        let Ok(prog) = program::<TracePoint>(&mut self.ebpf, "syscall_exit") else {
            return;
        };
        let links: Vec<_> = std::mem::take(&mut self.links)
            .into_values()
            .filter_map(|id| prog.take_link(id).ok())
            .collect();
        detach_concurrently(links);
    }
}

/// Drops `links` on up to [`DETACH_THREADS`] threads at once; whatever a thread cannot be
/// started for is dropped here.
fn detach_concurrently<L: Send>(links: Vec<L>) {
    const DETACH_THREADS: usize = 64;
    let per_thread = links.len().div_ceil(DETACH_THREADS).max(1);
    let mut links = links;
    std::thread::scope(|scope| {
        while !links.is_empty() {
            let chunk: Vec<L> = links.drain(..per_thread.min(links.len())).collect();
            let spawned = std::thread::Builder::new()
                .name("saker-bpf-detach".into())
                .spawn_scoped(scope, move || drop(chunk));
            // Spawning failed: the chunk went with the closure, dropped here in order.
            drop(spawned);
        }
    });
}

/// The `syscalls/sys_exit_<name>` tracepoint of a syscall. The kernel names tracepoints after
/// its `SYSCALL_DEFINE` names, which differ from the syscall table for a few.
fn tracepoint_name(nr: i64) -> Option<&'static str> {
    if let Some(c) = captured(nr) {
        return Some(c.tracepoint);
    }
    let name = saker_syscalls::name(u64::try_from(nr).ok()?)?;
    Some(match name {
        "stat" => "newstat",
        "fstat" => "newfstat",
        "lstat" => "newlstat",
        "uname" => "newuname",
        "sendfile" => "sendfile64",
        "umount2" => "umount",
        other => other,
    })
}

fn check_config(config: &CaptureConfig) -> Result<(), BpfError> {
    let size = config.ring_buffer_bytes;
    if !size.is_power_of_two() || size < 4096 {
        return Err(BpfError::Config {
            reason: format!("ring buffer size {size} must be a power of two of at least 4096"),
        });
    }
    if config.mode == DispatchMode::PerSyscallTracepoints {
        if config.timed {
            return Err(BpfError::Config {
                reason: "syscall durations need a dispatcher mode (tp_btf, raw_tp, raw_syscalls)"
                    .into(),
            });
        }
        if let Some(&nr) = config
            .syscalls
            .iter()
            .find(|&&nr| tracepoint_name(nr).is_none())
        {
            return Err(BpfError::NoTracepoint { nr });
        }
    }
    Ok(())
}

/// Frees `value` on a thread of its own: our parsed copy of the kernel BTF is a great many
/// small allocations, and freeing them need not delay the traced command's start. (The
/// loader's copy is freed with the loader, which borrows the load-time constants.)
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    // When no thread can be made, spawn drops the closure, and the value with it, here.
    let _ = std::thread::Builder::new()
        .name("saker-free".into())
        .spawn(move || drop(value));
}

/// An [`EbpfLoader`] and a parsed copy of the kernel's BTF for attaching tp_btf programs.
///
/// aya 0.14's `EbpfLoader::new()` always parses /sys/kernel/btf/vmlinux (about 5 MB) for its
/// CO-RE relocations and gives no way to borrow the result, and `BtfTracePoint::load` needs a
/// `Btf` of its own. Parsing ours on another thread while the loader parses its copy takes one
/// parse off the start-up wall time (`saker trace --ebpf -c true`: 68 ms before, see
/// docs/capture-bpf.md).
pub(crate) fn loader_and_kernel_btf() -> Result<(EbpfLoader<'static>, Btf), BpfError> {
    let ours = std::thread::spawn(Btf::from_sys_fs);
    let loader = EbpfLoader::new();
    let btf = match ours.join() {
        Ok(parsed) => parsed,
        // The parsing thread cannot panic on its own; if it did, parse here instead.
        Err(_) => Btf::from_sys_fs(),
    }
    .map_err(|source| BpfError::Btf { source })?;
    Ok((loader, btf))
}

/// Checks what loading needs and says which part is missing, before the kernel answers EPERM.
pub fn preflight() -> Result<(), BpfError> {
    let btf = Path::new("/sys/kernel/btf/vmlinux");
    if !btf.exists() {
        return Err(BpfError::Unavailable {
            reason: format!(
                "{} is missing (kernel built without CONFIG_DEBUG_INFO_BTF)",
                btf.display()
            ),
        });
    }
    preflight_without_btf()
}

/// [`preflight`] less the kernel BTF, which the counter does not need: privileges, the user
/// namespace, tracefs.
pub(crate) fn preflight_without_btf() -> Result<(), BpfError> {
    let caps = effective_capabilities().unwrap_or(0);
    const CAP_SYS_ADMIN: u32 = 21;
    const CAP_PERFMON: u32 = 38;
    const CAP_BPF: u32 = 39;
    let has = |c: u32| caps & (1u64 << c) != 0;
    if !(has(CAP_SYS_ADMIN) || (has(CAP_BPF) && has(CAP_PERFMON))) {
        return Err(BpfError::Unavailable {
            reason: format!("missing capabilities (CapEff {caps:#x}); run as root"),
        });
    }
    if in_child_user_namespace() {
        // Capabilities held in a user namespace other than the initial one do not count for
        // bpf(2): without this check the first map creation fails with a bare EPERM.
        return Err(BpfError::Unavailable {
            reason: "running inside a user namespace (unshare -U, rootless container): \
                     the kernel refuses BPF there; run as root on the host"
                .into(),
        });
    }
    ensure_tracefs()
}

/// The initial user namespace maps every id to itself: `0 0 4294967295` in /proc/self/uid_map.
fn in_child_user_namespace() -> bool {
    let Ok(map) = std::fs::read_to_string("/proc/self/uid_map") else {
        return false;
    };
    let fields: Vec<&str> = map.split_whitespace().collect();
    fields != ["0", "0", "4294967295"]
}

fn effective_capabilities() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("CapEff:"))?;
    u64::from_str_radix(line.trim(), 16).ok()
}

/// aya finds tracepoint ids in tracefs; mount it when the system has not (as perf does).
fn ensure_tracefs() -> Result<(), BpfError> {
    let events = Path::new("/sys/kernel/tracing/events");
    if events.exists() || Path::new("/sys/kernel/debug/tracing/events").exists() {
        return Ok(());
    }
    let target = c"/sys/kernel/tracing";
    // SAFETY: plain mount(2) with static NUL-terminated strings and no data.
    let r = unsafe {
        libc::mount(
            c"nodev".as_ptr(),
            target.as_ptr(),
            c"tracefs".as_ptr(),
            0,
            std::ptr::null(),
        )
    };
    if r != 0 || !events.exists() {
        return Err(BpfError::Unavailable {
            reason: format!(
                "tracefs is not mounted and mounting it failed ({}); run `mount -t tracefs nodev /sys/kernel/tracing`",
                std::io::Error::last_os_error()
            ),
        });
    }
    Ok(())
}

pub(crate) fn tracefs_events() -> &'static Path {
    let primary = Path::new("/sys/kernel/tracing/events");
    if primary.exists() {
        primary
    } else {
        Path::new("/sys/kernel/debug/tracing/events")
    }
}

/// Takes map `name` out of `ebpf` (the programs keep using it).
pub(crate) fn take_map(ebpf: &mut Ebpf, name: &'static str) -> Result<aya::maps::Map, BpfError> {
    ebpf.take_map(name)
        .ok_or(BpfError::Missing { what: "map", name })
}

fn map_mut<'a>(ebpf: &'a mut Ebpf, name: &'static str) -> Result<&'a mut aya::maps::Map, BpfError> {
    ebpf.map_mut(name)
        .ok_or(BpfError::Missing { what: "map", name })
}

pub(crate) fn program<'a, T>(ebpf: &'a mut Ebpf, name: &'static str) -> Result<&'a mut T, BpfError>
where
    &'a mut T: TryFrom<&'a mut aya::programs::Program, Error = aya::programs::ProgramError>,
{
    let prog = ebpf.program_mut(name).ok_or(BpfError::Missing {
        what: "program",
        name,
    })?;
    prog.try_into().map_err(|source| BpfError::ProgramLoad {
        program: name,
        source,
    })
}

pub(crate) fn attach_btf(
    ebpf: &mut Ebpf,
    name: &'static str,
    tracepoint: &str,
    btf: &Btf,
) -> Result<(), BpfError> {
    let prog: &mut BtfTracePoint = program(ebpf, name)?;
    prog.load(tracepoint, btf)
        .map_err(|source| BpfError::ProgramLoad {
            program: name,
            source,
        })?;
    prog.attach().map_err(|source| BpfError::Attach {
        program: name,
        target: format!("tp_btf/{tracepoint}"),
        source,
    })?;
    Ok(())
}

fn attach_raw(ebpf: &mut Ebpf, name: &'static str, tracepoint: &str) -> Result<(), BpfError> {
    let prog: &mut RawTracePoint = program(ebpf, name)?;
    prog.load().map_err(|source| BpfError::ProgramLoad {
        program: name,
        source,
    })?;
    prog.attach(tracepoint).map_err(|source| BpfError::Attach {
        program: name,
        target: format!("raw_tp/{tracepoint}"),
        source,
    })?;
    Ok(())
}

fn load_tracepoint(ebpf: &mut Ebpf, name: &'static str) -> Result<(), BpfError> {
    let prog: &mut TracePoint = program(ebpf, name)?;
    prog.load().map_err(|source| BpfError::ProgramLoad {
        program: name,
        source,
    })
}

fn attach_tracepoint(
    ebpf: &mut Ebpf,
    name: &'static str,
    category: &str,
    tracepoint: &str,
) -> Result<(), BpfError> {
    load_tracepoint(ebpf, name)?;
    let prog: &mut TracePoint = program(ebpf, name)?;
    prog.attach(category, tracepoint)
        .map_err(|source| BpfError::Attach {
            program: name,
            target: format!("tracepoint/{category}/{tracepoint}"),
            source,
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Condvar, Mutex};
    use std::time::{Duration, Instant};

    use super::{batched_wakeup_bytes, detach_concurrently};

    /// All CPUs at their threshold hold at most a quarter of the ring; never a wakeup per
    /// record, never more than 1 MiB between wakeups.
    #[test]
    fn wakeups_are_batched_by_a_share_of_the_ring() {
        const KIB: u32 = 1 << 10;
        assert_eq!(batched_wakeup_bytes(8 << 20, 2), 1024 * KIB);
        assert_eq!(batched_wakeup_bytes(8 << 20, 8), 256 * KIB);
        assert_eq!(batched_wakeup_bytes(8 << 20, 64), 32 * KIB);
        assert_eq!(batched_wakeup_bytes(1 << 20, 512), 4 * KIB);
        assert_eq!(batched_wakeup_bytes(512 << 20, 2), 1024 * KIB);
        assert_eq!(batched_wakeup_bytes(8 << 20, 0), 1024 * KIB);
    }

    /// A link stand-in whose drop waits until every other one is being dropped too: the
    /// drops can only all finish if they run at the same time.
    struct Rendezvous {
        state: Arc<(Mutex<(usize, usize)>, Condvar)>,
        expected: usize,
    }

    impl Drop for Rendezvous {
        fn drop(&mut self) {
            let (lock, cvar) = &*self.state;
            let mut counts = lock.lock().unwrap();
            counts.0 += 1;
            cvar.notify_all();
            let deadline = Instant::now() + Duration::from_secs(30);
            while counts.0 < self.expected && Instant::now() < deadline {
                counts = cvar
                    .wait_timeout(counts, Duration::from_millis(100))
                    .unwrap()
                    .0;
            }
            if counts.0 == self.expected {
                counts.1 += 1;
            }
        }
    }

    #[test]
    fn links_are_detached_at_the_same_time() {
        let expected = 40;
        let state = Arc::new((Mutex::new((0, 0)), Condvar::new()));
        let links = (0..expected)
            .map(|_| Rendezvous {
                state: Arc::clone(&state),
                expected,
            })
            .collect();
        detach_concurrently(links);
        let (dropped, met) = *state.0.lock().unwrap();
        assert_eq!(dropped, expected, "every link dropped");
        assert_eq!(met, expected, "all of them at once, not one after another");
    }
}
