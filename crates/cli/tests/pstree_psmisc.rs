//! `saker pstree` against the real `pstree` of psmisc (Debian's psmisc package) on a tree of
//! this test's own processes: children in pstree's order (by name, or by pid with `-n`) and
//! ASCII lines when the output is a pipe.

mod common;

use common::stdout_of;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Holder(Child);

impl Drop for Holder {
    fn drop(&mut self) {
        // The children are in the holder's process group: end them all.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .status();
        let _ = self.0.wait();
    }
}

/// A shell whose children, started in this order, are named tail, sleep and sh twice (a
/// subshell running its own sleep, and a shell given empty arguments): pid order and name
/// order differ. The holder's own arguments hold what pstree escapes (a newline, a tab, a
/// non-ASCII letter, a backslash) and run past the 8 KiB of a command line that pstree reads.
fn start_holder() -> Holder {
    use std::os::unix::process::CommandExt;
    let long = "z".repeat(9000);
    let child = Command::new("/bin/sh")
        .args([
            "-c",
            "tail -f /dev/null & sleep 1000 & (sleep 1000; :) & \
             sh -c 'sleep 1000; :' empties x '' '' y & wait",
            "holder",
            "l1\nl2",
            "a\tb",
            "\u{e9}\\x",
            &long,
        ])
        .stdin(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let holder = Holder(child);
    // Wait until the six descendants exist (the shells fork their sleeps last).
    let deadline = Instant::now() + Duration::from_secs(60);
    let pgid = holder.0.id();
    loop {
        let members = group_members(pgid);
        if members == 7 {
            break;
        }
        assert!(Instant::now() < deadline, "tree never complete: {members}");
        std::thread::sleep(Duration::from_millis(20));
    }
    holder
}

/// How many processes are in process group `pgid` (field 5 of /proc/PID/stat).
fn group_members(pgid: u32) -> usize {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path().join("stat")).ok())
        .filter(|stat| {
            let rest = stat.rsplit_once(") ").map_or("", |r| r.1);
            rest.split(' ').nth(2) == Some(&pgid.to_string())
        })
        .count()
}

fn psmisc_available() -> bool {
    Command::new("pstree").arg("-V").output().is_ok()
}

#[test]
fn same_tree_as_psmisc_pstree() {
    if !psmisc_available() {
        eprintln!("SKIPPED: psmisc's pstree is not installed (apt-get install psmisc)");
        return;
    }
    let h = start_holder();
    let pid = h.0.id().to_string();
    for args in [
        vec!["-p", pid.as_str()],
        vec!["-pn", pid.as_str()],
        vec!["-p", "-A", pid.as_str()],
        vec!["-p", "-U", pid.as_str()],
        // With -a always -l: pstree cuts the holder's long arguments at 132 columns into a
        // pipe, Saker never does.
        vec!["-apl", pid.as_str()],
        vec!["-aplU", pid.as_str()],
        // The holder's parents up to init: this test, cargo, ... (-l: pstree cuts lines at
        // 132 columns into a pipe, Saker never does).
        vec!["-spl", pid.as_str()],
        vec!["-spal", pid.as_str()],
    ] {
        let real = stdout_of("pstree", &args);
        let mut saker_args = vec!["pstree"];
        saker_args.extend(args.iter().copied());
        let ours = stdout_of(env!("CARGO_BIN_EXE_saker"), &saker_args);
        assert_eq!(ours, real, "saker pstree {args:?} differs from pstree");
    }
    // Into a pipe, without -U: ASCII, whatever the locale says.
    let piped = Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(["pstree", "-p", &pid])
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    let piped = String::from_utf8(piped.stdout).unwrap();
    assert!(piped.is_ascii(), "{piped}");
    assert!(piped.contains("-+-"), "{piped}");
}
