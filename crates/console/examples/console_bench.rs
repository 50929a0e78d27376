//! The web console under load; run by bench/console.sh.
//!
//! `console_bench stream ALERTS PAGES [RATE]`
//!   An engine thread evaluates field-level events that each raise one alert and hands the
//!   alerts to the console as `saker run` does (metrics + feed); PAGES server-sent-event
//!   clients (what an open page holds) read /api/stream on the real web server. Without RATE
//!   the engine runs flat out: its events/s and CPU time tell what the console costs it.
//!   With RATE (alerts/s) the engine is paced: every page must receive every alert. Printed:
//!   `engine_events_per_sec`, `engine_cpu_sec`, `delivered_min` (alerts the slowest page
//!   got), `lagged` (alerts pages were told they skipped), `console_dropped`, `catch_up_ms`
//!   (after the engine's last alert, until every page had it), `process_cpu_sec`, and CPU
//!   seconds per thread: `console_thread_cpu_sec`, `server_thread_cpu_sec` (the web server:
//!   all pages' streams) and `page_readers_cpu_sec` (the test's clients, not Saker's cost).
//!   `PAGES=-1` runs the engine without any console (the baseline; alerts still go to the
//!   metrics, as in the daemon).
//!
//! `console_bench render HISTORY`
//!   Fills the history with HISTORY alerts (`history_bytes_per_alert`: resident memory it
//!   took), opens the page in headless Chromium (WebDriver)
//!   and prints what the browser measured: `load_ms` (navigation start to the list drawn),
//!   `render_ms` (drawing the list), `filter_ms` (a free-text filter that scans the whole
//!   history, request and drawing), then floods 10k alerts/s for 5 s into the open page:
//!   `flood_longest_task_ms` (the longest the page was unresponsive), `flood_max_render_ms`
//!   (the longest draw of the list, layout included), `flood_rows` (rows
//!   kept), `heap_before_mb`/`heap_after_mb` (JS heap).

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use saker_console::ConsoleOptions;
use saker_engine::{Engine, EngineOptions, JsonlEvent};
use saker_event::Priority;
use support::{Harness, Setup};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, what: &str| -> i64 {
        args.get(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("{what} expected; see the source's doc comment"))
    };
    match args.first().map(String::as_str) {
        Some("stream") => {
            let rate = args.get(3).map(|_| number(3, "RATE") as u64);
            stream(number(1, "ALERTS") as u64, number(2, "PAGES"), rate)
        }
        Some("render") => render(number(1, "HISTORY") as u64),
        _ => panic!("console_bench stream ALERTS PAGES [RATE] | render HISTORY"),
    }
}

fn engine() -> Engine {
    let (ruleset, diagnostics) = saker_rules::load(&[saker_rules::SourceFile::new(
        "bench.yaml",
        support::WRITE_BELOW_ETC,
    )]);
    assert!(diagnostics.iter().all(|d| !d.is_error()));
    Engine::new(&ruleset, EngineOptions::default()).unwrap()
}

/// Distinct events (a few containers and programs), each raising the rule.
fn events(engine: &Engine) -> Vec<JsonlEvent> {
    (0..1000)
        .map(|i| {
            let event = serde_json::json!({
                "evt.type": "openat",
                "evt.time": support::now_ns(),
                "evt.is_open_write": true,
                "fd.name": format!("/etc/app/conf-{i}.yaml"),
                "proc.cmdline": format!("tool --write /etc/app/conf-{i}.yaml --verbose"),
                "proc.name": format!("tool{}", i % 7),
                "container.id": format!("{:012x}", i % 13),
                "container.name": format!("service-{}", i % 13),
            });
            JsonlEvent::from_json(&event, engine).unwrap()
        })
        .collect()
}

/// CPU seconds of this process's threads whose name starts with `prefix` (from
/// /proc/self/task/*/stat: utime + stime in clock ticks).
fn threads_cpu_seconds(prefix: &str) -> f64 {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let mut total = 0.0;
    for task in std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
    {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        if !stat[open + 1..close].starts_with(prefix) {
            continue;
        }
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        // Fields 14 and 15 of stat(5); `fields` starts at field 3.
        let time = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        total += (time(11) + time(12)) / ticks;
    }
    total
}

/// VmRSS of this process.
fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn thread_cpu_seconds() -> f64 {
    usage_seconds(libc::RUSAGE_THREAD)
}

fn process_cpu_seconds() -> f64 {
    usage_seconds(libc::RUSAGE_SELF)
}

fn usage_seconds(who: libc::c_int) -> f64 {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(who, &mut usage) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// One open page's event stream, read on its own thread: alerts and lag notices counted.
struct Page {
    alerts: Arc<AtomicU64>,
    lagged: Arc<AtomicU64>,
}

fn open_page(base: &str) -> Page {
    let addr = base.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET /api/stream HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let alerts = Arc::new(AtomicU64::new(0));
    let lagged = Arc::new(AtomicU64::new(0));
    let (seen, skipped) = (Arc::clone(&alerts), Arc::clone(&lagged));
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let reader = std::thread::Builder::new().name("page-reader".to_string());
    let _ = reader.spawn(move || {
        let mut reader = BufReader::with_capacity(1 << 16, stream);
        let mut line = String::new();
        let mut ready = Some(ready_tx);
        while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            if line.starts_with("event: alert") {
                seen.fetch_add(1, Ordering::Relaxed);
            } else if line.starts_with("event: hello") {
                if let Some(ready) = ready.take() {
                    let _ = ready.send(());
                }
            } else if let Some(data) = line.strip_prefix("data: {\"skipped\":") {
                let n: u64 = data.trim_end().trim_end_matches('}').parse().unwrap_or(0);
                skipped.fetch_add(n, Ordering::Relaxed);
            }
            line.clear();
        }
    });
    ready_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the stream said hello");
    Page { alerts, lagged }
}

fn stream(alerts: u64, pages: i64, rate: Option<u64>) {
    let engine = engine();
    let events = events(&engine);
    let harness = (pages >= 0).then(|| {
        Harness::start(Setup {
            options: ConsoleOptions {
                history_size: 100_000,
                database: None,
            },
            ..Setup::default()
        })
    });
    let open: Vec<Page> = match &harness {
        Some(h) => (0..pages).map(|_| open_page(&h.base)).collect(),
        None => Vec::new(),
    };
    // The daemon counts every alert in the metrics, console or not.
    let metrics = harness.as_ref().map_or_else(
        || Arc::new(saker_server::Metrics::new("bench", 2)),
        |h| Arc::clone(&h.metrics),
    );
    let feed = harness.as_ref().map(|h| h.console.feed());
    let process_cpu = process_cpu_seconds();
    let started = Instant::now();
    // The engine thread: evaluate, format, hand over (what Pipeline::handle does).
    let engine_thread = std::thread::spawn(move || {
        let cpu = thread_cpu_seconds();
        let start = Instant::now();
        let mut raised = 0u64;
        for n in 0..alerts {
            if let Some(rate) = rate {
                let due = start + Duration::from_secs_f64(n as f64 / rate as f64);
                let now = Instant::now();
                if due > now {
                    std::thread::sleep(due - now);
                }
            }
            let event = &events[(n % events.len() as u64) as usize];
            for alert in engine.process(event) {
                raised += 1;
                metrics.record_alert(&alert);
                if let Some(feed) = &feed {
                    feed.record(&alert);
                }
            }
        }
        (raised, start.elapsed(), thread_cpu_seconds() - cpu)
    });
    let (raised, elapsed, engine_cpu) = engine_thread.join().unwrap();
    let engine_done = Instant::now();
    let mut catch_up = Duration::ZERO;
    if !open.is_empty() {
        let deadline = Instant::now() + Duration::from_secs(120);
        while open
            .iter()
            .any(|p| p.alerts.load(Ordering::Relaxed) + p.lagged.load(Ordering::Relaxed) < raised)
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        catch_up = engine_done.elapsed();
    }
    println!("alerts {raised}");
    println!("pages {}", pages.max(0));
    println!(
        "engine_events_per_sec {:.0}",
        alerts as f64 / elapsed.as_secs_f64()
    );
    println!("engine_wall_sec {:.3}", elapsed.as_secs_f64());
    println!("engine_cpu_sec {engine_cpu:.3}");
    println!(
        "delivered_min {}",
        open.iter()
            .map(|p| p.alerts.load(Ordering::Relaxed))
            .min()
            .unwrap_or(0)
    );
    println!(
        "lagged {}",
        open.iter()
            .map(|p| p.lagged.load(Ordering::Relaxed))
            .sum::<u64>()
    );
    println!(
        "console_dropped {}",
        harness.as_ref().map_or(0, |h| h.console.dropped())
    );
    println!("catch_up_ms {}", catch_up.as_millis());
    println!("process_cpu_sec {:.3}", process_cpu_seconds() - process_cpu);
    println!(
        "console_thread_cpu_sec {:.2}",
        threads_cpu_seconds("saker-console")
    );
    println!(
        "server_thread_cpu_sec {:.2}",
        threads_cpu_seconds("saker-webserver")
    );
    println!(
        "page_readers_cpu_sec {:.2}",
        threads_cpu_seconds("page-reader")
    );
    println!("total_wall_sec {:.3}", started.elapsed().as_secs_f64());
    if let Some(h) = harness {
        h.stop();
    }
}

fn render(history: u64) {
    if let Some(why) = support::browser::missing() {
        println!("SKIPPED: {why}");
        return;
    }
    let harness = Harness::start(Setup {
        options: ConsoleOptions {
            history_size: history as usize,
            database: None,
        },
        ..Setup::default()
    });
    let engine = engine();
    let events = events(&engine);
    let rss_before = resident_bytes();
    for n in 0..history {
        for alert in engine.process(&events[(n % events.len() as u64) as usize]) {
            harness.raise(&alert);
        }
    }
    // One needle in the haystack for the free-text filter to find.
    harness.raise(&support::alert(
        "Needle",
        Priority::Critical,
        "syscall",
        &[("proc.name", "needle-in-history")],
    ));
    support::wait_for("the history to fill", || {
        support::get(&support::agent(), &format!("{}/api/stats", harness.base)).json()["history"]["last_id"]
            == history + 1
    });
    println!(
        "history_bytes_per_alert {:.0}",
        resident_bytes().saturating_sub(rss_before) as f64 / history as f64
    );
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let browser = support::browser::Browser::start(false).await;
            browser.goto(&format!("{}/", harness.base)).await;
            browser
                .wait_for("the list", "return window.sakerConsole.firstRenderMs !== null && window.sakerConsole.connected")
                .await;
            let first = browser
                .js("return {render: window.sakerConsole.firstRenderMs, load: performance.now()}")
                .await;
            println!("history {}", history + 1);
            println!("load_ms {:.1}", first["load"].as_f64().unwrap());
            println!("render_ms {:.1}", first["render"].as_f64().unwrap());
            browser
                .js("window.benchRenders = window.sakerConsole.renders; window.benchStart = performance.now(); return true")
                .await;
            browser.type_into("#filters input[name=q]", "needle-in-history").await;
            browser
                .wait_for("the filtered list", "return window.sakerConsole.renders > window.benchRenders && document.querySelectorAll('#alerts tbody tr').length === 1")
                .await;
            // Typing is debounced by 400 ms; the figure is the request and the drawing.
            let filtered = browser
                .js("return {load: window.sakerConsole.lastLoadMs, render: window.sakerConsole.lastRenderMs}")
                .await;
            println!(
                "filter_ms {:.1}",
                filtered["load"].as_f64().unwrap() + filtered["render"].as_f64().unwrap()
            );
            browser.click("#clear-filters").await;
            browser
                .wait_for("the whole list again", "return document.querySelectorAll('#alerts tbody tr').length >= 200 && window.sakerConsole.connected")
                .await;
            let heap = "return performance.memory ? performance.memory.usedJSHeapSize / 1048576 : -1";
            println!("heap_before_mb {:.1}", browser.js(heap).await.as_f64().unwrap());
            browser
                .js(r#"
                    window.longest = 0;
                    new PerformanceObserver((list) => {
                      for (const entry of list.getEntries()) window.longest = Math.max(window.longest, entry.duration);
                    }).observe({ type: "longtask" });
                    return true"#)
                .await;
            // 10k alerts/s for 5 s into the open page.
            let start = Instant::now();
            let rate = 10_000u64;
            for n in 0..5 * rate {
                let due = start + Duration::from_secs_f64(n as f64 / rate as f64);
                let now = Instant::now();
                if due > now {
                    std::thread::sleep(due - now);
                }
                for alert in engine.process(&events[(n % events.len() as u64) as usize]) {
                    harness.raise(&alert);
                }
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
            let flood = browser
                .js("return {longest: window.longest, rows: document.querySelectorAll('#alerts tbody tr').length, received: window.sakerConsole.liveReceived, render: window.sakerConsole.maxRenderMs}")
                .await;
            println!("flood_longest_task_ms {:.0}", flood["longest"].as_f64().unwrap());
            println!("flood_max_render_ms {:.0}", flood["render"].as_f64().unwrap());
            println!("flood_rows {}", flood["rows"]);
            println!("flood_live_received {}", flood["received"]);
            println!("heap_after_mb {:.1}", browser.js(heap).await.as_f64().unwrap());
            browser.close().await;
        });
    harness.stop();
}
