//! `saker rules show-default [--source syscall|k8s_audit]`: the rules built into the binary,
//! as YAML that loads as it is (copy it, tune it, put it in rules_files instead of `embedded`).

use std::io::Write as _;

use crate::exit::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// Only the rules of this event source; default: both, one YAML document each.
    #[arg(long, value_name = "SOURCE", value_parser = ["syscall", "k8s_audit"])]
    pub source: Option<String>,
}

pub fn run(args: Args) -> Outcome {
    let k8s = saker_k8saudit::default_k8s_audit_rules_file();
    let all = [
        (
            "syscall",
            saker_engine::DEFAULT_RULES_FILE_NAME,
            saker_engine::default_rules(),
        ),
        ("k8s_audit", k8s.name.as_str(), k8s.text.as_str()),
    ];
    let mut out = std::io::stdout().lock();
    let mut first = true;
    for (source, name, text) in all {
        if args.source.as_deref().is_some_and(|s| s != source) {
            continue;
        }
        if !first {
            // The next file as a YAML document of its own, so the output loads as one file.
            writeln!(out, "---")?;
        }
        first = false;
        writeln!(
            out,
            "# {name}: Saker's default rules for the {source} source"
        )?;
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(0)
}
