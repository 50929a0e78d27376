//! Measures the output stage for bench/output.sh:
//!
//! `output_bench json N`    alerts/s through the Falco JSON encoder alone;
//! `output_bench text N`    alerts/s through the text encoder alone;
//! `output_bench file N`    alerts/s from submit to the file channel (JSON, buffered), on one
//!                          core when run under `taskset -c 0`;
//! `output_bench memory N`  RSS growth with N alerts pending in the queue (a channel that never
//!                          drains holds them).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use saker_event::{Alert, Priority};
use saker_output::sinks::{FileSink, FileSinkOptions};
use saker_output::{
    AlertEncoder, EncodedAlert, EncoderOptions, Ledger, OutputQueue, QueueOptions, Sink,
};
use serde_json::json;

/// A realistic alert: the shape of Falco's "Terminal shell in container".
fn alert(i: u64) -> Alert {
    let mut f = BTreeMap::new();
    f.insert("container.id".to_string(), json!("ee97d9c4186f"));
    f.insert(
        "container.image.repository".to_string(),
        json!("docker.io/library/alpine"),
    );
    f.insert("container.name".to_string(), json!("app"));
    f.insert("evt.type".to_string(), json!("execve"));
    f.insert("k8s.ns.name".to_string(), json!(null));
    f.insert("proc.cmdline".to_string(), json!("sh -c clear"));
    f.insert("proc.exepath".to_string(), json!("/bin/busybox"));
    f.insert("proc.name".to_string(), json!("sh"));
    f.insert("proc.pid".to_string(), json!(1000 + i));
    f.insert("proc.pname".to_string(), json!("runc"));
    f.insert("proc.tty".to_string(), json!(34816));
    f.insert("user.loginuid".to_string(), json!(-1));
    f.insert("user.name".to_string(), json!("root"));
    f.insert("user.uid".to_string(), json!(0));
    Alert {
        time_ns: 1_685_022_245_478_445_995 + i * 1000,
        rule: "Terminal shell in container".to_string(),
        priority: Priority::Notice,
        source: "syscall".to_string(),
        output: "A shell was spawned in a container with an attached terminal | evt_type=execve user=root user_uid=0 user_loginuid=-1 process=sh proc_exepath=/bin/busybox parent=runc command=sh -c clear terminal=34816 container_id=ee97d9c4186f container_name=app".to_string(),
        output_fields: f,
        tags: vec!["T1059".into(), "container".into(), "maturity_stable".into(), "mitre_execution".into(), "shell".into()],
        hostname: "node-1".to_string(),
    }
}

/// User + system CPU seconds of this process: the machine is shared, so throughput is given
/// per CPU-second as well as per wall-clock second.
fn cpu_secs() -> f64 {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

struct NeverDrains;
impl Sink for NeverDrains {
    fn name(&self) -> &str {
        "never"
    }
    fn write(&mut self, _: &EncodedAlert, _: &Ledger) {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "json".to_string());
    let n: u64 = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let alerts: Vec<Alert> = (0..1024).map(alert).collect();
    match mode.as_str() {
        "json" | "text" => {
            let encoder = AlertEncoder::new(EncoderOptions {
                json: mode == "json",
                ..EncoderOptions::default()
            });
            let mut buf = Vec::with_capacity(2048);
            let mut bytes = 0usize;
            let start = Instant::now();
            let cpu_start = cpu_secs();
            for i in 0..n {
                buf.clear();
                encoder.encode(&alerts[(i % 1024) as usize], &mut buf);
                bytes += buf.len();
            }
            let secs = start.elapsed().as_secs_f64();
            let cpu = cpu_secs() - cpu_start;
            println!("{mode}_alerts_per_sec {:.0}", n as f64 / secs);
            println!("{mode}_alerts_per_cpu_sec {:.0}", n as f64 / cpu);
            println!("{mode}_mean_bytes {}", bytes as u64 / n);
        }
        "clone" => {
            // The cost of making the alerts, which the file figure includes (the engine pays
            // it in the daemon).
            let cpu_start = cpu_secs();
            let mut total = 0usize;
            for i in 0..n {
                let a = alerts[(i % 1024) as usize].clone();
                total += a.output.len();
                drop(std::hint::black_box(a));
            }
            let cpu = cpu_secs() - cpu_start;
            println!("clone_alerts_per_cpu_sec {:.0} ({total})", n as f64 / cpu);
        }
        "file" => {
            let dir =
                std::env::temp_dir().join(format!("saker-output-bench-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("alerts.json");
            let sink = FileSink::open(FileSinkOptions {
                keep_alive: true,
                ..FileSinkOptions::new(&path)
            })
            .unwrap();
            let queue = OutputQueue::start(
                QueueOptions {
                    // Room for every alert: this measures throughput, not drops.
                    capacity: n as usize,
                    buffered: true,
                    encoder: EncoderOptions {
                        json: true,
                        ..EncoderOptions::default()
                    },
                },
                vec![Box::new(sink)],
            )
            .unwrap();
            let start = Instant::now();
            let cpu_start = cpu_secs();
            for i in 0..n {
                queue.submit(alerts[(i % 1024) as usize].clone());
            }
            let report = queue.shutdown(Duration::from_secs(600));
            let secs = start.elapsed().as_secs_f64();
            let cpu = cpu_secs() - cpu_start;
            assert_eq!(report.snapshot.channels[0].delivered, n, "{report:?}");
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            println!("file_alerts_per_sec {:.0}", n as f64 / secs);
            println!("file_alerts_per_cpu_sec {:.0}", n as f64 / cpu);
            println!("file_bytes {size}");
            let _ = std::fs::remove_dir_all(&dir);
        }
        "memory" => {
            let before = rss_bytes();
            let queue = OutputQueue::start(
                QueueOptions {
                    capacity: n as usize,
                    buffered: true,
                    encoder: EncoderOptions {
                        json: true,
                        ..EncoderOptions::default()
                    },
                },
                vec![Box::new(NeverDrains)],
            )
            .unwrap();
            for i in 0..n {
                queue.submit(alerts[(i % 1024) as usize].clone());
            }
            let snapshot = queue.snapshot();
            let after = rss_bytes();
            println!("pending_channel {}", snapshot.channels[0].in_flight);
            println!("memory_rss_growth_bytes {}", after.saturating_sub(before));
            println!(
                "memory_bytes_per_pending_alert {}",
                after.saturating_sub(before) / n.max(1)
            );
            std::process::exit(0);
        }
        other => {
            eprintln!("unknown mode {other}: json|text|file|memory");
            std::process::exit(2);
        }
    }
}
