//! Reading the Prometheus text exposition that `GET /metrics` serves. The console draws what
//! /metrics knows by reading the same text, so a metric added to the registry needs no
//! second API to reach the overview.

/// One sample line: `name{label="value",...} number`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sample {
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub value: f64,
}

impl Sample {
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every sample of the exposition; comments and lines that do not parse are skipped (the
/// text comes from Saker's own registry, see `saker_server::Metrics::render`).
pub(crate) fn parse(text: &str) -> Vec<Sample> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(parse_line)
        .collect()
}

fn parse_line(line: &str) -> Option<Sample> {
    let name_end = line.find(['{', ' '])?;
    let name = line[..name_end].to_string();
    let mut rest = &line[name_end..];
    let mut labels = Vec::new();
    if let Some(after_brace) = rest.strip_prefix('{') {
        rest = after_brace;
        loop {
            if let Some(after) = rest.strip_prefix('}') {
                rest = after;
                break;
            }
            let eq = rest.find("=\"")?;
            let label = rest[..eq].trim_start_matches(',').to_string();
            let (value, after) = unescape_value(&rest[eq + 2..])?;
            labels.push((label, value));
            rest = after;
        }
    }
    let value = rest.split_whitespace().next()?.parse().ok()?;
    Some(Sample {
        name,
        labels,
        value,
    })
}

/// A label value up to its closing quote (`\\`, `\"`, `\n` escapes), and the text after it.
fn unescape_value(text: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &text[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => value.push('\n'),
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_samples_with_escaped_labels() {
        let text = "# HELP x y\n# TYPE x counter\nx 3\n\
                    saker_alerts_total{rule=\"a \\\"b\\\" \\\\ c\\nd\",priority=\"warning\"} 7\n\
                    f{} 0.25\n";
        let samples = parse(text);
        assert_eq!(samples.len(), 3);
        assert_eq!(samples[0].name, "x");
        assert_eq!(samples[0].value, 3.0);
        assert_eq!(samples[1].label("rule"), Some("a \"b\" \\ c\nd"));
        assert_eq!(samples[1].label("priority"), Some("warning"));
        assert_eq!(samples[1].value, 7.0);
        assert_eq!(samples[2].value, 0.25);
    }

    #[test]
    fn reads_what_the_registry_renders() {
        let metrics = saker_server::Metrics::new("1.2.3", 2);
        metrics.set_cpu_totals(1, 10, 4);
        let samples = parse(&metrics.render());
        let dropped: Vec<f64> = samples
            .iter()
            .filter(|s| s.name == "saker_events_dropped_total")
            .map(|s| s.value)
            .collect();
        assert_eq!(dropped, vec![0.0, 4.0]);
        let version = samples
            .iter()
            .find(|s| s.name == "saker_version_info")
            .unwrap();
        assert_eq!(version.label("version"), Some("1.2.3"));
    }
}
