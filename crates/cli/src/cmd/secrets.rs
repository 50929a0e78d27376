//! `saker secrets`: scan every process's environment and command line for exposed
//! credentials. Exit 1 when anything is found, 0 when clean, so it can gate a CI job.

use std::fmt::Write as _;
use std::io::Write as _;

use saker_proc::secrets::{Finding, scan_cmdline, scan_env_var};
use saker_proc::stat::parse_stat;
use saker_proc::{Container, Error, Process, cgroup, environ};
use serde_json::{Value, json};

use crate::cmd::ps::{container_json, map_pids};
use crate::exit::Outcome;

#[derive(clap::Args)]
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
    pub scanned: usize,
    /// Processes whose environ could not be read for lack of privilege.
    pub denied: usize,
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
    if scan.denied > 0 && !args.json {
        let plural = if scan.denied == 1 {
            "process"
        } else {
            "processes"
        };
        eprintln!(
            "saker: {} {plural} could not be read (permission denied: root is needed)",
            scan.denied
        );
    }
    Ok(if scan.reports.is_empty() { 0 } else { 1 })
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
    Denied(Vec<Report>),
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
        scan_process(pid, b)
    });
    let mut scan = Scan::default();
    for outcome in per_process {
        scan.scanned += 1;
        let reports = match outcome {
            ProcessScan::Scanned(r) => r,
            ProcessScan::Denied(r) => {
                scan.denied += 1;
                r
            }
        };
        scan.reports.extend(reports);
    }
    scan
}

fn scan_process(pid: u32, b: &mut Buffers) -> Option<ProcessScan> {
    let p = Process::open(pid).ok()?;
    let mut denied = false;
    match p.read_small_into("environ", &mut b.environ) {
        Ok(()) => {}
        Err(Error::PermissionDenied { .. }) => {
            denied = true;
            b.environ.clear();
        }
        Err(_) => return None,
    }
    p.read_small_into("cmdline", &mut b.cmdline).ok()?;
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
        p.read_small_into("stat", &mut b.small).ok()?;
        let process = parse_stat(&b.small).map(|s| s.comm).unwrap_or_default();
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
        ProcessScan::Denied(reports)
    } else {
        ProcessScan::Scanned(reports)
    })
}

fn value_of(f: &Finding, show: bool) -> String {
    if show { f.value.clone() } else { f.masked() }
}

/// The text table.
pub fn render(scan: &Scan, show: bool) -> String {
    if scan.reports.is_empty() {
        return format!("no exposed secrets in {} processes\n", scan.scanned);
    }
    let mut o = String::new();
    let name_w = scan
        .reports
        .iter()
        .map(|r| r.finding.name.len())
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    let _ = writeln!(
        o,
        "{:>7} {:<15} {:<12} {:<7} {:<name_w$} {:<17} VALUE",
        "PID", "PROCESS", "CONTAINER", "WHERE", "NAME", "KIND"
    );
    for r in &scan.reports {
        let value = value_of(&r.finding, show).replace('\n', "\\n");
        let _ = writeln!(
            o,
            "{:>7} {:<15} {:<12} {:<7} {:<name_w$} {:<17} {}",
            r.pid,
            r.process,
            r.container.as_ref().map_or("host", |c| c.short_id()),
            r.location,
            r.finding.name,
            r.finding.kind.name(),
            value
        );
    }
    let processes = {
        let mut pids: Vec<u32> = scan.reports.iter().map(|r| r.pid).collect();
        pids.dedup();
        pids.len()
    };
    let _ = writeln!(
        o,
        "{} findings in {processes} of {} processes",
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
        "processes_denied": scan.denied,
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
            denied: 0,
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
}
