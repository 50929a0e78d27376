//! Acting on processes from user space: the safety rules, and SIGKILL through a pidfd so that a
//! recycled pid is never hit (the pidfd names one process; its start time is checked against
//! the event before the signal goes).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::os::fd::OwnedFd;

use rustix::process::{Pid, PidfdFlags, Signal, pidfd_open, pidfd_send_signal};

use crate::plan::Plan;
use crate::target::Target;

/// Why a process (or container) is left alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The alert has no process (e.g. a k8s_audit alert).
    NoProcess,
    Pid1,
    KernelThread,
    /// Saker itself, or a process it started.
    Saker,
    /// Outside containers, without `allow_host`.
    Host,
    ProtectedProgram(String),
    ProtectedContainer(String),
    /// Saker's own container.
    SakerContainer,
    /// Gone before the action.
    Gone,
    /// The pid now names a process started after the event.
    PidReused,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoProcess => f.write_str("the alert names no process"),
            Refusal::Pid1 => f.write_str("pid 1 is never acted on"),
            Refusal::KernelThread => f.write_str("kernel threads are never acted on"),
            Refusal::Saker => f.write_str("Saker and the processes it starts are never acted on"),
            Refusal::Host => f.write_str("a host process (allow_host is false)"),
            Refusal::ProtectedProgram(name) => write!(
                f,
                "program {} is protected",
                saker_event::escape::escape(name)
            ),
            Refusal::ProtectedContainer(name) => write!(
                f,
                "container {} is protected",
                saker_event::escape::escape(name)
            ),
            Refusal::SakerContainer => f.write_str("Saker's own container is never acted on"),
            Refusal::Gone => f.write_str("the process had already exited"),
            Refusal::PidReused => {
                f.write_str("the pid now belongs to a process started after the event")
            }
        }
    }
}

/// What Saker must never act on about itself: its pid and its container.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    pub own_pid: u32,
    /// Saker's container id when it runs in one (a DaemonSet).
    pub own_container: Option<String>,
}

impl Guard {
    pub fn current() -> Guard {
        let own_pid = std::process::id();
        let own_container = saker_proc::Process::open(own_pid)
            .ok()
            .and_then(|p| p.container().ok().flatten())
            .map(|c| c.id);
        Guard {
            own_pid,
            own_container,
        }
    }
}

/// A live process held by a pidfd, checked as the safety rules ask.
#[derive(Debug)]
pub struct Held {
    pub pid: u32,
    pidfd: OwnedFd,
}

/// The checks that need no /proc: the alert itself and the configuration.
pub fn check_target(target: &Target, plan: &Plan, guard: &Guard) -> Result<(), Refusal> {
    if target.pid == 0 {
        return Err(Refusal::NoProcess);
    }
    if target.pid == 1 {
        return Err(Refusal::Pid1);
    }
    if target.pid == guard.own_pid {
        return Err(Refusal::Saker);
    }
    if plan.protected.programs.contains(&target.name) {
        return Err(Refusal::ProtectedProgram(target.name.clone()));
    }
    match &target.container_id {
        None if !plan.allow_host => Err(Refusal::Host),
        None => Ok(()),
        Some(id) if guard.own_container.as_deref() == Some(id.as_str()) => {
            Err(Refusal::SakerContainer)
        }
        Some(id) => {
            if plan
                .protected
                .container(id, target.container_name.as_deref())
            {
                let shown = target
                    .container_name
                    .clone()
                    .unwrap_or_else(|| crate::target::short(id).to_string());
                return Err(Refusal::ProtectedContainer(shown));
            }
            Ok(())
        }
    }
}

/// Nanoseconds of CLOCK_BOOTTIME minus CLOCK_REALTIME: what turns an event's wall time into
/// the clock /proc's start times count in.
fn boot_minus_wall_ns() -> i128 {
    let read = |clock| {
        let ts = rustix::time::clock_gettime(clock);
        i128::from(ts.tv_sec) * 1_000_000_000 + i128::from(ts.tv_nsec)
    };
    read(rustix::time::ClockId::Boottime) - read(rustix::time::ClockId::Realtime)
}

fn clock_ticks_per_second() -> u64 {
    // SAFETY: sysconf has no memory effects.
    let n = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(n).ok().filter(|&n| n > 0).unwrap_or(100)
}

/// Opens `pid` and checks it: alive, not a kernel thread, started no later than the event
/// (`event_time_ns`, wall clock; 0 skips the check), not Saker or its descendant.
pub fn hold(pid: u32, event_time_ns: u64, guard: &Guard) -> Result<Held, Refusal> {
    if pid <= 1 {
        return Err(if pid == 1 {
            Refusal::Pid1
        } else {
            Refusal::NoProcess
        });
    }
    let raw = Pid::from_raw(pid as i32).ok_or(Refusal::NoProcess)?;
    // The pidfd first: whatever the checks below read is then about this very process, or
    // about a later one with the same pid (which the start-time check refuses).
    let pidfd = pidfd_open(raw, PidfdFlags::empty()).map_err(|_| Refusal::Gone)?;
    let stat = saker_proc::Process::open(pid)
        .and_then(|p| p.stat())
        .map_err(|_| Refusal::Gone)?;
    if stat.is_kernel_thread() {
        return Err(Refusal::KernelThread);
    }
    if event_time_ns > 0 {
        let hz = clock_ticks_per_second();
        let start_boot_ns = i128::from(stat.starttime) * 1_000_000_000 / i128::from(hz);
        let event_boot_ns = i128::from(event_time_ns) + boot_minus_wall_ns();
        // Start times count in ticks: allow two of them.
        if start_boot_ns > event_boot_ns + 2 * 1_000_000_000 / i128::from(hz) {
            return Err(Refusal::PidReused);
        }
    }
    if descends_from(pid, stat.ppid, guard.own_pid) {
        return Err(Refusal::Saker);
    }
    Ok(Held { pid, pidfd })
}

/// True when `pid` (whose parent is `ppid`) is `ancestor` or below it.
fn descends_from(pid: u32, mut ppid: u32, ancestor: u32) -> bool {
    if pid == ancestor {
        return true;
    }
    for _ in 0..64 {
        if ppid == ancestor {
            return true;
        }
        if ppid <= 1 {
            return false;
        }
        match saker_proc::Process::open(ppid).and_then(|p| p.stat()) {
            Ok(stat) => ppid = stat.ppid,
            Err(_) => return false,
        }
    }
    false
}

impl Held {
    pub fn signal(&self, signal: Signal) -> std::io::Result<()> {
        pidfd_send_signal(&self.pidfd, signal).map_err(std::io::Error::from)
    }

    pub fn kill(&self) -> std::io::Result<()> {
        self.signal(Signal::KILL)
    }
}

/// Kills `root` and every process below it: each is stopped as it is found (so none forks
/// away meanwhile), then all are killed. Returns how many were killed. Processes the safety
/// rules protect are left alone.
pub fn kill_tree(root: Held, guard: &Guard) -> std::io::Result<usize> {
    root.signal(Signal::STOP)?;
    let mut held: BTreeMap<u32, Held> = BTreeMap::new();
    let mut refused: BTreeSet<u32> = BTreeSet::new();
    let root_pid = root.pid;
    held.insert(root_pid, root);
    // A stopped process forks nothing more: a few rounds find every descendant.
    for _ in 0..16 {
        let parents = parent_map();
        let mut found = false;
        for (&pid, &ppid) in &parents {
            if held.contains_key(&pid) || refused.contains(&pid) || !held.contains_key(&ppid) {
                continue;
            }
            // Descendants were started before now, but maybe after the event: no time check.
            match hold(pid, 0, guard) {
                Ok(child) => {
                    let _ = child.signal(Signal::STOP);
                    held.insert(pid, child);
                    found = true;
                }
                Err(_) => {
                    refused.insert(pid);
                }
            }
        }
        if !found {
            break;
        }
    }
    let mut killed = 0;
    for process in held.values() {
        if process.kill().is_ok() {
            killed += 1;
        }
    }
    Ok(killed)
}

/// Every process's parent, from /proc (processes gone meanwhile are skipped).
fn parent_map() -> BTreeMap<u32, u32> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if let Ok(stat) = saker_proc::Process::open(pid).and_then(|p| p.stat()) {
            out.insert(pid, stat.ppid);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Command;

    fn now_ns() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    }

    #[test]
    fn pid_1_kernel_threads_and_saker_itself_are_never_held() {
        let guard = Guard::current();
        assert_eq!(hold(1, 0, &guard).unwrap_err(), Refusal::Pid1);
        // kthreadd is pid 2 in the initial pid namespace.
        if saker_proc::Process::open(2)
            .and_then(|p| p.stat())
            .is_ok_and(|s| s.is_kernel_thread())
        {
            assert_eq!(hold(2, 0, &guard).unwrap_err(), Refusal::KernelThread);
        }
        assert_eq!(
            hold(std::process::id(), 0, &guard).unwrap_err(),
            Refusal::Saker
        );
        // A child of ours is ours too.
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        assert_eq!(hold(child.id(), 0, &guard).unwrap_err(), Refusal::Saker);
        child.kill().unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn a_process_started_after_the_event_is_not_the_offender() {
        let event = now_ns() - 5_000_000_000;
        // Not our child: started through a shell that exits, so it is reparented.
        let guard = Guard {
            own_pid: u32::MAX,
            own_container: None,
        };
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        assert_eq!(
            hold(child.id(), event, &guard).unwrap_err(),
            Refusal::PidReused
        );
        let held = hold(child.id(), now_ns() + 1_000_000_000, &guard).unwrap();
        held.kill().unwrap();
        assert_eq!(child.wait().unwrap().signal(), Some(9));
        assert_eq!(hold(child.id(), 0, &guard).unwrap_err(), Refusal::Gone);
    }

    #[test]
    fn a_tree_is_killed_whole() {
        let guard = Guard {
            own_pid: u32::MAX,
            own_container: None,
        };
        let dir = tempfile::tempdir().unwrap();
        let ready = dir.path().join("ready");
        // sh -> sh -> sleep, and a second sleep beside it.
        let mut root = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "sh -c 'sleep 60 & sleep 60 & wait' & : > '{}'; wait",
                ready.display()
            ))
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while parent_map().values().filter(|&&p| p != 0).count() == 0 || !ready.exists() {
            assert!(std::time::Instant::now() < deadline);
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        // Wait until the grandchildren exist.
        let count = |root: u32| {
            let parents = parent_map();
            let mut set = BTreeSet::from([root]);
            loop {
                let before = set.len();
                for (pid, ppid) in &parents {
                    if set.contains(ppid) {
                        set.insert(*pid);
                    }
                }
                if set.len() == before {
                    return set.len();
                }
            }
        };
        while count(root.id()) < 4 {
            assert!(std::time::Instant::now() < deadline, "the tree never grew");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let held = hold(root.id(), 0, &guard).unwrap();
        let killed = kill_tree(held, &guard).unwrap();
        assert_eq!(killed, 4);
        assert_eq!(root.wait().unwrap().signal(), Some(9));
    }
}
