//! The rules a run uses, assembled one way for `saker run` and the `saker rules` commands, so
//! that what `saker rules validate` accepts is what `saker run` builds: the same files in the
//! same order, loaded with the config's `append_output`, compiled into the engine with its
//! `priority` and `rule_matching`.

use std::path::{Path, PathBuf};

use saker_config::{AppendOutputConfig, Config, EMBEDDED_RULES, ExtraFieldConfig};
use saker_engine::{Engine, EngineOptions, RuleMatching};
use saker_rules::files::read_paths;
use saker_rules::{AppendField, AppendOutput, Diagnostic, LoadOptions, RuleSet, SourceFile};

/// Which rules files to load.
pub struct Selection<'a> {
    /// Rules files and directories in order; empty: the config's `rules_files`, where a
    /// directory that does not exist (rules.d on a fresh host) is skipped and a missing
    /// `.yaml`/`.yml` file is an error.
    pub paths: &'a [PathBuf],
    /// Saker's embedded syscall rules before `paths` (to check a file that tunes them).
    pub with_default_rules: bool,
    /// Saker's embedded Kubernetes audit rules first (a later file can override them).
    pub k8s_audit_rules: bool,
}

/// The rules files of `selection`, in load order. An unreadable file is an error, and so is
/// a missing file that the config names (skipping it would run without its rules).
pub fn files(config: &Config, selection: &Selection<'_>) -> Result<Vec<SourceFile>, String> {
    let mut files = Vec::new();
    if selection.k8s_audit_rules {
        files.push(saker_k8saudit::default_k8s_audit_rules_file());
    }
    let from_config = selection.paths.is_empty();
    if selection.with_default_rules && !from_config {
        files.push(embedded_rules());
    }
    let paths = if from_config {
        &config.rules_files
    } else {
        selection.paths
    };
    for path in paths {
        if path == Path::new(EMBEDDED_RULES) {
            files.push(embedded_rules());
            continue;
        }
        if from_config && !path.exists() {
            if names_a_rules_file(path) {
                return Err(format!(
                    "rules file {} (in the config's rules_files) does not exist",
                    path.display()
                ));
            }
            tracing::info!("Skipping missing rules directory {}", path.display());
            continue;
        }
        files.extend(
            read_paths(std::slice::from_ref(path)).map_err(|e| format!("loading rules: {e}"))?,
        );
    }
    Ok(files)
}

/// True for a path that names a rules file rather than a directory (`.yaml`/`.yml`).
fn names_a_rules_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn embedded_rules() -> SourceFile {
    SourceFile::new(
        saker_engine::DEFAULT_RULES_FILE_NAME,
        saker_engine::default_rules(),
    )
}

/// The loaded rules and the engine compiled from them.
pub struct Built {
    pub ruleset: RuleSet,
    pub diagnostics: Vec<Diagnostic>,
    /// The engine, or why there is none (the rules have errors, or it could not be built).
    pub engine: Result<Engine, String>,
}

impl Built {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads `files` with the config's `append_output` and compiles the engine with its
/// `priority`, `rule_matching` and hostname. `Err`: `append_output` itself is invalid.
pub fn build(files: &[SourceFile], config: &Config) -> Result<Built, String> {
    let options = load_options(config)?;
    let (ruleset, diagnostics) = saker_rules::load_with(files, &options);
    let engine = if diagnostics.iter().any(Diagnostic::is_error) {
        Err("the rules have errors".to_string())
    } else {
        Engine::new(&ruleset, engine_options(config)).map_err(|e| e.to_string())
    };
    Ok(Built {
        ruleset,
        diagnostics,
        engine,
    })
}

pub fn engine_options(config: &Config) -> EngineOptions {
    EngineOptions {
        rule_matching: match config.rule_matching {
            saker_config::RuleMatching::First => RuleMatching::First,
            saker_config::RuleMatching::All => RuleMatching::All,
        },
        min_priority: config.priority,
        hostname: config.resolve_hostname(),
    }
}

/// What Falco's container plugin suggests for outputs (`append_output.suggested_output`);
/// Saker's container fields are the same.
const SUGGESTED_SYSCALL_OUTPUT: &str = "container_id=%container.id container_name=%container.name";

/// The loader's options from the config's `append_output`.
pub fn load_options(config: &Config) -> Result<LoadOptions, String> {
    let mut append = Vec::new();
    for (i, entry) in config.append_output.iter().enumerate() {
        append.extend(append_output(entry).map_err(|e| format!("append_output[{i}]: {e}"))?);
    }
    Ok(LoadOptions {
        append_output: append,
        ..LoadOptions::default()
    })
}

/// One `append_output` entry as Falco reads it: its text, then the suggested fields, then its
/// fields (a field name may be given once).
fn append_output(entry: &AppendOutputConfig) -> Result<Vec<AppendOutput>, String> {
    let matching = |format: Option<String>, fields: Vec<AppendField>| AppendOutput {
        source: entry.matching.source.clone(),
        tags: entry.matching.tags.clone(),
        rule: entry.matching.rule.clone(),
        format,
        fields,
    };
    let mut fields: Vec<AppendField> = Vec::new();
    for field in &entry.extra_fields {
        let (name, format, raw) = match field {
            ExtraFieldConfig::Raw(name) => (name.clone(), name.clone(), true),
            ExtraFieldConfig::Named(map) => {
                let mut pairs = map.iter();
                match (pairs.next(), pairs.next()) {
                    (Some((name, format)), None) => (name.clone(), format.clone(), false),
                    _ => {
                        return Err(
                            "each extra_fields entry is one `name: format` pair or a field name"
                                .to_string(),
                        );
                    }
                }
            }
        };
        if fields.iter().any(|f| f.name == name) {
            return Err(format!("extra field '{name}' is defined twice"));
        }
        fields.push(AppendField { name, format, raw });
    }
    let mut out = Vec::new();
    if let Some(text) = entry.extra_output.as_ref().filter(|t| !t.is_empty()) {
        out.push(matching(Some(text.clone()), Vec::new()));
    }
    let source = entry.matching.source.as_deref().unwrap_or_default();
    if entry.suggested_output && (source.is_empty() || source == "syscall") {
        let mut suggested = matching(Some(SUGGESTED_SYSCALL_OUTPUT.to_string()), Vec::new());
        suggested.source = Some("syscall".to_string());
        out.push(suggested);
    }
    if !fields.is_empty() {
        out.push(matching(None, fields));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> Config {
        saker_config::load_str(yaml, "saker.yaml", &[], |_| None)
            .unwrap()
            .config
    }

    #[test]
    fn append_output_becomes_load_options() {
        let c = config(
            "append_output:\n\
             - suggested_output: true\n\
             - match: {tags: [a], rule: r}\n  extra_output: 'x=%proc.name'\n  extra_fields: [{n: '%proc.pid'}, proc.ppid]\n",
        );
        let options = load_options(&c).unwrap();
        let got: Vec<(Option<&str>, Option<&str>, usize)> = options
            .append_output
            .iter()
            .map(|a| (a.source.as_deref(), a.format.as_deref(), a.fields.len()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("syscall"), Some(SUGGESTED_SYSCALL_OUTPUT), 0),
                (None, Some("x=%proc.name"), 0),
                (None, None, 2),
            ]
        );
        let fields = &options.append_output[2].fields;
        assert_eq!((fields[0].name.as_str(), fields[0].raw), ("n", false));
        assert_eq!(
            (fields[1].name.as_str(), fields[1].raw),
            ("proc.ppid", true)
        );
        assert_eq!(options.append_output[2].tags, ["a"]);
        assert_eq!(options.append_output[2].rule.as_deref(), Some("r"));
    }

    #[test]
    fn bad_extra_fields_are_refused() {
        let twice = config("append_output:\n- extra_fields: [proc.pid, {proc.pid: x}]\n");
        assert_eq!(
            load_options(&twice).unwrap_err(),
            "append_output[0]: extra field 'proc.pid' is defined twice"
        );
        let pair = config("append_output:\n- extra_fields: [{a: x, b: y}]\n");
        assert!(
            load_options(&pair)
                .unwrap_err()
                .contains("one `name: format` pair")
        );
    }
}
