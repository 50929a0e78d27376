//! `saker secrets`: scan every process's environment and command line for exposed
//! credentials. Exit 1 when anything is found, 3 when nothing was found but some processes
//! could not be read (an unprivileged scan), 0 when every process was read and none exposes a
//! secret, so it can gate a CI job.

use std::fmt::Write as _;
use std::io::Write as _;

use saker_event::escape::escape;
use saker_proc::secrets::{Finding, scan_cmdline, scan_env_var};
use saker_proc::stat::parse_stat;
use saker_proc::{Container, Error, Process, cgroup, environ};
use serde_json::{Value, json};

use crate::cmd::ps::{container_json, map_pids};
use crate::exit::Outcome;

#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 every process read and none exposes a secret, 1 secrets \
found, 3 none found but some processes could not be read (run as root to read them all)."
)]
pub struct Args {
    /// Print JSON (schema: docs/proc-json.md).
    #[arg(long)]
    pub json: bool,
    /// Show the values in clear instead of masked (`55**`).
    #[arg(long)]
    pub show: bool,
}

/// One finding in one process.
#[derive(Debug, Clone)]
pub struct Report {
    pub pid: u32,
    pub process: String,
    pub container: Option<Container>,
    /// `environ` or `cmdline`.
    pub location: &'static str,
    pub finding: Finding,
}

/// What the scan saw.
#[derive(Debug, Default)]
pub struct Scan {
    pub reports: Vec<Report>,
    /// Processes looked at (kernel threads and zombies, which have nothing to read, aside).
    pub scanned: usize,
    /// Processes whose environment or command line could not be read for lack of privilege,
    /// with their names.
    pub denied: Vec<(u32, String)>,
}

/// Exit status when nothing was found but the scan could not read every process: distinct
/// from 1 (found) and 2 (error), so that a gate can tell "clean" from "could not tell".
pub const INCOMPLETE: u8 = 3;

impl Scan {
    pub fn complete(&self) -> bool {
        self.denied.is_empty()
    }

    /// The exit status: 1 found, 3 incomplete, 0 clean.
    pub fn status(&self) -> u8 {
        if !self.reports.is_empty() {
            1
        } else if !self.complete() {
            INCOMPLETE
        } else {
            0
        }
    }
}

pub fn run(args: Args) -> Outcome {
    let scan = scan_all();
    let out = if args.json {
        let mut s = serde_json::to_string_pretty(&to_json(&scan, args.show))?;
        s.push('\n');
        s
    } else {
        render(&scan, args.show)
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    if !scan.complete() {
        eprintln!("{}", incomplete_message(&scan.denied));
    }
    Ok(scan.status())
}

/// The warning that the scan missed processes, naming each one.
pub fn incomplete_message(denied: &[(u32, String)]) -> String {
    let plural = if denied.len() == 1 {
        "process"
    } else {
        "processes"
    };
    let names: Vec<String> = denied
        .iter()
        .map(|(pid, name)| format!("{pid} ({})", escape(name)))
        .collect();
    format!(
        "saker secrets: scan incomplete: {} {plural} could not be fully read (permission \
         denied: run as root): {}",
        denied.len(),
        names.join(", ")
    )
}

/// Read buffers of one scanning thread.
#[derive(Default)]
struct Buffers {
    environ: Vec<u8>,
    cmdline: Vec<u8>,
    small: Vec<u8>,
}

/// What one process contributed.
enum ProcessScan {
    Scanned(Vec<Report>),
    /// Part of it could not be read: what could, and the process's name.
    Denied(Vec<Report>, String),
    /// A kernel thread or a zombie: no environment, no command line.
    Empty,
}

/// Scans every process; vanished ones are skipped.
pub fn scan_all() -> Scan {
    let Ok(pids) = saker_proc::all_pids() else {
        return Scan::default();
    };
    let me = std::process::id();
    let per_process = map_pids(&pids, |pid, b: &mut Buffers| {
        if pid == me {
            return None;
        }
        Some((pid, scan_process(pid, b)?))
    });
    let mut scan = Scan::default();
    for (pid, outcome) in per_process {
        let reports = match outcome {
            ProcessScan::Empty => continue,
            ProcessScan::Scanned(r) => r,
            ProcessScan::Denied(r, name) => {
                scan.denied.push((pid, name));
                r
            }
        };
        scan.scanned += 1;
        scan.reports.extend(reports);
    }
    scan
}

fn scan_process(pid: u32, b: &mut Buffers) -> Option<ProcessScan> {
    let p = Process::open(pid).ok()?;
    let mut denied = false;
    // Read a file, or note that it was refused; `None` when the process is gone.
    let mut read = |name: &str, buf: &mut Vec<u8>| match p.read_small_into(name, buf) {
        Ok(()) => Some(()),
        Err(Error::PermissionDenied { .. }) => {
            denied = true;
            buf.clear();
            Some(())
        }
        Err(_) => None,
    };
    read("environ", &mut b.environ)?;
    read("cmdline", &mut b.cmdline)?;
    if denied && b.environ.is_empty() && b.cmdline.is_empty() {
        // Kernel threads and zombies have neither: nothing was missed.
        let stat = stat_of(&p, &mut b.small)?;
        if stat.is_kernel_thread() || stat.state == 'Z' {
            return Some(ProcessScan::Empty);
        }
    }
    let mut found: Vec<(&'static str, Finding)> = Vec::new();
    for v in environ::parse_environ(&b.environ) {
        // Names and values are almost always UTF-8, so this rarely allocates.
        let name = String::from_utf8_lossy(v.name);
        let value = String::from_utf8_lossy(v.value);
        if let Some(f) = scan_env_var(&name, &value) {
            found.push(("environ", f));
        }
    }
    if !b.cmdline.is_empty() {
        let args = environ::parse_cmdline(&b.cmdline);
        found.extend(scan_cmdline(&args).into_iter().map(|f| ("cmdline", f)));
    }
    let mut reports = Vec::new();
    if !found.is_empty() {
        // Name and container are only needed for processes with findings.
        let process = stat_of(&p, &mut b.small)?.comm;
        let container = match p.read_small_into("cgroup", &mut b.small) {
            Ok(()) => std::str::from_utf8(&b.small)
                .ok()
                .and_then(cgroup::container_of_text),
            Err(_) => None,
        };
        reports = found
            .into_iter()
            .map(|(location, finding)| Report {
                pid,
                process: process.clone(),
                container: container.clone(),
                location,
                finding,
            })
            .collect();
    }
    Some(if denied {
        let name = stat_of(&p, &mut b.small).map_or_else(|| "?".into(), |s| s.comm);
        ProcessScan::Denied(reports, name)
    } else {
        ProcessScan::Scanned(reports)
    })
}

fn stat_of(p: &Process, buf: &mut Vec<u8>) -> Option<saker_proc::Stat> {
    p.read_small_into("stat", buf).ok()?;
    parse_stat(buf).ok()
}

fn value_of(f: &Finding, show: bool) -> String {
    if show { f.value.clone() } else { f.masked() }
}

/// The text table.
pub fn render(scan: &Scan, show: bool) -> String {
    let unread = if scan.complete() {
        String::new()
    } else {
        format!(
            "; {} more could not be fully read (scan incomplete)",
            scan.denied.len()
        )
    };
    if scan.reports.is_empty() {
        let read = scan.scanned - scan.denied.len();
        return format!("no exposed secrets in {read} processes{unread}\n");
    }
    let mut o = String::new();
    let name_w = scan
        .reports
        .iter()
        .map(|r| escape(&r.finding.name).chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    let _ = writeln!(
        o,
        "{:>7} {:<15} {:<12} {:<7} {:<name_w$} {:<17} VALUE",
        "PID", "PROCESS", "CONTAINER", "WHERE", "NAME", "KIND"
    );
    for r in &scan.reports {
        let value = value_of(&r.finding, show);
        let _ = writeln!(
            o,
            "{:>7} {:<15} {:<12} {:<7} {:<name_w$} {:<17} {}",
            r.pid,
            escape(&r.process),
            r.container.as_ref().map_or("host", |c| c.short_id()),
            r.location,
            escape(&r.finding.name),
            r.finding.kind.name(),
            escape(&value)
        );
    }
    let processes = {
        let mut pids: Vec<u32> = scan.reports.iter().map(|r| r.pid).collect();
        pids.dedup();
        pids.len()
    };
    let _ = writeln!(
        o,
        "{} findings in {processes} of {} processes{unread}",
        scan.reports.len(),
        scan.scanned
    );
    o
}

pub fn to_json(scan: &Scan, show: bool) -> Value {
    json!({
        "findings": scan.reports.iter().map(|r| json!({
            "pid": r.pid,
            "process": r.process,
            "container": container_json(r.container.as_ref(), None),
            "location": r.location,
            "name": r.finding.name,
            "kind": r.finding.kind.name(),
            "value": value_of(&r.finding, show),
            "masked": !show,
        })).collect::<Vec<_>>(),
        "processes_scanned": scan.scanned,
        "processes_denied": scan.denied.len(),
        "denied": scan.denied.iter().map(|(pid, name)| json!({"pid": pid, "process": name})).collect::<Vec<_>>(),
        "complete": scan.complete(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan() -> Scan {
        let f = scan_env_var("MY_API_TOKEN", "5555secret").unwrap();
        let u = scan_env_var("DATABASE_URL", "postgres://admin:hunter2@db:5432/app").unwrap();
        let c = scan_cmdline(&["mysql".into(), "--password=letmein".into()]);
        let ctr = cgroup::container_of_path(
            "/libpod_parent/libpod-b8ef8b10085e4f69df624915fef02ba61d013fa8874e292237e21029ca9a3a09",
        );
        Scan {
            reports: vec![
                Report {
                    pid: 42,
                    process: "app".into(),
                    container: None,
                    location: "environ",
                    finding: f,
                },
                Report {
                    pid: 42,
                    process: "app".into(),
                    container: None,
                    location: "environ",
                    finding: u,
                },
                Report {
                    pid: 7205,
                    process: "mysql".into(),
                    container: ctr,
                    location: "cmdline",
                    finding: c[0].clone(),
                },
            ],
            scanned: 10,
            denied: vec![],
        }
    }

    #[test]
    fn masked_table() {
        let text = render(&scan(), false);
        let expect = concat!(
            "    PID PROCESS         CONTAINER    WHERE   NAME         KIND              VALUE\n",
            "     42 app             host         environ MY_API_TOKEN secret-name       55**\n",
            "     42 app             host         environ DATABASE_URL url-credentials   postgres://admin:hu**@db:5432/app\n",
            "   7205 mysql           b8ef8b10085e cmdline --password   secret-name       le**\n",
            "3 findings in 2 of 10 processes\n",
        );
        assert_eq!(text, expect);
        assert!(!text.contains("hunter2") && !text.contains("5555secret"));
    }

    #[test]
    fn shown_and_json() {
        assert!(render(&scan(), true).contains("5555secret"));
        let j = to_json(&scan(), false);
        assert_eq!(j["findings"][0]["value"], "55**");
        assert_eq!(j["findings"][2]["container"]["short_id"], "b8ef8b10085e");
        assert_eq!(
            to_json(&scan(), true)["findings"][1]["value"],
            "postgres://admin:hunter2@db:5432/app"
        );
        assert_eq!(
            render(&Scan::default(), false),
            "no exposed secrets in 0 processes\n"
        );
    }

    #[test]
    fn incomplete_scans_say_so_and_exit_3() {
        let mut s = Scan {
            scanned: 133,
            denied: vec![(1, "systemd".into()), (812, "ssh\x1bd".into())],
            ..Scan::default()
        };
        assert_eq!(
            render(&s, false),
            "no exposed secrets in 131 processes; 2 more could not be fully read (scan incomplete)\n"
        );
        assert_eq!(s.status(), INCOMPLETE);
        assert_eq!(
            incomplete_message(&s.denied),
            "saker secrets: scan incomplete: 2 processes could not be fully read (permission \
             denied: run as root): 1 (systemd), 812 (ssh\\33d)"
        );
        let j = to_json(&s, false);
        assert_eq!(j["complete"], false);
        assert_eq!(j["denied"][1]["pid"], 812);
        // Findings outrank an incomplete scan: exit 1.
        s.reports = scan().reports;
        assert_eq!(s.status(), 1);
        assert_eq!(Scan::default().status(), 0);
    }
}
