//! `-c`/`-C`: per-syscall time, calls and errors, printed as strace's table (count.c),
//! with `-S` (sort), `-U` (columns) and `-O` (overhead).

use std::cmp::Reverse;
use std::fmt::Write as _;
use std::time::Duration;

/// One column of the table (`-U`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    TimePercent,
    TotalTime,
    MinTime,
    MaxTime,
    AvgTime,
    Calls,
    Errors,
    Name,
}

impl Column {
    /// A column computed from the syscalls' durations.
    pub fn is_time(self) -> bool {
        matches!(
            self,
            Column::TimePercent
                | Column::TotalTime
                | Column::MinTime
                | Column::MaxTime
                | Column::AvgTime
        )
    }
}

/// Whether a summary shown with `columns` and sorted by `sort` needs the syscalls' durations.
pub fn needs_time(sort: SortBy, columns: &[Column]) -> bool {
    sort.0.is_some_and(Column::is_time) || columns.iter().any(|c| c.is_time())
}

/// strace's default columns.
pub const DEFAULT_COLUMNS: [Column; 6] = [
    Column::TimePercent,
    Column::TotalTime,
    Column::AvgTime,
    Column::Calls,
    Column::Errors,
    Column::Name,
];

/// `-S`: the column the rows are sorted by (`None`: syscall number order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortBy(pub Option<Column>);

impl SortBy {
    pub const TIME: SortBy = SortBy(Some(Column::TimePercent));
}

impl Default for SortBy {
    fn default() -> SortBy {
        SortBy::TIME
    }
}

/// strace's column_aliases: `Some(None)` for `none`/`nothing`.
fn column_by_name(name: &str) -> Option<Option<Column>> {
    use Column::*;
    Some(Some(match name {
        "time" | "time_percent" | "time-percent" => TimePercent,
        "time_total" | "time-total" | "total_time" | "total-time" => TotalTime,
        "min_time" | "min-time" | "shortest" | "time_min" | "time-min" => MinTime,
        "longest" | "max_time" | "max-time" | "time_max" | "time-max" => MaxTime,
        "avg_time" | "avg-time" | "time_avg" | "time-avg" => AvgTime,
        "calls" | "count" => Calls,
        "error" | "errors" => Errors,
        "name" | "syscall" | "syscall_name" | "syscall-name" => Name,
        "none" | "nothing" => return Some(None),
        _ => return None,
    }))
}

impl std::str::FromStr for SortBy {
    type Err = String;

    /// strace's set_sortby().
    fn from_str(text: &str) -> Result<SortBy, String> {
        column_by_name(text)
            .map(SortBy)
            .ok_or_else(|| format!("invalid sortby: '{text}'"))
    }
}

/// strace's set_count_summary_columns(): a comma list; `name` is always shown.
pub fn parse_columns(text: &str) -> Result<Vec<Column>, String> {
    let mut columns = Vec::new();
    let mut rest = text;
    loop {
        let (item, next) = match rest.split_once(',') {
            Some((item, next)) => (item, Some(next)),
            None => (rest, None),
        };
        match column_by_name(item) {
            Some(Some(column)) => {
                if columns.contains(&column) {
                    return Err(format!(
                        "call summary column has been provided more than once: '{item}' \
                         (-U option residual: '{rest}')"
                    ));
                }
                columns.push(column);
            }
            _ => return Err(format!("unknown column name: '{item}'")),
        }
        match next {
            Some(next) => rest = next,
            None => break,
        }
    }
    if !columns.contains(&Column::Name) {
        columns.push(Column::Name);
    }
    Ok(columns)
}

#[derive(Debug, Clone, Copy)]
struct Counts {
    calls: u64,
    errors: u64,
    time: Duration,
    min: Duration,
    max: Duration,
}

impl Default for Counts {
    fn default() -> Counts {
        Counts {
            calls: 0,
            errors: 0,
            time: Duration::ZERO,
            min: Duration::MAX,
            max: Duration::ZERO,
        }
    }
}

/// The counters, indexed by syscall number.
#[derive(Debug)]
pub struct Summary {
    by_nr: Vec<Counts>,
    overhead: Duration,
}

impl Default for Summary {
    fn default() -> Summary {
        Summary::new(Duration::ZERO)
    }
}

impl Summary {
    /// `overhead` (`-O`) is taken off each call's time.
    pub fn new(overhead: Duration) -> Summary {
        Summary {
            by_nr: vec![Counts::default(); 512],
            overhead,
        }
    }

    fn slot(&mut self, nr: u64) -> Option<&mut Counts> {
        let index = nr as usize;
        if index >= self.by_nr.len() {
            if index > 1 << 16 {
                return None;
            }
            self.by_nr.resize(index + 1, Counts::default());
        }
        Some(&mut self.by_nr[index])
    }

    /// Counts one finished call.
    #[inline]
    pub fn add(&mut self, nr: u64, time: Duration, failed: bool) {
        let time = time.saturating_sub(self.overhead);
        let Some(counts) = self.slot(nr) else {
            return;
        };
        counts.calls += 1;
        counts.errors += u64::from(failed);
        counts.time += time;
        counts.min = counts.min.min(time);
        counts.max = counts.max.max(time);
    }

    /// Adds totals counted elsewhere (the eBPF counter, which has no shortest and longest).
    /// `-O` comes off each call, as far as totals allow: calls shorter than the overhead count
    /// 0 with strace but take from the others' time here, so the total can come out lower.
    pub fn add_totals(&mut self, nr: u64, calls: u64, errors: u64, time: Duration) {
        let overhead = self
            .overhead
            .saturating_mul(u32::try_from(calls).unwrap_or(u32::MAX));
        let time = time.saturating_sub(overhead);
        let Some(counts) = self.slot(nr) else {
            return;
        };
        counts.calls += calls;
        counts.errors += errors;
        counts.time += time;
    }

    /// The table, exactly as strace's call_summary_pers() prints it.
    pub fn render(&self, sort: SortBy, columns: &[Column]) -> String {
        let mut rows: Vec<(String, Counts)> = self
            .by_nr
            .iter()
            .enumerate()
            .filter(|(_, c)| c.calls > 0)
            .map(|(nr, c)| (syscall_name(nr as u64), *c))
            .collect();
        let avg = |c: &Counts| c.time / c.calls.max(1) as u32;
        // Stable sorts over the syscall-number order: ties come out in that order, as with
        // strace (glibc's qsort is a merge sort).
        match sort.0 {
            Some(Column::TimePercent | Column::TotalTime) => {
                rows.sort_by_key(|row| Reverse(row.1.time))
            }
            Some(Column::MinTime) => rows.sort_by_key(|row| Reverse(row.1.min)),
            Some(Column::MaxTime) => rows.sort_by_key(|row| Reverse(row.1.max)),
            Some(Column::AvgTime) => rows.sort_by_key(|row| Reverse(avg(&row.1))),
            Some(Column::Calls) => rows.sort_by_key(|row| Reverse(row.1.calls)),
            Some(Column::Errors) => rows.sort_by_key(|row| Reverse(row.1.errors)),
            Some(Column::Name) => rows.sort_by(|a, b| a.0.cmp(&b.0)),
            None => {}
        }
        let mut total = Counts::default();
        let mut min_max = Duration::ZERO;
        let mut avg_max = Duration::ZERO;
        for (_, c) in &rows {
            total.calls += c.calls;
            total.errors += c.errors;
            total.time += c.time;
            total.min = total.min.min(c.min);
            total.max = total.max.max(c.max);
            min_max = min_max.max(c.min);
            avg_max = avg_max.max(avg(c));
        }
        if rows.is_empty() {
            total.min = Duration::ZERO;
        }
        let total_secs = total.time.as_secs_f64();
        let width = |column: Column| -> usize {
            match column {
                Column::TimePercent => 6,
                Column::TotalTime => 11.max(format!("{total_secs:.6}").len()),
                Column::MinTime => 8.max(format!("{}.000000", min_max.as_secs()).len()),
                Column::MaxTime => 7.max(format!("{}.000000", total.max.as_secs()).len()),
                Column::AvgTime => 11.max((avg_max.as_secs_f64() * 1e6).trunc().to_string().len()),
                Column::Calls => 9.max(total.calls.to_string().len()),
                Column::Errors => 9.max(total.errors.to_string().len()),
                Column::Name => 16.max(rows.iter().map(|r| r.0.len()).max().unwrap_or(0) + 1),
            }
        };
        let last = columns.len().saturating_sub(1);
        let mut out = String::new();
        for (i, &column) in columns.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let title = title(column);
            let w = width(column);
            if column == Column::Name {
                if i == last {
                    out.push_str(title);
                } else {
                    let _ = write!(out, "{title:<w$}");
                }
            } else {
                let _ = write!(out, "{title:>w$}");
            }
        }
        out.push('\n');
        let rule: String = columns
            .iter()
            .map(|&c| "-".repeat(width(c)))
            .collect::<Vec<_>>()
            .join(" ");
        out.push_str(&rule);
        out.push('\n');
        let cell =
            |out: &mut String, i: usize, column: Column, c: &Counts, name: &str, percent: f64| {
                if i > 0 {
                    out.push(' ');
                }
                let w = width(column);
                let min = if c.min == Duration::MAX {
                    Duration::ZERO
                } else {
                    c.min
                };
                let _ = match column {
                    Column::TimePercent => write!(out, "{percent:>w$.2}"),
                    Column::TotalTime => write!(out, "{:>w$.6}", c.time.as_secs_f64()),
                    Column::MinTime => write!(out, "{:>w$.6}", min.as_secs_f64()),
                    Column::MaxTime => write!(out, "{:>w$.6}", c.max.as_secs_f64()),
                    Column::AvgTime => {
                        let micros = (avg(c).as_secs_f64() * 1e6) as u64;
                        write!(out, "{micros:>w$}")
                    }
                    Column::Calls => write!(out, "{:>w$}", c.calls),
                    Column::Errors if c.errors == 0 => write!(out, "{:>w$}", ""),
                    Column::Errors => write!(out, "{:>w$}", c.errors),
                    Column::Name if i == last => write!(out, "{name}"),
                    Column::Name => write!(out, "{name:<w$}"),
                };
            };
        for (name, counts) in &rows {
            let mut percent = 100.0 * counts.time.as_secs_f64();
            if percent != 0.0 {
                percent /= total_secs;
            }
            for (i, &column) in columns.iter().enumerate() {
                cell(&mut out, i, column, counts, name, percent);
            }
            out.push('\n');
        }
        out.push_str(&rule);
        out.push('\n');
        // The totals row's average is over all calls.
        for (i, &column) in columns.iter().enumerate() {
            if column == Column::AvgTime {
                if i > 0 {
                    out.push(' ');
                }
                let w = width(column);
                let micros = if total.calls > 0 {
                    (total_secs / total.calls as f64 * 1e6) as u64
                } else {
                    0
                };
                let _ = write!(out, "{micros:>w$}");
            } else {
                cell(&mut out, i, column, &total, "total", 100.0);
            }
        }
        out.push('\n');
        out
    }
}

fn title(column: Column) -> &'static str {
    match column {
        Column::TimePercent => "% time",
        Column::TotalTime => "seconds",
        Column::MinTime => "shortest",
        Column::MaxTime => "longest",
        Column::AvgTime => "usecs/call",
        Column::Calls => "calls",
        Column::Errors => "errors",
        Column::Name => "syscall",
    }
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

    /// `-O` on the kernel counter's totals: taken off each call (strace's count.test:
    /// `-cw -O4.5e2ms` of `sleep 1` shows 0.5x seconds), never below zero.
    #[test]
    fn overhead_comes_off_each_counted_call() {
        let mut summary = Summary::new(Duration::from_millis(450));
        summary.add_totals(35, 1, 0, Duration::from_millis(1000));
        summary.add_totals(39, 3, 0, Duration::from_millis(1000));
        assert_eq!(summary.by_nr[35].time, Duration::from_millis(550));
        assert_eq!(summary.by_nr[39].time, Duration::ZERO);
        assert_eq!(summary.by_nr[39].calls, 3);
    }

    #[test]
    fn table_like_strace() {
        let mut summary = Summary::default();
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
        assert_eq!(summary.render(SortBy::TIME, &DEFAULT_COLUMNS), want);
        let by_name = summary.render("name".parse().unwrap(), &DEFAULT_COLUMNS);
        let names: Vec<&str> = by_name
            .lines()
            .skip(2)
            .take(3)
            .map(|l| l.rsplit(' ').next().unwrap())
            .collect();
        assert_eq!(names, ["access", "brk", "mmap"]);
        // timer_getoverrun (16 characters) widens the rule to 17 dashes, as with strace.
        summary.add(225, Duration::ZERO, true);
        let rendered = summary.render(SortBy::TIME, &DEFAULT_COLUMNS);
        let rule = rendered.lines().nth(1).unwrap();
        assert!(rule.ends_with(" -----------------"), "{rule}");
    }

    #[test]
    fn chosen_columns() {
        let mut summary = Summary::default();
        summary.add(9, Duration::from_micros(3), false);
        summary.add(9, Duration::from_micros(5), false);
        let columns = parse_columns("name,min-time,max-time,calls").unwrap();
        let want = "\
syscall          shortest  longest     calls
---------------- -------- -------- ---------
mmap             0.000003 0.000005         2
---------------- -------- -------- ---------
total            0.000003 0.000005         2
";
        assert_eq!(summary.render(SortBy::TIME, &columns), want);
        assert_eq!(
            parse_columns("calls,bogus").unwrap_err(),
            "unknown column name: 'bogus'"
        );
        assert_eq!(
            parse_columns("calls,count").unwrap_err(),
            "call summary column has been provided more than once: 'count' (-U option residual: 'count')"
        );
        assert_eq!(
            parse_columns("calls").unwrap(),
            [Column::Calls, Column::Name]
        );
        assert_eq!("none".parse::<SortBy>().unwrap(), SortBy(None));
        assert_eq!(
            "bogus".parse::<SortBy>().unwrap_err(),
            "invalid sortby: 'bogus'"
        );
    }
}
