//! Reading `saker.yaml`: YAML -> `${ENV}` expansion -> `-o` overrides -> typed [`Config`],
//! with every problem located at `file:line` (or at the `-o` option that caused it).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::{Config, ConfigError, ConfigWarning};

/// Where Saker looks when no `-c FILE` is given.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/saker/saker.yaml";

/// The effective configuration and what was odd about it.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    /// Unknown and deprecated keys, values without effect, unset variables: to be printed as
    /// warnings.
    pub warnings: Vec<ConfigWarning>,
    /// The file that was read, `None` when only defaults (and overrides) apply.
    pub path: Option<PathBuf>,
    /// What [`LoadedConfig::locate`] needs: the text read and the overrides applied.
    pub source: ConfigSource,
}

/// The configuration text and the `-o` overrides, kept to say where a value came from.
#[derive(Debug, Clone, Default)]
pub struct ConfigSource {
    origin: String,
    text: String,
    /// The key path each `-o` set, with the option as given.
    overridden: Vec<(Vec<String>, String)>,
}

impl LoadedConfig {
    /// Where the value at `key_path` (`response.actions[1].do[0]`) came from:
    /// `file:line:col`, `-o key=value` when an override set it, or the file's name.
    pub fn locate(&self, key_path: &str) -> String {
        let source = &self.source;
        let names: Vec<String> = key_path
            .split('.')
            .map(|s| s.split('[').next().unwrap_or(s).to_string())
            .collect();
        for (path, option) in source.overridden.iter().rev() {
            if names.starts_with(path) || path.starts_with(&names) {
                return format!("-o {option}");
            }
        }
        let position = crate::position::parse_key_path(key_path)
            .and_then(|segments| crate::position::position_of(&source.text, &segments));
        located(&source.origin, position)
    }
}

/// Loads `path`, or [`DEFAULT_CONFIG_PATH`] if it exists, or the defaults; then applies the
/// `-o key.path=value` overrides. Environment variables come from the process.
pub fn load(path: Option<&Path>, overrides: &[String]) -> Result<LoadedConfig, ConfigError> {
    let path = match path {
        Some(path) => Some(path.to_path_buf()),
        None => Some(PathBuf::from(DEFAULT_CONFIG_PATH)).filter(|p| p.exists()),
    };
    let text = match &path {
        Some(path) => std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?,
        None => String::new(),
    };
    let origin = path
        .as_ref()
        .map_or_else(|| "<defaults>".to_string(), |p| p.display().to_string());
    let mut loaded = load_str(&text, &origin, overrides, |name| std::env::var(name).ok())?;
    loaded.path = path;
    Ok(loaded)
}

/// Like [`load`] on a string; `origin` names it in messages, `env` resolves `${NAME}`.
pub fn load_str(
    text: &str,
    origin: &str,
    overrides: &[String],
    env: impl Fn(&str) -> Option<String>,
) -> Result<LoadedConfig, ConfigError> {
    let mut value: Value = if text.trim().is_empty() {
        Value::Mapping(Mapping::new())
    } else {
        serde_yaml::from_str(text).map_err(|e| ConfigError::Syntax {
            origin: located(origin, e.location().map(|l| (l.line(), l.column()))),
            message: strip_location(&e.to_string()),
        })?
    };
    if value.is_null() {
        value = Value::Mapping(Mapping::new());
    }
    if !value.is_mapping() {
        return Err(ConfigError::Syntax {
            origin: origin.to_string(),
            message: "the configuration must be a mapping of keys to values".to_string(),
        });
    }
    let mut warnings = Vec::new();
    if let Some(warning) = rename_rules_file(&mut value, text, origin)? {
        warnings.push(warning);
    }
    rename_modern_ebpf(&mut value, text, origin)?;
    // Overrides apply to the effective tree, so `-o rules_files[2]=x` extends the default list.
    let mut effective = serde_yaml::to_value(Config::default()).unwrap_or(Value::Null);
    merge(&mut effective, value);
    let mut value = effective;
    let mut overridden: Vec<(Vec<String>, String)> = Vec::new();
    for option in overrides {
        let path = apply_override(&mut value, option)?;
        overridden.push((path, option.clone()));
    }
    // After the overrides, so that `-o key=${VAR}` is expanded too (as Falco does).
    let mut unset = Vec::new();
    expand_env(&mut value, &env, &mut Vec::new(), &mut unset);

    // Where a key path came from: the `-o` that set it (or a parent of it), else its line
    // (or the line of the closest section above it that is written out).
    let locate = |segments: &[String]| -> String {
        for (path, option) in overridden.iter().rev() {
            if segments.starts_with(path) || path.starts_with(segments) {
                return format!("-o {option}");
            }
        }
        let line = (1..=segments.len())
            .rev()
            .find_map(|n| line_of_key(text, &segments[..n]));
        located(origin, line.map(|line| (line, 0)))
    };
    // Why a value is empty: `${NAME}` with NAME unset.
    let unset_note = |segments: &[String]| -> String {
        unset
            .iter()
            .find(|(path, _)| path == segments)
            .map(|(_, name)| format!(" (the environment variable {name} is not set)"))
            .unwrap_or_default()
    };

    let mut unknown: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut track = serde_path_to_error::Track::new();
    let deserializer = serde_path_to_error::Deserializer::new(value, &mut track);
    let result = serde_ignored::deserialize(deserializer, |path| {
        unknown.insert(ignored_segments(&path));
    });
    let config: Config = match result {
        Ok(config) => config,
        Err(e) => {
            let segments = error_segments(&track.path());
            return Err(ConfigError::Type {
                origin: locate(&segments),
                key: segments.join("."),
                message: format!("{e}{}", unset_note(&segments)),
            });
        }
    };
    let findings = config.check();
    if let Some(error) = findings.errors.first() {
        let segments = key_segments(error.key);
        return Err(ConfigError::Type {
            origin: locate(&segments),
            key: error.key.to_string(),
            message: format!("{}{}", error.message, unset_note(&segments)),
        });
    }
    warnings.extend(
        unknown
            .into_iter()
            .map(|segments| ConfigWarning::unknown_key(locate(&segments), segments.join("."))),
    );
    for finding in findings.warnings {
        let segments = key_segments(finding.key);
        warnings.push(ConfigWarning {
            origin: locate(&segments),
            key: finding.key.to_string(),
            message: format!("`{}`: {}", finding.key, finding.message),
        });
    }
    for (segments, name) in &unset {
        let key = segments.join(".");
        warnings.push(ConfigWarning {
            origin: locate(segments),
            message: format!(
                "`{key}` uses ${{{name}}}, but the environment variable {name} is not set: it expands to nothing"
            ),
            key,
        });
    }
    Ok(LoadedConfig {
        config,
        warnings,
        path: None,
        source: ConfigSource {
            origin: origin.to_string(),
            text: text.to_string(),
            overridden,
        },
    })
}

/// Falco's old `rules_file` key (a list, or one path) is read as `rules_files`, with Falco's
/// deprecation warning; both keys at once is an error, as in Falco.
fn rename_rules_file(
    value: &mut Value,
    text: &str,
    origin: &str,
) -> Result<Option<ConfigWarning>, ConfigError> {
    let Some(map) = value.as_mapping_mut() else {
        return Ok(None);
    };
    let Some(old) = map.remove("rules_file") else {
        return Ok(None);
    };
    let at = located(
        origin,
        line_of(text, &["rules_file".to_string()]).map(|l| (l, 0)),
    );
    if map.contains_key("rules_files") {
        return Err(ConfigError::Syntax {
            origin: at,
            message: "both 'rules_files' and 'rules_file' keys set".to_string(),
        });
    }
    let files = match old {
        Value::Sequence(items) => Value::Sequence(items),
        Value::Null => Value::Sequence(Vec::new()),
        one => Value::Sequence(vec![one]),
    };
    map.insert(Value::from("rules_files"), files);
    Ok(Some(ConfigWarning {
        origin: at,
        key: "rules_file".to_string(),
        message: "Using deprecated config key 'rules_file' (singular form). Please use new 'rules_files' config key (plural form).".to_string(),
    }))
}

/// The line of a key path, also where `engine.ebpf` is written with Falco's name,
/// `engine.modern_ebpf`.
fn line_of_key(text: &str, segments: &[String]) -> Option<usize> {
    line_of(text, segments).or_else(|| match segments {
        [engine, ebpf, rest @ ..] if engine == "engine" && ebpf == "ebpf" => {
            let falco: Vec<String> = ["engine", "modern_ebpf"]
                .iter()
                .map(|s| s.to_string())
                .chain(rest.iter().cloned())
                .collect();
            line_of(text, &falco)
        }
        _ => None,
    })
}

/// Falco's `engine.modern_ebpf` section is Saker's `engine.ebpf`.
fn rename_modern_ebpf(value: &mut Value, text: &str, origin: &str) -> Result<(), ConfigError> {
    let Some(engine) = value.get_mut("engine").and_then(Value::as_mapping_mut) else {
        return Ok(());
    };
    let Some(section) = engine.remove("modern_ebpf") else {
        return Ok(());
    };
    if engine.contains_key("ebpf") {
        let segments = ["engine".to_string(), "modern_ebpf".to_string()];
        return Err(ConfigError::Syntax {
            origin: located(origin, line_of(text, &segments).map(|l| (l, 0))),
            message: "both 'engine.ebpf' and 'engine.modern_ebpf' set (the same section)"
                .to_string(),
        });
    }
    engine.insert(Value::from("ebpf"), section);
    Ok(())
}

/// Lays `over` onto `base`: mappings merge key by key, anything else replaces.
fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Mapping(base), Value::Mapping(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(slot) if slot.is_mapping() && value.is_mapping() => merge(slot, value),
                    _ => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

fn located(origin: &str, position: Option<(usize, usize)>) -> String {
    match position {
        Some((line, column)) if column > 0 => format!("{origin}:{line}:{column}"),
        Some((line, _)) => format!("{origin}:{line}"),
        None => origin.to_string(),
    }
}

/// serde_yaml appends " at line L column C"; the location is already in front.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// `key.path` as the segments `locate` takes.
fn key_segments(key: &str) -> Vec<String> {
    key.split('.').map(str::to_string).collect()
}

/// `${NAME}` in every string value becomes the variable's value (empty when unset, noted in
/// `unset` with the key path), `$${` stays a literal `${`. A value that was wholly one
/// variable is re-read as YAML, so `listen_port: ${PORT}` yields a number; an unset one
/// stays an empty string, which a typed key then refuses with a clear message.
fn expand_env(
    value: &mut Value,
    env: &impl Fn(&str) -> Option<String>,
    path: &mut Vec<String>,
    unset: &mut Vec<(Vec<String>, String)>,
) {
    match value {
        Value::String(s) if s.contains("${") => {
            let mut missing = Vec::new();
            let expanded = expand_str(s, env, &mut missing);
            let whole_variable =
                s.starts_with("${") && s.ends_with('}') && s.matches("${").count() == 1;
            *value = if whole_variable && missing.is_empty() {
                match serde_yaml::from_str::<Value>(&expanded) {
                    Ok(v) if !v.is_mapping() && !v.is_sequence() => v,
                    _ => Value::String(expanded),
                }
            } else {
                Value::String(expanded)
            };
            unset.extend(missing.into_iter().map(|name| (path.clone(), name)));
        }
        Value::Sequence(items) => items
            .iter_mut()
            .for_each(|v| expand_env(v, env, path, unset)),
        Value::Mapping(map) => {
            for (key, v) in map.iter_mut() {
                path.push(key.as_str().unwrap_or_default().to_string());
                expand_env(v, env, path, unset);
                path.pop();
            }
        }
        Value::Tagged(tagged) => expand_env(&mut tagged.value, env, path, unset),
        _ => {}
    }
}

fn expand_str(s: &str, env: &impl Fn(&str) -> Option<String>, missing: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(tail) = after.strip_prefix("$${") {
            out.push_str("${");
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("${")
            && let Some(end) = tail.find('}')
        {
            let name = &tail[..end];
            match env(name) {
                Some(value) => out.push_str(&value),
                None => missing.push(name.to_string()),
            }
            rest = &tail[end + 1..];
        } else {
            out.push('$');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Applies `key.path=value` (list items as `key[2]`; the value read as YAML) and returns the
/// key path it set.
fn apply_override(root: &mut Value, option: &str) -> Result<Vec<String>, ConfigError> {
    let err = |message: &str| ConfigError::Override {
        option: option.to_string(),
        message: message.to_string(),
    };
    let (key, raw) = option
        .split_once('=')
        .ok_or_else(|| err("expected key.path=value"))?;
    let mut segments: Vec<(String, Option<usize>)> = Vec::new();
    for part in key.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((name, index)) => {
                let index = index
                    .strip_suffix(']')
                    .and_then(|i| i.parse::<usize>().ok())
                    .ok_or_else(|| err("a list index looks like key[3]"))?;
                (name, Some(index))
            }
            None => (part, None),
        };
        if name.is_empty() {
            return Err(err("empty key name"));
        }
        segments.push((name.to_string(), index));
    }
    let new_value =
        serde_yaml::from_str::<Value>(raw).unwrap_or_else(|_| Value::String(raw.to_string()));
    let mut current = root;
    let last = segments.len() - 1;
    for (i, (name, index)) in segments.iter().enumerate() {
        if !current.is_mapping() {
            *current = Value::Mapping(Mapping::new());
        }
        let map = current.as_mapping_mut().expect("made a mapping above");
        let key = Value::String(name.clone());
        if !map.contains_key(&key) {
            map.insert(key.clone(), Value::Null);
        }
        let mut slot = map.get_mut(&key).expect("inserted above");
        if let Some(index) = index {
            if !slot.is_sequence() {
                *slot = Value::Sequence(Vec::new());
            }
            let items = slot.as_sequence_mut().expect("made a sequence above");
            if *index > items.len() {
                return Err(err(&format!(
                    "index {index} is past the end of a list of {}",
                    items.len()
                )));
            }
            if *index == items.len() {
                items.push(Value::Null);
            }
            slot = &mut items[*index];
        }
        if i == last {
            *slot = new_value;
            break;
        }
        current = slot;
    }
    Ok(segments.into_iter().map(|(name, _)| name).collect())
}

fn ignored_segments(path: &serde_ignored::Path<'_>) -> Vec<String> {
    use serde_ignored::Path;
    match path {
        Path::Root => Vec::new(),
        Path::Seq { parent, index } => {
            let mut v = ignored_segments(parent);
            if let Some(last) = v.last_mut() {
                last.push_str(&format!("[{index}]"));
            }
            v
        }
        Path::Map { parent, key } => {
            let mut v = ignored_segments(parent);
            v.push(key.clone());
            v
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => ignored_segments(parent),
    }
}

fn error_segments(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    let mut segments: Vec<String> = Vec::new();
    for segment in path.iter() {
        match segment {
            Segment::Map { key } => segments.push(key.clone()),
            Segment::Seq { index } => {
                if let Some(last) = segments.last_mut() {
                    last.push_str(&format!("[{index}]"));
                }
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    segments
}

/// The 1-based line of a key path in block-style YAML, found by indentation. Segments may
/// carry a list suffix (`key[2]`), which is looked up as `key`.
pub(crate) fn line_of(text: &str, segments: &[String]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    let mut parent_indent: Option<usize> = None;
    let mut found = None;
    for segment in segments {
        let name = segment.split('[').next().unwrap_or(segment);
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(start) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if let Some(parent) = parent_indent
                && indent <= parent
            {
                break;
            }
            let body = trimmed.trim_start_matches("- ");
            let key = body
                .strip_prefix(name)
                .or_else(|| body.strip_prefix(&format!("\"{name}\"")))
                .or_else(|| body.strip_prefix(&format!("'{name}'")));
            if let Some(rest) = key
                && rest.trim_start().starts_with(':')
            {
                hit = Some((i, indent));
                break;
            }
        }
        let (i, indent) = hit?;
        found = Some(i + 1);
        start = i + 1;
        parent_indent = Some(indent);
    }
    found
}

impl Config {
    /// The effective configuration as YAML (what `saker config show` prints), secrets
    /// (`webserver.ui_token`, `webserver.k8s_audit_token`) replaced by `<redacted>`.
    pub fn to_yaml(&self) -> String {
        let mut shown = self.clone();
        let web = &mut shown.webserver;
        for token in [web.ui_token.as_mut(), web.k8s_audit_token.as_mut()]
            .into_iter()
            .flatten()
        {
            *token = "<redacted>".to_string();
        }
        serde_yaml::to_string(&shown).unwrap_or_default()
    }
}
