//! Clocks and the time formats people read: `ps`'s START and ages, RFC 3339 in JSON, strace's
//! `-t`/`-tt`/`-ttt`, `-r` and `-T`. One module, so the same instant never prints two ways.
//!
//! No time-zone database: the local offset is asked of libc, then everything is integer maths
//! ([`crate::calendar`]), so renders are deterministic in tests.

use std::fmt::Write as _;
use std::time::Duration;

/// "Now" and the local UTC offset, fixed for one command run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// Seconds since the epoch.
    pub now: i64,
    /// Seconds east of UTC.
    pub utc_offset: i64,
}

impl Clock {
    /// The real clock and the local zone (honours `TZ`).
    pub fn local() -> Clock {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Clock {
            now,
            utc_offset: local_offset(now),
        }
    }

    /// A broken-down local time.
    pub fn local_time(&self, epoch: i64) -> CivilTime {
        CivilTime::from_epoch(epoch + self.utc_offset)
    }

    /// `ps`'s START: `HH:MM` if started today, `MmmDD` if this year, else the year.
    pub fn ps_start(&self, epoch: i64) -> String {
        let t = self.local_time(epoch);
        let today = self.local_time(self.now);
        if (t.year, t.month, t.day) == (today.year, today.month, today.day) {
            format!("{:02}:{:02}", t.hour, t.minute)
        } else if t.year == today.year {
            format!("{}{:02}", MONTHS[(t.month - 1) as usize], t.day)
        } else {
            format!("{}", t.year)
        }
    }

    /// `2026-11-28 11:40:10 UTC+00:00` style local time with an age: for the proc page.
    pub fn describe(&self, epoch: i64) -> String {
        let t = self.local_time(epoch);
        let off = self.utc_offset;
        let sign = if off < 0 { '-' } else { '+' };
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} {sign}{:02}{:02} ({} ago)",
            t.year,
            t.month,
            t.day,
            t.hour,
            t.minute,
            t.second,
            off.abs() / 3600,
            off.abs() % 3600 / 60,
            age(self.now - epoch)
        )
    }
}

pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `3d4h`, `2h5m`, `4m10s`, `9s`.
pub fn age(secs: i64) -> String {
    let s = secs.max(0);
    let (d, h, m, sec) = (s / 86400, s % 86400 / 3600, s % 3600 / 60, s % 60);
    if d > 0 {
        format!("{d}d{h}h")
    } else if h > 0 {
        format!("{h}h{m}m")
    } else if m > 0 {
        format!("{m}m{sec}s")
    } else {
        format!("{sec}s")
    }
}

/// RFC 3339 in UTC: `2026-11-28T11:40:10Z`.
pub fn rfc3339_utc(epoch: i64) -> String {
    let t = CivilTime::from_epoch(epoch);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl CivilTime {
    pub fn from_epoch(epoch: i64) -> CivilTime {
        let days = epoch.div_euclid(86400);
        let secs = epoch.rem_euclid(86400);
        let (year, month, day) = crate::calendar::civil_from_days(days);
        CivilTime {
            year,
            month,
            day,
            hour: (secs / 3600) as u32,
            minute: (secs % 3600 / 60) as u32,
            second: (secs % 60) as u32,
        }
    }
}

/// Seconds east of UTC in the local zone at `now` (honours `TZ`).
pub fn local_offset(now: i64) -> i64 {
    let t: libc::time_t = now as libc::time_t;
    // SAFETY: localtime_r only writes to the `tm` we own; a zeroed `tm` is a valid value.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return 0;
        }
        tm.tm_gmtoff
    }
}

/// Reads a clock through the vDSO (no system call).
fn clock(id: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: writes one timespec.
    unsafe { libc::clock_gettime(id, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Wall-clock time since the epoch.
pub fn realtime() -> Duration {
    clock(libc::CLOCK_REALTIME)
}

/// Monotonic time, for durations.
pub fn monotonic() -> Duration {
    clock(libc::CLOCK_MONOTONIC)
}

/// Monotonic time at the kernel tick's resolution (a few ms): for intervals of tenths of a
/// second checked very often (the tracer's flush, at every stop), where it costs a fraction
/// of a full clock read, which on this VM's kvm-clock was 2% of a pinned `saker trace`.
pub fn monotonic_coarse() -> Duration {
    clock(libc::CLOCK_MONOTONIC_COARSE)
}

/// Appends a clock time for strace's `-t`/`--absolute-timestamps`: `HH:MM:SS` in local time
/// or, with `unix`, seconds since the epoch; then `digits` decimals (0, 3, 6 or 9) and a space.
pub fn write_clock_time(out: &mut String, unix: bool, digits: u8, at: Duration) {
    let secs = at.as_secs() as i64;
    if unix {
        let _ = write!(out, "{secs}");
    } else {
        let t = CivilTime::from_epoch(secs + local_offset(secs));
        let _ = write!(out, "{:02}:{:02}:{:02}", t.hour, t.minute, t.second);
    }
    write_fraction(out, at, digits);
    out.push(' ');
}

/// Appends a duration as strace prints `-r` and `-T` values: the seconds right-aligned in
/// `width` columns, then `digits` decimals.
pub fn write_seconds(out: &mut String, width: usize, spent: Duration, digits: u8) {
    let _ = write!(out, "{:>width$}", spent.as_secs());
    write_fraction(out, spent, digits);
}

/// `.` and the first `digits` decimals of the fraction of a second, nothing for 0.
fn write_fraction(out: &mut String, at: Duration, digits: u8) {
    if digits > 0 {
        let digits = digits.min(9);
        let scaled = at.subsec_nanos() / 10u32.pow(9 - u32::from(digits));
        let _ = write!(out, ".{scaled:0width$}", width = usize::from(digits));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strace_formats() {
        let at = Duration::new(1_700_000_000, 123_456_789);
        let mut out = String::new();
        write_clock_time(&mut out, true, 6, at);
        assert_eq!(out, "1700000000.123456 ");
        out.clear();
        write_clock_time(&mut out, true, 9, at);
        assert_eq!(out, "1700000000.123456789 ");
        out.clear();
        write_clock_time(&mut out, true, 0, at);
        assert_eq!(out, "1700000000 ");
        out.clear();
        write_clock_time(&mut out, false, 3, Duration::new(0, 1_000_000));
        assert_eq!(out.len(), "00:00:00.001 ".len());
        assert!(out.ends_with(".001 "));
        out.clear();
        write_seconds(&mut out, 6, Duration::new(1, 5_000), 6);
        assert_eq!(out, "     1.000005");
        out.clear();
        write_seconds(&mut out, 0, Duration::from_micros(12), 3);
        assert_eq!(out, "0.000");
    }

    #[test]
    fn civil() {
        // 1795865694 = btime of the machine the fixtures were captured on.
        let t = CivilTime::from_epoch(1_795_865_694);
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute, t.second),
            (2026, 11, 28, 11, 34, 54)
        );
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn start_column() {
        let clock = Clock {
            now: 1_795_870_000,
            utc_offset: 0,
        };
        assert_eq!(clock.ps_start(1_795_865_694), "11:34");
        assert_eq!(clock.ps_start(1_795_865_694 - 86400 * 3), "Nov25");
        assert_eq!(clock.ps_start(1_700_000_000), "2023");
        let east = Clock {
            now: 1_795_870_000,
            utc_offset: 3600,
        };
        assert_eq!(east.ps_start(1_795_865_694), "12:34");
        assert_eq!(age(59), "59s");
        assert_eq!(age(3 * 86400 + 7200), "3d2h");
    }
}
