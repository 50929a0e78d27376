//! `saker fields [--source S] [--json]`: the fields conditions and outputs can use (Falco's
//! `--list`).

use std::collections::HashSet;
use std::io::{BufWriter, Write as _};

use saker_rules::{ArgKind, Source, fields};

use crate::exit::Outcome;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SourceArg {
    Syscall,
    #[value(name = "k8s_audit")]
    K8sAudit,
}

#[derive(clap::Args)]
pub struct Args {
    /// Only fields available for this event source.
    #[arg(long, value_enum)]
    pub source: Option<SourceArg>,
    /// Print JSON: an array of {name, type, list, arg, arg_required, sources, live, description}.
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct FieldRow {
    name: &'static str,
    #[serde(rename = "type")]
    ty: &'static str,
    list: bool,
    arg: &'static str,
    arg_required: bool,
    sources: Vec<&'static str>,
    /// Filled from live syscall capture (`saker run`); false for fields only field-level
    /// events (`saker rules test`) or the k8s audit source can give.
    live: bool,
    description: &'static str,
}

fn arg_name(kind: ArgKind) -> &'static str {
    match kind {
        ArgKind::None => "none",
        ArgKind::Index => "index",
        ArgKind::Key => "key",
        ArgKind::IndexOrKey => "index_or_key",
    }
}

pub fn run(args: Args) -> Outcome {
    let wanted = args.source.map(|s| match s {
        SourceArg::Syscall => Source::Syscall,
        SourceArg::K8sAudit => Source::K8sAudit,
    });
    let selected: Vec<_> = fields::all()
        .iter()
        .filter(|f| wanted.is_none_or(|s| f.sources.contains(s)))
        .collect();
    let live: HashSet<&str> = saker_state::live_field_names().collect();
    let is_live =
        |f: &saker_rules::FieldInfo| f.sources.contains(Source::Syscall) && live.contains(f.name);
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.json {
        let rows: Vec<FieldRow> = selected
            .iter()
            .map(|f| FieldRow {
                name: f.name,
                ty: f.ty.as_str(),
                list: f.list,
                arg: arg_name(f.takes_arg),
                arg_required: f.arg_required,
                sources: f.sources.iter().map(Source::as_str).collect(),
                live: is_live(f),
                description: f.description,
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        let arg_suffix = |f: &saker_rules::FieldInfo| match (f.takes_arg, f.arg_required) {
            (ArgKind::None, _) => "",
            (ArgKind::Index, false) => "[N]",
            (ArgKind::Index, true) => "[N]!",
            (ArgKind::Key, false) => "[KEY]",
            (ArgKind::Key, true) => "[KEY]!",
            (ArgKind::IndexOrKey, _) => "[N|KEY]!",
        };
        let name_w = selected
            .iter()
            .map(|f| f.name.len() + arg_suffix(f).len())
            .max()
            .unwrap_or(0);
        let show_live = wanted != Some(Source::K8sAudit);
        if show_live {
            writeln!(
                out,
                "Fields marked * are filled from live capture by `saker run`.\n"
            )?;
        }
        let mut class = "";
        for f in &selected {
            if f.class() != class {
                if !class.is_empty() {
                    writeln!(out)?;
                }
                class = f.class();
                writeln!(out, "Field class: {class}")?;
            }
            let name = format!("{}{}", f.name, arg_suffix(f));
            let ty = if f.list {
                format!("list({})", f.ty)
            } else {
                f.ty.as_str().to_string()
            };
            let mark = if show_live && is_live(f) { '*' } else { ' ' };
            writeln!(out, "{mark} {name:<name_w$}  {ty:<14} {}", f.description)?;
        }
    }
    out.flush()?;
    Ok(0)
}
