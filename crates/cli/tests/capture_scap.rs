//! `.scap` files: `saker capture print` against `sysdig -r` (the oracle, Debian's sysdig
//! 0.29), sysdig's own rewrites, `saker run -e FILE.scap`, and bad files.
//!
//! The captures come from falcosecurity/libs' test resources, outside the project:
//! `SAKER_SCAP_CORPUS` (set by .ci/run) names their directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use saker_source::scap::table::{self, ParamType};
use saker_source::scap::write::ScapWriter;

fn saker() -> Command {
    Command::new(env!("CARGO_BIN_EXE_saker"))
}

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("SAKER_SCAP_CORPUS")?);
    dir.join("curl_google.scap").exists().then_some(dir)
}

fn sysdig_available() -> bool {
    Command::new("sysdig")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether sysdig is missing (said loudly for `test`, which then skips).
fn sysdig_missing(test: &str) -> bool {
    let missing = !sysdig_available();
    if missing {
        eprintln!("SKIPPED: {test}: sysdig is not installed (.ci/run installs Debian's sysdig)");
    }
    missing
}

/// Why a test cannot run here, or `None`.
fn skip_reason() -> Option<&'static str> {
    if corpus().is_none() {
        return Some("SAKER_SCAP_CORPUS is not set to the .scap corpus (.ci/run sets it)");
    }
    if !sysdig_available() {
        return Some("sysdig is not installed (.ci/run installs Debian's sysdig)");
    }
    None
}

fn sysdig_lines(file: &Path, filter: &[&str]) -> Vec<String> {
    let out = Command::new("sysdig")
        .env("TZ", "UTC")
        .arg("-r")
        .arg(file)
        .args(filter)
        .output()
        .expect("sysdig runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn saker_print(file: &Path, extra: &[&str]) -> Output {
    saker()
        .args(["capture", "print"])
        .arg(file)
        .args(extra)
        .output()
        .expect("saker runs")
}

fn lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Identical lines at the same position, and the first few that differ.
fn agreement(expected: &[String], got: &[String]) -> (usize, Vec<String>) {
    let same = expected.iter().zip(got).filter(|(a, b)| a == b).count();
    let diffs = expected
        .iter()
        .zip(got)
        .filter(|(a, b)| a != b)
        .take(5)
        .map(|(a, b)| format!("sysdig: {a}\nsaker:  {b}"))
        .collect();
    (same, diffs)
}

fn assert_agrees(name: &str, expected: &[String], got: &[String]) {
    let (same, diffs) = agreement(expected, got);
    let total = expected.len().max(got.len());
    assert!(total > 0, "{name}: no events");
    let ratio = same as f64 / total as f64;
    eprintln!("{name}: {same}/{total} events identical to sysdig -r");
    assert!(
        ratio >= 0.99,
        "{name}: {same} of {total} lines agree with sysdig -r:\n{}",
        diffs.join("\n")
    );
}

#[test]
fn capture_print_agrees_with_sysdig_on_the_libs_corpus() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: capture_print_agrees_with_sysdig_on_the_libs_corpus: {why}");
        return;
    }
    let dir = corpus().unwrap();
    for name in [
        "curl_google.scap",
        "single_ipv6_conn.scap",
        "test_ipv6_client.scap",
    ] {
        let file = dir.join(name);
        let out = saker_print(&file, &[]);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_agrees(name, &sysdig_lines(&file, &[]), &lines(&out));
    }
    // The same capture with comment blocks: sysdig 0.29 stops at them; Saker skips them and
    // prints what sysdig prints for the capture without them.
    let out = saker_print(&dir.join("curl_google_comments.scap"), &[]);
    assert!(out.status.success());
    assert_agrees(
        "curl_google_comments.scap",
        &sysdig_lines(&dir.join("curl_google.scap"), &[]),
        &lines(&out),
    );
}

#[test]
fn filters_use_the_rule_language_and_agree_with_sysdig() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: filters_use_the_rule_language_and_agree_with_sysdig: {why}");
        return;
    }
    let file = corpus().unwrap().join("curl_google.scap");
    for filter in [
        "evt.type=open",
        "evt.type=connect and evt.dir=<",
        "proc.name=curl and evt.type in (read, close)",
    ] {
        let out = saker_print(&file, &[filter]);
        assert!(
            out.status.success(),
            "{filter}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_agrees(filter, &sysdig_lines(&file, &[filter]), &lines(&out));
    }
    let out = saker_print(
        &file,
        &[
            "-p",
            "%evt.num %proc.name %fd.name",
            "evt.type=open and evt.dir=<",
        ],
    );
    let got = lines(&out);
    assert_eq!(
        got.first().map(String::as_str),
        Some("219 curl /etc/ld.so.cache"),
        "{got:?}"
    );
    let out = saker_print(&file, &["--json", "evt.num=219"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(json["evt.type"], "open");
    assert_eq!(json["thread.tid"], 17497);
}

/// `sysdig -r A -w B` rewrites with its own writer (sysdig 0.29 cannot read back its rewrite
/// of two of these: its interface list block length is short); `-z` compresses.
#[test]
fn sysdig_rewrites_and_gzip_files_read_back() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: sysdig_rewrites_and_gzip_files_read_back: {why}");
        return;
    }
    let dir = corpus().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for name in ["curl_google.scap", "test_ipv6_client.scap"] {
        let original = dir.join(name);
        let expected = sysdig_lines(&original, &[]);
        for (flag, out_name) in [(None, "re.scap"), (Some("-z"), "re.scap.gz")] {
            let rewritten = tmp.path().join(out_name);
            let status = Command::new("sysdig")
                .arg("-r")
                .arg(&original)
                .args(flag)
                .arg("-w")
                .arg(&rewritten)
                .output()
                .unwrap();
            assert!(status.status.success());
            let out = saker_print(&rewritten, &[]);
            assert!(
                out.status.success(),
                "{name} {out_name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_agrees(
                &format!("{name} rewritten {out_name}"),
                &expected,
                &lines(&out),
            );
        }
    }
}

#[test]
fn replay_of_a_scap_file_reports_its_events() {
    let Some(dir) = corpus() else {
        eprintln!("SKIPPED: replay_of_a_scap_file_reports_its_events: SAKER_SCAP_CORPUS not set");
        return;
    };
    let out = saker()
        .args([
            "run",
            "-o",
            "syslog_output.enabled=false",
            "-o",
            "stdout_output.enabled=false",
            "-e",
        ])
        .arg(dir.join("curl_google.scap"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let events: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("Events seen: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(events > 300, "{stderr}");
}

fn corpus_bytes() -> Option<Vec<u8>> {
    std::fs::read(corpus()?.join("single_ipv6_conn.scap")).ok()
}

/// Every failure is one message with the byte offset, exit code 2, never a crash; events
/// before a corrupt block are printed.
#[test]
fn bad_files_give_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bad.scap");
    // -D: internal events too, so that the first half of a file prints something.
    let run = |bytes: &[u8]| {
        std::fs::write(&path, bytes).unwrap();
        saker_print(&path, &["-D"])
    };
    let out = run(b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty") || err.contains("no header"), "{err}");

    let Some(good) = corpus_bytes() else {
        eprintln!("SKIPPED: bad_files_give_clear_errors (corpus part): SAKER_SCAP_CORPUS not set");
        return;
    };
    let full = run(&good);
    assert!(full.status.success());
    let all = lines(&full);
    // Truncated (this file is gzip-compressed: cut inside its events): what came
    // before is printed, then the offset where the data stopped.
    let cut = run(&good[..good.len() * 8 / 10]);
    assert_eq!(cut.status.code(), Some(2));
    let err = String::from_utf8_lossy(&cut.stderr);
    assert!(
        err.contains("at byte ") && err.contains("truncated"),
        "{err}"
    );
    let printed = lines(&cut);
    assert!(!printed.is_empty() && printed.len() < all.len() && all.starts_with(&printed));
    // Bit flips anywhere: a clean result or a clean error, never a crash.
    for at in (0..good.len()).step_by(97) {
        let mut bad = good.clone();
        bad[at] ^= 0x5a;
        let out = run(&bad);
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "flip at {at}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A file is read by what it holds, not by its name: JSON lines named `.scap` are a Saker
/// capture when they start with its header, and an error naming line 1 otherwise.
#[test]
fn json_lines_named_scap_are_read_by_their_content() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("events.scap");
    let header = r#"{"kind":"header","format":"saker-capture","version":1,"created_ns":1,"hostname":"h","passwd":"","group":""}"#;
    std::fs::write(&path, format!("{header}\n")).unwrap();
    let out = saker_print(&path, &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    std::fs::write(&path, "{\"kind\":\"event\"}\n").unwrap();
    refused_by_print_and_replay(&path, "line 1: not a saker capture file");
}

/// `capture print FILE` and `run -e FILE` both exit 2 with a message that says `what`.
fn refused_by_print_and_replay(path: &Path, what: &str) {
    for args in [
        vec!["capture", "print"],
        vec!["run", "-o", "syslog_output.enabled=false", "-e"],
    ] {
        let out = saker().args(&args).arg(path).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(what), "{args:?}: {err}");
    }
}

/// A 2 GB sparse file (all zeros) is refused from its first bytes, in little time and memory.
#[test]
fn a_huge_sparse_file_is_refused_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("sparse.scap");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(2 << 30).unwrap();
    drop(f);
    refused_by_print_and_replay(&path, "line 1");
}

/// A value of each parameter type, chosen so that a wrong width, print format or name shows in
/// sysdig's line: numbers not zero, strings not empty, an AF_UNIX address and tuple. `fresh`
/// gives each pid a number no other event uses, so that no pid names a thread an earlier
/// probe event created.
fn probe_value(name: &str, ty: ParamType, fresh: &mut u64) -> Vec<u8> {
    match ty {
        ParamType::Fd => 3i64.to_le_bytes().to_vec(),
        ParamType::Pid => {
            *fresh += 1;
            fresh.to_le_bytes().to_vec()
        }
        ParamType::Errno => (-2i64).to_le_bytes().to_vec(),
        ParamType::Int { bytes, .. } => 0x2au64.to_le_bytes()[..usize::from(bytes)].to_vec(),
        // sysdig reads a container event's JSON as the container's description.
        ParamType::CharBuf if name == "json" => {
            br#"{"container":{"id":"0123456789ab","type":0,"name":"probe","image":"probe"}}"#
                .iter()
                .copied()
                .chain([0])
                .collect()
        }
        ParamType::FsPath | ParamType::CharBuf => b"/probe\0".to_vec(),
        ParamType::FsRelPath { .. } => b"probe\0".to_vec(),
        ParamType::ByteBuf => b"ab".to_vec(),
        ParamType::SockAddr => b"\x01/s\0".to_vec(),
        ParamType::SockTuple => {
            let mut v = vec![1u8];
            v.extend(0x10u64.to_le_bytes());
            v.extend(0x20u64.to_le_bytes());
            v.extend(b"/s\0");
            v
        }
        ParamType::FdList => {
            let mut v = 1u16.to_le_bytes().to_vec();
            v.extend(3u64.to_le_bytes());
            v.extend(1u16.to_le_bytes());
            v
        }
        ParamType::SyscallId => 75u16.to_le_bytes().to_vec(),
        ParamType::SigType => vec![9],
        ParamType::SigSet => 1u32.to_le_bytes().to_vec(),
        ParamType::RelTime | ParamType::AbsTime => 1_500_000_000u64.to_le_bytes().to_vec(),
        ParamType::Uid | ParamType::Gid => 1000u32.to_le_bytes().to_vec(),
        ParamType::Dyn { choices } => dyn_value(name, 0, choices[0], fresh),
        ParamType::Flags { bytes, table } => {
            let first = table
                .and_then(|t| t.first())
                .map_or(1, |&(_, v)| u64::from(v));
            first.to_le_bytes()[..usize::from(bytes)].to_vec()
        }
        ParamType::Mode { .. } => 0o644u32.to_le_bytes().to_vec(),
        ParamType::CharBufArray | ParamType::PairArray => b"a\0b\0".to_vec(),
    }
}

/// Events sysdig takes as cluster state and stops reading at when their JSON is not what the
/// orchestrator sent: left out of the probe.
const CLUSTER_STATE_EVENTS: [&str; 2] = ["k8s", "mesos"];

/// One probe event: its type and its parameters' bytes.
type Probe = (u16, Vec<Vec<u8>>);

/// An event of every type in Saker's event table, then, for every flags or mode parameter,
/// one event per named value of its table, and a generic event for every syscall code: what
/// Saker believes of each type (name, direction, parameter names, widths, print formats,
/// flag names, syscall names) written down for sysdig to read with its own table.
fn probe_events() -> Vec<Probe> {
    let mut fresh_pid = u64::from(UNLIVED_PID) + 1_000_000;
    let mut probes = Vec::new();
    for kind in 0..table::event_count() as u16 {
        let info = table::info(kind).unwrap();
        if info.unused || CLUSTER_STATE_EVENTS.contains(&info.name.as_str()) {
            continue;
        }
        // Every probe event its own pids, also where only one parameter varies.
        let values = |fresh_pid: &mut u64| -> Vec<Vec<u8>> {
            info.params
                .iter()
                .map(|p| probe_value(&p.name, p.ty, fresh_pid))
                .collect()
        };
        probes.push((kind, values(&mut fresh_pid)));
        for (i, p) in info.params.iter().enumerate() {
            if let ParamType::Dyn { choices } = p.ty {
                for (index, &choice) in choices.iter().enumerate().skip(1) {
                    let mut v = values(&mut fresh_pid);
                    v[i] = dyn_value(&p.name, index as u8, choice, &mut fresh_pid);
                    probes.push((kind, v));
                }
                continue;
            }
            let (bytes, names) = match p.ty {
                ParamType::Flags {
                    bytes,
                    table: Some(t),
                } => (usize::from(bytes), t),
                ParamType::Mode { table } => (4, table),
                _ => continue,
            };
            for &(_, value) in names {
                let mut v = values(&mut fresh_pid);
                v[i] = u64::from(value).to_le_bytes()[..bytes].to_vec();
                probes.push((kind, v));
            }
        }
    }
    // The generic event once for every syscall code Saker knows: sysdig names the syscall.
    for code in (0u16..).take_while(|&c| table::ppm_sc_name(c).is_some()) {
        probes.push((
            0,
            vec![code.to_le_bytes().to_vec(), 0u16.to_le_bytes().to_vec()],
        ));
    }
    probes
}

/// A dynamic parameter's value: the index byte, then a value of the type it selects.
fn dyn_value(name: &str, index: u8, choice: ParamType, fresh: &mut u64) -> Vec<u8> {
    let mut v = vec![index];
    v.extend(probe_value(name, choice, fresh));
    v
}

/// A pid no process on this host can have: above the kernel's PID_MAX_LIMIT (4M on 64-bit).
/// sysdig 0.29 reads `/proc/<tid>/fd/<n>` of the host to name an fd it has not seen, so a
/// probe thread that shared its tid with a live process would print that process's fd (CI
/// once saw `socket:[6778611]` for a renameat's dirfd).
const UNLIVED_PID: u32 = 5_000_000;

/// Writes probe events, each from a thread of its own.
fn write_probe_capture(path: &Path, probes: &[Probe]) {
    let file = std::fs::File::create(path).unwrap();
    let mut w = ScapWriter::new(std::io::BufWriter::new(file), "probe").unwrap();
    for (i, (kind, values)) in probes.iter().enumerate() {
        let i = i as u32;
        w.raw_event(
            1_700_000_000_000_000_000 + u64::from(i) * 1000,
            UNLIVED_PID + i,
            *kind,
            values,
        )
        .unwrap();
    }
    w.flush().unwrap();
}

/// What the probe compares: the parts of each line the event table decides, after the
/// event's number (events sysdig does not print still count).
const PROBE_FORMAT: &str = "%evt.num %evt.type %evt.dir %evt.info";

/// Each printed line by event number (from 1).
fn numbered(out: &Output) -> BTreeMap<usize, String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (num, rest) = l.split_once(' ')?;
            // sysdig ends evt.info with a space, Saker's -p does not.
            Some((num.parse().ok()?, rest.trim_end().to_string()))
        })
        .collect()
}

/// What sysdig and Saker print for a capture of `probes`, and whether sysdig ran to the end
/// (sysdig 0.29 crashes on some old event versions).
fn probe_lines(
    dir: &Path,
    probes: &[Probe],
) -> (BTreeMap<usize, String>, BTreeMap<usize, String>, bool) {
    let file = dir.join("probe.scap");
    write_probe_capture(&file, probes);
    let out = saker_print(&file, &["-p", PROBE_FORMAT]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sysdig = Command::new("sysdig")
        .env("TZ", "UTC")
        .arg("-r")
        .arg(&file)
        .args(["-p", PROBE_FORMAT])
        .output()
        .expect("sysdig runs");
    (numbered(&sysdig), numbered(&out), sysdig.status.success())
}

/// Saker's event table (event numbers, names, directions, parameter names and types, flag
/// names) checked against sysdig's own, through a capture of probe events that both print.
/// Where sysdig crashes on an event, the event is named and the probe goes on after it.
#[test]
fn event_table_agrees_with_sysdig() {
    if sysdig_missing("event_table_agrees_with_sysdig") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let probes = probe_events();
    let mut start = 0;
    let mut diffs = Vec::new();
    let mut crashed_on = Vec::new();
    let mut compared = 0;
    let none = String::from("(not printed)");
    while start < probes.len() {
        let (sysdig, saker, finished) = probe_lines(dir.path(), &probes[start..]);
        // Where sysdig stopped: the events after its last line were not read.
        let read = if finished {
            probes.len() - start
        } else {
            sysdig.keys().last().copied().unwrap_or(0)
        };
        for num in 1..=read {
            let (a, b) = (sysdig.get(&num), saker.get(&num));
            if a != b {
                let kind = probes[start + num - 1].0;
                diffs.push(format!(
                    "event type {kind}:\nsysdig: {}\nsaker:  {}",
                    a.unwrap_or(&none),
                    b.unwrap_or(&none)
                ));
            }
        }
        compared += read;
        if finished {
            break;
        }
        let crash = start + read;
        crashed_on.push(format!(
            "{}: {}",
            probes[crash].0,
            saker.get(&(read + 1)).unwrap_or(&none)
        ));
        start = crash + 1;
    }
    eprintln!(
        "probe: {} of {compared} events print as sysdig prints them; sysdig crashed on {} \
         other events: {crashed_on:#?}",
        compared - diffs.len(),
        crashed_on.len()
    );
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

/// The type name `sysdig -L` gives a parameter type.
fn sysdig_type_name(ty: ParamType) -> String {
    match ty {
        ParamType::Fd => "FD".into(),
        ParamType::Pid => "PID".into(),
        ParamType::Errno => "ERRNO".into(),
        ParamType::Int { bytes, signed, .. } => {
            format!(
                "{}INT{}",
                if signed { "" } else { "U" },
                u32::from(bytes) * 8
            )
        }
        ParamType::FsPath => "FSPATH".into(),
        ParamType::FsRelPath { .. } => "FSRELPATH".into(),
        ParamType::CharBuf => "CHARBUF".into(),
        ParamType::ByteBuf => "BYTEBUF".into(),
        ParamType::SockAddr => "SOCKADDR".into(),
        ParamType::SockTuple => "SOCKTUPLE".into(),
        ParamType::FdList => "FDLIST".into(),
        ParamType::SyscallId => "SYSCALLID".into(),
        ParamType::SigType => "SIGTYPE".into(),
        ParamType::SigSet => "SIGSET".into(),
        ParamType::RelTime => "RELTIME".into(),
        ParamType::AbsTime => "ABSTIME".into(),
        ParamType::Uid => "UID".into(),
        ParamType::Gid => "GID".into(),
        ParamType::Dyn { .. } => "DYNAMIC".into(),
        ParamType::Flags { bytes, .. } => format!("FLAGS{}", u32::from(bytes) * 8),
        ParamType::Mode { .. } => "MODE".into(),
        ParamType::CharBufArray => "CHARBUFARRAY".into(),
        ParamType::PairArray => "CHARBUF_PAIR_ARRAY".into(),
    }
}

/// Each event of Saker's table as `sysdig -L` lists one: `> name(TYPE param, ...)`.
fn listed_like_sysdig(kind: u16) -> String {
    let info = table::info(kind).unwrap();
    let params: Vec<String> = info
        .params
        .iter()
        .map(|p| format!("{} {}", sysdig_type_name(p.ty), p.name))
        .collect();
    let dir = if table::is_enter(kind) { '>' } else { '<' };
    format!("{dir} {}({})", info.name, params.join(", "))
}

/// The events `sysdig -L` lists (those of sysdig 0.29's table neither old, unused nor
/// internal) are Saker's, with the same names, directions, parameter names and types.
#[test]
fn event_list_agrees_with_sysdig() {
    if sysdig_missing("event_list_agrees_with_sysdig") {
        return;
    }
    let out = Command::new("sysdig")
        .arg("-L")
        .output()
        .expect("sysdig runs");
    let listed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with('<') || l.starts_with('>'))
        .map(str::to_string)
        .collect();
    let ours: Vec<String> = (0..table::event_count() as u16)
        .filter(|&k| {
            let info = table::info(k).unwrap();
            !info.unused && !info.old_version && info.category != table::Category::Internal
        })
        .map(listed_like_sysdig)
        .collect();
    assert!(
        listed.len() > 200,
        "sysdig -L listed {} events",
        listed.len()
    );
    let missing: Vec<&String> = listed.iter().filter(|l| !ours.contains(l)).collect();
    let extra: Vec<&String> = ours.iter().filter(|l| !listed.contains(l)).collect();
    eprintln!(
        "sysdig -L: {} events, {} of them in Saker's table alike",
        listed.len(),
        listed.len() - missing.len()
    );
    assert!(
        missing.is_empty(),
        "listed by sysdig, not so in Saker's table: {missing:#?}"
    );
    assert!(
        extra.is_empty(),
        "in Saker's table, not so in sysdig -L: {extra:#?}"
    );
}
