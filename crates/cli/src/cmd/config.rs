//! `saker config show`: the effective configuration (file + `${ENV}` + `-o` overrides) as YAML.

use std::path::PathBuf;

use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Print the effective configuration as YAML (unknown keys are warned about on stderr).
    Show(ShowArgs),
}

#[derive(clap::Args)]
struct ShowArgs {
    /// Configuration file [default: /etc/saker/saker.yaml if it exists, else built-in defaults].
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Override a key, e.g. `-o webserver.listen_port=9000` or `-o rules_files[0]=/x.yaml`.
    #[arg(short = 'o', long = "option", value_name = "KEY=VALUE")]
    overrides: Vec<String>,
}

pub fn run(args: Args) -> Outcome {
    match args.command {
        Command::Show(show) => run_show(show),
    }
}

fn run_show(args: ShowArgs) -> Outcome {
    let loaded = saker_config::load(args.config.as_deref(), &args.overrides)
        .map_err(|e| Failure::new(2, format!("saker: {e}")))?;
    for warning in &loaded.warnings {
        eprintln!("{warning}");
    }
    let source = loaded.path.as_ref().map_or_else(
        || "built-in defaults".to_string(),
        |p| p.display().to_string(),
    );
    let mut out = format!("# effective configuration, from {source}");
    if !args.overrides.is_empty() {
        out.push_str(&format!(" with -o {}", args.overrides.join(" -o ")));
    }
    out.push('\n');
    out.push_str(&loaded.config.to_yaml());
    use std::io::Write;
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(0)
}
