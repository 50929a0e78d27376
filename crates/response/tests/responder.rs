//! The responder from alert to record, in user space (no kernel table): what it refuses,
//! what it does, and how a storm is cut off. The processes acted on are real.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use saker_event::{Alert, Priority};
use saker_response::{Plan, PlanOptions, Responder, ResponderOptions, ResponseConfig, Target};

const RULES: &str = "\
- rule: Test Exec
  desc: d
  condition: spawned_process and proc.name = skt-never-run
  output: o
  priority: WARNING
  tags: [test]
";

fn responder(yaml: &str) -> (Responder, Arc<Mutex<Vec<Alert>>>) {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    let config = ResponseConfig::from_value(&value).unwrap();
    let (ruleset, _) = saker_rules::load(&[
        saker_rules::SourceFile::new("saker_rules.yaml", saker_engine::default_rules()),
        saker_rules::SourceFile::new("test.yaml", RULES),
    ]);
    let (plan, problems) = Plan::build(
        &config,
        &ruleset,
        &PlanOptions {
            min_priority: Priority::Debug,
        },
    );
    assert!(problems.is_empty(), "{problems:?}");
    let records = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&records);
    let responder = Responder::start(
        plan.unwrap(),
        ResponderOptions {
            hostname: "test".into(),
            emit: Arc::new(move |alert| sink.lock().unwrap().push(alert)),
            runtimes: saker_container::Config::disabled(),
        },
    );
    (responder, records)
}

fn alert() -> Alert {
    Alert {
        time_ns: now_ns(),
        rule: "Test Exec".into(),
        priority: Priority::Warning,
        source: "syscall".into(),
        output: "o".into(),
        output_fields: Default::default(),
        tags: vec!["test".into()],
        hostname: "test".into(),
    }
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

/// An alert about `target`, through the responder's event interface: a JSONL event carrying
/// the target's fields.
fn respond(responder: &Responder, target: &Target) {
    let rules = "- rule: Test Exec\n  desc: d\n  condition: evt.type = execve\n  output: \"%proc.pid %proc.name %container.full_id\"\n  priority: WARNING\n";
    let (ruleset, _) = saker_rules::load(&[saker_rules::SourceFile::new("r.yaml", rules)]);
    let engine =
        saker_engine::Engine::new(&ruleset, saker_engine::EngineOptions::default()).unwrap();
    let line = serde_json::json!({
        "evt.type": "execve",
        "evt.time": target.event_time_ns,
        "proc.pid": target.pid,
        "proc.name": target.name,
        "container.full_id": target.container_id.clone().unwrap_or_else(|| "host".into()),
    })
    .to_string();
    let event = saker_engine::JsonlEvent::parse(&line, &engine).unwrap();
    responder.respond(&alert(), &event, engine.fields());
}

/// Waits for `n` records (or 20 s) and returns them all.
fn records(records: &Arc<Mutex<Vec<Alert>>>, n: usize) -> Vec<Alert> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = records.lock().unwrap().clone();
        if got.len() >= n || Instant::now() >= deadline {
            return got;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A process that is not Saker's child (its parent shell exits at once), so the responder
/// may act on it; with its pid.
fn orphan_sleep() -> u32 {
    let out = Command::new("sh")
        .args(["-c", "sleep 60 >/dev/null 2>&1 </dev/null & echo $!"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| !s.contains(") Z ") && !s.contains(") X "))
}

fn wait_dead(pid: u32) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive(pid) {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

fn host_target(pid: u32) -> Target {
    Target {
        pid,
        name: "sleep".into(),
        event_time_ns: now_ns(),
        ..Target::default()
    }
}

fn field<'a>(alert: &'a Alert, name: &str) -> &'a serde_json::Value {
    &alert.output_fields[name]
}

#[test]
fn pid_1_and_host_processes_are_refused_and_allowed_hosts_are_killed() {
    let (refusing, got) =
        responder("actions:\n  - match: {rule: Test Exec}\n    do: kill_process\n");
    let pid = orphan_sleep();
    respond(&refusing, &host_target(pid));
    let init = Target {
        pid: 1,
        name: "init".into(),
        container_id: Some("0123456789abcdef".repeat(4)),
        event_time_ns: now_ns(),
        ..Target::default()
    };
    respond(&refusing, &init);
    let all = records(&got, 2);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(field(&all[0], "response.result"), "refused");
    assert_eq!(
        field(&all[0], "response.detail"),
        "a host process (allow_host is false)"
    );
    assert_eq!(field(&all[1], "response.detail"), "pid 1 is never acted on");
    assert!(alive(pid) && alive(1));
    refusing.stop();

    let (killing, got) = responder(
        "allow_host: true\nactions:\n  - match: {rule: Test Exec}\n    do: kill_process\n",
    );
    respond(&killing, &init);
    respond(&killing, &host_target(pid));
    let all = records(&got, 2);
    assert_eq!(field(&all[0], "response.detail"), "pid 1 is never acted on");
    assert_eq!(field(&all[1], "response.result"), "ok", "{:?}", all[1]);
    assert_eq!(field(&all[1], "response.place"), "user");
    assert!(field(&all[1], "response.latency_us").is_u64());
    assert!(wait_dead(pid), "pid {pid} survived");
    assert!(alive(1));
    killing.stop();
}

#[test]
fn saker_and_its_children_are_never_killed() {
    let (responder, got) = responder(
        "allow_host: true\nactions:\n  - match: {rule: Test Exec}\n    do: kill_process_tree\n",
    );
    let mut child = Command::new("sleep").arg("60").spawn().unwrap();
    respond(&responder, &host_target(child.id()));
    respond(&responder, &host_target(std::process::id()));
    let all = records(&got, 2);
    for record in &all {
        assert_eq!(
            field(record, "response.detail"),
            "Saker and the processes it starts are never acted on"
        );
    }
    assert!(child.try_wait().unwrap().is_none(), "the child was killed");
    child.kill().unwrap();
    assert_eq!(child.wait().unwrap().signal(), Some(9));
    responder.stop();
}

#[test]
fn dry_run_records_what_it_would_do_and_does_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ran = dir.path().join("ran");
    let (responder, got) = responder(&format!(
        "dry_run: true\nallow_host: true\nactions:\n  - match: {{rule: Test Exec}}\n    do: [kill_process, {{program: \"touch {}\"}}, {{webhook: \"http://127.0.0.1:9/\"}}]\n",
        ran.display()
    ));
    let pid = orphan_sleep();
    respond(&responder, &host_target(pid));
    let all = records(&got, 3);
    let details: Vec<(&serde_json::Value, &serde_json::Value)> = all
        .iter()
        .map(|r| (field(r, "response.result"), field(r, "response.detail")))
        .collect();
    assert_eq!(details.len(), 3, "{all:?}");
    assert_eq!(details[0].1, "would have sent SIGKILL to the process");
    assert!(
        details[1]
            .1
            .as_str()
            .unwrap()
            .starts_with("would have run `touch ")
    );
    assert_eq!(
        details[2].1,
        "would have POSTed the alert to http://127.0.0.1:9/"
    );
    assert!(details.iter().all(|(r, _)| *r == "dry_run"));
    std::thread::sleep(Duration::from_millis(200));
    assert!(alive(pid) && !ran.exists());
    // SAFETY: kill on the pid of the sleep this test started.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    responder.stop();
}

#[test]
fn a_storm_is_cut_off_with_one_alert() {
    let (responder, got) = responder(
        "allow_host: true\nrate_limit: {per_rule: 2, global: 100, interval: 1h}\nactions:\n  - match: {rule: Test Exec}\n    do: kill_process\n",
    );
    let pids: Vec<u32> = (0..5).map(|_| orphan_sleep()).collect();
    for &pid in &pids {
        respond(&responder, &host_target(pid));
    }
    let all = records(&got, 3);
    std::thread::sleep(Duration::from_millis(300));
    let all_now = got.lock().unwrap().clone();
    assert_eq!(all_now.len(), all.len(), "more records came: {all_now:?}");
    let kills = all.iter().filter(|r| r.rule == "Saker response").count();
    let storms: Vec<&Alert> = all
        .iter()
        .filter(|r| r.rule == "Saker response rate limit")
        .collect();
    assert_eq!((kills, storms.len()), (2, 1), "{all:?}");
    assert!(
        storms[0]
            .output
            .contains("more than 2 actions for rule \"Test Exec\"")
    );
    assert_eq!(storms[0].priority, Priority::Critical);
    assert!(wait_dead(pids[0]) && wait_dead(pids[1]));
    for &pid in &pids[2..] {
        assert!(alive(pid));
        // SAFETY: kill on the pids of the sleeps this test started.
        unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    }
    let stats = responder.stats();
    let mut text = String::new();
    stats.render(&mut text);
    assert!(text.contains("saker_response_skipped_total 3"), "{text}");
    assert!(
        text.contains("saker_response_rate_limited_total 1"),
        "{text}"
    );
    responder.stop();
}
