//! The console's JSON API and event stream on a real web server (docs/http-api.md).

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use saker_console::ConsoleOptions;
use saker_event::Priority;
use saker_server::TlsFiles;
use support::{Harness, Setup, agent, alert, catalog, get, ids, request, wait_for};

const RULES: &str = r#"
- rule: Read sensitive file
  desc: a file holding secrets was read
  condition: evt.type = openat and fd.name = /etc/shadow
  output: "read %fd.name by %proc.name"
  priority: WARNING
  tags: [filesystem, mitre_credential_access]
- rule: Old rule
  desc: switched off
  condition: evt.type = openat
  output: x
  priority: DEBUG
  enabled: false
"#;

/// Raises `n` alerts and waits until the history holds them all.
fn raise_all(harness: &Harness, alerts: &[saker_event::Alert]) {
    let before = last_id(harness);
    for a in alerts {
        harness.raise(a);
    }
    wait_for("the console to keep the alerts", || {
        last_id(harness) == before + alerts.len() as u64
    });
}

fn last_id(harness: &Harness) -> u64 {
    get(&agent(), &format!("{}/api/alerts?limit=1", harness.base)).json()["last_id"]
        .as_u64()
        .unwrap()
}

fn sample_alerts() -> Vec<saker_event::Alert> {
    vec![
        alert(
            "Read sensitive file",
            Priority::Warning,
            "syscall",
            &[
                ("container.id", "0123456789ab"),
                ("container.name", "web"),
                ("proc.name", "cat"),
            ],
        ),
        alert(
            "Terminal shell",
            Priority::Notice,
            "syscall",
            &[("proc.name", "bash")],
        ),
        alert(
            "Create Privileged Pod",
            Priority::Critical,
            "k8s_audit",
            &[("ka.user.name", "mallory"), ("ka.resp.name", "debug")],
        ),
        alert(
            "Read sensitive file",
            Priority::Warning,
            "syscall",
            &[("container.id", "fedcba987654"), ("proc.name", "less")],
        ),
    ]
}

#[test]
fn alerts_are_listed_newest_first_and_filtered() {
    let harness = Harness::start(Setup {
        rules: Some(catalog(RULES)),
        ..Setup::default()
    });
    raise_all(&harness, &sample_alerts());
    let agent = agent();
    let url = |q: &str| format!("{}/api/alerts{q}", harness.base);

    let all = get(&agent, &url(""));
    assert_eq!(all.status, 200);
    assert_eq!(all.header("content-type"), Some("application/json"));
    assert_eq!(all.header("cache-control"), Some("no-store"));
    let body = all.json();
    assert_eq!(ids(&body), vec![4, 3, 2, 1]);
    assert_eq!(body["last_id"], 4);
    assert_eq!(body["first_id"], 1);
    assert_eq!(body["more"], false);
    let first = &body["alerts"][3];
    assert_eq!(first["rule"], "Read sensitive file");
    assert_eq!(first["priority"], "Warning");
    assert_eq!(first["source"], "syscall");
    assert_eq!(first["hostname"], "test-host");
    assert_eq!(first["output_fields"]["container.name"], "web");
    assert!(first["time"].as_str().unwrap().ends_with('Z'));
    assert!(first["time_ns"].as_u64().unwrap() > 0);

    let cases: &[(&str, &[u64])] = &[
        ("?priority=warning", &[4, 3, 1]),
        ("?priority=critical", &[3]),
        ("?source=k8s_audit", &[3]),
        ("?rule=Read+sensitive+file", &[4, 1]),
        ("?rule=Read%20sensitive%20file&container=web", &[1]),
        ("?container=fedc", &[4]),
        ("?tag=k8s_audit", &[3]),
        ("?q=MALLORY", &[3]),
        ("?q=%3Cscript%3E", &[]),
        ("?since=2", &[4, 3]),
        ("?before=3", &[2, 1]),
        ("?limit=2", &[4, 3]),
        ("?since=1h", &[4, 3, 2, 1]),
    ];
    for (query, expect) in cases {
        let answer = get(&agent, &url(query));
        assert_eq!(answer.status, 200, "{query}: {}", answer.body);
        assert_eq!(ids(&answer.json()), *expect, "{query}");
    }
    assert_eq!(get(&agent, &url("?limit=2")).json()["more"], true);

    for (query, message) in [
        ("?priority=loud", "priority: unknown priority 'loud'"),
        ("?colour=red", "unknown parameter `colour`"),
        ("?limit=100000", "limit: `100000` is not 1 to 1000"),
        (
            "?since=tomorrow",
            "since: `tomorrow` is neither an alert id nor a duration like 15m",
        ),
    ] {
        let answer = get(&agent, &url(query));
        assert_eq!(answer.status, 400, "{query}");
        assert!(
            answer.json()["error"]
                .as_str()
                .unwrap()
                .starts_with(message),
            "{query}: {}",
            answer.body
        );
    }
    harness.stop();
}

#[test]
fn one_alert_comes_with_its_rule() {
    let harness = Harness::start(Setup {
        rules: Some(catalog(RULES)),
        ..Setup::default()
    });
    raise_all(&harness, &sample_alerts());
    let agent = agent();
    let answer = get(&agent, &format!("{}/api/alerts/1", harness.base)).json();
    assert_eq!(answer["alert"]["id"], 1);
    assert_eq!(answer["rule"]["name"], "Read sensitive file");
    assert_eq!(
        answer["rule"]["description"],
        "a file holding secrets was read"
    );
    assert_eq!(
        answer["rule"]["condition"],
        "evt.type = openat and fd.name = /etc/shadow"
    );
    assert_eq!(
        answer["rule"]["tags"],
        serde_json::json!(["filesystem", "mitre_credential_access"])
    );
    // A rule the catalog does not know (an internal alert, a reload since).
    let answer = get(&agent, &format!("{}/api/alerts/2", harness.base)).json();
    assert_eq!(answer["rule"], serde_json::Value::Null);

    let missing = get(&agent, &format!("{}/api/alerts/99", harness.base));
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error"], "alert 99 is not in the history");
    assert_eq!(
        get(&agent, &format!("{}/api/alerts/x", harness.base)).status,
        400
    );
    assert_eq!(
        get(&agent, &format!("{}/api/nothing", harness.base)).status,
        404
    );
    harness.stop();
}

#[test]
fn rules_list_every_rule_with_fire_counts() {
    let harness = Harness::start(Setup {
        rules: Some(catalog(RULES)),
        ..Setup::default()
    });
    raise_all(&harness, &sample_alerts());
    let answer = get(&agent(), &format!("{}/api/rules", harness.base));
    assert_eq!(answer.status, 200);
    let body = answer.json();
    let rules = body["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0]["name"], "Read sensitive file");
    assert_eq!(rules[0]["enabled"], true);
    assert_eq!(rules[0]["loaded"], true);
    assert_eq!(rules[0]["priority"], "Warning");
    assert_eq!(rules[0]["source"], "syscall");
    assert_eq!(rules[0]["fired"], 2);
    assert_eq!(rules[0]["in_history"], 2);
    assert_eq!(rules[0]["location"], "test.yaml:2");
    assert_eq!(rules[1]["name"], "Old rule");
    assert_eq!(rules[1]["enabled"], false);
    assert_eq!(rules[1]["fired"], 0);
    assert!(body["loaded_ns"].as_u64().unwrap() > 0);
    assert_eq!(
        get(&agent(), &format!("{}/api/rules?x=1", harness.base)).status,
        400
    );
    harness.stop();
}

#[test]
fn stats_draw_the_metrics_and_the_history() {
    let harness = Harness::start(Setup {
        options: ConsoleOptions {
            history_size: 3,
            database: None,
        },
        ..Setup::default()
    });
    harness.metrics.set_cpu_totals(0, 1000, 0);
    harness.metrics.set_cpu_totals(1, 500, 7);
    harness.metrics.set_rules_loaded(42);
    harness.metrics.set_ring_buffer_use(8 << 20, 12288);
    raise_all(&harness, &sample_alerts());
    let answer = get(&agent(), &format!("{}/api/stats", harness.base));
    assert_eq!(answer.status, 200);
    let stats = answer.json();
    assert_eq!(stats["version"], "9.9.9");
    assert_eq!(stats["rules_loaded"], 42);
    assert_eq!(stats["dropped_per_cpu"], serde_json::json!([0, 7]));
    assert_eq!(stats["captured_per_cpu"], serde_json::json!([1000, 500]));
    assert_eq!(stats["ring_buffer"]["size_bytes"], 8 << 20);
    assert_eq!(stats["ring_buffer"]["used_bytes"], 12288);
    assert_eq!(stats["events"]["total"], 1500);
    assert_eq!(stats["alerts"]["total"], 4);
    assert_eq!(stats["alerts"]["by_priority"]["warning"], 2);
    // The history holds the newest three; its counts follow what it holds.
    assert_eq!(stats["history"]["size"], 3);
    assert_eq!(stats["history"]["capacity"], 3);
    assert_eq!(stats["history"]["first_id"], 2);
    assert_eq!(stats["history"]["dropped"], 0);
    assert_eq!(stats["top_rules"][0]["count"], 1);
    let top_programs: Vec<&str> = stats["top_programs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(top_programs, vec!["bash", "less"]);
    assert_eq!(stats["top_containers"][0]["id"], "fedcba987654");
    assert_eq!(stats["top_containers"][0]["name"], serde_json::Value::Null);
    let timeline = &stats["timeline"];
    assert_eq!(timeline["window"], "1h");
    assert_eq!(timeline["bucket_seconds"], 60);
    let charted: u64 = timeline["series"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|s| s.as_array().unwrap().iter().map(|n| n.as_u64().unwrap()))
        .sum();
    assert_eq!(charted, 4, "every alert received is charted, kept or not");
    assert_eq!(timeline["series"]["Critical"].as_array().unwrap().len(), 60);
    assert_eq!(
        stats["responses"],
        serde_json::Value::Null,
        "no responses configured"
    );
    let day = get(&agent(), &format!("{}/api/stats?window=24h", harness.base)).json();
    assert_eq!(day["timeline"]["bucket_seconds"], 900);
    assert_eq!(
        get(&agent(), &format!("{}/api/stats?window=2d", harness.base)).status,
        400
    );
    harness.stop();
}

/// The responder's families as `saker_response::ResponseStats` renders them (docs/response.md).
#[derive(Debug)]
struct ResponseFamilies;

impl saker_server::Exposition for ResponseFamilies {
    fn render(&self, out: &mut String) {
        out.push_str(
            "# TYPE saker_response_actions_total counter\n\
             saker_response_actions_total{action=\"kill_process\",result=\"ok\",place=\"kernel\"} 3\n\
             saker_response_actions_total{action=\"kill_process\",result=\"ok\",place=\"user\"} 2\n\
             saker_response_actions_total{action=\"webhook\",result=\"failed\",place=\"user\"} 1\n\
             saker_response_actions_total{action=\"kill_process\",result=\"refused\",place=\"kernel\"} 4\n\
             # TYPE saker_response_skipped_total counter\n\
             saker_response_skipped_total 5\n",
        );
    }
}

#[test]
fn stats_sum_what_the_responses_did() {
    let harness = Harness::start(Setup::default());
    harness
        .metrics
        .add_exposition(std::sync::Arc::new(ResponseFamilies));
    let stats = get(&agent(), &format!("{}/api/stats", harness.base)).json();
    assert_eq!(
        stats["responses"],
        serde_json::json!({"ok": 5, "failed": 1, "refused": 4, "dry_run": 0, "skipped": 5})
    );
    harness.stop();
}

#[test]
fn the_token_guards_the_api_not_the_page() {
    let harness = Harness::start(Setup {
        token: Some("s3cret".to_string()),
        ..Setup::default()
    });
    let agent = agent();
    for path in [
        "/api/alerts",
        "/api/stats",
        "/api/rules",
        "/api/stream",
        "/api/alerts/1",
    ] {
        let url = format!("{}{path}", harness.base);
        let refused = request(&agent, "GET", &url, None);
        assert_eq!(refused.status, 401, "{path}");
        assert_eq!(
            refused.header("www-authenticate"),
            Some("Bearer realm=\"saker console\"")
        );
        assert_eq!(
            request(&agent, "GET", &url, Some("s3cre")).status,
            401,
            "{path}"
        );
        assert_eq!(
            request(&agent, "GET", &url, Some("s3cret!")).status,
            401,
            "{path}"
        );
    }
    let allowed = request(
        &agent,
        "GET",
        &format!("{}/api/alerts", harness.base),
        Some("s3cret"),
    );
    assert_eq!(allowed.status, 200);
    // The page and its assets hold no data: they load, then ask for the token.
    for path in [
        "/",
        "/index.html",
        "/ui/console.js",
        "/ui/console.css",
        "/ui/favicon.svg",
    ] {
        assert_eq!(
            get(&agent, &format!("{}{path}", harness.base)).status,
            200,
            "{path}"
        );
    }
    harness.stop();
}

#[test]
fn the_console_is_read_only() {
    let harness = Harness::start(Setup::default());
    let agent = agent();
    for path in ["/", "/api/alerts", "/api/stats", "/ui/console.js"] {
        for method in ["POST", "PUT", "DELETE"] {
            let answer = request(&agent, method, &format!("{}{path}", harness.base), None);
            assert_eq!(answer.status, 405, "{method} {path}");
            assert_eq!(answer.header("allow"), Some("GET, HEAD"));
        }
    }
    // The built-in endpoints are still the server's own.
    assert_eq!(
        get(&agent, &format!("{}/healthz", harness.base)).status,
        200
    );
    assert_eq!(
        get(&agent, &format!("{}/no-such-page", harness.base)).status,
        404
    );
    harness.stop();
}

#[test]
fn the_page_is_served_with_a_strict_policy() {
    let harness = Harness::start(Setup::default());
    let page = get(&agent(), &format!("{}/", harness.base));
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let policy = page.header("content-security-policy").unwrap();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert!(
        page.body
            .contains("<script src=\"ui/console.js\" defer></script>")
    );
    let script = get(&agent(), &format!("{}/ui/console.js", harness.base));
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    // The page builds its DOM from text only; these would parse alert data as markup.
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        let uses = script
            .body
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .filter(|l| l.contains(sink))
            .count();
        assert_eq!(uses, 0, "console.js uses {sink}");
    }
    harness.stop();
}

/// A raw event-stream reader: the server-sent events as (event, data) pairs.
struct EventStream {
    reader: BufReader<TcpStream>,
}

impl EventStream {
    fn open(base: &str, query: &str) -> EventStream {
        let addr = base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        write!(
            stream,
            "GET /api/stream?{query} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut chunked = false;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.to_ascii_lowercase().starts_with("content-type:") {
                assert!(line.contains("text/event-stream"), "{line}");
            }
            chunked |= line
                .to_ascii_lowercase()
                .contains("transfer-encoding: chunked");
            if line == "\r\n" {
                break;
            }
        }
        assert!(chunked, "a stream has no length");
        EventStream { reader }
    }

    /// The next event (chunk framing skipped: events are text lines).
    fn next(&mut self) -> (String, String) {
        let mut event = String::new();
        let mut data = String::new();
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).unwrap();
            assert!(n > 0, "the stream ended");
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(value) = line.strip_prefix("data: ") {
                data.push_str(value);
            } else if line.is_empty() && !event.is_empty() {
                return (event, data);
            }
        }
    }

    fn next_alert(&mut self) -> serde_json::Value {
        loop {
            let (event, data) = self.next();
            if event == "alert" {
                return serde_json::from_str(&data).unwrap();
            }
            assert_ne!(event, "lagged");
        }
    }
}

#[test]
fn the_stream_pushes_matching_alerts_live() {
    let harness = Harness::start(Setup::default());
    let mut all = EventStream::open(&harness.base, "");
    let (event, data) = all.next();
    assert_eq!(event, "hello");
    let hello: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(hello["last_id"], 0);
    let mut severe = EventStream::open(&harness.base, "priority=error");
    assert_eq!(severe.next().0, "hello");

    for a in sample_alerts() {
        harness.raise(&a);
    }
    for expect in 1..=4 {
        assert_eq!(all.next_alert()["id"], expect);
    }
    // Only the Critical one is at or above Error.
    let only = severe.next_alert();
    assert_eq!(
        (only["id"].as_u64(), only["priority"].as_str()),
        (Some(3), Some("Critical"))
    );
    harness.raise(&alert("Late", Priority::Emergency, "internal", &[]));
    assert_eq!(severe.next_alert()["rule"], "Late");
    harness.stop();
}

#[test]
fn a_reconnecting_page_catches_up_from_its_last_id() {
    let harness = Harness::start(Setup::default());
    raise_all(&harness, &sample_alerts());
    let mut stream = EventStream::open(&harness.base, "since=2&source=syscall");
    let (event, data) = stream.next();
    assert_eq!(event, "hello");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&data).unwrap()["last_id"],
        4
    );
    // Missed since id 2: only 4 is a syscall alert (3 is k8s_audit).
    assert_eq!(stream.next_alert()["id"], 4);
    harness.raise(&alert("Next", Priority::Debug, "syscall", &[]));
    assert_eq!(stream.next_alert()["id"], 5);
    harness.stop();
}

#[test]
fn history_is_bounded_and_survives_a_restart_with_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("console.db");
    let options = ConsoleOptions {
        history_size: 50,
        database: Some(database.clone()),
    };
    let harness = Harness::start(Setup {
        options: options.clone(),
        ..Setup::default()
    });
    let many: Vec<_> = (0..120)
        .map(|i| alert(&format!("rule {i}"), Priority::Warning, "syscall", &[]))
        .collect();
    raise_all(&harness, &many);
    let stats = get(&agent(), &format!("{}/api/stats", harness.base)).json();
    assert_eq!(stats["history"]["size"], 50);
    assert_eq!(stats["history"]["first_id"], 71);
    assert_eq!(
        stats["history"]["database"]["path"],
        database.display().to_string()
    );
    let before = get(&agent(), &format!("{}/api/alerts?limit=1000", harness.base)).json();
    let instance = before["instance"].clone();
    harness.stop();

    let again = Harness::start(Setup {
        options,
        ..Setup::default()
    });
    let after = get(&agent(), &format!("{}/api/alerts?limit=1000", again.base)).json();
    assert_eq!(
        after["alerts"], before["alerts"],
        "the same alerts, ids and all"
    );
    assert_ne!(after["instance"], instance, "a page can tell it restarted");
    again.raise(&alert("after restart", Priority::Error, "syscall", &[]));
    wait_for("the new alert", || last_id(&again) == 121);
    again.stop();
}

#[test]
fn the_console_is_served_with_the_servers_tls() {
    let dir = tempfile::tempdir().unwrap();
    let Some((cert, key)) = support::self_signed(dir.path()) else {
        return;
    };
    let harness = Harness::start(Setup {
        tls: Some(TlsFiles {
            certificate: cert.clone(),
            private_key: Some(key),
        }),
        token: Some("tls-token".to_string()),
        ..Setup::default()
    });
    assert!(harness.base.starts_with("https://"));
    let ca = ureq::tls::Certificate::from_pem(&std::fs::read(&cert).unwrap()).unwrap();
    let https: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&[ca]))
                .build(),
        )
        .build()
        .into();
    assert_eq!(get(&https, &format!("{}/", harness.base)).status, 200);
    let stats = request(
        &https,
        "GET",
        &format!("{}/api/stats", harness.base),
        Some("tls-token"),
    );
    assert_eq!(stats.status, 200);
    // Plain HTTP to the TLS port gets no HTTP answer.
    let plain = format!("http://{}", harness.base.trim_start_matches("https://"));
    assert!(agent().get(&format!("{plain}/api/stats")).call().is_err());
    harness.stop();
}
