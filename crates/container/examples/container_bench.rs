//! Figures for bench/containers.sh:
//!
//! - `latency podman|containerd N`: starts N containers with the runtime's CLI and measures, for
//!   each, the time from the start command's return to the metadata service (driven by the
//!   runtime's event stream, as in `saker run`) holding its metadata. Prints one line per
//!   container, then the median and the maximum.
//! - `memory N`: the resident memory of N cached containers shaped like a real one (labels,
//!   mounts, a health probe), per container.
//!
//! Needs root, podman with `saker-test/busybox:latest` and its API service, and containerd with
//! that image imported in the `saker-bench` namespace for the containerd case.

use std::collections::HashMap;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use saker_container::{
    Config, ContainerMeta, ContainerType, HealthProbe, Mount, ProbeKind, Service, Update,
};

const IMAGE: &str = "saker-test/busybox:latest";
const CONTAINERD_IMAGE: &str = "localhost/saker-test/busybox:latest";
const NAMESPACE: &str = "saker-bench";

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Starts one container; returns its full id once the start command returned.
fn start(runtime: &str, n: usize) -> String {
    match runtime {
        "podman" => run(Command::new("podman").args(["run", "-d", "--rm", IMAGE, "sleep", "30"])),
        _ => {
            let id = format!("{:012x}{:052x}", n + 1, std::process::id());
            run(Command::new("ctr").args([
                "-n",
                NAMESPACE,
                "run",
                "-d",
                "--label",
                "io.kubernetes.pod.name=bench",
                CONTAINERD_IMAGE,
                &id,
                "sleep",
                "30",
            ]));
            id
        }
    }
}

fn remove(runtime: &str, id: &str) {
    if runtime == "podman" {
        let _ = Command::new("podman")
            .args(["rm", "-f", "-t", "0", id])
            .output();
        return;
    }
    let ctr = |args: &[&str]| {
        let _ = Command::new("ctr")
            .args(["-n", NAMESPACE])
            .args(args)
            .output();
    };
    ctr(&["task", "kill", "-s", "SIGKILL", id]);
    std::thread::sleep(Duration::from_millis(200));
    ctr(&["task", "rm", id]);
    ctr(&["container", "rm", id]);
}

fn latency(runtime: &str, count: usize) {
    let config = match runtime {
        "podman" => Config {
            podman: Config::default().podman,
            ..Config::disabled()
        },
        "containerd" => Config {
            containerd: Config::default().containerd,
            ..Config::disabled()
        },
        other => panic!("unknown runtime {other}"),
    };
    let service = Service::start(config);
    // Answers are timestamped as they arrive, on their own thread.
    let arrived: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let done = Arc::new(AtomicBool::new(false));
    let listener = {
        let (arrived, done) = (arrived.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(Update::Found(meta)) = service.wait_update(Duration::from_millis(50)) {
                    arrived
                        .lock()
                        .unwrap()
                        .entry(meta.id.clone())
                        .or_insert_with(Instant::now);
                }
            }
        })
    };
    // Let the event stream connect.
    std::thread::sleep(Duration::from_millis(500));
    let ms = |later: Instant, earlier: Instant| match later.checked_duration_since(earlier) {
        Some(d) => d.as_secs_f64() * 1e3,
        None => -(earlier.duration_since(later).as_secs_f64() * 1e3),
    };
    let mut after_return = Vec::new();
    for n in 0..count {
        let issued = Instant::now();
        let id = start(runtime, n);
        let returned = Instant::now();
        let deadline = returned + Duration::from_secs(10);
        let found = loop {
            if let Some(at) = arrived.lock().unwrap().get(&id) {
                break Some(*at);
            }
            if Instant::now() > deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        remove(runtime, &id);
        match found {
            Some(at) => {
                println!(
                    "{runtime} {}: start command took {:.1} ms; metadata {:+.1} ms after it returned",
                    &id[..12],
                    ms(returned, issued),
                    ms(at, returned)
                );
                after_return.push(ms(at, returned));
            }
            None => println!("{runtime} {}: no metadata within 10 s", &id[..12]),
        }
    }
    done.store(true, Ordering::Relaxed);
    let _ = listener.join();
    after_return.sort_by(f64::total_cmp);
    if let (Some(median), Some(max)) = (
        after_return.get(after_return.len() / 2),
        after_return.last(),
    ) {
        println!(
            "{runtime}: metadata after the start command returned: median {median:+.1} ms, max {max:+.1} ms ({} of {count} containers; negative: before it returned)",
            after_return.len()
        );
    }
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// A container as a Kubernetes node's runtime describes it: a dozen labels, a few mounts.
fn typical(n: usize) -> ContainerMeta {
    let id = format!("{n:064x}");
    let mut meta = ContainerMeta {
        id: id.clone(),
        kind: ContainerType::Containerd,
        name: format!("web-{n}"),
        image: "registry.example.com/shop/web:1.25.3".into(),
        image_id: format!("{:064x}", n + 7),
        image_repository: "registry.example.com/shop/web".into(),
        image_tag: "1.25.3".into(),
        image_digest: format!("sha256:{:064x}", n + 9),
        ip: "10.244.1.17".into(),
        pod_sandbox_id: format!("{:064x}", n + 11),
        user: "1000".into(),
        ..ContainerMeta::default()
    };
    for (k, v) in [
        ("io.kubernetes.pod.name", format!("web-7d9f8-{n}")),
        ("io.kubernetes.pod.namespace", "shop".into()),
        (
            "io.kubernetes.pod.uid",
            "3e41dc6b-08a8-44db-bc2a-3724b18ab19a".into(),
        ),
        ("io.kubernetes.container.name", "web".into()),
        ("app", "web".into()),
        ("tier", "frontend".into()),
        ("version", "1.25.3".into()),
    ] {
        meta.labels.insert(k.into(), v.clone());
        meta.pod_sandbox_labels.insert(k.into(), v);
    }
    for dest in [
        "/etc/hosts",
        "/dev/termination-log",
        "/var/run/secrets/kubernetes.io/serviceaccount",
    ] {
        meta.mounts.push(Mount {
            source: format!("/var/lib/kubelet/pods/3e41dc6b/volumes/{n}{dest}"),
            dest: dest.into(),
            mode: String::new(),
            rdwr: false,
            propagation: "rprivate".into(),
        });
    }
    meta.probes.push(HealthProbe {
        kind: ProbeKind::Liveness,
        exe: "/bin/sh".into(),
        args: vec!["-c".into(), "curl -f localhost:8080/healthz".into()],
    });
    meta
}

fn memory(count: usize) {
    let before = rss_kib();
    let cache: Vec<Arc<ContainerMeta>> = (0..count).map(|n| Arc::new(typical(n))).collect();
    let after = rss_kib();
    let per = (after.saturating_sub(before) as f64 * 1024.0) / count as f64;
    println!(
        "memory: {count} cached containers: {} KiB, {per:.0} bytes per container",
        after.saturating_sub(before)
    );
    drop(cache);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count = |i: usize| args.get(i).and_then(|n| n.parse().ok()).unwrap_or(10);
    match args.first().map(String::as_str) {
        Some("latency") => latency(args.get(1).map_or("podman", String::as_str), count(2)),
        Some("memory") => memory(count(1)),
        _ => {
            eprintln!("usage: container_bench latency podman|containerd [N] | memory [N]");
            std::process::exit(2);
        }
    }
}
