//! saker-console: the web console on Saker's embedded web server — the alert history, the
//! read-only JSON API and live stream behind the page, and the page itself (plain HTML, CSS
//! and JavaScript embedded in the binary).
//!
//! The daemon starts one [`Console`], hands an [`AlertFeed`] to the path every alert takes
//! and mounts [`Console::routes`] on the web server (so the console shares its address, TLS
//! and limits). A feed only clones the alert into a bounded channel: the console's own thread
//! numbers it, keeps it in a bounded ring (and, optionally, in an SQLite file so that the
//! history survives a restart) and pushes it to open pages over server-sent events. A full
//! channel drops the alert for the console only, and counts it; capture never waits.
//!
//! ```
//! use std::sync::Arc;
//! use saker_console::{Console, ConsoleOptions};
//! use saker_event::{Alert, Priority};
//! use saker_server::Metrics;
//!
//! let metrics = Arc::new(Metrics::new("0.1.0", 1));
//! let console = Console::start(ConsoleOptions::default(), metrics).unwrap();
//! let feed = console.feed();
//! feed.record(&Alert {
//!     time_ns: 1,
//!     rule: "Demo".into(),
//!     priority: Priority::Warning,
//!     source: "syscall".into(),
//!     output: "demo".into(),
//!     output_fields: Default::default(),
//!     tags: vec![],
//!     hostname: "h".into(),
//! });
//! console.stop(); // drains the feed first
//! ```
//!
//! Architecture invariant: the console is read-only (every route answers GET or HEAD) and
//! never writes data into a page as markup: the page builds its DOM with `textContent`.

mod catalog;
mod error;
mod exposition;
mod history;
mod query;
mod routes;
mod stats;
mod store;
mod stream;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossbeam_channel::{Receiver, Sender, TrySendError};
use saker_event::Alert;
use saker_server::{Metrics, Mount};

pub use catalog::{RuleCatalog, RuleInfo};
pub use error::ConsoleError;

use history::{History, StoredAlert};
use stats::EventRate;
use store::Store;

/// The console's settings (`console:` in saker.yaml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleOptions {
    /// Alerts kept in memory (and in the database): the newest ones.
    pub history_size: usize,
    /// The SQLite file that keeps the history across restarts; `None`: memory only.
    pub database: Option<PathBuf>,
}

impl Default for ConsoleOptions {
    fn default() -> Self {
        ConsoleOptions {
            history_size: 10_000,
            database: None,
        }
    }
}

/// Alerts waiting between the feeds and the console thread. Beyond this the console drops
/// (and counts) alerts rather than slow the engine.
const FEED_CAPACITY: usize = 65_536;

/// Live alerts an open page may fall behind by before it is told it skipped some.
const LIVE_CAPACITY: usize = 8_192;

/// How often the console thread samples the metrics for the events-per-second series.
const SAMPLE_EVERY: Duration = Duration::from_secs(5);

/// After taking in a batch, the console thread lets the next one gather this long: at
/// thousands of alerts a second, the engine then rarely has to wake it.
const BATCH_PAUSE: Duration = Duration::from_millis(2);

/// How often (at most) alerts are written to the database.
const FLUSH_EVERY: Duration = Duration::from_millis(250);

/// What the console thread and the routes share.
struct Shared {
    history: Mutex<History>,
    live: tokio::sync::broadcast::Sender<Arc<StoredAlert>>,
    catalog: RwLock<Arc<RuleCatalog>>,
    metrics: Arc<Metrics>,
    /// Tells this run's ids apart from another run's, so a page that reconnects after a
    /// restart without a database knows to reload.
    instance: String,
    started_unix_ns: u64,
    started: Instant,
    /// Alerts the feed dropped because the console thread fell behind.
    feed_drops: AtomicU64,
    events: Mutex<EventRate>,
    database: Option<DatabaseStatus>,
}

/// The database's path and its write errors, for `/api/stats`.
struct DatabaseStatus {
    path: PathBuf,
    errors: AtomicU64,
}

/// The running console: its thread, history and live stream.
pub struct Console {
    shared: Arc<Shared>,
    feed: Sender<Alert>,
    stop: Sender<()>,
    thread: Option<JoinHandle<()>>,
}

/// Gives alerts to the console without ever waiting; cheap to clone.
#[derive(Clone)]
pub struct AlertFeed {
    sender: Sender<Alert>,
    shared: Arc<Shared>,
}

impl AlertFeed {
    /// Queues a copy of `alert` for the console; when the console is behind, counts it as
    /// dropped instead.
    pub fn record(&self, alert: &Alert) {
        if self.sender.is_full() {
            self.shared.feed_drops.fetch_add(1, Ordering::Relaxed);
            return;
        }
        match self.sender.try_send(alert.clone()) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                self.shared.feed_drops.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

impl Console {
    /// Opens the database (restoring the history it holds) and starts the console thread.
    pub fn start(options: ConsoleOptions, metrics: Arc<Metrics>) -> Result<Console, ConsoleError> {
        if options.history_size == 0 {
            return Err(ConsoleError::HistorySize);
        }
        let mut history = History::new(options.history_size);
        let store = match &options.database {
            Some(path) => {
                let (store, restored) = Store::open(path, options.history_size)?;
                tracing::info!(
                    path = %path.display(),
                    alerts = restored.len(),
                    "console: history restored from the database"
                );
                for alert in restored {
                    history.restore(alert);
                }
                Some(store)
            }
            None => None,
        };
        let started_unix_ns = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let (live, _) = tokio::sync::broadcast::channel(LIVE_CAPACITY);
        let shared = Arc::new(Shared {
            history: Mutex::new(history),
            live,
            catalog: RwLock::new(Arc::new(RuleCatalog::default())),
            metrics,
            instance: format!("{:x}-{:x}", started_unix_ns, std::process::id()),
            started_unix_ns,
            started: Instant::now(),
            feed_drops: AtomicU64::new(0),
            events: Mutex::new(EventRate::default()),
            database: options.database.as_ref().map(|path| DatabaseStatus {
                path: path.clone(),
                errors: AtomicU64::new(0),
            }),
        });
        let (feed, alerts) = crossbeam_channel::bounded(FEED_CAPACITY);
        let (stop, stopped) = crossbeam_channel::bounded(1);
        let worker = Worker {
            shared: Arc::clone(&shared),
            alerts,
            stopped,
            store,
            unwritten: Vec::new(),
        };
        let thread = std::thread::Builder::new()
            .name("saker-console".to_string())
            .spawn(move || worker.run())
            .map_err(ConsoleError::Spawn)?;
        Ok(Console {
            shared,
            feed,
            stop,
            thread: Some(thread),
        })
    }

    /// A handle for the alert path.
    pub fn feed(&self) -> AlertFeed {
        AlertFeed {
            sender: self.feed.clone(),
            shared: Arc::clone(&self.shared),
        }
    }

    /// The rules now loaded (at start and after each reload), for the rules page and the
    /// alert details.
    pub fn set_rules(&self, catalog: RuleCatalog) {
        *write(&self.shared.catalog) = Arc::new(catalog);
    }

    /// The page and its API, to mount on the web server. With a token, every `/api/` request
    /// must carry `Authorization: Bearer <token>` (the page itself holds no data and asks
    /// for the token).
    pub fn routes(&self, token: Option<String>) -> Arc<dyn Mount> {
        Arc::new(routes::ConsoleRoutes::new(Arc::clone(&self.shared), token))
    }

    /// Alerts the console dropped because it fell behind the engine.
    pub fn dropped(&self) -> u64 {
        self.shared.feed_drops.load(Ordering::Relaxed)
    }

    /// Takes in what the feeds already queued, writes it to the database and stops.
    pub fn stop(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let _ = self.stop.try_send(());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// The console thread: numbers and keeps alerts, pushes them live, writes them down.
struct Worker {
    shared: Arc<Shared>,
    alerts: Receiver<Alert>,
    stopped: Receiver<()>,
    store: Option<Store>,
    /// Alerts kept since the last database write.
    unwritten: Vec<Arc<StoredAlert>>,
}

impl Worker {
    fn run(mut self) {
        let mut next_sample = Instant::now();
        let mut next_flush = Instant::now() + FLUSH_EVERY;
        loop {
            let now = Instant::now();
            if now >= next_sample {
                self.sample();
                next_sample = now + SAMPLE_EVERY;
            }
            if now >= next_flush {
                self.flush();
                next_flush = now + FLUSH_EVERY;
            }
            let wake = next_sample.min(next_flush);
            crossbeam_channel::select! {
                recv(self.alerts) -> alert => match alert {
                    Ok(alert) => {
                        self.take(alert);
                        std::thread::sleep(BATCH_PAUSE);
                    }
                    Err(_) => break,
                },
                recv(self.stopped) -> _ => break,
                default(wake.saturating_duration_since(Instant::now())) => {}
            }
        }
        while let Ok(alert) = self.alerts.try_recv() {
            self.take(alert);
        }
        self.flush();
    }

    /// Keeps one alert (and whatever else is already queued, under one lock).
    fn take(&mut self, first: Alert) {
        let received_ns = unix_now_ns();
        let mut kept = Vec::with_capacity(1 + self.alerts.len().min(1024));
        {
            let mut history = lock(&self.shared.history);
            kept.push(history.push(first, received_ns));
            while kept.len() < 1024 {
                match self.alerts.try_recv() {
                    Ok(alert) => kept.push(history.push(alert, received_ns)),
                    Err(_) => break,
                }
            }
        }
        for alert in &kept {
            // No page open is not an error.
            let _ = self.shared.live.send(Arc::clone(alert));
        }
        if self.store.is_some() {
            self.unwritten.extend(kept);
        }
    }

    fn flush(&mut self) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        if self.unwritten.is_empty() {
            return;
        }
        if let Err(e) = store.write(&self.unwritten) {
            if let Some(status) = &self.shared.database {
                status.errors.fetch_add(1, Ordering::Relaxed);
            }
            tracing::warn!(error = %e, alerts = self.unwritten.len(), "console: alerts not written to the database");
        }
        self.unwritten.clear();
    }

    fn sample(&self) {
        let totals = stats::Totals::from_exposition(&self.shared.metrics.render());
        lock(&self.shared.events).record(unix_now_ns() / 1_000_000_000, &totals);
    }
}

fn unix_now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere must not take the console down with it.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}
