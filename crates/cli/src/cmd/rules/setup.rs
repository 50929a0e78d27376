//! The rules a run uses, assembled one way for `saker run` and the `saker rules` commands, so
//! that what `saker rules validate` accepts is what `saker run` builds: the same files in the
//! same order, loaded with the config's `append_output`, compiled into the engine with its
//! `priority` and `rule_matching`.

use std::path::{Path, PathBuf};

use saker_config::{
    AppendOutputConfig, Config, EMBEDDED_RULES, ExtraFieldConfig, RuleSelectionConfig, RuleSelector,
};
use saker_engine::{Engine, EngineOptions, NameResolution, RuleMatching};
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

/// One checked `rules` entry: enable (true) or disable, and what it selects.
type RuleChoice = (bool, RuleSelector);

/// The config's `rules` entries, each `enable:` or `disable:` (as Falco reads them, `enable`
/// wins when both are given) with a `rule`, a `tag` or both.
fn rule_selections(entries: &[RuleSelectionConfig]) -> Result<Vec<RuleChoice>, String> {
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let (enable, selector) = match (&entry.enable, &entry.disable) {
                (Some(selector), _) => (true, selector),
                (None, Some(selector)) => (false, selector),
                (None, None) => {
                    return Err(format!("rules[{i}]: expected `enable:` or `disable:`"));
                }
            };
            if selector.rule.is_none() && selector.tag.is_none() {
                return Err(format!("rules[{i}]: expected `rule:` or `tag:`"));
            }
            Ok((enable, selector.clone()))
        })
        .collect()
}

/// Falco's `rules` selection, applied in order after every file has loaded: by name (`*`
/// matches any text, as Falco's `enable_rule_wildcard`) and by tag. A rule that its file
/// disabled can be enabled here.
fn select_rules(ruleset: &mut RuleSet, selections: &[RuleChoice]) {
    for (enable, selector) in selections {
        let verb = if *enable { "Enabling" } else { "Disabling" };
        if let Some(pattern) = &selector.rule {
            tracing::info!("{verb} rules with name: {pattern}");
            for rule in ruleset.rules.iter_mut() {
                if matches_wildcard(pattern, &rule.name) {
                    rule.enabled = *enable;
                }
            }
        }
        if let Some(tag) = &selector.tag {
            tracing::info!("{verb} rules with tag: {tag}");
            for rule in ruleset.rules.iter_mut() {
                if rule.tags.contains(tag) {
                    rule.enabled = *enable;
                }
            }
        }
    }
}

/// Falco's `falco::utils::matches_wildcard`, step for step: `*` matches any text, and each
/// literal after a `*` is matched at its first occurrence (no backtracking, as in Falco).
fn matches_wildcard(pattern: &str, name: &str) -> bool {
    let Some(star) = pattern.find('*') else {
        return pattern == name;
    };
    if star > 0 {
        return name.get(..star) == Some(&pattern[..star])
            && matches_wildcard(&pattern[star..], &name[star..]);
    }
    let rest = pattern.trim_start_matches('*');
    if rest.is_empty() {
        return true;
    }
    let literal = rest.split('*').next().unwrap_or_default();
    match name.find(literal) {
        Some(at) => matches_wildcard(&rest[literal.len()..], &name[at + literal.len()..]),
        None => false,
    }
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
    let selections = rule_selections(&config.rules)?;
    let (mut ruleset, diagnostics) = saker_rules::load_with(files, &options);
    select_rules(&mut ruleset, &selections);
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
        name_resolution: Some(NameResolution::system()),
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

    /// Falco's matches_wildcard cases (falcosecurity/falco 0.44.1
    /// unit_tests/engine/test_falco_utils.cpp:86, `FalcoUtils.matches_wildcard`).
    #[test]
    fn wildcards_match_as_falco_matches_them() {
        for (pattern, name, want) in [
            ("*", "anything", true),
            ("**", "anything", true),
            ("*", "", true),
            ("no star", "no star", true),
            ("", "", true),
            ("hello*world", "hello new world", true),
            ("hello*world*", "hello new world yes", true),
            ("*hello*world", "come on hello this world", true),
            ("*hello*****world", "come on hello this world", true),
            ("no star", "", false),
            ("", "no star", false),
            ("star", "no star", false),
            ("hello*world", "hello new thing", false),
            ("hello*world", "hello new world yes", false),
            ("*hello*world", "come on hello this world yes", false),
            ("*hello*world*", "come on hello this yes", false),
        ] {
            assert_eq!(matches_wildcard(pattern, name), want, "{pattern} vs {name}");
        }
    }

    /// The rules of falcosecurity/falco 0.44.1 unit_tests/engine/test_enable_rule.cpp
    /// (`multi_rule`), selected through falco.yaml's `rules` as Falco's
    /// load_rules_files.cpp applies it, instead of the C++ API's numbered rulesets.
    const MULTI_RULE: &str = "\
- rule: first actual rule
  desc: A test rule
  condition: evt.type=execve
  output: A test rule matched (evt.type=%evt.type)
  priority: INFO
  source: syscall
  tags: [process]
- rule: second disabled rule
  desc: A disabled rule
  condition: evt.type=execve
  output: A disabled 2 rule matched (evt.type=%evt.type)
  priority: INFO
  source: syscall
  enabled: false
  tags: [exec process]
- rule: third disabled rule
  desc: A disabled rule
  condition: evt.type=execve
  output: A disabled 3 rule matched (evt.type=%evt.type)
  priority: INFO
  source: syscall
  enabled: false
  tags: [exec]
";

    fn enabled_with(yaml: &str) -> Vec<String> {
        let files = [SourceFile::new("multi_rule.yaml", MULTI_RULE)];
        let built = build(&files, &config(yaml)).unwrap();
        assert!(!built.has_errors());
        assert!(built.engine.is_ok());
        let mut names: Vec<String> = built
            .ruleset
            .rules
            .iter()
            .filter(|r| r.enabled)
            .map(|r| r.name.clone())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn rules_selection_by_name_uses_falcos_wildcards() {
        assert_eq!(enabled_with(""), ["first actual rule"]);
        let only = |pattern: &str| {
            enabled_with(&format!(
                "rules:\n- disable: {{rule: '*'}}\n- enable: {{rule: '{pattern}'}}\n"
            ))
        };
        // enable_rule_name_wildcard: exact without `*`, then `*rule`, `*second*r*`, `*`.
        assert_eq!(only("first actual rule"), ["first actual rule"]);
        assert_eq!(only("first"), Vec::<String>::new(), "not a substring");
        assert_eq!(
            only("*rule"),
            [
                "first actual rule",
                "second disabled rule",
                "third disabled rule"
            ]
        );
        assert_eq!(only("*second*r*"), ["second disabled rule"]);
        assert_eq!(only("*").len(), 3);
    }

    #[test]
    fn rules_selection_by_tag_in_order() {
        // enable_disabled_rule_by_tag: a rule its file disabled is enabled by a tag.
        assert_eq!(
            enabled_with("rules:\n- enable: {tag: exec process}\n"),
            ["first actual rule", "second disabled rule"]
        );
        // Status is on rules, not tags: the later entry wins for a rule both select.
        assert_eq!(
            enabled_with("rules:\n- enable: {tag: exec}\n- disable: {tag: process}\n"),
            ["third disabled rule"]
        );
        assert_eq!(
            enabled_with("rules:\n- enable: {rule: '*', tag: process}\n- disable: {tag: exec}\n"),
            ["first actual rule", "second disabled rule"]
        );
        let files = [SourceFile::new("multi_rule.yaml", MULTI_RULE)];
        for (yaml, error) in [
            (
                "rules:\n- {}\n",
                "rules[0]: expected `enable:` or `disable:`",
            ),
            (
                "rules:\n- enable: {}\n",
                "rules[0]: expected `rule:` or `tag:`",
            ),
        ] {
            assert_eq!(build(&files, &config(yaml)).err().unwrap(), error);
        }
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
