//! The query parameters of `/api/alerts` and `/api/stream`: which alerts a page wants.

use std::time::Duration;

use saker_event::Priority;

use crate::history::StoredAlert;

/// The alerts one request asks for. Every condition given must hold.
#[derive(Debug, Default)]
pub(crate) struct AlertFilter {
    /// `priority`: this priority or more severe.
    pub min_priority: Option<Priority>,
    /// `rule`: the rule's exact name.
    pub rule: Option<String>,
    /// `tag`: one of the rule's tags.
    pub tag: Option<String>,
    /// `source`: `syscall`, `k8s_audit`, `internal`.
    pub source: Option<String>,
    /// `container`: a container's exact name, or a prefix of its id.
    pub container: Option<String>,
    /// `q`: free text in the output or the rule name, any case.
    pub text: Option<regex::Regex>,
    /// `since=<id>`: only alerts after this id.
    pub since_id: Option<u64>,
    /// `since=<duration>`: only alerts whose event time is at most this old.
    pub since_time_ns: Option<u64>,
    /// `before=<id>`: only alerts before this id (the next page of older ones).
    pub before_id: Option<u64>,
}

/// A parsed `/api/alerts` or `/api/stream` query.
#[derive(Debug)]
pub(crate) struct AlertQuery {
    pub filter: AlertFilter,
    pub limit: usize,
}

pub(crate) const DEFAULT_LIMIT: usize = 200;
pub(crate) const MAX_LIMIT: usize = 1000;

/// Longest free-text query accepted.
const MAX_TEXT: usize = 256;

impl AlertQuery {
    /// Parses a query string; an unknown parameter or a bad value is an error (a typo must
    /// not silently widen what a person looks at).
    pub fn parse(query: &str, now_ns: u64) -> Result<AlertQuery, String> {
        AlertQuery::parse_for(query, now_ns, false)
    }

    /// Parses the query of `/api/stream`, which has no pages: `before` and `limit` are
    /// refused.
    pub fn parse_stream(query: &str, now_ns: u64) -> Result<AlertQuery, String> {
        AlertQuery::parse_for(query, now_ns, true)
    }

    fn parse_for(query: &str, now_ns: u64, stream: bool) -> Result<AlertQuery, String> {
        let mut parsed = AlertQuery {
            filter: AlertFilter::default(),
            limit: DEFAULT_LIMIT,
        };
        let filter = &mut parsed.filter;
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let text = || (!value.is_empty()).then(|| value.to_string());
            match &*key {
                "priority" => {
                    filter.min_priority = match &*value {
                        "" => None,
                        v => Some(v.parse().map_err(|e| format!("priority: {e}"))?),
                    }
                }
                "rule" => filter.rule = text(),
                "tag" => filter.tag = text(),
                "source" => filter.source = text(),
                "container" => filter.container = text(),
                "q" => {
                    if value.chars().count() > MAX_TEXT {
                        return Err(format!("q: longer than {MAX_TEXT} characters"));
                    }
                    filter.text = match &*value {
                        "" => None,
                        v => Some(
                            regex::RegexBuilder::new(&regex::escape(v))
                                .case_insensitive(true)
                                .build()
                                .map_err(|e| format!("q: {e}"))?,
                        ),
                    }
                }
                "since" => parse_since(&value, now_ns, filter)?,
                "before" | "limit" if stream => {
                    return Err(format!("`{key}` is for /api/alerts, not the stream"));
                }
                "before" => {
                    filter.before_id = Some(
                        value
                            .parse()
                            .map_err(|_| format!("before: `{value}` is not an alert id"))?,
                    )
                }
                "limit" => {
                    parsed.limit = match value.parse::<usize>() {
                        Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                        _ => return Err(format!("limit: `{value}` is not 1 to {MAX_LIMIT}")),
                    }
                }
                other => return Err(format!("unknown parameter `{other}`")),
            }
        }
        Ok(parsed)
    }
}

/// `since`: an alert id (`123`), or how far back in event time (`30s`, `15m`, `2h`, `7d`).
fn parse_since(value: &str, now_ns: u64, filter: &mut AlertFilter) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    if let Ok(id) = value.parse::<u64>() {
        filter.since_id = Some(id);
        return Ok(());
    }
    let bad = || format!("since: `{value}` is neither an alert id nor a duration like 15m");
    let split = value.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = value.split_at(split);
    let number: u64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    let span = Duration::from_secs(number.saturating_mul(seconds));
    filter.since_time_ns =
        Some(now_ns.saturating_sub(span.as_nanos().min(u64::MAX as u128) as u64));
    Ok(())
}

impl AlertFilter {
    pub fn matches(&self, alert: &StoredAlert) -> bool {
        if let Some(min) = self.min_priority
            && !alert.priority.at_least(min)
        {
            return false;
        }
        if self.since_id.is_some_and(|since| alert.id <= since)
            || self.before_id.is_some_and(|before| alert.id >= before)
            || self
                .since_time_ns
                .is_some_and(|since| alert.time_ns < since)
        {
            return false;
        }
        if self.rule.as_deref().is_some_and(|r| *alert.rule != *r)
            || self.source.as_deref().is_some_and(|s| *alert.source != *s)
            || self
                .tag
                .as_deref()
                .is_some_and(|t| !alert.tags.iter().any(|tag| tag == t))
        {
            return false;
        }
        if let Some(container) = &self.container {
            let by_name = alert.container_name.as_deref() == Some(container.as_str());
            let by_id = alert
                .container_id
                .as_deref()
                .is_some_and(|id| id.starts_with(container.as_str()));
            if !by_name && !by_id {
                return false;
            }
        }
        if let Some(text) = &self.text
            && !text.is_match(&alert.output)
            && !text.is_match(&alert.rule)
        {
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::History;
    use saker_event::Alert;
    use std::collections::BTreeMap;

    fn history() -> History {
        let mut history = History::new(100);
        let cases = [
            (
                "Read sensitive file",
                Priority::Warning,
                "syscall",
                Some(("0123456789ab", "web")),
                "cat /etc/shadow",
            ),
            (
                "Terminal shell",
                Priority::Notice,
                "syscall",
                None,
                "bash -i",
            ),
            (
                "Privileged pod",
                Priority::Critical,
                "k8s_audit",
                None,
                "pod <b>x</b> created",
            ),
        ];
        for (rule, priority, source, container, output) in cases {
            let mut output_fields = BTreeMap::new();
            if let Some((id, name)) = container {
                output_fields.insert("container.id".to_string(), id.into());
                output_fields.insert("container.name".to_string(), name.into());
            }
            history.push(
                Alert {
                    time_ns: 1_000,
                    rule: rule.to_string(),
                    priority,
                    source: source.to_string(),
                    output: output.to_string(),
                    output_fields,
                    tags: vec![source.to_string(), "mitre".to_string()],
                    hostname: "h".to_string(),
                },
                0,
            );
        }
        history
    }

    /// The rules each query finds, newest first.
    fn check(query: &str, expect: &[&str]) {
        let history = history();
        let parsed = AlertQuery::parse(query, 2_000).unwrap();
        let (found, _) = history.query(&parsed.filter, parsed.limit);
        let rules: Vec<&str> = found.iter().map(|a| &*a.rule).collect();
        assert_eq!(rules, expect, "query {query:?}");
    }

    #[test]
    fn filters() {
        check(
            "",
            &["Privileged pod", "Terminal shell", "Read sensitive file"],
        );
        check(
            "priority=warning",
            &["Privileged pod", "Read sensitive file"],
        );
        check("priority=CRITICAL", &["Privileged pod"]);
        check("rule=Terminal+shell", &["Terminal shell"]);
        check("rule=Terminal", &[]);
        check("source=k8s_audit", &["Privileged pod"]);
        check(
            "tag=mitre&source=syscall",
            &["Terminal shell", "Read sensitive file"],
        );
        check("container=web", &["Read sensitive file"]);
        check("container=0123", &["Read sensitive file"]);
        check("container=123", &[]);
        check("q=SHADOW", &["Read sensitive file"]);
        check("q=%3Cb%3E", &["Privileged pod"]);
        check("q=.*", &[]);
        check("q=privileged", &["Privileged pod"]);
        check("since=1", &["Privileged pod", "Terminal shell"]);
        check("before=3", &["Terminal shell", "Read sensitive file"]);
        check("before=3&since=1", &["Terminal shell"]);
        check("limit=1", &["Privileged pod"]);
        check(
            "since=1s",
            &["Privileged pod", "Terminal shell", "Read sensitive file"],
        );
        check(
            "priority=&rule=&q=",
            &["Privileged pod", "Terminal shell", "Read sensitive file"],
        );
    }

    #[test]
    fn since_a_duration_is_by_event_time() {
        let q = AlertQuery::parse("since=15m", 3_600_000_000_000).unwrap();
        assert_eq!(q.filter.since_time_ns, Some(2_700_000_000_000));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let error = |q: &str| AlertQuery::parse(q, 0).unwrap_err();
        assert!(error("priority=loud").starts_with("priority: unknown priority 'loud'"));
        assert_eq!(error("prio=warning"), "unknown parameter `prio`");
        assert_eq!(error("limit=0"), "limit: `0` is not 1 to 1000");
        assert_eq!(error("limit=5000"), "limit: `5000` is not 1 to 1000");
        assert_eq!(
            error("since=yesterday"),
            "since: `yesterday` is neither an alert id nor a duration like 15m"
        );
        assert_eq!(error("before=x"), "before: `x` is not an alert id");
        assert!(error(&format!("q={}", "a".repeat(300))).contains("longer than 256"));
        let stream = |q: &str| AlertQuery::parse_stream(q, 0).unwrap_err();
        assert_eq!(
            stream("before=3"),
            "`before` is for /api/alerts, not the stream"
        );
        assert_eq!(
            stream("limit=3"),
            "`limit` is for /api/alerts, not the stream"
        );
        assert!(AlertQuery::parse_stream("since=3&priority=error", 0).is_ok());
    }

    #[test]
    fn more_says_older_matches_remain() {
        let history = history();
        let parsed = AlertQuery::parse("limit=2", 0).unwrap();
        assert!(history.query(&parsed.filter, parsed.limit).1);
        let parsed = AlertQuery::parse("limit=3", 0).unwrap();
        assert!(!history.query(&parsed.filter, parsed.limit).1);
    }
}
