//! The `response:` section checked against the loaded rules: which actions each rule's alerts
//! get, which kills the kernel decides, and every problem with the key path it sits at.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use saker_event::Priority;
use saker_event::escape::escape;
use saker_rules::Source;
use saker_rules::ruleset::{Rule, RuleSet};

use crate::Problem;
use crate::config::{Action, MatchSpec, ResponseConfig, parse_actions};
use crate::kernel::{self, Coverage, KernelPlan, KernelSafety};

/// What the rules were loaded with.
#[derive(Clone, Debug)]
pub struct PlanOptions {
    /// Rules less severe are not loaded (the config's `priority:`): they never fire.
    pub min_priority: Priority,
}

/// The responses of one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleResponse {
    pub rule: String,
    pub priority: Priority,
    pub source: String,
    /// In the order written, without repeats (`kill_process_tree` replaces `kill_process`).
    pub actions: Vec<Action>,
    /// How its kill runs, when it has one.
    pub coverage: Option<Coverage>,
}

/// Processes and containers no action touches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtectedSet {
    pub programs: BTreeSet<String>,
    pub container_names: BTreeSet<String>,
    /// Lower-case hex prefixes of container ids (at least 12 characters).
    pub container_ids: Vec<String>,
}

impl ProtectedSet {
    /// True when `name` or `id` is protected.
    pub fn container(&self, id: &str, name: Option<&str>) -> bool {
        self.container_ids
            .iter()
            .any(|p| id.starts_with(p.as_str()))
            || name.is_some_and(|n| self.container_names.contains(n))
    }
}

/// Actions allowed per interval (0: no limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateSettings {
    pub per_rule: u32,
    pub global: u32,
    pub interval: Duration,
}

/// The checked `response:` section.
#[derive(Clone, Debug)]
pub struct Plan {
    pub dry_run: bool,
    pub allow_host: bool,
    pub protected: ProtectedSet,
    pub rate: RateSettings,
    /// How long a container action may take (`timeout`).
    pub action_timeout: Duration,
    by_rule: HashMap<String, Arc<RuleResponse>>,
    pub kernel: KernelPlan,
}

impl Plan {
    /// No responses at all (the section is absent or matches nothing loaded).
    pub fn empty() -> Plan {
        Plan {
            dry_run: false,
            allow_host: false,
            protected: ProtectedSet::default(),
            rate: RateSettings {
                per_rule: 0,
                global: 0,
                interval: Duration::from_secs(60),
            },
            action_timeout: Duration::from_secs(10),
            by_rule: HashMap::new(),
            kernel: KernelPlan::default(),
        }
    }

    /// Checks `config` against the rules. `None` when there are errors; the problems
    /// (errors and warnings) come either way.
    pub fn build(
        config: &ResponseConfig,
        ruleset: &RuleSet,
        options: &PlanOptions,
    ) -> (Option<Plan>, Vec<Problem>) {
        let mut problems = Vec::new();
        let interval = config.rate_interval().map_err(|p| problems.push(p)).ok();
        let timeout = config.default_timeout().map_err(|p| problems.push(p)).ok();
        let protected = protected_set(config, &mut problems);
        let timeout = timeout.unwrap_or(Duration::from_secs(10));

        let loaded = |rule: &Rule| rule.enabled && rule.priority.at_least(options.min_priority);
        let mut per_rule: BTreeMap<&str, Vec<Action>> = BTreeMap::new();
        for (i, entry) in config.actions.iter().enumerate() {
            let path = format!("response.actions[{i}]");
            // The match first: problems come out in the order they are written.
            let matcher = Matcher::new(
                &entry.matcher,
                &format!("{path}.match"),
                ruleset,
                &mut problems,
            );
            let actions = parse_actions(
                &entry.actions,
                &format!("{path}.do"),
                timeout,
                &mut problems,
            );
            let Some(matcher) = matcher else {
                continue;
            };
            let mut matched = 0;
            for rule in ruleset.rules.iter().filter(|r| matcher.matches(r)) {
                if !loaded(rule) {
                    if matcher.names_rule(&rule.name) {
                        problems.push(Problem::warning(
                            format!("{path}.match.rule"),
                            format!(
                                "rule `{}` is {}: this entry never acts on it",
                                escape(&rule.name),
                                if rule.enabled {
                                    "not loaded (its priority is below the config's `priority`)"
                                } else {
                                    "disabled"
                                }
                            ),
                        ));
                    }
                    continue;
                }
                matched += 1;
                let list = per_rule.entry(rule.name.as_str()).or_default();
                for action in &actions {
                    let needs_process = action.is_kill() || action.is_container();
                    if needs_process && rule.source != Source::Syscall {
                        if matcher.names_rule(&rule.name) {
                            problems.push(Problem::error(
                                format!("{path}.do"),
                                format!(
                                    "`{}` needs a process, and rule `{}` is a {} rule",
                                    action.name(),
                                    escape(&rule.name),
                                    rule.source.as_str()
                                ),
                            ));
                        }
                        continue;
                    }
                    add_action(list, action.clone());
                }
            }
            if matched == 0
                && !problems
                    .iter()
                    .any(|p| p.is_error() && p.path.starts_with(&path))
            {
                problems.push(Problem::warning(
                    format!("{path}.match"),
                    "matches no loaded rule: this entry never acts".to_string(),
                ));
            }
        }
        if problems.iter().any(Problem::is_error) {
            return (None, problems);
        }

        let with_kill: Vec<(&Rule, bool)> = ruleset
            .rules
            .iter()
            .filter_map(|rule| {
                let actions = per_rule.get(rule.name.as_str())?;
                let tree = actions.contains(&Action::KillProcessTree);
                (tree || actions.contains(&Action::KillProcess)).then_some((rule, tree))
            })
            .collect();
        let disabled = if !config.in_kernel {
            Some("`in_kernel: false`".to_string())
        } else if !protected.container_names.is_empty() {
            Some(format!(
                "containers are protected by name ({}), which the kernel does not see",
                protected
                    .container_names
                    .iter()
                    .map(|n| escape(n).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        } else {
            None
        };
        let programs: Vec<String> = protected.programs.iter().cloned().collect();
        let kernel = kernel::compile(
            &with_kill,
            &KernelSafety {
                allow_host: config.allow_host,
                dry_run: config.dry_run,
                protected_programs: &programs,
                protected_ids: protected.container_ids.clone(),
                disabled,
            },
        );
        let by_rule = per_rule
            .into_iter()
            .filter(|(_, actions)| !actions.is_empty())
            .filter_map(|(name, actions)| {
                let rule = ruleset.rule(name)?;
                Some((
                    name.to_string(),
                    Arc::new(RuleResponse {
                        rule: name.to_string(),
                        priority: rule.priority,
                        source: rule.source.as_str().to_string(),
                        coverage: kernel.coverage.get(name).cloned(),
                        actions,
                    }),
                ))
            })
            .collect();
        let plan = Plan {
            dry_run: config.dry_run,
            allow_host: config.allow_host,
            protected,
            rate: RateSettings {
                per_rule: config.rate_limit.per_rule,
                global: config.rate_limit.global,
                interval: interval.unwrap_or(Duration::from_secs(60)),
            },
            action_timeout: timeout,
            by_rule,
            kernel,
        };
        (Some(plan), problems)
    }

    /// The responses to alerts of rule `name`, if any.
    pub fn for_rule(&self, name: &str) -> Option<&Arc<RuleResponse>> {
        self.by_rule.get(name)
    }

    pub fn is_empty(&self) -> bool {
        self.by_rule.is_empty()
    }

    /// True when some rule's alerts get a kill (which user space may have to take).
    pub fn has_kills(&self) -> bool {
        self.by_rule
            .values()
            .any(|r| r.actions.iter().any(Action::is_kill))
    }

    /// The compiled response table, as `saker run --dry-run` prints it.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        if self.by_rule.is_empty() {
            out.push_str("Responses: none\n");
            return out;
        }
        let _ = writeln!(
            out,
            "Responses ({} rules{}{}):",
            self.by_rule.len(),
            if self.dry_run {
                ", dry_run: nothing is done, only recorded"
            } else {
                ""
            },
            if self.allow_host { ", allow_host" } else { "" },
        );
        let mut rules: Vec<&Arc<RuleResponse>> = self.by_rule.values().collect();
        rules.sort_by(|a, b| a.rule.cmp(&b.rule));
        for response in rules {
            let _ = writeln!(out, "  {}", escape(&response.rule));
            for action in &response.actions {
                let place = match (action, &response.coverage) {
                    (a, Some(Coverage::Kernel { description, .. })) if a.is_kill() => {
                        format!("in the kernel {description}")
                    }
                    (a, Some(Coverage::UserSpace(why))) if a.is_kill() => {
                        format!("in user space, on the alert: {why}")
                    }
                    (Action::Program { command, timeout }, _) => format!(
                        "in user space: `{}` (timeout {})",
                        escape(command),
                        seconds(*timeout)
                    ),
                    (Action::Webhook { url, timeout }, _) => format!(
                        "in user space: POST {} (timeout {})",
                        escape(url),
                        seconds(*timeout)
                    ),
                    (a, _) if a.is_container() => {
                        "in user space, through the container runtime's API".to_string()
                    }
                    _ => "in user space, on the alert".to_string(),
                };
                let _ = writeln!(out, "    {:<18} {place}", action.name());
            }
        }
        let limit = |n: u32| {
            if n == 0 {
                "no limit".to_string()
            } else {
                n.to_string()
            }
        };
        let _ = writeln!(
            out,
            "  Rate limit: {} per rule, {} in all, per {}",
            limit(self.rate.per_rule),
            limit(self.rate.global),
            seconds(self.rate.interval)
        );
        let _ = writeln!(
            out,
            "  Never acted on: pid 1, Saker and its children, kernel threads{}{}{}",
            if self.allow_host {
                ""
            } else {
                ", processes outside containers"
            },
            if self.protected.programs.is_empty() {
                String::new()
            } else {
                format!(
                    ", programs {}",
                    self.protected
                        .programs
                        .iter()
                        .map(|p| escape(p).into_owned())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            },
            {
                let containers: Vec<String> = self
                    .protected
                    .container_names
                    .iter()
                    .chain(&self.protected.container_ids)
                    .map(|c| escape(c).into_owned())
                    .collect();
                if containers.is_empty() {
                    String::new()
                } else {
                    format!(", containers {}", containers.join(" "))
                }
            }
        );
        out
    }
}

fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// Adds `action` unless it is there already (a tree kill covers a process kill).
fn add_action(list: &mut Vec<Action>, action: Action) {
    if list.contains(&action)
        || (action == Action::KillProcess && list.contains(&Action::KillProcessTree))
    {
        return;
    }
    if action == Action::KillProcessTree
        && let Some(at) = list.iter().position(|a| *a == Action::KillProcess)
    {
        list[at] = action;
        return;
    }
    list.push(action);
}

fn protected_set(config: &ResponseConfig, problems: &mut Vec<Problem>) -> ProtectedSet {
    let mut set = ProtectedSet::default();
    for (i, name) in config.protected.programs.iter().enumerate() {
        if name.is_empty() {
            problems.push(Problem::error(
                format!("response.protected.programs[{i}]"),
                "empty program name".to_string(),
            ));
        }
        set.programs.insert(name.clone());
    }
    for (i, container) in config.protected.containers.iter().enumerate() {
        let is_id = container.len() >= 12
            && container
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        if container.is_empty() {
            problems.push(Problem::error(
                format!("response.protected.containers[{i}]"),
                "empty container name".to_string(),
            ));
        } else if is_id {
            set.container_ids.push(container.clone());
        } else {
            set.container_names.insert(container.clone());
        }
    }
    set
}

/// A `match:` ready to test rules.
struct Matcher {
    names: Option<BTreeSet<String>>,
    tags: Vec<String>,
    priority: Option<(Comparison, Priority)>,
    source: Option<Source>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Comparison {
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
    Exactly,
}

impl Matcher {
    fn new(
        spec: &MatchSpec,
        path: &str,
        ruleset: &RuleSet,
        problems: &mut Vec<Problem>,
    ) -> Option<Matcher> {
        let before = problems.len();
        if spec.rule.is_none()
            && spec.tags.is_empty()
            && spec.priority.is_none()
            && spec.source.is_none()
        {
            problems.push(Problem::error(
                path,
                "give at least one of rule, tags, priority, source (an empty match would act on every alert)"
                    .to_string(),
            ));
        }
        let names = spec.rule.as_ref().map(|rule| {
            let names = rule.names();
            let many = matches!(rule, crate::config::OneOrMany::Many(_));
            for (i, name) in names.iter().enumerate() {
                if ruleset.rule(name).is_none() {
                    let at = if many {
                        format!("{path}.rule[{i}]")
                    } else {
                        format!("{path}.rule")
                    };
                    problems.push(Problem::error(
                        at,
                        format!(
                            "unknown rule `{}`{}",
                            escape(name),
                            suggestion(name, ruleset)
                        ),
                    ));
                }
            }
            names.into_iter().map(str::to_string).collect()
        });
        let priority = spec.priority.as_deref().and_then(|text| {
            parse_priority(text)
                .map_err(|message| {
                    problems.push(Problem::error(format!("{path}.priority"), message))
                })
                .ok()
        });
        let source = spec.source.as_deref().and_then(|name| {
            let source = Source::from_name(name);
            if source.is_none() {
                problems.push(Problem::error(
                    format!("{path}.source"),
                    format!(
                        "unknown source `{}` (expected syscall or k8s_audit)",
                        escape(name)
                    ),
                ));
            }
            source
        });
        (problems.len() == before).then(|| Matcher {
            names,
            tags: spec.tags.clone(),
            priority,
            source,
        })
    }

    fn names_rule(&self, name: &str) -> bool {
        self.names.as_ref().is_some_and(|n| n.contains(name))
    }

    fn matches(&self, rule: &Rule) -> bool {
        self.names.as_ref().is_none_or(|n| n.contains(&rule.name))
            && self.tags.iter().all(|t| rule.tags.contains(t))
            && self.source.is_none_or(|s| s == rule.source)
            && self.priority.is_none_or(|(cmp, p)| {
                let r = rule.priority;
                match cmp {
                    Comparison::AtLeast => r.at_least(p),
                    Comparison::MoreThan => r.at_least(p) && r != p,
                    Comparison::AtMost => p.at_least(r),
                    Comparison::LessThan => !r.at_least(p),
                    Comparison::Exactly => r == p,
                }
            })
    }
}

/// `>=Notice`, `> warning`, `<=Error`, `<Error`, `=Notice`, `==Notice`, or a bare name (at
/// least that severe, as the config's `priority:`).
fn parse_priority(text: &str) -> Result<(Comparison, Priority), String> {
    let t = text.trim();
    let (cmp, name) = [
        (">=", Comparison::AtLeast),
        ("<=", Comparison::AtMost),
        ("==", Comparison::Exactly),
        (">", Comparison::MoreThan),
        ("<", Comparison::LessThan),
        ("=", Comparison::Exactly),
    ]
    .iter()
    .find_map(|(op, cmp)| t.strip_prefix(op).map(|rest| (*cmp, rest.trim())))
    .unwrap_or((Comparison::AtLeast, t));
    name.parse::<Priority>().map(|p| (cmp, p)).map_err(|_| {
        format!(
            "bad priority `{}`: expected a priority name (emergency, alert, critical, error, warning, notice, informational, debug), optionally after >=, >, <=, < or =",
            escape(text)
        )
    })
}

/// ` (did you mean `X`?)` for a close rule name, else nothing.
fn suggestion(name: &str, ruleset: &RuleSet) -> String {
    let lower = name.to_lowercase();
    ruleset
        .rules
        .iter()
        .find(|r| r.name.to_lowercase() == lower || r.name.trim() == name.trim())
        .map(|r| format!(" (did you mean `{}`?)", escape(&r.name)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
