//! `metrics.enabled`: every `metrics.interval`, Falco's metrics snapshot as the internal
//! "Falco internal: metrics snapshot" alert (`metrics.output_rule`) and/or one JSON line
//! `{"output_fields": {...}, "sample": N}` in `metrics.output_file`.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use saker_config::Config;
use saker_output::files::{DEFAULT_FILE_MODE, open_append};
use saker_server::{Metrics, Snapshotter};

use super::pipeline::AlertRoute;

/// The thread taking snapshots; stopped with [`Snapshots::stop`].
pub struct Snapshots {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Snapshots {
    /// Starts the snapshots when `metrics.enabled`; `None` otherwise. Fails when the output
    /// file cannot be opened.
    pub fn start(
        config: &Config,
        engine_name: &str,
        metrics: Arc<Metrics>,
        route: Arc<AlertRoute>,
    ) -> anyhow::Result<Option<Snapshots>> {
        let settings = &config.metrics;
        if !settings.enabled {
            return Ok(None);
        }
        let interval = settings
            .interval()
            .map_err(|e| anyhow::anyhow!("metrics.interval: {e}"))?;
        let mut file = match &settings.output_file {
            Some(path) => Some(
                open_append(path, DEFAULT_FILE_MODE)
                    .map_err(|e| anyhow::anyhow!("metrics.output_file: {}: {e}", path.display()))?,
            ),
            None => None,
        };
        let hostname = config.resolve_hostname();
        let mut snapshotter = Snapshotter::new(settings.snapshot_options(&hostname, engine_name));
        let output_rule = settings.output_rule;
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("saker-metrics".to_string())
            .spawn(move || {
                while wait_or_stop(&stopped, interval) {
                    let (sample, fields) = snapshotter.sample(&metrics);
                    if let Some(file) = file.as_mut() {
                        let line = serde_json::json!({"sample": sample, "output_fields": &fields});
                        if let Err(e) = writeln!(file, "{line}") {
                            tracing::warn!("metrics.output_file: {e}");
                        }
                    }
                    if output_rule {
                        let alert = saker_output::internal::metrics_snapshot_alert(
                            fields,
                            &hostname,
                            now_ns(),
                        );
                        route.submit(alert);
                    }
                }
            })?;
        Ok(Some(Snapshots {
            stop,
            thread: Some(thread),
        }))
    }

    pub fn stop(mut self) {
        let (flag, wake) = &*self.stop;
        *flag.lock().unwrap_or_else(|p| p.into_inner()) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Sleeps `interval` unless told to stop first; true when it is time for a snapshot.
fn wait_or_stop(stop: &(Mutex<bool>, Condvar), interval: Duration) -> bool {
    let (flag, wake) = stop;
    let deadline = Instant::now() + interval;
    let mut stopped = flag.lock().unwrap_or_else(|p| p.into_inner());
    while !*stopped {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        stopped = wake
            .wait_timeout(stopped, left)
            .unwrap_or_else(|p| p.into_inner())
            .0;
    }
    false
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}
