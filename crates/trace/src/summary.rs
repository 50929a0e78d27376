//! `-c`/`-C`: per-syscall time, calls and errors, printed as strace's table.

use std::cmp::Reverse;
use std::fmt::Write as _;
use std::time::Duration;

/// `-S`: the summary's sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Time,
    Calls,
    Errors,
    Name,
    Nothing,
}

impl std::str::FromStr for SortBy {
    type Err = String;

    fn from_str(text: &str) -> Result<SortBy, String> {
        Ok(match text {
            "time" => SortBy::Time,
            "calls" => SortBy::Calls,
            "errors" => SortBy::Errors,
            "name" => SortBy::Name,
            "nothing" => SortBy::Nothing,
            _ => return Err(format!("invalid sortby: '{text}'")),
        })
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    calls: u64,
    errors: u64,
    time: Duration,
}

/// The counters, indexed by syscall number (unknown numbers share the last slot's logic by
/// being kept in a small side list).
#[derive(Debug, Default)]
pub struct Summary {
    by_nr: Vec<Counts>,
}

impl Summary {
    pub fn new() -> Summary {
        Summary {
            by_nr: vec![Counts::default(); 512],
        }
    }

    /// Counts one finished call.
    #[inline]
    pub fn add(&mut self, nr: u64, time: Duration, failed: bool) {
        let index = nr as usize;
        if index >= self.by_nr.len() {
            if index > 1 << 16 {
                return;
            }
            self.by_nr.resize(index + 1, Counts::default());
        }
        let counts = &mut self.by_nr[index];
        counts.calls += 1;
        counts.errors += u64::from(failed);
        counts.time += time;
    }

    /// Adds totals counted elsewhere (the eBPF counter).
    pub fn add_totals(&mut self, nr: u64, calls: u64, errors: u64, time: Duration) {
        self.add(nr, Duration::ZERO, false);
        let counts = &mut self.by_nr[nr as usize];
        counts.calls = counts.calls - 1 + calls;
        counts.errors += errors;
        counts.time += time;
    }

    /// The table, exactly as strace prints it.
    pub fn render(&self, sort: SortBy) -> String {
        let mut rows: Vec<(String, Counts)> = self
            .by_nr
            .iter()
            .enumerate()
            .filter(|(_, c)| c.calls > 0)
            .map(|(nr, c)| (syscall_name(nr as u64), *c))
            .collect();
        // Stable sorts over the syscall-number order: ties come out in that order, as with
        // strace (glibc's qsort is a merge sort).
        match sort {
            SortBy::Time => rows.sort_by_key(|row| Reverse(row.1.time)),
            SortBy::Calls => rows.sort_by_key(|row| Reverse(row.1.calls)),
            SortBy::Errors => rows.sort_by_key(|row| Reverse(row.1.errors)),
            SortBy::Name => rows.sort_by(|a, b| a.0.cmp(&b.0)),
            SortBy::Nothing => {}
        }
        let total = rows.iter().fold(Counts::default(), |mut acc, (_, c)| {
            acc.calls += c.calls;
            acc.errors += c.errors;
            acc.time += c.time;
            acc
        });
        // strace's rule, measured: 16 dashes, or one more than the longest name.
        let name_width = rows
            .iter()
            .map(|(name, _)| name.len() + 1)
            .max()
            .unwrap_or(0)
            .max(16);
        let mut out = String::new();
        out.push_str("% time     seconds  usecs/call     calls    errors syscall\n");
        let rule = format!(
            "------ ----------- ----------- --------- --------- {}\n",
            "-".repeat(name_width)
        );
        out.push_str(&rule);
        let total_secs = total.time.as_secs_f64();
        for (name, counts) in &rows {
            let percent = if total_secs > 0.0 {
                100.0 * counts.time.as_secs_f64() / total_secs
            } else {
                0.0
            };
            write_row(&mut out, &format!("{percent:6.2}"), counts, name);
        }
        out.push_str(&rule);
        write_row(&mut out, "100.00", &total, "total");
        out
    }
}

fn write_row(out: &mut String, percent: &str, counts: &Counts, name: &str) {
    let per_call = if counts.calls > 0 {
        (counts.time.as_nanos() / u128::from(counts.calls)) / 1000
    } else {
        0
    };
    let errors = if counts.errors > 0 {
        counts.errors.to_string()
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{percent:>6} {:>11.6} {per_call:>11} {:>9} {errors:>9} {name}",
        counts.time.as_secs_f64(),
        counts.calls
    );
}

pub fn syscall_name(nr: u64) -> String {
    match saker_syscalls::name(nr) {
        Some(name) => name.to_string(),
        None => format!("syscall_{nr:#x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_like_strace() {
        let mut summary = Summary::new();
        for _ in 0..8 {
            summary.add(9, Duration::from_nanos(13_750), false);
        }
        summary.add(21, Duration::from_micros(11), true);
        summary.add(12, Duration::ZERO, false);
        let want = "\
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 90.91    0.000110          13         8           mmap
  9.09    0.000011          11         1         1 access
  0.00    0.000000           0         1           brk
------ ----------- ----------- --------- --------- ----------------
100.00    0.000121          12        10         1 total
";
        assert_eq!(summary.render(SortBy::Time), want);
        let by_name = summary.render(SortBy::Name);
        let names: Vec<&str> = by_name
            .lines()
            .skip(2)
            .take(3)
            .map(|l| l.rsplit(' ').next().unwrap())
            .collect();
        assert_eq!(names, ["access", "brk", "mmap"]);
        // timer_getoverrun (16 characters) widens the rule to 17 dashes, as with strace.
        summary.add(225, Duration::ZERO, true);
        let rule = summary
            .render(SortBy::Time)
            .lines()
            .nth(1)
            .unwrap()
            .to_string();
        assert!(rule.ends_with(" -----------------"), "{rule}");
    }
}
