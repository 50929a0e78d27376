//! System-wide values from /proc needed to turn per-process numbers into what `ps` prints.

use std::fs;

use crate::error::{Error, Result};

/// Boot time, uptime, memory size, clock tick, page size and pid width, read once per command.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SystemInfo {
    /// Seconds since the epoch at boot (`btime` in /proc/stat).
    pub boot_time: u64,
    /// Seconds since boot (/proc/uptime).
    pub uptime: f64,
    pub mem_total_kb: u64,
    /// `USER_HZ`: the unit of the times in stat.
    pub clock_ticks: u64,
    pub page_size: u64,
    /// Digits of the largest pid (/proc/sys/kernel/pid_max): the width `ps` gives pid columns.
    pub pid_digits: usize,
}

/// procps's width for pid columns when pid_max cannot be read.
const DEFAULT_PID_DIGITS: usize = 5;

fn read(path: &str) -> Result<String> {
    fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })
}

fn parse_err(path: &str, what: &str) -> Error {
    Error::Parse {
        path: path.into(),
        what: what.into(),
    }
}

impl SystemInfo {
    pub fn read() -> Result<SystemInfo> {
        let stat = read("/proc/stat")?;
        let boot_time =
            parse_btime(&stat).ok_or_else(|| parse_err("/proc/stat", "no btime line"))?;
        let uptime = read("/proc/uptime")?;
        let uptime =
            parse_uptime(&uptime).ok_or_else(|| parse_err("/proc/uptime", "bad uptime"))?;
        let meminfo = read("/proc/meminfo")?;
        let mem_total_kb = parse_mem_total(&meminfo)
            .ok_or_else(|| parse_err("/proc/meminfo", "no MemTotal line"))?;
        Ok(SystemInfo {
            boot_time,
            uptime,
            mem_total_kb,
            clock_ticks: rustix::param::clock_ticks_per_second(),
            page_size: rustix::param::page_size() as u64,
            pid_digits: fs::read_to_string("/proc/sys/kernel/pid_max")
                .ok()
                .map(|t| t.trim().len())
                .filter(|&n| n > 0)
                .unwrap_or(DEFAULT_PID_DIGITS),
        })
    }

    /// Seconds since the epoch at which a process with stat `starttime` (in ticks) started.
    pub fn start_epoch(&self, starttime_ticks: u64) -> u64 {
        self.boot_time + starttime_ticks / self.clock_ticks.max(1)
    }
}

/// `btime N` from /proc/stat.
pub fn parse_btime(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|v| v.trim().parse().ok())
}

/// The first number of /proc/uptime.
pub fn parse_uptime(text: &str) -> Option<f64> {
    text.split_ascii_whitespace().next()?.parse().ok()
}

/// `MemTotal: N kB` from /proc/meminfo.
pub fn parse_mem_total(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsers() {
        assert_eq!(
            parse_btime("cpu  1 2 3\nbtime 1795865694\nprocesses 9\n"),
            Some(1795865694)
        );
        assert_eq!(parse_uptime("341.27 640.11\n"), Some(341.27));
        assert_eq!(
            parse_mem_total("MemTotal:       24684084 kB\nMemFree: 1 kB\n"),
            Some(24684084)
        );
        assert_eq!(parse_btime("cpu 1\n"), None);
    }

    #[test]
    fn live() {
        let info = SystemInfo::read().unwrap();
        assert!(info.mem_total_kb > 0 && info.uptime > 0.0 && info.clock_ticks > 0);
    }
}
