//! The three crates wired as the daemon wires them: configuration -> outputs + web server;
//! audit events POSTed to the server become alerts in the file channel and in /metrics.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use saker_event::{Alert, Priority};
use saker_server::{AuditHandler, Metrics, Server, ServerContext};
use serde_json::{Value, json};

#[test]
fn audit_post_to_file_alert_and_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let alerts_file = dir.path().join("events.json");
    let yaml = format!(
        "json_output: true\nhostname: test-node\nstdout_output:\n  enabled: false\nsyslog_output:\n  enabled: false\n\
         file_output:\n  enabled: true\n  keep_alive: true\n  filename: {}\nwebserver:\n  listen_port: 0\n",
        alerts_file.display()
    );
    let loaded = saker_config::load_str(&yaml, "saker.yaml", &[], |_| None).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let config = loaded.config;

    let outputs = config.build_outputs().unwrap();
    let metrics = Arc::new(Metrics::new(env!("CARGO_PKG_VERSION"), 1));
    metrics.set_output_stats(outputs.stats());

    // Stand-in for the engine's k8s_audit rules: every `create` of a pod is an alert.
    let sender = outputs.sender();
    let hostname = config.resolve_hostname();
    let handler_metrics = Arc::clone(&metrics);
    let handler: AuditHandler = Arc::new(move |event: Value| {
        if event["verb"] != "create" {
            return Ok(());
        }
        let mut fields = BTreeMap::new();
        fields.insert("ka.verb".to_string(), event["verb"].clone());
        fields.insert(
            "ka.target.name".to_string(),
            event["objectRef"]["name"].clone(),
        );
        let alert = Alert {
            time_ns: 1_700_000_000_000_000_000,
            rule: "Create Pod".to_string(),
            priority: Priority::Warning,
            source: "k8s_audit".to_string(),
            output: format!(
                "Pod created (name={})",
                event["objectRef"]["name"].as_str().unwrap_or("<NA>")
            ),
            output_fields: fields,
            tags: vec!["k8s".to_string()],
            hostname: hostname.clone(),
        };
        handler_metrics.record_alert(&alert);
        if sender.submit(alert) {
            Ok(())
        } else {
            Err("outputs queue full".to_string())
        }
    });
    let options = config
        .webserver
        .build()
        .unwrap()
        .expect("webserver enabled by default");
    let mut context = ServerContext::new(Arc::clone(&metrics));
    context.k8s_audit = Some(handler);
    let server = Server::start(options, context).unwrap();
    let base = format!("http://{}", server.local_addr());

    let event = |verb: &str, name: &str| {
        json!({"kind": "Event", "apiVersion": "audit.k8s.io/v1", "verb": verb,
               "objectRef": {"resource": "pods", "name": name}})
    };
    let list = json!({"kind": "EventList", "apiVersion": "audit.k8s.io/v1",
                      "items": [event("create", "a"), event("get", "a"), event("create", "b")]});
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let response = agent
        .post(&format!("{base}/k8s-audit"))
        .header("Content-Type", "application/json")
        .send(list.to_string().as_bytes())
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let deadline = Instant::now() + Duration::from_secs(10);
    let lines = loop {
        let text = std::fs::read_to_string(&alerts_file).unwrap_or_default();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if lines.len() >= 2 {
            break lines;
        }
        assert!(
            Instant::now() < deadline,
            "alerts did not reach the file: {text}"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["rule"], "Create Pod");
    assert_eq!(lines[0]["source"], "k8s_audit");
    assert_eq!(lines[0]["hostname"], "test-node");
    assert_eq!(lines[0]["priority"], "Warning");
    assert_eq!(lines[1]["output_fields"]["ka.target.name"], "b");

    let metrics_text = agent
        .get(&format!("{base}/metrics"))
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    for line in [
        "saker_alerts_total{rule=\"Create Pod\",priority=\"warning\",source=\"k8s_audit\"} 2",
        "saker_k8s_audit_events_total 3",
        "saker_output_channel_delivered_total{channel=\"file\"} 2",
        "saker_output_channel_dropped_total{channel=\"file\",reason=\"failed\"} 0",
        "saker_output_channel_in_flight{channel=\"file\"} 0",
    ] {
        assert!(
            metrics_text.lines().any(|l| l == line),
            "missing `{line}`:\n{metrics_text}"
        );
    }

    server.stop();
    let report = outputs.shutdown(Duration::from_secs(5));
    assert!(report.drained);
    assert_eq!(report.snapshot.channels[0].delivered, 2);
}
