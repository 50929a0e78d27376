//! Values that parse but cannot work (errors) or would do nothing in Saker (warnings), so
//! that no key is accepted silently: each finding is reported at the key's `file:line`.

use std::net::IpAddr;
use std::time::Duration;

use saker_output::files::parse_mode;

use crate::{Config, FileOutputConfig, MetricsConfig, WebserverConfig};

/// One problem with one key (`section.key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub key: &'static str,
    pub message: String,
}

#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

impl Findings {
    fn error(&mut self, key: &'static str, message: impl Into<String>) {
        self.errors.push(Finding {
            key,
            message: message.into(),
        });
    }

    fn warn(&mut self, key: &'static str, message: impl Into<String>) {
        self.warnings.push(Finding {
            key,
            message: message.into(),
        });
    }

    fn check<T>(&mut self, key: &'static str, result: Result<T, String>) {
        if let Err(message) = result {
            self.error(key, message);
        }
    }
}

/// Falco's `metrics.interval` floor.
const MIN_METRICS_INTERVAL: Duration = Duration::from_millis(100);

impl Config {
    pub(crate) fn check(&self) -> Findings {
        let mut found = Findings::default();
        let ebpf = &self.engine.ebpf;
        if !(1..=10).contains(&ebpf.buf_size_preset) {
            found.error(
                "engine.ebpf.buf_size_preset",
                format!(
                    "{} is not a preset: use 1 to 10 (1 MB to 512 MB per buffer, 4 = 8 MB; 0 is reserved)",
                    ebpf.buf_size_preset
                ),
            );
        }
        if ebpf.cpus_for_each_buffer != 0 {
            found.warn(
                "engine.ebpf.cpus_for_each_buffer",
                format!(
                    "Saker captures through one ring buffer shared by all CPUs, as 0 does: {} has no effect",
                    ebpf.cpus_for_each_buffer
                ),
            );
        }
        if self.outputs_queue.capacity == 0 {
            found.warn(
                "outputs_queue.capacity",
                format!(
                    "0 means unbounded in Falco; Saker bounds every queue and uses {}",
                    saker_output::DEFAULT_CAPACITY
                ),
            );
        }
        let drops = &self.syscall_event_drops;
        if !(0.0..=1.0).contains(&drops.threshold) {
            found.error(
                "syscall_event_drops.threshold",
                format!(
                    "{} is not a fraction of events: use 0 to 1 (0.1 = 10%)",
                    drops.threshold
                ),
            );
        }
        if !(drops.rate.is_finite() && drops.rate > 0.0) {
            found.error(
                "syscall_event_drops.rate",
                format!(
                    "{} is not a rate: use alerts per second above 0 (0.03333 = one per 30 s)",
                    drops.rate
                ),
            );
        }
        if drops.simulate_drops {
            found.warn(
                "syscall_event_drops.simulate_drops",
                "Falco's switch for testing the drop alert; Saker has none: no effect",
            );
        }
        found.check("file_output.mode", self.file_output.mode());
        if self.http_output.enabled && self.http_output.url.is_empty() {
            found.error("http_output.url", "http_output is enabled but has no url");
        }
        if self.http_output.mtls
            && (self.http_output.client_cert.is_none() || self.http_output.client_key.is_none())
        {
            found.error(
                "http_output.mtls",
                "mtls is true but client_cert and client_key are not both set",
            );
        }
        let unknown: Vec<&str> = self
            .base_syscalls
            .custom_set
            .iter()
            .map(|name| name.trim_start_matches('!'))
            .filter(|name| saker_syscalls::number(name).is_none())
            .collect();
        if !unknown.is_empty() {
            found.warn(
                "base_syscalls.custom_set",
                format!("unknown syscalls, ignored: {}", unknown.join(", ")),
            );
        }
        self.webserver.check(&mut found);
        found.check("metrics.interval", self.metrics.interval());
        found
    }
}

impl WebserverConfig {
    fn check(&self, found: &mut Findings) {
        found.check("webserver.listen_address", self.listen_ip());
        for (key, path) in [
            ("webserver.k8s_healthz_endpoint", &self.k8s_healthz_endpoint),
            ("webserver.k8s_audit_endpoint", &self.k8s_audit_endpoint),
        ] {
            if !path.starts_with('/') {
                found.error(key, format!("`{path}` must start with /"));
            }
        }
        if self.max_connections == 0 {
            found.error("webserver.max_connections", "must be at least 1");
        }
        for (key, ms) in [
            ("webserver.header_timeout_ms", self.header_timeout_ms),
            ("webserver.body_timeout_ms", self.body_timeout_ms),
            ("webserver.write_timeout_ms", self.write_timeout_ms),
        ] {
            if ms == 0 {
                found.error(key, "must be at least 1 (milliseconds)");
            }
        }
        if self.body_memory_bytes < self.max_body_bytes {
            found.error(
                "webserver.body_memory_bytes",
                format!(
                    "{} is less than max_body_bytes ({}): a body of the largest size could never be accepted",
                    self.body_memory_bytes, self.max_body_bytes
                ),
            );
        }
        match (&self.k8s_audit_token, &self.k8s_audit_token_file) {
            (Some(_), Some(_)) => found.error(
                "webserver.k8s_audit_token_file",
                "set k8s_audit_token or k8s_audit_token_file, not both",
            ),
            (Some(token), None) if token.trim().is_empty() => found.error(
                "webserver.k8s_audit_token",
                "is empty (an unset environment variable?): remove the key to accept audit events without a token",
            ),
            _ => {}
        }
    }

    /// `listen_address` as an address.
    pub fn listen_ip(&self) -> Result<IpAddr, String> {
        self.listen_address
            .parse()
            .map_err(|_| format!("`{}` is not an IP address", self.listen_address))
    }
}

impl FileOutputConfig {
    /// `mode` as a file mode.
    pub fn mode(&self) -> Result<u32, String> {
        parse_mode(&self.mode)
    }
}

impl MetricsConfig {
    /// `interval` as a duration.
    pub fn interval(&self) -> Result<Duration, String> {
        let interval = parse_prometheus_duration(&self.interval).ok_or_else(|| {
            format!(
                "`{}` is not a duration: use a number and a unit, as 1h, 15m, 30s, 500ms or 1h30m",
                self.interval
            )
        })?;
        if interval < MIN_METRICS_INTERVAL {
            return Err(format!("`{}` is below the 100ms minimum", self.interval));
        }
        Ok(interval)
    }
}

/// A Prometheus duration, as Falco reads `metrics.interval`: numbers with units, largest
/// first (`1y2w3d4h5m6s7ms`).
pub(crate) fn parse_prometheus_duration(text: &str) -> Option<Duration> {
    const UNITS: [(&str, u64); 7] = [
        ("y", 365 * 86_400_000),
        ("w", 7 * 86_400_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("ms", 1),
        ("m", 60_000),
        ("s", 1000),
    ];
    // The order units must come in (ms after s, although it is matched before m).
    const ORDER: [&str; 7] = ["y", "w", "d", "h", "m", "s", "ms"];
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total_ms: u64 = 0;
    let mut last_rank = None;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let value: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit, ms) = UNITS.iter().find(|(unit, _)| rest.starts_with(unit))?;
        rest = &rest[unit.len()..];
        let rank = ORDER.iter().position(|u| u == unit)?;
        if last_rank.is_some_and(|last| rank <= last) {
            return None;
        }
        last_rank = Some(rank);
        total_ms = total_ms.checked_add(value.checked_mul(*ms)?)?;
    }
    Some(Duration::from_millis(total_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prometheus_durations() {
        let ok = [
            ("1h", 3_600_000),
            ("15m", 900_000),
            ("30s", 30_000),
            ("500ms", 500),
            ("1h30m", 5_400_000),
            ("1d", 86_400_000),
            ("2w", 14 * 86_400_000),
            ("1m30s250ms", 90_250),
        ];
        for (text, ms) in ok {
            assert_eq!(
                parse_prometheus_duration(text),
                Some(Duration::from_millis(ms)),
                "{text}"
            );
        }
        for bad in [
            "banana", "", "10", "h", "1x", "30m1h", "1s1s", "-1s", "1.5h",
        ] {
            assert_eq!(parse_prometheus_duration(bad), None, "{bad}");
        }
    }
}
