//! Kubernetes audit events/s through `POST /k8s-audit` into the rules engine, over CONNS
//! kept-alive connections sending at once; run by bench/k8s-audit.sh.
//!
//! `k8s_audit_bench EVENTS BATCH RULES [CONNS]`
//! - BATCH: events per POST (1 = one `Event` per request, N = an `EventList` of N);
//! - RULES: a k8s audit rules file (Falco's k8s_audit_rules.yaml) or `default` for Saker's;
//! - CONNS: client connections, each on its own thread (default 1).
//!
//! The events cycle through the test fixtures (14 realistic audit events, each raising one
//! rule) interleaved with 3 routine events that raise none, so a quarter of the stream
//! alerts. Four figures are printed, all measured in this run:
//! - `baseline`: the same POSTs to a handler that only counts (HTTP + JSON parse);
//! - `pipeline`: the same POSTs through [`AuditPipeline`] and the rules, alerts counted;
//! - `daemon`: as `pipeline`, the alerts going where the daemon sends them: the metrics,
//!   the JSON encoder and the output queue, a file channel writing to /dev/null;
//! - `engine_only`: the same events, already parsed, evaluated in-process (rules + alerts).

use std::path::Path;
use std::sync::Arc;
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use saker_engine::{Engine, EngineOptions};
use saker_k8saudit::{AuditEvent, AuditPipeline, default_k8s_audit_rules_file};
use saker_output::sinks::{FileSink, FileSinkOptions};
use saker_output::{EncoderOptions, OutputQueue, QueueOptions};
use saker_rules::{SourceFile, files, load};
use saker_server::{AuditHandler, Metrics, Server, ServerContext, ServerOptions};
use serde_json::{Value as Json, json};

const FIXTURES: &[&str] = &[
    include_str!("../tests/fixtures/privileged_pod.json"),
    include_str!("../tests/fixtures/sensitive_mount_pod.json"),
    include_str!("../tests/fixtures/hostnetwork_pod.json"),
    include_str!("../tests/fixtures/hostpid_pod.json"),
    include_str!("../tests/fixtures/hostipc_pod.json"),
    include_str!("../tests/fixtures/exec_pod.json"),
    include_str!("../tests/fixtures/nodeport_service.json"),
    include_str!("../tests/fixtures/configmap_credentials.json"),
    include_str!("../tests/fixtures/anonymous_allowed.json"),
    include_str!("../tests/fixtures/cluster_admin_binding.json"),
    include_str!("../tests/fixtures/wildcard_clusterrole.json"),
    include_str!("../tests/fixtures/secret_created.json"),
    include_str!("../tests/fixtures/secret_deleted.json"),
    include_str!("../tests/fixtures/disallowed_namespace.json"),
];

/// The bulk of a real audit stream: controllers and kubelets reading and updating objects.
fn routine_events() -> Vec<Json> {
    let event = |verb: &str, uri: &str, user: &str, resource: &str, ns: &str, code: u16| {
        json!({
            "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata",
            "auditID": "7e0b6f1c-9a55-4f0e-8c7d-3b2a1f0e9d8c", "stage": "ResponseComplete",
            "requestURI": uri, "verb": verb,
            "user": {"username": user, "groups": ["system:nodes", "system:authenticated"]},
            "sourceIPs": ["192.168.49.2"], "userAgent": "kubelet/v1.31.2 (linux/amd64) kubernetes/5864a46",
            "objectRef": {"resource": resource, "namespace": ns, "apiVersion": "v1"},
            "responseStatus": {"metadata": {}, "code": code},
            "requestReceivedTimestamp": "2026-11-28T10:15:40.100000Z",
            "stageTimestamp": "2026-11-28T10:15:40.102000Z",
            "annotations": {"authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": ""}
        })
    };
    vec![
        event(
            "get",
            "/api/v1/namespaces/prod/pods/web-0",
            "system:node:node-1",
            "pods",
            "prod",
            200,
        ),
        event(
            "update",
            "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1",
            "system:node:node-1",
            "leases",
            "kube-node-lease",
            200,
        ),
        event(
            "list",
            "/api/v1/namespaces/prod/configmaps?limit=500",
            "system:serviceaccount:prod:app",
            "configmaps",
            "prod",
            200,
        ),
    ]
}

fn stream() -> Vec<Json> {
    let routine = routine_events();
    let mut events = Vec::new();
    for (i, fixture) in FIXTURES.iter().enumerate() {
        events.push(serde_json::from_str(fixture).expect("fixture is JSON"));
        events.push(routine[i % routine.len()].clone());
        events.push(routine[(i + 1) % routine.len()].clone());
        events.push(routine[(i + 2) % routine.len()].clone());
    }
    events
}

/// User + system CPU seconds of the process (client and server threads): on a shared
/// machine a ping-pong benchmark's wall clock mostly measures the scheduler.
fn cpu_secs() -> f64 {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// CPU seconds used so far by the web server's thread (named `saker-webserver`): what the
/// daemon pays per event, without the benchmark's HTTP client.
fn server_thread_cpu_secs() -> f64 {
    let ticks = 100.0; // USER_HZ on Linux
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    for task in tasks.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim() != "saker-webserver" {
            continue;
        }
        let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
        // Fields after the `(comm)`: state is field 3, utime 14, stime 15.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let get = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        return (get(11) + get(12)) / ticks;
    }
    0.0
}

struct Run {
    /// Events in the timed requests.
    events: u64,
    /// All events the handler saw (the warm-up requests too).
    handled: u64,
    wall: f64,
    cpu: f64,
    server_cpu: f64,
}

/// POSTs `requests` bodies over `conns` kept-alive connections at once, each on its own
/// client thread (the API server's webhook backend sends from many goroutines), the
/// requests split evenly between them.
fn post_all(handler: AuditHandler, bodies: &[String], requests: usize, conns: usize) -> Run {
    let mut context = ServerContext::new(Arc::new(Metrics::new("bench", 1)));
    context.k8s_audit = Some(handler);
    let options = ServerOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..ServerOptions::default()
    };
    let server = Server::start(options, context).expect("server starts");
    let url = format!("http://{}/k8s-audit", server.local_addr());
    // Every client connects (and sends one request) before the clock starts.
    let ready = Barrier::new(conns + 1);
    let go = Barrier::new(conns + 1);
    let run = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..conns)
            .map(|c| {
                let (url, ready, go) = (&url, &ready, &go);
                scope.spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
                    let post = |body: &String| {
                        let response = agent
                            .post(url)
                            .header("Content-Type", "application/json")
                            .send(body.as_bytes())
                            .expect("POST /k8s-audit");
                        assert_eq!(response.status().as_u16(), 200);
                        let reply = response.into_body().read_to_string().unwrap_or_default();
                        let accepted: Json = serde_json::from_str(&reply).unwrap_or_default();
                        accepted["accepted"].as_u64().unwrap_or(0)
                    };
                    let warm_up = post(&bodies[c % bodies.len()]);
                    ready.wait();
                    go.wait();
                    let mut events = 0u64;
                    for i in (c..requests).step_by(conns) {
                        events += post(&bodies[i % bodies.len()]);
                    }
                    (events, warm_up)
                })
            })
            .collect();
        ready.wait();
        let cpu_start = cpu_secs();
        let server_cpu_start = server_thread_cpu_secs();
        let start = Instant::now();
        go.wait();
        let mut events = 0u64;
        let mut warm_up = 0u64;
        for client in clients {
            let (n, w) = client.join().expect("client thread");
            events += n;
            warm_up += w;
        }
        Run {
            events,
            handled: events + warm_up,
            wall: start.elapsed().as_secs_f64(),
            cpu: cpu_secs() - cpu_start,
            server_cpu: server_thread_cpu_secs() - server_cpu_start,
        }
    });
    server.stop();
    run
}

fn print(name: &str, run: &Run) {
    println!(
        "{name}_events_per_sec {:.0}\n{name}_events_per_cpu_sec {:.0}\n{name}_events_per_server_cpu_sec {:.0}",
        run.events as f64 / run.wall,
        run.events as f64 / run.cpu,
        run.events as f64 / run.server_cpu.max(0.01)
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(50_000);
    let batch: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    let rules = args.next().unwrap_or_else(|| "default".to_string());
    let conns: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1).max(1);

    let sources: Vec<SourceFile> = if rules == "default" {
        vec![default_k8s_audit_rules_file()]
    } else {
        files::read_paths(&[Path::new(&rules)]).expect("rules file readable")
    };
    let (ruleset, diagnostics) = load(&sources);
    if let Some(error) = diagnostics.iter().find(|d| d.is_error()) {
        eprintln!("{}", error.render());
        std::process::exit(2);
    }
    // Falco's default: the first matching rule wins.
    let engine = Arc::new(Engine::new(&ruleset, EngineOptions::default()).expect("rules compile"));

    let events = stream();
    let bodies: Vec<String> = if batch == 1 {
        events.iter().map(Json::to_string).collect()
    } else {
        // Batches that rotate through the stream, so every batch mixes alerting and routine
        // events.
        (0..events.len())
            .map(|start| {
                let items: Vec<Json> = (0..batch)
                    .map(|i| events[(start + i) % events.len()].clone())
                    .collect();
                json!({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": items})
                    .to_string()
            })
            .collect()
    };
    let requests = n.div_ceil(batch);
    let mean_body = bodies.iter().map(String::len).sum::<usize>() / bodies.len();
    println!("k8s_audit_rules {rules} ({} rules)", engine.rule_count());
    println!(
        "k8s_audit_batch {batch} mean_body_bytes {mean_body} requests {requests} connections {conns}"
    );

    let counted = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&counted);
    let baseline = post_all(
        Arc::new(move |_event| {
            counter.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }),
        &bodies,
        requests,
        conns,
    );
    print("baseline", &baseline);

    let alerts = Arc::new(AtomicU64::new(0));
    let sink_count = Arc::clone(&alerts);
    let pipeline = Arc::new(AuditPipeline::new(Arc::clone(&engine), move |_alert| {
        sink_count.fetch_add(1, Ordering::Relaxed);
    }));
    let run = post_all(pipeline.handler(), &bodies, requests, conns);
    print("pipeline", &run);
    let stats = pipeline.stats();
    assert_eq!(stats.events, run.handled);
    println!("pipeline_alerts {}", alerts.load(Ordering::Relaxed));

    // What the daemon does with the alerts: counted in the metrics, encoded as Falco JSON on
    // the server thread, queued to the output stage and written by the file channel.
    let queue = OutputQueue::start(
        QueueOptions {
            // Room for the whole run: this measures throughput, not drops.
            capacity: 1 << 20,
            buffered: false,
            encoder: EncoderOptions {
                json: true,
                ..EncoderOptions::default()
            },
        },
        vec![Box::new(
            FileSink::open(FileSinkOptions {
                keep_alive: true,
                ..FileSinkOptions::new("/dev/null")
            })
            .expect("/dev/null opens"),
        )],
    )
    .expect("output queue starts");
    let metrics = Arc::new(Metrics::new("bench", 1));
    let sender = queue.sender();
    let daemon_sink = Arc::clone(&metrics);
    let daemon = Arc::new(AuditPipeline::new(Arc::clone(&engine), move |alert| {
        daemon_sink.record_alert(&alert);
        sender.submit(alert);
    }));
    let daemon_run = post_all(daemon.handler(), &bodies, requests, conns);
    print("daemon", &daemon_run);
    drop(daemon);
    let report = queue.shutdown(std::time::Duration::from_secs(30));
    println!(
        "daemon_alerts_written {}",
        report.snapshot.channels[0].delivered
    );

    // Evaluation alone: rules and alert formatting on events already parsed (parsing and
    // freeing the JSON are in the HTTP figures).
    let parsed: Vec<AuditEvent> = events
        .iter()
        .map(|json| AuditEvent::from_json(json.clone()).expect("valid event"))
        .collect();
    let start = Instant::now();
    let mut engine_alerts = 0usize;
    for i in 0..n {
        engine_alerts += engine.process(&parsed[i % parsed.len()]).len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "engine_only_events_per_sec {:.0}\nengine_only_alerts {engine_alerts}",
        n as f64 / secs
    );
    println!(
        "pipeline_vs_baseline_cpu {:.2}",
        (run.events as f64 / run.cpu) / (baseline.events as f64 / baseline.cpu)
    );
}
