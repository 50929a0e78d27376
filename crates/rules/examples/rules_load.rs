//! Times loading and compiling rules files: `rules_load [FILE|DIR]...` (default: the four
//! files of `$SAKER_FALCO_CORPUS` in Falco's order). Prints the best and median of 50 runs for
//! the whole load (YAML + items + conditions + checks) and, as a baseline measured in the same
//! run, for building the YAML trees alone.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use saker_rules::{SourceFile, files::read_paths, load};

const RUNS: usize = 50;

fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(samples[0]), ms(samples[samples.len() / 2]))
}

fn main() {
    let mut paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        let Some(dir) = std::env::var_os("SAKER_FALCO_CORPUS") else {
            eprintln!("usage: rules_load FILE|DIR... (or set SAKER_FALCO_CORPUS)");
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

    let mut yaml_only = Vec::with_capacity(RUNS);
    let mut full = Vec::with_capacity(RUNS);
    let mut summary = (0, 0, 0);
    for _ in 0..RUNS {
        let start = Instant::now();
        for f in &files {
            std::hint::black_box(saker_rules::yaml_nodes_for_bench(&f.text));
        }
        yaml_only.push(start.elapsed());

        let start = Instant::now();
        let (ruleset, diagnostics) = load(std::hint::black_box(&files));
        full.push(start.elapsed());
        summary = (
            ruleset.rules.len(),
            diagnostics.iter().filter(|d| d.is_error()).count(),
            diagnostics.len(),
        );
    }
    let (yaml_best, yaml_median) = stats(yaml_only);
    let (best, median) = stats(full);
    println!(
        "files: {} ({:.0} KiB), rules compiled: {}, errors: {}, diagnostics: {}",
        files.len(),
        bytes as f64 / 1024.0,
        summary.0,
        summary.1,
        summary.2
    );
    println!("yaml trees only (baseline): best {yaml_best:.2} ms, median {yaml_median:.2} ms");
    println!("load + compile:             best {best:.2} ms, median {median:.2} ms");
    println!(
        "ratio load+compile / yaml:  {:.2}x (budget: 50 ms for the four corpus files)",
        median / yaml_median
    );
}
