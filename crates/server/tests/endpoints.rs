//! Every endpoint over real HTTP (and HTTPS), including malformed and oversize bodies.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use saker_server::{Metrics, Server, ServerContext, ServerOptions, TlsFiles};
use serde_json::{Value, json};
use support::*;

#[test]
fn healthz_versions_and_unknown_paths() {
    let (server, _, _) = start(
        ServerOptions {
            healthz_path: "/live".to_string(),
            ..local_options()
        },
        false,
    );
    let base = format!("http://{}", server.local_addr());
    let agent = agent();
    let cases: &[(&str, u16, Option<Value>)] = &[
        ("/live", 200, Some(json!({"status": "ok"}))),
        ("/healthz", 404, None),
        (
            "/versions",
            200,
            Some(json!({"saker_version": "9.9.9-test", "engine_version": "1"})),
        ),
        ("/nope", 404, None),
    ];
    for (path, status, body) in cases {
        let r = get(&agent, &format!("{base}{path}"));
        assert_eq!(r.status, *status, "{path}: {}", r.body);
        assert_eq!(r.content_type, "application/json", "{path}");
        let value: Value = serde_json::from_str(&r.body).unwrap();
        match body {
            Some(expect) => assert_eq!(&value, expect, "{path}"),
            None => assert!(value["error"].is_string(), "{path}: {value}"),
        }
    }
    let r = post(&agent, &format!("{base}/live"), b"{}");
    assert_eq!(r.status, 405);
    server.stop();
}

/// Delivers the first alert, fails the second, and so on.
struct EveryOtherSink(u64);

impl saker_output::Sink for EveryOtherSink {
    fn name(&self) -> &str {
        "test"
    }
    fn write(&mut self, _: &saker_output::EncodedAlert, ledger: &saker_output::Ledger) {
        self.0 += 1;
        if self.0 % 2 == 1 {
            ledger.delivered(1);
        } else {
            let e = saker_output::OutputError::Http {
                url: "x".into(),
                reason: "refused".into(),
            };
            ledger.failed(1, &e);
        }
    }
}

#[test]
fn metrics_render_registry_and_output_counters() {
    let (server, metrics, _) = start(local_options(), true);
    metrics.set_cpu_totals(0, 1000, 3);
    metrics.set_cpu_totals(1, 500, 0);
    metrics.add_events_by_type([("execve", 7), ("openat", 40)]);
    metrics.add_events_by_type([("execve", 1)]);
    metrics.set_rules_loaded(42);
    metrics.set_thread_table_size(321);
    metrics.add_evaluation(Duration::from_millis(1500), 10);
    let alert = saker_event::Alert {
        time_ns: 1,
        rule: "Rule with \"quotes\"".to_string(),
        priority: saker_event::Priority::Warning,
        source: "syscall".to_string(),
        output: String::new(),
        output_fields: Default::default(),
        tags: vec![],
        hostname: "h".to_string(),
    };
    metrics.record_alert(&alert);
    metrics.record_alert(&alert);
    let queue = saker_output::OutputQueue::start(
        saker_output::QueueOptions::default(),
        vec![Box::new(EveryOtherSink(0))],
    )
    .unwrap();
    queue.submit(alert.clone());
    queue.submit(alert.clone());
    metrics.set_output_stats(queue.stats());
    // Settles both alerts; the registry keeps the counters.
    queue.shutdown(Duration::from_secs(5));

    let agent = agent();
    let base = format!("http://{}", server.local_addr());
    // One audit POST, so its counter moves too.
    let r = post(
        &agent,
        &format!("{base}/k8s-audit"),
        audit_event("a", "create").to_string().as_bytes(),
    );
    assert_eq!(r.status, 200);
    let r = get(&agent, &format!("{base}/metrics"));
    assert_eq!(r.status, 200);
    assert!(
        r.content_type.starts_with("text/plain; version=0.0.4"),
        "{}",
        r.content_type
    );
    for line in [
        "saker_version_info{version=\"9.9.9-test\"} 1",
        "saker_events_captured_total{cpu=\"0\"} 1000",
        "saker_events_captured_total{cpu=\"1\"} 500",
        "saker_events_dropped_total{cpu=\"0\"} 3",
        "saker_events_by_type_total{type=\"execve\"} 8",
        "saker_events_by_type_total{type=\"openat\"} 40",
        "saker_alerts_total{rule=\"Rule with \\\"quotes\\\"\",priority=\"warning\",source=\"syscall\"} 2",
        "saker_rules_loaded 42",
        "saker_rule_evaluation_seconds_total 1.5",
        "saker_rule_evaluations_total 10",
        "saker_thread_table_size 321",
        "saker_k8s_audit_events_total 1",
        "saker_outputs_queue_drops_total 0",
        "saker_outputs_queue_capacity 10000",
        "saker_output_channel_raised_total{channel=\"test\"} 2",
        "saker_output_channel_delivered_total{channel=\"test\"} 1",
        "saker_output_channel_retried_total{channel=\"test\"} 0",
        "saker_output_channel_in_flight{channel=\"test\"} 0",
        "saker_output_channel_dropped_total{channel=\"test\",reason=\"failed\"} 1",
        "saker_output_channel_dropped_total{channel=\"test\",reason=\"queue_full\"} 0",
        "# TYPE saker_process_cpu_seconds_total counter",
    ] {
        assert!(
            r.body.lines().any(|l| l == line),
            "missing `{line}` in:\n{}",
            r.body
        );
    }
    let rss_line = r
        .body
        .lines()
        .find(|l| l.starts_with("saker_process_resident_memory_bytes "))
        .unwrap();
    let rss: u64 = rss_line.split(' ').nth(1).unwrap().parse().unwrap();
    assert!(rss > 1 << 20, "{rss_line}");
    server.stop();
}

#[test]
fn k8s_audit_accepts_events_and_rejects_bad_bodies() {
    let (server, _, received) = start(local_options(), true);
    let agent = agent();
    let url = format!("http://{}/k8s-audit", server.local_addr());

    let one = audit_event("1", "create");
    let r = post(&agent, &url, one.to_string().as_bytes());
    assert_eq!((r.status, r.body.as_str()), (200, r#"{"accepted":1}"#));

    let list = json!({
        "kind": "EventList",
        "apiVersion": "audit.k8s.io/v1",
        "metadata": {},
        "items": [audit_event("2", "get"), audit_event("3", "delete")]
    });
    let r = post(&agent, &url, list.to_string().as_bytes());
    assert_eq!((r.status, r.body.as_str()), (200, r#"{"accepted":2}"#));
    let ids: Vec<Value> = received
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["auditID"].clone())
        .collect();
    assert_eq!(ids, vec![json!("1"), json!("2"), json!("3")]);
    assert_eq!(received.lock().unwrap()[0], one);

    // (body, status, words the reason must contain)
    let big = format!("{{\"kind\":\"Event\",\"pad\":\"{}\"}}", "x".repeat(5000));
    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (b"{not json".to_vec(), 400, "invalid JSON"),
        (b"".to_vec(), 400, "invalid JSON"),
        (b"[1,2]".to_vec(), 400, "expected a JSON object"),
        (
            br#"{"kind":"Pod","apiVersion":"audit.k8s.io/v1"}"#.to_vec(),
            400,
            "neither Event nor EventList",
        ),
        (
            br#"{"kind":"Event","apiVersion":"v1"}"#.to_vec(),
            400,
            "not audit.k8s.io/v1",
        ),
        (
            br#"{"apiVersion":"audit.k8s.io/v1"}"#.to_vec(),
            400,
            "missing `kind`",
        ),
        (
            br#"{"kind":"EventList","items":{}}"#.to_vec(),
            400,
            "not an array",
        ),
        (
            br#"{"kind":"EventList","items":[1]}"#.to_vec(),
            400,
            "item 0 is not an object",
        ),
        (big.into_bytes(), 413, "larger than 4096 bytes"),
        (
            audit_event("refuse-me", "get").to_string().into_bytes(),
            503,
            "engine queue full",
        ),
    ];
    for (body, status, reason) in cases {
        let r = post(&agent, &url, &body);
        assert_eq!(
            r.status,
            status,
            "{}: {}",
            String::from_utf8_lossy(&body[..body.len().min(60)]),
            r.body
        );
        let value: Value = serde_json::from_str(&r.body).unwrap();
        assert!(
            value["error"].as_str().unwrap().contains(reason),
            "{}",
            r.body
        );
    }
    assert_eq!(
        received.lock().unwrap().len(),
        3,
        "rejected bodies reached the handler"
    );

    let r = get(&agent, &url);
    assert_eq!(r.status, 405);
    // The server is still fine after all that.
    let r = post(
        &agent,
        &url,
        audit_event("4", "create").to_string().as_bytes(),
    );
    assert_eq!(r.status, 200);
    server.stop();
}

/// A chunked body has no Content-Length: the limit must hold while reading it.
#[test]
fn k8s_audit_limits_chunked_bodies() {
    let (server, _, received) = start(local_options(), true);
    let mut stream = TcpStream::connect(server.local_addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let chunk = "y".repeat(1000);
    let mut request = String::from(
        "POST /k8s-audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    for _ in 0..6 {
        request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    request.push_str("0\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = vec![0; 4096];
    let n = stream.read(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(received.lock().unwrap().is_empty());
    server.stop();
}

#[test]
fn k8s_audit_without_handler_is_unavailable() {
    let (server, _, _) = start(local_options(), false);
    let r = post(
        &agent(),
        &format!("http://{}/k8s-audit", server.local_addr()),
        b"{}",
    );
    assert_eq!(r.status, 503);
    assert!(r.body.contains("not enabled"), "{}", r.body);
    server.stop();
}

#[test]
fn busy_port_is_a_clear_error() {
    let (server, _, _) = start(local_options(), false);
    let options = ServerOptions {
        listen: server.local_addr(),
        ..ServerOptions::default()
    };
    let err = Server::start(options, ServerContext::new(Arc::new(Metrics::new("x", 1))))
        .err()
        .expect("second bind must fail");
    let message = err.to_string();
    assert!(
        message.contains(&server.local_addr().to_string()),
        "{message}"
    );
    assert!(message.contains("cannot listen"), "{message}");
    server.stop();
}

#[test]
fn https_serves_with_a_good_certificate_and_refuses_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let Some((cert, key)) = self_signed(dir.path()) else {
        return;
    };
    // Falco's layout: one PEM with the certificate and the key.
    let combined = dir.path().join("saker.pem");
    let mut both = std::fs::read(&cert).unwrap();
    both.extend(std::fs::read(&key).unwrap());
    std::fs::write(&combined, both).unwrap();

    for files in [
        TlsFiles {
            certificate: cert.clone(),
            private_key: Some(key.clone()),
        },
        TlsFiles {
            certificate: combined.clone(),
            private_key: None,
        },
    ] {
        let (server, _, received) = start(
            ServerOptions {
                tls: Some(files),
                header_timeout: Duration::from_millis(300),
                k8s_audit_token: Some(saker_server::Secret::new("t0ken")),
                ..local_options()
            },
            true,
        );
        // A client that never starts its TLS handshake is disconnected.
        let mut silent = TcpStream::connect(server.local_addr()).unwrap();
        silent
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        assert_eq!(silent.read(&mut [0u8; 16]).unwrap_or(0), 0);
        let ca = ureq::tls::Certificate::from_pem(&std::fs::read(&cert).unwrap()).unwrap();
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::new_with_certs(&[ca]))
            .build();
        let https: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .tls_config(tls)
            .build()
            .into();
        let port = server.local_addr().port();
        let r = get(&https, &format!("https://127.0.0.1:{port}/healthz"));
        assert_eq!((r.status, r.body.as_str()), (200, r#"{"status":"ok"}"#));
        // The audit webhook as the API server calls it: HTTPS and a bearer token.
        let audit = format!("https://127.0.0.1:{port}/k8s-audit");
        let r = post(&https, &audit, b"{oops");
        assert_eq!(r.status, 401);
        let with_token = |body: &[u8]| {
            reply(
                https
                    .post(&audit)
                    .header("Authorization", "Bearer t0ken")
                    .send(body)
                    .unwrap(),
            )
        };
        assert_eq!(with_token(b"{oops").status, 400);
        let event = audit_event("tls", "create").to_string();
        assert_eq!(with_token(event.as_bytes()).status, 200);
        assert_eq!(received.lock().unwrap().len(), 1);
        // Plain HTTP to the TLS port gets no HTTP answer.
        assert!(
            agent()
                .get(&format!("http://127.0.0.1:{port}/healthz"))
                .call()
                .is_err()
        );
        server.stop();
    }

    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a certificate\n").unwrap();
    let (_, other_key) = {
        let other = dir.path().join("other");
        std::fs::create_dir(&other).unwrap();
        self_signed(&other).unwrap()
    };
    let cases = [
        (
            TlsFiles {
                certificate: dir.path().join("missing.pem"),
                private_key: None,
            },
            "missing.pem",
        ),
        (
            TlsFiles {
                certificate: garbage.clone(),
                private_key: Some(key.clone()),
            },
            "no PEM certificate",
        ),
        (
            TlsFiles {
                certificate: cert.clone(),
                private_key: None,
            },
            "private key",
        ),
        (
            TlsFiles {
                certificate: cert.clone(),
                private_key: Some(other_key),
            },
            "rejected with its key",
        ),
    ];
    for (files, expect) in cases {
        let options = ServerOptions {
            tls: Some(files.clone()),
            ..local_options()
        };
        let err = Server::start(options, ServerContext::new(Arc::new(Metrics::new("x", 1))))
            .err()
            .unwrap_or_else(|| panic!("{files:?} must be refused"));
        let message = err.to_string();
        assert!(message.contains(expect), "{files:?}: {message}");
        assert!(message.starts_with("webserver: TLS"), "{message}");
    }
}
