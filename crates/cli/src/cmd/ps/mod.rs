//! `saker ps`: `ps aux` with a CONTAINER column.
//!
//! Reading is split from rendering: [`collect`] turns /proc into [`PsRow`]s, [`render_table`]
//! and [`to_json`] turn rows into text, so the output format is tested on fixture data.

use std::fmt::Write as _;
use std::io::Write as _;

use saker_event::timefmt::{self, Clock};
use saker_proc::stat::parse_stat;
use saker_proc::users::NameTable;
use saker_proc::{Process, SystemInfo, cgroup, environ, tty};
use serde_json::{Value, json};

use crate::exit::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// Print a JSON array instead of the table (schema: docs/proc-json.md).
    #[arg(long)]
    pub json: bool,
    /// Only processes that run in a container.
    #[arg(short = 'c', long, conflicts_with = "host_only")]
    pub containers_only: bool,
    /// Only processes that run on the host (in no container).
    #[arg(long)]
    pub host_only: bool,
}

/// One process as `ps aux` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PsRow {
    pub user: String,
    pub uid: u32,
    pub pid: u32,
    pub ppid: u32,
    pub cpu_percent: f64,
    pub mem_percent: f64,
    pub vsz_kb: u64,
    pub rss_kb: u64,
    pub tty: String,
    pub stat: String,
    /// Start time, seconds since the epoch.
    pub start: i64,
    /// User + system CPU time in seconds.
    pub cpu_time: u64,
    pub threads: u32,
    pub container: Option<saker_proc::Container>,
    pub comm: String,
    /// Arguments; empty for kernel threads and zombies.
    pub cmdline: Vec<String>,
}

impl PsRow {
    /// COMMAND as ps prints it: the arguments, or `[comm]` when there are none; zombies are
    /// marked `<defunct>`.
    pub fn command(&self) -> String {
        let mut s = if self.cmdline.is_empty() {
            format!("[{}]", self.comm)
        } else {
            self.cmdline.join(" ")
        };
        if self.stat.starts_with('Z') {
            s.push_str(" <defunct>");
        }
        s
    }
}

pub fn run(args: Args) -> Outcome {
    let rows = collect(&SystemInfo::read()?, &NameTable::users());
    let rows: Vec<PsRow> = rows
        .into_iter()
        .filter(|r| {
            (!args.containers_only || r.container.is_some())
                && (!args.host_only || r.container.is_none())
        })
        .collect();
    let out = if args.json {
        let mut s = serde_json::to_string_pretty(&to_json(&rows))?;
        s.push('\n');
        s
    } else {
        render_table(&rows, &Clock::local())
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(0)
}

/// Buffers reused across processes: `ps` reads four small files of every process, and
/// allocating per file would dominate.
#[derive(Default)]
struct Buffers {
    stat: Vec<u8>,
    status: Vec<u8>,
    cmdline: Vec<u8>,
    cgroup: Vec<u8>,
}

/// Reads every process. Processes that exit meanwhile, or cannot be read, are skipped.
pub fn collect(sys: &SystemInfo, users: &NameTable) -> Vec<PsRow> {
    let Ok(pids) = saker_proc::all_pids() else {
        return Vec::new();
    };
    map_pids(&pids, |pid, bufs: &mut Buffers| {
        read_row(pid, sys, users, bufs)
    })
}

/// Applies `f` to every pid in order, with one scratch state `S` (read buffers) reused for all.
///
/// Sequential on purpose: splitting the pids over threads was measured (bench/ps.sh, 2000
/// processes, 2 cores) and did not pay; the time is in the kernel's /proc code.
pub fn map_pids<T, S: Default>(
    pids: &[u32],
    mut f: impl FnMut(u32, &mut S) -> Option<T>,
) -> Vec<T> {
    let mut scratch = S::default();
    pids.iter()
        .filter_map(|&pid| f(pid, &mut scratch))
        .collect()
}

fn read_row(pid: u32, sys: &SystemInfo, users: &NameTable, b: &mut Buffers) -> Option<PsRow> {
    let p = Process::open(pid).ok()?;
    p.read_small_into("stat", &mut b.stat).ok()?;
    p.read_small_into("status", &mut b.status).ok()?;
    // cmdline and cgroup may be unreadable in odd set-ups; the row is still useful.
    let cmdline = match p.read_small_into("cmdline", &mut b.cmdline) {
        Ok(()) => environ::parse_cmdline(&b.cmdline),
        Err(_) => Vec::new(),
    };
    let container = match p.read_small_into("cgroup", &mut b.cgroup) {
        Ok(()) => cgroup::container_of_text(std::str::from_utf8(&b.cgroup).ok()?),
        Err(_) => None,
    };
    let stat = parse_stat(&b.stat).ok()?;
    let status = std::str::from_utf8(&b.status).ok()?;
    let euid = status_field(status, "Uid:")
        .and_then(|v| v.split_ascii_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0);
    let locked = status_field(status, "VmLck:")
        .and_then(|v| v.split_ascii_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(0)
        > 0;
    Some(row_from(
        &stat, euid, locked, cmdline, container, sys, users,
    ))
}

/// The value of one `Key:` line of a status file, without parsing the rest.
fn status_field<'a>(status: &'a str, key: &str) -> Option<&'a str> {
    let start = if status.starts_with(key) {
        0
    } else {
        status.find(&format!("\n{key}"))? + 1
    };
    let line = &status[start + key.len()..];
    Some(line.split('\n').next().unwrap_or("").trim())
}

/// Builds a row from parsed data: the part of `ps` that is pure arithmetic.
pub fn row_from(
    stat: &saker_proc::Stat,
    euid: u32,
    locked: bool,
    cmdline: Vec<String>,
    container: Option<saker_proc::Container>,
    sys: &SystemInfo,
    users: &NameTable,
) -> PsRow {
    let hz = sys.clock_ticks.max(1);
    let total_ticks = stat.utime + stat.stime;
    let started_secs_after_boot = stat.starttime as f64 / hz as f64;
    let elapsed = sys.uptime - started_secs_after_boot;
    let cpu_percent = if elapsed > 0.0 {
        (total_ticks as f64 / hz as f64) / elapsed * 100.0
    } else {
        0.0
    };
    let rss_kb = stat.rss * sys.page_size / 1024;
    let mem_percent = if sys.mem_total_kb > 0 {
        rss_kb as f64 * 100.0 / sys.mem_total_kb as f64
    } else {
        0.0
    };
    PsRow {
        user: users
            .get(euid)
            .map(str::to_string)
            .unwrap_or_else(|| euid.to_string()),
        uid: euid,
        pid: stat.pid,
        ppid: stat.ppid,
        cpu_percent,
        mem_percent,
        vsz_kb: stat.vsize / 1024,
        rss_kb,
        tty: tty::tty_name(stat.tty_nr),
        stat: stat_letters(stat, locked),
        start: sys.start_epoch(stat.starttime) as i64,
        cpu_time: total_ticks / hz,
        threads: stat.num_threads,
        container,
        comm: stat.comm.clone(),
        cmdline,
    }
}

/// STAT as BSD-style ps prints it: state, then `<` high / `N` low priority, `L` locked pages,
/// `s` session leader, `l` multi-threaded, `+` in the foreground process group.
pub fn stat_letters(stat: &saker_proc::Stat, locked: bool) -> String {
    let mut s = String::with_capacity(6);
    s.push(stat.state);
    if stat.nice < 0 {
        s.push('<');
    } else if stat.nice > 0 {
        s.push('N');
    }
    if locked {
        s.push('L');
    }
    if stat.session == stat.pid as i32 {
        s.push('s');
    }
    if stat.num_threads > 1 {
        s.push('l');
    }
    if stat.tpgid == stat.pgrp {
        s.push('+');
    }
    s
}

/// USER as ps prints it: names longer than 8 characters are cut to 7 and marked with `+`.
fn user_column(user: &str) -> String {
    if user.chars().count() > 8 {
        let mut s: String = user.chars().take(7).collect();
        s.push('+');
        s
    } else {
        user.to_string()
    }
}

/// The CONTAINER column: the 12-character id, or `host`.
pub fn container_column(c: Option<&saker_proc::Container>) -> &str {
    c.map_or("host", |c| c.short_id())
}

/// The `ps aux` table with PPID and CONTAINER added, column widths as procps uses them.
pub fn render_table(rows: &[PsRow], clock: &Clock) -> String {
    let mut out = String::with_capacity(rows.len() * 128 + 128);
    out.push_str(
        "USER         PID    PPID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME CONTAINER    COMMAND\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:<8} {:>7} {:>7} {:>4.1} {:>4.1} {:>6} {:>5} {:<8} {:<4} {:<5} {:>3}:{:02} {:<12} {}",
            user_column(&r.user),
            r.pid,
            r.ppid,
            r.cpu_percent,
            r.mem_percent,
            r.vsz_kb,
            r.rss_kb,
            r.tty,
            r.stat,
            clock.ps_start(r.start),
            r.cpu_time / 60,
            r.cpu_time % 60,
            container_column(r.container.as_ref()),
            r.command()
        );
    }
    out
}

/// The JSON of one container, shared by every command (see docs/proc-json.md).
pub fn container_json(c: Option<&saker_proc::Container>) -> Value {
    match c {
        None => Value::Null,
        Some(c) => json!({
            "id": c.id,
            "short_id": c.short_id(),
            "runtime": c.runtime.name(),
            "pod_uid": c.pod.as_ref().map(|p| p.uid.clone()),
            "qos_class": c.pod.as_ref().map(|p| p.qos.name()),
        }),
    }
}

/// The JSON array of `saker ps --json`.
pub fn to_json(rows: &[PsRow]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "pid": r.pid,
                    "ppid": r.ppid,
                    "user": r.user,
                    "uid": r.uid,
                    "cpu_percent": (r.cpu_percent * 10.0).round() / 10.0,
                    "mem_percent": (r.mem_percent * 10.0).round() / 10.0,
                    "vsz_kb": r.vsz_kb,
                    "rss_kb": r.rss_kb,
                    "tty": r.tty,
                    "stat": r.stat,
                    "start_time": timefmt::rfc3339_utc(r.start),
                    "cpu_time_secs": r.cpu_time,
                    "threads": r.threads,
                    "comm": r.comm,
                    "cmdline": r.cmdline,
                    "command": r.command(),
                    "container": container_json(r.container.as_ref()),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
pub mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../proc/tests/fixtures");

    pub fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    /// The machine the fixtures were captured on: booted at btime 1795865694, 24 GB.
    pub fn fixture_system() -> SystemInfo {
        SystemInfo {
            boot_time: 1_795_865_694,
            uptime: 600.0,
            mem_total_kb: 24_684_084,
            clock_ticks: 100,
            page_size: 4096,
        }
    }

    pub fn fixture_clock() -> Clock {
        Clock {
            now: 1_795_866_294,
            utc_offset: 0,
        }
    }

    /// Compares `actual` with the golden file `name` next to this module, or rewrites it when
    /// `UPDATE_GOLDEN=1`.
    pub fn check_golden(name: &str, actual: &str) {
        let path = format!("{}/src/cmd/ps/golden/{name}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(std::path::Path::new(&path).parent().unwrap()).unwrap();
            std::fs::write(&path, actual).unwrap();
            return;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("missing golden {path}; run with UPDATE_GOLDEN=1"));
        assert_eq!(
            actual, expected,
            "golden {name} differs; UPDATE_GOLDEN=1 to refresh"
        );
    }

    fn users() -> NameTable {
        NameTable::parse("root:x:0:0::/root:/bin/sh\nsystemd-network:x:998:998::/:/bin/false\n")
    }

    pub fn fixture_rows() -> Vec<PsRow> {
        let sys = fixture_system();
        let python = parse_stat(&fixture("stat-python.txt")).unwrap();
        let sleep = parse_stat(&fixture("stat-podman-sleep.txt")).unwrap();
        let cg = String::from_utf8(fixture("cgroup-podman-sleep.txt")).unwrap();
        let kthread = parse_stat(
            b"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 18446744073709551615 0",
        )
        .unwrap();
        // An interactive, multi-threaded, niced session leader in the foreground of pts/1,
        // started the day before, owned by a long user name.
        let busy = parse_stat(
            b"31337 (busy worker) R 1 31337 31337 34817 31337 4194304 0 0 0 0 7512 1488 0 0 39 19 4 0 50 1073741824 262144 0",
        )
        .unwrap();
        let zombie = parse_stat(
            b"4242 (reaped-late) Z 8020 8016 4659 0 -1 4227084 0 0 0 0 1 0 0 0 20 0 1 0 40000 0 0 0",
        )
        .unwrap();
        let mut yesterday = sys;
        yesterday.boot_time -= 86_400;
        vec![
            row_from(&kthread, 0, false, vec![], None, &sys, &users()),
            row_from(
                &python,
                0,
                false,
                environ::parse_cmdline(&fixture("cmdline-python.txt")),
                None,
                &sys,
                &users(),
            ),
            row_from(
                &sleep,
                0,
                false,
                environ::parse_cmdline(&fixture("cmdline-podman-sleep.txt")),
                cgroup::container_of_text(&cg),
                &sys,
                &users(),
            ),
            row_from(
                &busy,
                998,
                true,
                vec!["/usr/bin/worker".into(), "--threads=4".into()],
                None,
                &yesterday,
                &users(),
            ),
            row_from(&zombie, 0, false, vec![], None, &sys, &users()),
        ]
    }

    #[test]
    fn golden_table() {
        check_golden(
            "ps-table.txt",
            &render_table(&fixture_rows(), &fixture_clock()),
        );
    }

    #[test]
    fn golden_json() {
        let json = serde_json::to_string_pretty(&to_json(&fixture_rows())).unwrap();
        check_golden("ps.json", &(json + "\n"));
    }

    #[test]
    fn stat_letters_and_columns() {
        let rows = fixture_rows();
        assert_eq!(rows[3].stat, "RNLsl+");
        assert_eq!(rows[0].command(), "[kthreadd]");
        assert_eq!(user_column(&rows[3].user), "systemd+");
        assert_eq!(container_column(rows[2].container.as_ref()), "b8ef8b10085e");
        assert_eq!(container_column(rows[1].container.as_ref()), "host");
        assert_eq!(rows[3].cpu_time, 90);
        assert_eq!(rows[4].command(), "[reaped-late] <defunct>");
    }

    #[test]
    fn status_lookup() {
        let s = "Name:\tx\nUid:\t1\t2\t3\t4\nVmLck:\t  8 kB\n";
        assert_eq!(status_field(s, "Uid:"), Some("1\t2\t3\t4"));
        assert_eq!(status_field(s, "Name:"), Some("x"));
        assert_eq!(status_field(s, "VmLck:"), Some("8 kB"));
        assert_eq!(status_field(s, "Gid:"), None);
    }
}
