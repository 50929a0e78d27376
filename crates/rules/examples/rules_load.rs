//! Times loading and compiling rules files.
//!
//! `rules_load [FILE|DIR]...` (default: the four files of `$SAKER_FALCO_CORPUS` in Falco's
//! order) prints the best and median of 50 runs (`RULES_LOAD_RUNS` to change) for the whole
//! load (YAML + items + conditions + checks) and, as a baseline measured in the same run, for
//! building the YAML trees alone; wall and CPU time.
//!
//! `rules_load --large MB` generates three files of MB megabytes (unused lists, unused macros,
//! and lists + macros + rules that use them) and loads each once: loading is linear, so these
//! take seconds, and `MAX_RULES_FILE_BYTES` bounds them.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use saker_rules::{SourceFile, files::read_paths, load};

const DEFAULT_RUNS: usize = 50;

/// CPU time of this (single-threaded) process, from the scheduler's account.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/schedstat").unwrap_or_default();
    let ns = stat
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(ns)
}

/// Wall and CPU time of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (wall, cpu) = (Instant::now(), cpu_time());
    let out = f();
    (out, wall.elapsed(), cpu_time() - cpu)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    (ms(samples[0]), ms(samples[samples.len() / 2]))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--large") {
        let mb = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(50);
        large(mb);
        return;
    }
    let mut paths: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    if paths.is_empty() {
        let Some(dir) = std::env::var_os("SAKER_FALCO_CORPUS") else {
            eprintln!("usage: rules_load FILE|DIR... (or set SAKER_FALCO_CORPUS) | --large MB");
            std::process::exit(2);
        };
        let dir = PathBuf::from(dir);
        paths = [
            "falco_rules.yaml",
            "falco-incubating_rules.yaml",
            "falco-sandbox_rules.yaml",
            "k8s_audit_rules.yaml",
        ]
        .iter()
        .map(|n| dir.join(n))
        .collect();
    }
    let files: Vec<SourceFile> = match read_paths(&paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("rules_load: {e}");
            std::process::exit(2);
        }
    };
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let runs = std::env::var("RULES_LOAD_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_RUNS);

    let mut yaml_only = Vec::with_capacity(runs);
    let mut full = Vec::with_capacity(runs);
    let mut full_cpu = Vec::with_capacity(runs);
    let mut summary = (0, 0, 0);
    for _ in 0..runs {
        let ((), wall, _) = timed(|| {
            for f in &files {
                std::hint::black_box(saker_rules::yaml_nodes_for_bench(&f.text));
            }
        });
        yaml_only.push(wall);

        let ((ruleset, diagnostics), wall, cpu) = timed(|| load(std::hint::black_box(&files)));
        full.push(wall);
        full_cpu.push(cpu);
        summary = (
            ruleset.rules.len(),
            diagnostics.iter().filter(|d| d.is_error()).count(),
            diagnostics.len(),
        );
    }
    let (yaml_best, yaml_median) = stats(yaml_only);
    let (best, median) = stats(full);
    let (_, cpu_median) = stats(full_cpu);
    println!(
        "files: {} ({:.0} KiB), rules compiled: {}, errors: {}, diagnostics: {}",
        files.len(),
        bytes as f64 / 1024.0,
        summary.0,
        summary.1,
        summary.2
    );
    println!("yaml trees only (baseline): best {yaml_best:.2} ms, median {yaml_median:.2} ms");
    println!(
        "load + compile:             best {best:.2} ms, median {median:.2} ms (CPU {cpu_median:.2} ms)"
    );
    println!(
        "ratio load+compile / yaml:  {:.2}x (budget: 50 ms for the four corpus files)",
        median / yaml_median
    );
}

/// The text of the i-th item of a generated file.
type Item = fn(usize) -> String;

/// A rules file of about `bytes` bytes made of `item(i)` for i = 0, 1, ...
fn generate(bytes: usize, item: impl Fn(usize) -> String) -> String {
    let mut text = String::with_capacity(bytes + 256);
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&item(i));
        i += 1;
    }
    text
}

fn large(mb: usize) {
    let bytes = mb << 20;
    let kinds: [(&str, Item); 3] = [
        ("unused lists", |i| {
            format!(
                "- list: unused_list_{i}\n  items: [bash, sh, zsh, dash, \"a b\", /usr/bin/x{i}]\n"
            )
        }),
        ("unused macros", |i| {
            format!(
                "- macro: unused_macro_{i}\n  condition: (evt.type in (open, openat) and proc.name = p{i} and fd.name startswith /etc/x{i})\n"
            )
        }),
        ("lists, macros and rules using them", |i| {
            format!(
                "- list: l_{i}\n  items: [a{i}, b{i}]\n- macro: m_{i}\n  condition: proc.name in (l_{i}) and evt.type = open\n\
                 - rule: r_{i}\n  desc: d\n  condition: m_{i} and fd.name = /x{i}\n  output: \"%proc.name %fd.name\"\n  priority: WARNING\n"
            )
        }),
    ];
    println!(
        "limit: {} MiB per rules file (MAX_RULES_FILE_BYTES)",
        saker_rules::MAX_RULES_FILE_BYTES >> 20
    );
    for (what, item) in kinds {
        let text = generate(bytes, item);
        let files = [SourceFile::new("large.yaml", text)];
        let ((ruleset, diagnostics), wall, cpu) = timed(|| load(&files));
        println!(
            "{mb} MiB of {what}: {:.2} s wall, {:.2} s CPU; {} rules, {} macros, {} lists, {} errors, {} warnings",
            wall.as_secs_f64(),
            cpu.as_secs_f64(),
            ruleset.rules.len(),
            ruleset.macros.len(),
            ruleset.lists.len(),
            diagnostics.iter().filter(|d| d.is_error()).count(),
            diagnostics.iter().filter(|d| !d.is_error()).count(),
        );
    }
    let too_big = "#".repeat(saker_rules::MAX_RULES_FILE_BYTES + 1);
    let ((_, diagnostics), wall, _) = timed(|| load(&[SourceFile::new("huge.yaml", too_big)]));
    println!(
        "one byte over the limit: {:.3} s: {}",
        wall.as_secs_f64(),
        diagnostics
            .first()
            .map_or("loaded?!".to_string(), |d| d.message.clone())
    );
}
