//! `saker ps` against the real `ps` of procps-ng (Debian's procps package): the same option
//! words select the same processes and print the same values in the same layout. The
//! processes compared are stopped children, so their numbers hold still between the runs.

mod common;

use common::stdout_of;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn saker_ps(args: &[&str]) -> String {
    let mut all = vec!["ps"];
    all.extend_from_slice(args);
    stdout_of(env!("CARGO_BIN_EXE_saker"), &all)
}

/// True (after saying why) when procps's ps is not there to compare with.
fn skip_without_procps() -> bool {
    let there = Command::new("ps")
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("procps-ng"));
    if !there {
        eprintln!("SKIPPED: procps's ps is not installed (apt-get install procps)");
    }
    !there
}

/// A child that ran `script` and then stopped itself (state T): its CPU time, memory and
/// state no longer move.
struct Stopped(Child);

impl Stopped {
    fn start(script: &str) -> Stopped {
        let child = Command::new("/bin/sh")
            .args(["-c", &format!("{script}; kill -STOP $$; exit 0")])
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let stat = format!("/proc/{}/stat", child.id());
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let text = std::fs::read_to_string(&stat).unwrap();
            let state = text.rsplit_once(") ").unwrap().1.chars().next();
            if state == Some('T') {
                break;
            }
            assert!(Instant::now() < deadline, "child never stopped: {text}");
            std::thread::sleep(Duration::from_millis(20));
        }
        Stopped(child)
    }

    fn pid(&self) -> String {
        self.0.id().to_string()
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Drops saker's CONTAINER column (the one thing it adds to procps's formats) from a table.
fn without_container(table: &str) -> String {
    let header = table.lines().next().unwrap();
    let at = header.find(" CONTAINER").expect("CONTAINER column");
    table
        .lines()
        .map(|l| {
            let mut l = l.to_string();
            l.replace_range(at..at + " CONTAINER   ".len().min(l.len() - at), "");
            l
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn same_values_and_layout_as_procps() {
    if skip_without_procps() {
        return;
    }
    let a = Stopped::start("sleep 0");
    let b = Stopped::start("x=$(head -c 300000 /dev/zero | tr '\\0' x); y=$x$x$x");
    let pids = format!("{},{}", a.pid(), b.pid());
    let columns = "pid,ppid,pgid,sid,user,uid,group,gid,vsz,rss,%mem,sz,tty,stat,s,f,ni,pri,opri,\
                   nlwp,psr,start_time,stime,start,bsdtime,time,comm,args";
    for args in [
        vec!["-o", columns, "-p", &pids],
        vec!["-p", &pids],
        vec!["p", &pids],
        vec!["-f", "-p", &pids],
        vec!["-F", "-p", &pids],
        vec!["-l", "-p", &pids],
        vec!["u", "-p", &pids],
        vec!["j", "p", &pids],
        vec!["l", "p", &pids],
        vec!["-j", "-p", &pids],
        vec!["-fj", "-p", &pids],
        vec!["-lF", "-p", &pids],
        vec![
            "--no-headers",
            "-o",
            "pid,rss,vsz",
            "--sort=-rss",
            "-p",
            &pids,
        ],
    ] {
        let real = stdout_of("ps", &args);
        let ours = saker_ps(&args);
        let ours = if args.contains(&"-o") {
            ours
        } else {
            without_container(&ours)
        };
        assert_eq!(ours, real, "saker ps {args:?} differs from ps");
    }
}

/// %CPU of a young process that used CPU and stopped: procps's value falls as it ages, so
/// saker's, taken between two runs of ps, lies between theirs (issue 16: 25.0 vs 0.6).
#[test]
fn cpu_percent_between_two_procps_runs() {
    if skip_without_procps() {
        return;
    }
    let busy = Stopped::start("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");
    let pid = busy.pid();
    // (`=` takes the rest of a list as the header: one -o per column.)
    let args = ["-o", "%cpu=", "-o", "c=", "-p", &pid];
    let parse = |s: String| -> (f64, u32) {
        let f: Vec<&str> = s.split_whitespace().collect();
        (f[0].parse().unwrap(), f[1].parse().unwrap())
    };
    let before = parse(stdout_of("ps", &args));
    let ours = parse(saker_ps(&args));
    let after = parse(stdout_of("ps", &args));
    assert!(before.0 > 0.0, "the child used no CPU: {before:?}");
    assert!(
        before.0 >= ours.0 && ours.0 >= after.0,
        "ps {before:?}, saker {ours:?}, ps {after:?}"
    );
    assert!(before.1 >= ours.1 && ours.1 >= after.1);
}

/// `ps aux`, `-ef`, `-e` and `ax` list every process: each one that procps saw both before
/// and after saker's run, as the same process (same start time, so not a recycled pid), is in
/// saker's list too.
#[test]
fn aux_and_ef_select_every_process() {
    if skip_without_procps() {
        return;
    }
    let alive = || -> std::collections::BTreeSet<(u32, String)> {
        stdout_of("ps", &["-e", "-o", "pid=,lstart="])
            .lines()
            .filter_map(|l| {
                let (pid, start) = l.trim().split_once(' ')?;
                Some((pid.parse().ok()?, start.trim().to_string()))
            })
            .collect()
    };
    for (args, column) in [
        (vec!["aux"], 1),
        (vec!["-ef"], 1),
        (vec!["-e"], 0),
        (vec!["ax"], 0),
    ] {
        let before = alive();
        let ours: std::collections::BTreeSet<u32> = saker_ps(&args)
            .lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().nth(column)?.parse().ok())
            .collect();
        let after = alive();
        let missing: Vec<u32> = before
            .intersection(&after)
            .map(|(pid, _)| *pid)
            .filter(|pid| !ours.contains(pid))
            .collect();
        assert!(missing.is_empty(), "saker ps {args:?} misses {missing:?}");
    }
}
