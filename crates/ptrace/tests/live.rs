//! Live tests of the ptrace loop on real commands (needs ptrace permission: root in CI).

use std::collections::HashMap;

use saker_ptrace::{Command, Finish, Handler, Options, Stop, StopContext, Target, Tracer};

#[derive(Default)]
struct Record {
    entries: HashMap<u64, usize>,
    exits: usize,
    exited: Vec<(i32, i32)>,
    pids: Vec<i32>,
    hidden_stops: usize,
    hidden_execve: usize,
}

impl Handler for Record {
    fn on_stop(&mut self, ctx: &StopContext, stop: Stop<'_>) -> bool {
        if ctx.hidden {
            // The start-up calls of the spawned command; its execve entry comes hidden too,
            // the handler decides at its exit (after the exec event) whether to show it.
            self.hidden_stops += 1;
            if let Stop::SyscallEntry { nr: EXECVE, .. } = stop {
                self.hidden_execve += 1;
                return true;
            }
            return false;
        }
        if !self.pids.contains(&ctx.pid) {
            self.pids.push(ctx.pid);
        }
        match stop {
            Stop::SyscallEntry { nr, .. } => {
                *self.entries.entry(nr).or_default() += 1;
                return true;
            }
            Stop::SyscallExit { .. } => self.exits += 1,
            Stop::Exited { code } => self.exited.push((ctx.pid, code)),
            _ => {}
        }
        false
    }
}

fn can_ptrace() -> bool {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        eprintln!("SKIPPED: not root, ptrace of children may be restricted");
    }
    root
}

/// ptrace belongs to the thread that attached, and wait4(-1) sees every thread's children:
/// the tests of this file must not trace at the same time.
static ONE_TRACER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn trace(args: &[&str], options: Options) -> (Record, Finish) {
    let _guard = ONE_TRACER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let command = Command::new(&args.iter().map(|a| a.into()).collect::<Vec<_>>()).unwrap();
    let mut record = Record::default();
    let tracer = Tracer::start(options, Target::Spawn(command), &mut record, &mut |e| {
        panic!("{e}")
    })
    .unwrap();
    let finish = tracer.run(&mut record).unwrap();
    (record, finish)
}

const OPENAT: u64 = 257;
const EXECVE: u64 = 59;
const EXIT_GROUP: u64 = 231;

#[test]
fn traces_a_command_and_its_exit_status() {
    if !can_ptrace() {
        return;
    }
    let (record, finish) = trace(&["sh", "-c", "exit 5"], Options::default());
    assert_eq!(finish, Finish::Exited(5));
    assert_eq!(record.hidden_execve, 1, "the command's execve comes hidden");
    assert_eq!(record.entries.get(&EXECVE), None);
    assert!(record.hidden_stops >= 1);
    assert_eq!(record.entries.get(&EXIT_GROUP), Some(&1));
    let total: usize = record.entries.values().sum();
    // The execve's exit comes after the exec event, no longer hidden.
    assert_eq!(
        record.exits,
        total - 1 + 1,
        "every call but exit_group returns"
    );
    assert_eq!(record.pids.len(), 1);
}

#[test]
fn follows_forks_with_f() {
    if !can_ptrace() {
        return;
    }
    let script = "/bin/true; /bin/true; exit 2";
    let (record, finish) = trace(
        &["sh", "-c", script],
        Options {
            follow_forks: true,
            ..Options::default()
        },
    );
    assert_eq!(finish, Finish::Exited(2));
    assert_eq!(
        record.pids.len(),
        3,
        "sh and two children: {:?}",
        record.pids
    );
    assert_eq!(
        record.entries.get(&EXECVE),
        Some(&2),
        "the two children's execs"
    );
    assert_eq!(record.exited.len(), 3);
    let (record, _) = trace(&["sh", "-c", script], Options::default());
    assert_eq!(record.pids.len(), 1, "without -f only sh");
}

#[test]
fn seccomp_filter_stops_only_on_traced_calls() {
    if !can_ptrace() {
        return;
    }
    let options = Options {
        follow_forks: true,
        seccomp_filter: Some(vec![OPENAT as u32]),
        ..Options::default()
    };
    let (record, finish) = trace(&["sh", "-c", "cat /dev/null; exit 4"], options);
    assert_eq!(finish, Finish::Exited(4));
    let other: Vec<_> = record.entries.keys().filter(|nr| **nr != OPENAT).collect();
    assert!(other.is_empty(), "only openat stops, got {other:?}");
    assert!(record.entries[&OPENAT] >= 2, "sh and cat open files");
    assert_eq!(
        record.exits, record.entries[&OPENAT],
        "each openat exit is seen"
    );
}
