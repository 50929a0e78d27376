//! Alerts into NATS and Redis through Saker's output stage (bench/fleet.sh runs it).
//!
//! ```text
//! broker_bench throughput nats|jetstream|redis URL N     alerts/s, wall and per CPU-second
//! broker_bench produce    nats|jetstream|redis URL RATE SECONDS
//!                                                          alerts at a steady RATE, stamped
//! broker_bench consume    nats|redis URL N                 end-to-end latency p50/p99 of N
//! broker_bench stream     URL                             creates the JetStream stream
//! ```
//! `throughput` submits as fast as the channel takes them (keeping at most half the queue
//! waiting, so nothing is dropped) with `buffered_outputs: true`, the configuration of the
//! Helm chart: batches grow while a burst lasts. `produce` stamps each alert with the time it
//! was submitted (`output_fields.bench.sent_ns`); `consume`, run as another process,
//! subtracts it from the time the alert arrived.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use saker_event::{Alert, Priority};
use saker_output::sinks::{NatsSink, NatsSinkOptions, RedisSink, RedisSinkOptions, RedisTarget};
use saker_output::{EncoderOptions, OutputQueue, QueueOptions, Sink};
use serde_json::json;

const CAPACITY: usize = 100_000;

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

fn cpu_secs() -> f64 {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// An alert shaped like the default rules' (a dozen output fields, ~700 bytes of JSON).
fn alert(i: u64, sent_ns: u64) -> Alert {
    let mut fields = BTreeMap::new();
    for (k, v) in [
        ("container.id", json!("3ad7b26ded6d")),
        (
            "container.image.repository",
            json!("docker.io/library/nginx"),
        ),
        ("evt.type", json!("openat")),
        ("fd.name", json!("/etc/shadow")),
        ("proc.cmdline", json!("cat /etc/shadow")),
        ("proc.exepath", json!("/usr/bin/cat")),
        ("proc.name", json!("cat")),
        ("proc.pid", json!(4000 + i % 1000)),
        ("proc.pname", json!("bash")),
        ("user.loginuid", json!(-1)),
        ("user.name", json!("root")),
        ("bench.sent_ns", json!(sent_ns)),
    ] {
        fields.insert(k.to_string(), v);
    }
    Alert {
        time_ns: sent_ns,
        rule: "Read sensitive file untrusted".into(),
        priority: Priority::Warning,
        source: "syscall".into(),
        output: format!(
            "Sensitive file opened for reading by non-trusted program (file=/etc/shadow \
             process=cat proc_exepath=/usr/bin/cat parent=bash command=cat /etc/shadow \
             container_id=3ad7b26ded6d image=docker.io/library/nginx seq={i})"
        ),
        output_fields: fields,
        tags: vec!["T1555".into(), "container".into(), "filesystem".into()],
        hostname: "node-1".into(),
    }
}

fn sink(kind: &str, url: &str) -> Box<dyn Sink> {
    match kind {
        "nats" | "jetstream" => {
            let mut options = NatsSinkOptions::new(url);
            options.jetstream = kind == "jetstream";
            Box::new(NatsSink::connect(options).expect("nats"))
        }
        "redis" => {
            let mut options = RedisSinkOptions::new(url);
            options.target = RedisTarget::Stream { maxlen: 100_000 };
            Box::new(RedisSink::open(options).expect("redis"))
        }
        other => panic!("unknown broker {other}: nats, jetstream or redis"),
    }
}

fn queue(kind: &str, url: &str) -> OutputQueue {
    let options = QueueOptions {
        capacity: CAPACITY,
        buffered: true,
        encoder: EncoderOptions {
            json: true,
            ..EncoderOptions::default()
        },
    };
    OutputQueue::start(options, vec![sink(kind, url)]).expect("queue")
}

fn throughput(kind: &str, url: &str, n: u64) {
    let queue = queue(kind, url);
    let start = Instant::now();
    let cpu_start = cpu_secs();
    for i in 0..n {
        // Keep at most half the queue waiting: the figure is the channel's, without drops.
        while i - queue.snapshot().channels[0].delivered > (CAPACITY / 2) as u64 {
            std::thread::sleep(Duration::from_micros(200));
        }
        queue.submit(alert(i, now_ns()));
    }
    while queue.snapshot().channels[0].delivered + queue.snapshot().channels[0].failures < n {
        std::thread::sleep(Duration::from_micros(200));
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu_start;
    let report = queue.shutdown(Duration::from_secs(30));
    let channel = &report.snapshot.channels[0];
    println!("{kind}_alerts_per_sec {:.0}", n as f64 / secs);
    println!("{kind}_alerts_per_cpu_sec {:.0}", n as f64 / cpu);
    println!("{kind}_delivered {}", channel.delivered);
    println!(
        "{kind}_lost {}",
        channel.failures + channel.drops + report.snapshot.queue_drops
    );
}

fn produce(kind: &str, url: &str, rate: u64, seconds: u64) {
    let queue = queue(kind, url);
    let n = rate * seconds;
    let start = Instant::now();
    for i in 0..n {
        let due = start + Duration::from_nanos(i * 1_000_000_000 / rate);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        queue.submit(alert(i, now_ns()));
    }
    let report = queue.shutdown(Duration::from_secs(30));
    println!("{kind}_produced {n}");
    println!("{kind}_delivered {}", report.snapshot.channels[0].delivered);
}

fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn latency_of(body: &[u8]) -> u64 {
    let v: serde_json::Value = serde_json::from_slice(body).expect("alert JSON");
    let sent = v["output_fields"]["bench.sent_ns"]
        .as_u64()
        .expect("sent_ns");
    now_ns().saturating_sub(sent)
}

fn consume(kind: &str, url: &str, n: usize) {
    let mut latencies = Vec::with_capacity(n);
    match kind {
        "nats" => {
            current_thread_runtime().block_on(async {
                use futures_util::StreamExt as _;
                let client = async_nats::connect(url).await.expect("nats");
                let mut subscriber = client.subscribe("falco.>").await.unwrap();
                client.flush().await.unwrap();
                println!("ready");
                while latencies.len() < n {
                    let message = subscriber.next().await.expect("subscription");
                    latencies.push(latency_of(&message.payload));
                }
            });
        }
        "redis" => {
            let mut connection = redis::Client::open(url)
                .unwrap()
                .get_connection()
                .expect("redis");
            let mut last = "$".to_string();
            println!("ready");
            while latencies.len() < n {
                let reply: redis::streams::StreamReadReply = redis::cmd("XREAD")
                    .arg("BLOCK")
                    .arg(10_000)
                    .arg("STREAMS")
                    .arg("falco")
                    .arg(&last)
                    .query(&mut connection)
                    .expect("XREAD");
                for key in reply.keys {
                    for entry in key.ids {
                        let body: Vec<u8> = entry.get("alert").expect("alert field");
                        latencies.push(latency_of(&body));
                        last = entry.id;
                    }
                }
            }
        }
        other => panic!("consume: nats or redis, not {other}"),
    }
    latencies.sort_unstable();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize] as f64 / 1e6;
    println!("{kind}_latency_p50_ms {:.3}", pct(0.50));
    println!("{kind}_latency_p99_ms {:.3}", pct(0.99));
}

/// The stream `FALCO` on `falco.>`, file storage, the newest 100k messages kept.
fn create_stream(url: &str) {
    current_thread_runtime().block_on(async {
        let client = async_nats::connect(url).await.expect("nats");
        let js = async_nats::jetstream::new(client);
        js.get_or_create_stream(async_nats::jetstream::stream::Config {
            name: "FALCO".into(),
            subjects: vec!["falco.>".into()],
            storage: async_nats::jetstream::stream::StorageType::File,
            max_messages: 100_000,
            ..Default::default()
        })
        .await
        .expect("stream FALCO");
    });
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    let number = |i: usize| arg(i).parse::<u64>().expect("a number");
    match arg(0) {
        "throughput" => throughput(arg(1), arg(2), number(3)),
        "produce" => produce(arg(1), arg(2), number(3), number(4)),
        "consume" => consume(arg(1), arg(2), number(3) as usize),
        "stream" => create_stream(arg(1)),
        _ => {
            eprintln!("usage: broker_bench throughput|produce|consume KIND URL ...");
            std::process::exit(2);
        }
    }
}
