//! Clocks and strace's time formats (`-t`, `-tt`, `-ttt`, `-r`, `-T`).

use std::fmt::Write as _;
use std::time::Duration;

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

/// Appends the `-t`/`-tt`/`-ttt` prefix for `at` (time since the epoch), local time like strace.
pub fn write_timestamp(out: &mut String, level: u8, at: Duration) {
    let micros = at.subsec_micros();
    if level >= 3 {
        let _ = write!(out, "{}.{micros:06} ", at.as_secs());
        return;
    }
    let secs = at.as_secs() as libc::time_t;
    // SAFETY: localtime_r fills the tm we own.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    unsafe { libc::localtime_r(&secs, &mut tm) };
    let _ = write!(out, "{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
    if level == 2 {
        let _ = write!(out, ".{micros:06}");
    }
    out.push(' ');
}

/// Appends the `-r` prefix: `%6ld.%06ld `.
pub fn write_relative(out: &mut String, delta: Duration) {
    let _ = write!(out, "{:>6}.{:06} ", delta.as_secs(), delta.subsec_micros());
}

/// Appends the `-T` suffix: ` <0.000012>`.
pub fn write_duration(out: &mut String, spent: Duration) {
    let _ = write!(out, " <{}.{:06}>", spent.as_secs(), spent.subsec_micros());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let mut out = String::new();
        write_timestamp(&mut out, 3, Duration::new(1_700_000_000, 123_456_789));
        assert_eq!(out, "1700000000.123456 ");
        out.clear();
        write_relative(&mut out, Duration::new(1, 5_000));
        assert_eq!(out, "     1.000005 ");
        out.clear();
        write_duration(&mut out, Duration::from_micros(12));
        assert_eq!(out, " <0.000012>");
        out.clear();
        write_timestamp(&mut out, 2, Duration::new(0, 1_000));
        assert_eq!(out.len(), "00:00:00.000001 ".len());
        assert!(out.ends_with(".000001 "));
    }
}
