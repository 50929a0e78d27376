//! The `response:` section of saker.yaml, as written. Typing problems are reported with the
//! key path they sit at (`actions[1].do[0]`), so the caller can turn it into `file:line:col`;
//! what needs the rules (names, tags) is checked in [`crate::plan`].

use std::time::Duration;

use saker_event::escape::escape;
use serde::Deserialize;
use serde_yaml::Value;

use crate::Problem;

/// The whole `response:` section.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ResponseConfig {
    /// Log and record every action, take none (in the kernel too).
    pub dry_run: bool,
    /// Act on processes outside containers too (never on pid 1, Saker, or kernel threads).
    pub allow_host: bool,
    /// Decide kills in the kernel where the rule allows it (false: always from user space).
    pub in_kernel: bool,
    pub protected: Protected,
    pub rate_limit: RateLimit,
    /// Longest a `program:` or `webhook:` action may take unless it says otherwise.
    pub timeout: String,
    pub actions: Vec<ActionEntry>,
}

impl Default for ResponseConfig {
    fn default() -> Self {
        ResponseConfig {
            dry_run: false,
            allow_host: false,
            in_kernel: true,
            protected: Protected::default(),
            rate_limit: RateLimit::default(),
            timeout: "10s".to_string(),
            actions: Vec::new(),
        }
    }
}

/// What no action touches, whatever the rules say.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Protected {
    /// Program names (`proc.name`).
    pub programs: Vec<String>,
    /// Container names, or ids (at least the 12-character short id).
    pub containers: Vec<String>,
}

/// Actions allowed per interval; 0 is no limit.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimit {
    pub per_rule: u32,
    pub global: u32,
    pub interval: String,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            per_rule: 30,
            global: 100,
            interval: "1m".to_string(),
        }
    }
}

/// One `- match: ... do: ...` item.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionEntry {
    #[serde(rename = "match")]
    pub matcher: MatchSpec,
    /// A name, a `{program: ...}`/`{webhook: ...}` mapping, or a list of them; read by
    /// [`parse_actions`] so that every bad item is reported, not only the first.
    #[serde(rename = "do")]
    pub actions: Value,
}

/// Which alerts an entry acts on: all the criteria given must hold.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchSpec {
    /// A rule name, or a list of them.
    pub rule: Option<OneOrMany>,
    /// The rule must have every one of these tags.
    pub tags: Vec<String>,
    /// `>=Notice`, `<Error`, `=Warning`, or a bare name (at least that severe).
    pub priority: Option<String>,
    /// `syscall` or `k8s_audit`.
    pub source: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn names(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(name) => vec![name.as_str()],
            OneOrMany::Many(names) => names.iter().map(String::as_str).collect(),
        }
    }
}

/// What can be done.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// SIGKILL to the offending thread group.
    KillProcess,
    /// SIGKILL to the offending process and every descendant.
    KillProcessTree,
    StopContainer,
    PauseContainer,
    KillContainer,
    /// A shell command, given the alert as JSON on stdin.
    Program {
        command: String,
        timeout: Duration,
    },
    /// The alert POSTed as Falco JSON (what Falco Talon and falcosidekick take).
    Webhook {
        url: String,
        timeout: Duration,
    },
}

/// Every action name, as written in `do:`.
pub const ACTION_NAMES: [&str; 7] = [
    "kill_process",
    "kill_process_tree",
    "stop_container",
    "pause_container",
    "kill_container",
    "program",
    "webhook",
];

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::KillProcess => "kill_process",
            Action::KillProcessTree => "kill_process_tree",
            Action::StopContainer => "stop_container",
            Action::PauseContainer => "pause_container",
            Action::KillContainer => "kill_container",
            Action::Program { .. } => "program",
            Action::Webhook { .. } => "webhook",
        }
    }

    /// Acts on a process (needs a process in the alert).
    pub fn is_kill(&self) -> bool {
        matches!(self, Action::KillProcess | Action::KillProcessTree)
    }

    /// Acts on a container through its runtime.
    pub fn is_container(&self) -> bool {
        matches!(
            self,
            Action::StopContainer | Action::PauseContainer | Action::KillContainer
        )
    }
}

impl ResponseConfig {
    /// Reads the section (`Null` when absent: no responses). Problems are located by key
    /// path below `response`.
    pub fn from_value(value: &Value) -> Result<ResponseConfig, Problem> {
        if value.is_null() {
            return Ok(ResponseConfig::default());
        }
        let mut track = serde_path_to_error::Track::new();
        let deserializer = serde_path_to_error::Deserializer::new(value, &mut track);
        ResponseConfig::deserialize(deserializer).map_err(|e| {
            Problem::error(
                format!("response{}", path_suffix(&track.path())),
                e.to_string(),
            )
        })
    }

    /// `rate_limit.interval`.
    pub fn rate_interval(&self) -> Result<Duration, Problem> {
        parse_duration(&self.rate_limit.interval)
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                Problem::error(
                    "response.rate_limit.interval",
                    format!(
                        "`{}` is not a duration (e.g. 30s, 1m, 1h)",
                        self.rate_limit.interval
                    ),
                )
            })
    }

    /// `timeout`.
    pub fn default_timeout(&self) -> Result<Duration, Problem> {
        parse_duration(&self.timeout)
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                Problem::error(
                    "response.timeout",
                    format!("`{}` is not a duration (e.g. 500ms, 10s)", self.timeout),
                )
            })
    }
}

/// `.actions[1].do` as the rest of a key path.
fn path_suffix(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Map { key } => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// `500ms`, `10s`, `5m`, `1h` (Prometheus style, as `metrics.interval`), or plain seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let seconds = match unit {
        "ms" => number / 1000.0,
        "" | "s" => number,
        "m" => number * 60.0,
        "h" => number * 3600.0,
        _ => return None,
    };
    (0.0..1e9)
        .contains(&seconds)
        .then(|| Duration::from_secs_f64(seconds))
}

/// The actions of one entry's `do:` (at key path `path`): every problem is reported.
pub fn parse_actions(
    value: &Value,
    path: &str,
    default_timeout: Duration,
    problems: &mut Vec<Problem>,
) -> Vec<Action> {
    match value {
        Value::Sequence(items) if items.is_empty() => {
            problems.push(Problem::error(path, "no action given".to_string()));
            Vec::new()
        }
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                parse_action(item, &format!("{path}[{i}]"), default_timeout, problems)
            })
            .collect(),
        other => parse_action(other, path, default_timeout, problems)
            .into_iter()
            .collect(),
    }
}

fn unknown_action(name: &str) -> String {
    format!(
        "unknown action `{}` (expected one of {})",
        escape(name),
        ACTION_NAMES.join(", ")
    )
}

fn parse_action(
    value: &Value,
    path: &str,
    default_timeout: Duration,
    problems: &mut Vec<Problem>,
) -> Option<Action> {
    let simple = |name: &str| match name {
        "kill_process" => Some(Action::KillProcess),
        "kill_process_tree" => Some(Action::KillProcessTree),
        "stop_container" => Some(Action::StopContainer),
        "pause_container" => Some(Action::PauseContainer),
        "kill_container" => Some(Action::KillContainer),
        _ => None,
    };
    match value {
        Value::String(name) => match simple(name) {
            Some(action) => Some(action),
            None if name == "program" || name == "webhook" => {
                problems.push(Problem::error(
                    path,
                    format!("`{name}` needs a value: `{name}: ...`"),
                ));
                None
            }
            None => {
                problems.push(Problem::error(path, unknown_action(name)));
                None
            }
        },
        Value::Mapping(map) if map.len() == 1 => {
            let (key, inner) = map.iter().next()?;
            let Some(name) = key.as_str() else {
                problems.push(Problem::error(
                    path,
                    "an action name must be a string".into(),
                ));
                return None;
            };
            let inner_path = format!("{path}.{name}");
            match name {
                "program" => with_target(inner, &inner_path, "command", default_timeout, problems)
                    .map(|(command, timeout)| Action::Program { command, timeout }),
                "webhook" => with_target(inner, &inner_path, "url", default_timeout, problems)
                    .and_then(|(url, timeout)| {
                        if url.starts_with("http://") || url.starts_with("https://") {
                            Some(Action::Webhook { url, timeout })
                        } else {
                            problems.push(Problem::error(
                                &inner_path,
                                format!("`{}` is not an http:// or https:// URL", escape(&url)),
                            ));
                            None
                        }
                    }),
                other if simple(other).is_some() => {
                    if !inner.is_null() {
                        problems.push(Problem::error(
                            &inner_path,
                            format!("`{other}` takes no options"),
                        ));
                    }
                    simple(other)
                }
                other => {
                    problems.push(Problem::error(path, unknown_action(other)));
                    None
                }
            }
        }
        _ => {
            problems.push(Problem::error(
                path,
                "an action is a name (kill_process, ...) or `program: CMD` / `webhook: URL`".into(),
            ));
            None
        }
    }
}

/// `program: CMD` or `program: {command: CMD, timeout: 5s}` (`url` for webhooks).
fn with_target(
    value: &Value,
    path: &str,
    key: &str,
    default_timeout: Duration,
    problems: &mut Vec<Problem>,
) -> Option<(String, Duration)> {
    match value {
        Value::String(text) if !text.trim().is_empty() => Some((text.clone(), default_timeout)),
        Value::Mapping(map) => {
            let mut target = None;
            let mut timeout = default_timeout;
            for (k, v) in map {
                match (k.as_str(), v) {
                    (Some(k), Value::String(text)) if k == key && !text.trim().is_empty() => {
                        target = Some(text.clone());
                    }
                    (Some("timeout"), v) => {
                        let text = match v {
                            Value::String(s) => s.clone(),
                            Value::Number(n) => n.to_string(),
                            _ => String::new(),
                        };
                        match parse_duration(&text).filter(|d| !d.is_zero()) {
                            Some(d) => timeout = d,
                            None => problems.push(Problem::error(
                                format!("{path}.timeout"),
                                format!("`{text}` is not a duration (e.g. 500ms, 10s)"),
                            )),
                        }
                    }
                    (Some(k), _) if k == key => problems.push(Problem::error(
                        format!("{path}.{key}"),
                        format!("`{key}` must be a non-empty string"),
                    )),
                    (k, _) => problems.push(Problem::error(
                        path,
                        format!(
                            "unknown key `{}` (expected {key}, timeout)",
                            k.map(|k| escape(k).into_owned()).unwrap_or_default()
                        ),
                    )),
                }
            }
            if target.is_none() {
                problems.push(Problem::error(path, format!("`{key}` is missing")));
            }
            target.map(|t| (t, timeout))
        }
        _ => {
            problems.push(Problem::error(
                path,
                format!("expected a non-empty string or `{{{key}: ..., timeout: ...}}`"),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions(yaml: &str) -> (Vec<Action>, Vec<String>) {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        let mut problems = Vec::new();
        let actions = parse_actions(&value, "do", Duration::from_secs(10), &mut problems);
        (
            actions,
            problems
                .iter()
                .map(|p| format!("{}: {}", p.path, p.message))
                .collect(),
        )
    }

    #[test]
    fn actions_are_names_or_program_and_webhook_mappings() {
        let (got, problems) = actions(
            "[kill_process, kill_process_tree, stop_container, pause_container, kill_container, \
             program: \"logger -t x\", {webhook: {url: \"http://127.0.0.1:1/x\", timeout: 2s}}]",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            got,
            [
                Action::KillProcess,
                Action::KillProcessTree,
                Action::StopContainer,
                Action::PauseContainer,
                Action::KillContainer,
                Action::Program {
                    command: "logger -t x".into(),
                    timeout: Duration::from_secs(10)
                },
                Action::Webhook {
                    url: "http://127.0.0.1:1/x".into(),
                    timeout: Duration::from_secs(2)
                },
            ]
        );
        assert_eq!(actions("kill_process").0, [Action::KillProcess]);
    }

    #[test]
    fn every_bad_action_is_reported_where_it_is() {
        let (got, problems) = actions(
            "[kil_process, program, {webhook: \"ftp://x\"}, {program: {command: x, timeout: soon}}, \
             {stop_container: {now: true}}, 7, {frobnicate: x}]",
        );
        assert_eq!(
            got,
            [
                Action::Program {
                    command: "x".into(),
                    timeout: Duration::from_secs(10)
                },
                Action::StopContainer
            ]
        );
        assert_eq!(
            problems,
            [
                "do[0]: unknown action `kil_process` (expected one of kill_process, kill_process_tree, stop_container, pause_container, kill_container, program, webhook)",
                "do[1]: `program` needs a value: `program: ...`",
                "do[2].webhook: `ftp://x` is not an http:// or https:// URL",
                "do[3].program.timeout: `soon` is not a duration (e.g. 500ms, 10s)",
                "do[4].stop_container: `stop_container` takes no options",
                "do[5]: an action is a name (kill_process, ...) or `program: CMD` / `webhook: URL`",
                "do[6]: unknown action `frobnicate` (expected one of kill_process, kill_process_tree, stop_container, pause_container, kill_container, program, webhook)",
            ]
        );
        assert_eq!(actions("[]").1, ["do: no action given"]);
    }

    #[test]
    fn typing_problems_name_their_key_path() {
        let value: Value = serde_yaml::from_str(
            "actions:\n  - match: {rule: x}\n    do: kill_process\n  - match: {rulez: x}\n    do: kill_process\n",
        )
        .unwrap();
        let problem = ResponseConfig::from_value(&value).unwrap_err();
        assert_eq!(problem.path, "response.actions[1].match.rulez");
        assert!(
            problem.message.starts_with("unknown field `rulez`"),
            "{problem:?}"
        );
        assert_eq!(
            ResponseConfig::from_value(&Value::Null).unwrap(),
            ResponseConfig::default()
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("10s"), Some(Duration::from_secs(10)));
        assert_eq!(parse_duration("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_duration("1m"), Some(Duration::from_secs(60)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        for bad in ["", "s", "1d", "-1s", "1e99h", "nan"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
