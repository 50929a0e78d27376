//! `.scap` files: `saker capture print` against `sysdig -r` (the oracle, Debian's sysdig
//! 0.29), sysdig's own rewrites, `saker run -e FILE.scap`, and bad files.
//!
//! The captures come from falcosecurity/libs' test resources, outside the project:
//! `SAKER_SCAP_CORPUS` (set by .ci/run) names their directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// A 2 GB sparse file (all zeros) is refused from its first bytes, in little time and memory.
#[test]
fn a_huge_sparse_file_is_refused_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("sparse.scap");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(2 << 30).unwrap();
    drop(f);
    for args in [
        vec!["capture", "print"],
        vec!["run", "-o", "syslog_output.enabled=false", "-e"],
    ] {
        let out = saker().args(&args).arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("line 1"), "{args:?}: {err}");
    }
}
