//! Live tests of the in-kernel responses: a table installed in a running capture kills (or
//! refuses to kill) real processes at their exec or open, and reports it. Root, BTF and
//! tracefs are needed; without them the test prints SKIPPED and returns.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use saker_bpf::raw::{self, KillComm, KillPath, KillSettings};
use saker_bpf::{Capture, CaptureConfig, KillMaps, KillOutcome, KillReport, KillTable, Refusal};

fn bpf_available() -> bool {
    match saker_bpf::preflight() {
        Ok(()) => true,
        Err(e) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "SKIPPED: {e}");
            false
        }
    }
}

/// A program name no other process on the machine uses: `skt` and 8 characters from the pid
/// and a counter, so parallel runs never share one.
fn unique_name(tag: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    format!("skt{tag}{:06x}{n:x}", std::process::id() & 0xff_ffff)
}

/// A shell script named `name` whose first act is to create `marker`.
fn marker_script(dir: &Path, name: &str, marker: &Path) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("#!/bin/sh\n: > '{}'\nexit 0\n", marker.display()),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn settings(generation: u32) -> KillSettings {
    KillSettings {
        allow_host: 1,
        generation,
        rate_window_ns: 60_000_000_000,
        ..KillSettings::default()
    }
}

/// A table with one exec slot matching program name `name`.
fn exec_by_name(name: &str, generation: u32) -> KillTable {
    let mut table = KillTable {
        settings: settings(generation),
        ..KillTable::default()
    };
    table.settings.type_slots[raw::KILL_EXECVE] = 1;
    table.settings.comm_slots = 1;
    table.comms.insert(
        KillTable::comm_key(name).unwrap(),
        KillComm {
            allow: 1,
            ..KillComm::default()
        },
    );
    table
}

/// Waits for the report about `pid` from table `generation`.
fn report_for(maps: &mut KillMaps, pid: u32, generation: u32) -> KillReport {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(r) = maps
            .drain_reports()
            .into_iter()
            .find(|r| r.pid == pid && r.generation == generation)
        {
            return r;
        }
        assert!(Instant::now() < deadline, "no kill report for pid {pid}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn run(program: &Path, args: &[&str]) -> (u32, ExitStatus) {
    let mut child = Command::new(program).args(args).spawn().unwrap();
    let pid = child.id();
    (pid, child.wait().unwrap())
}

#[test]
fn the_kernel_kills_before_the_first_instruction_and_reports_it() {
    if !bpf_available() {
        return;
    }
    let mut capture = Capture::start(&CaptureConfig::default()).expect("capture starts");
    let mut maps = capture.take_kill_maps().expect("kill maps");
    let dir = tempfile::tempdir().unwrap();

    // An exec by name: killed at sched_process_exec, so the script's first line never runs.
    let name = unique_name("x");
    let marker = dir.path().join("marker");
    let script = marker_script(dir.path(), &name, &marker);
    maps.install(&exec_by_name(&name, 1)).unwrap();
    let (pid, status) = run(&script, &[]);
    assert_eq!(status.signal(), Some(9), "{status:?}");
    assert!(!marker.exists(), "the script ran before it was killed");
    let report = report_for(&mut maps, pid, 1);
    assert_eq!(report.outcome, KillOutcome::Killed);
    assert_eq!((report.slot, report.syscall), (0, "execve"));
    assert_eq!(report.comm, name.as_bytes());
    assert_eq!(report.path, script.as_os_str().as_encoded_bytes());
    assert_eq!(report.container_id, "", "a host process");

    // dry_run: reported, not killed.
    let mut table = exec_by_name(&name, 2);
    table.settings.dry_run = 1;
    maps.install(&table).unwrap();
    let (pid, status) = run(&script, &[]);
    assert!(status.success(), "{status:?}");
    assert!(marker.exists());
    assert_eq!(report_for(&mut maps, pid, 2).outcome, KillOutcome::DryRun);
    std::fs::remove_file(&marker).unwrap();

    // Safety: host processes need allow_host; Saker's descendants and protected names are
    // never touched.
    let mut table = exec_by_name(&name, 3);
    table.settings.allow_host = 0;
    maps.install(&table).unwrap();
    let (pid, status) = run(&script, &[]);
    assert!(status.success(), "{status:?}");
    assert_eq!(
        report_for(&mut maps, pid, 3).outcome,
        KillOutcome::Refused(Refusal::Host)
    );
    let mut table = exec_by_name(&name, 4);
    table.settings.guard_tgid = std::process::id();
    maps.install(&table).unwrap();
    let (pid, status) = run(&script, &[]);
    assert!(status.success(), "{status:?}");
    assert_eq!(
        report_for(&mut maps, pid, 4).outcome,
        KillOutcome::Refused(Refusal::Saker)
    );
    let mut table = exec_by_name(&name, 5);
    table
        .comms
        .values_mut()
        .for_each(|c| c.flags = raw::KILL_COMM_PROTECTED);
    maps.install(&table).unwrap();
    let (pid, status) = run(&script, &[]);
    assert!(status.success(), "{status:?}");
    assert_eq!(
        report_for(&mut maps, pid, 5).outcome,
        KillOutcome::Refused(Refusal::ProtectedProgram)
    );

    // The slot's rate limit: the first is killed, the second left alone and reported.
    let mut table = exec_by_name(&name, 6);
    table.settings.rate_per_slot = 1;
    maps.install(&table).unwrap();
    let (pid, status) = run(&script, &[]);
    assert_eq!(status.signal(), Some(9));
    assert_eq!(report_for(&mut maps, pid, 6).outcome, KillOutcome::Killed);
    let (pid, status) = run(&script, &[]);
    assert!(status.success(), "{status:?}");
    assert_eq!(
        report_for(&mut maps, pid, 6).outcome,
        KillOutcome::RateLimited { global: false }
    );

    // An open under a prefix, at the openat's exit: `cat` never reads the file. A relative
    // path is left to user space (the kernel cannot tell what user space will resolve it to).
    let secret = dir.path().join("secret");
    std::fs::create_dir(&secret).unwrap();
    std::fs::write(secret.join("key"), "x").unwrap();
    std::fs::write(dir.path().join("public"), "x").unwrap();
    let mut table = KillTable {
        settings: settings(7),
        ..KillTable::default()
    };
    table.settings.type_slots[raw::KILL_OPENAT] = 1;
    table.settings.type_slots[raw::KILL_OPEN] = 1;
    table.settings.path_slots = 1;
    table.settings.path_allow_slots = 1;
    table.settings.success_slots = 1;
    let mut prefix = secret.as_os_str().as_encoded_bytes().to_vec();
    prefix.push(b'/');
    table.paths.insert(prefix, KillPath { allow: 1, deny: 0 });
    maps.install(&table).unwrap();
    let cat = Path::new("/bin/cat");
    let (pid, status) = run(cat, &[secret.join("key").to_str().unwrap()]);
    assert_eq!(status.signal(), Some(9), "{status:?}");
    let report = report_for(&mut maps, pid, 7);
    assert_eq!(
        (report.outcome, report.syscall),
        (KillOutcome::Killed, "openat")
    );
    assert_eq!(
        report.path,
        secret.join("key").as_os_str().as_encoded_bytes()
    );
    let (_, status) = run(cat, &[dir.path().join("public").to_str().unwrap()]);
    assert!(status.success(), "{status:?}");
    let relative = Command::new(cat)
        .arg("secret/key")
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(relative.success(), "{relative:?}");
    let dotted = format!("{}/../secret/key", secret.display());
    let (_, status) = run(cat, &[&dotted]);
    assert!(
        status.success(),
        "not normalized: left to user space {status:?}"
    );

    // An empty table: nothing acts.
    maps.install(&KillTable::default()).unwrap();
    let (_, status) = run(&script, &[]);
    assert!(status.success(), "{status:?}");
    assert_eq!(maps.malformed, 0);
}
