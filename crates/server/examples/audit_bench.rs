//! `POST /k8s-audit` throughput over one kept-alive connection, for bench/output.sh.
//! The handler only counts events: this measures the server (HTTP, body limit, JSON parse,
//! Event/EventList split), not the rules, which the engine adds.
//!
//! `audit_bench N BATCH`: N events, BATCH events per POST (1 = one Event per request).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use saker_server::{AuditHandler, Metrics, Server, ServerContext, ServerOptions};
use serde_json::json;

/// User + system CPU seconds of the process (client and server threads): on a shared
/// machine a ping-pong benchmark's wall clock mostly measures the scheduler.
fn cpu_secs() -> f64 {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let batch: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    let seen = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&seen);
    let handler: AuditHandler = Arc::new(move |_event| {
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    let mut context = ServerContext::new(Arc::new(Metrics::new("bench", 1)));
    context.k8s_audit = Some(handler);
    let options = ServerOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..ServerOptions::default()
    };
    let server = Server::start(options, context).unwrap();
    let url = format!("http://{}/k8s-audit", server.local_addr());
    // A realistic pod-create audit event (~1.5 KB).
    let event = json!({
        "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "RequestResponse",
        "auditID": "0b1a6a1d-7f77-4b0c-9f3e-0e9f0b3f7a11", "stage": "ResponseComplete",
        "requestURI": "/api/v1/namespaces/default/pods", "verb": "create",
        "user": {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]},
        "sourceIPs": ["172.18.0.1"], "userAgent": "kubectl/v1.30.0",
        "objectRef": {"resource": "pods", "namespace": "default", "name": "nginx", "apiVersion": "v1"},
        "responseStatus": {"metadata": {}, "code": 201},
        "requestObject": {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "nginx", "namespace": "default"},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "securityContext": {"privileged": true},
                "volumeMounts": [{"name": "host", "mountPath": "/host"}]}],
                "volumes": [{"name": "host", "hostPath": {"path": "/etc"}}], "hostNetwork": false}},
        "requestReceivedTimestamp": "2026-11-28T10:00:00.000000Z", "stageTimestamp": "2026-11-28T10:00:00.010000Z",
        "annotations": {"authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": ""}
    });
    let body = if batch == 1 {
        event.to_string()
    } else {
        json!({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": vec![event; batch]})
            .to_string()
    };
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let requests = n.div_ceil(batch);
    let start = Instant::now();
    let cpu_start = cpu_secs();
    for _ in 0..requests {
        let response = agent
            .post(&url)
            .header("Content-Type", "application/json")
            .send(body.as_bytes())
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let _ = response.into_body().read_to_vec();
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu_start;
    let events = seen.load(Ordering::Relaxed);
    assert_eq!(events as usize, requests * batch);
    println!("k8s_audit_batch {batch} body_bytes {}", body.len());
    println!("k8s_audit_events_per_sec {:.0}", events as f64 / secs);
    println!("k8s_audit_requests_per_sec {:.0}", requests as f64 / secs);
    println!("k8s_audit_events_per_cpu_sec {:.0}", events as f64 / cpu);
    server.stop();
}
