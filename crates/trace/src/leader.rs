//! What comes before each line (strace's printleader()): the pid, the time (`-t`, `-r`), the
//! syscall number (`-n`) and the instruction pointer (`-i`).

use std::fmt::Write as _;
use std::time::Duration;

use saker_event::timefmt;

use crate::options::{AbsoluteTime, Options, Output, Precision};

/// Which pid prefix lines carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PidPrefix {
    /// One output per process (`-ff`): none.
    None,
    /// `N ` in a shared output file with `-f` or several `-p` (strace's print_pid_pfx).
    Plain,
    /// `[pid N] ` on stderr while more than one process is traced.
    Bracketed,
}

/// How many processes the trace starts with: the `-p` ones and the command.
fn initial_processes(options: &Options) -> usize {
    options.pids.len() + usize::from(!options.command.is_empty())
}

/// The parts of a line's start that change from line to line.
pub struct LineStart<'a> {
    pub pid: i32,
    /// More than one process is traced right now.
    pub several: bool,
    /// The process's command name, for `-Y`.
    pub comm: Option<&'a str>,
    /// The wall-clock time, for `-t`.
    pub wall: Duration,
    /// The monotonic time, for `-r`.
    pub mono: Duration,
    /// The syscall number, for `-n` (`None` prints `?`).
    pub nr: Option<u64>,
    /// The instruction pointer, for `-i` (`None` prints `?`s).
    pub ip: Option<u64>,
}

/// The leader's settings and the time of the previous line (for `-r`).
pub struct Leader {
    pid_prefix: PidPrefix,
    comm: bool,
    /// `-x`/`-xx`: how names are escaped.
    hex: u8,
    absolute: Option<AbsoluteTime>,
    relative: Option<Precision>,
    syscall_number: bool,
    instruction_pointer: bool,
    last_mono: Option<Duration>,
}

impl Leader {
    pub fn new(options: &Options) -> Leader {
        let to_file = options.output_is_file();
        let pid_prefix = if to_file && options.output_separately {
            PidPrefix::None
        } else if to_file && (options.follow_forks || initial_processes(options) > 1) {
            PidPrefix::Plain
        } else if matches!(options.output, Output::Stderr) {
            PidPrefix::Bracketed
        } else {
            PidPrefix::None
        };
        Leader {
            pid_prefix,
            comm: options.decode_pids.comm,
            hex: options.hex,
            absolute: options.absolute_time,
            relative: options.relative_time,
            syscall_number: options.syscall_number,
            instruction_pointer: options.instruction_pointer,
            last_mono: None,
        }
    }

    /// Whether lines need the wall-clock time.
    pub fn needs_wall_time(&self) -> bool {
        self.absolute.is_some()
    }

    /// Whether lines need the monotonic time.
    pub fn needs_mono_time(&self) -> bool {
        self.relative.is_some()
    }

    /// Whether `-Y` wants command names.
    pub fn wants_comm(&self) -> bool {
        self.comm
    }

    /// Appends the leader for a line to `out`.
    pub fn write(&mut self, out: &mut String, start: &LineStart<'_>) {
        let comm = start.comm.filter(|_| self.comm);
        match self.pid_prefix {
            PidPrefix::Plain => match comm {
                Some(comm) => {
                    let _ = write!(out, "{}", start.pid);
                    saker_syscalls::write_comm(out, comm.as_bytes(), self.hex);
                    out.push(' ');
                }
                None => {
                    let _ = write!(out, "{:<5} ", start.pid);
                }
            },
            PidPrefix::Bracketed if start.several => {
                let _ = write!(out, "[pid {:>5}", start.pid);
                if let Some(comm) = comm {
                    saker_syscalls::write_comm(out, comm.as_bytes(), self.hex);
                }
                out.push_str("] ");
            }
            _ => {}
        }
        if let Some(absolute) = self.absolute {
            timefmt::write_clock_time(out, absolute.unix, absolute.precision.0, start.wall);
        }
        if let Some(precision) = self.relative {
            let last = *self.last_mono.get_or_insert(start.mono);
            let delta = start.mono.saturating_sub(last);
            self.last_mono = Some(start.mono);
            let open = if self.absolute.is_some() { "(+" } else { "" };
            out.push_str(open);
            timefmt::write_seconds(out, 6, delta, precision.0);
            out.push_str(if self.absolute.is_some() { ") " } else { " " });
        }
        if self.syscall_number {
            match start.nr {
                Some(nr) => {
                    let _ = write!(out, "[{nr:>4}] ");
                }
                None => out.push_str("[?] "),
            }
        }
        if self.instruction_pointer {
            match start.ip {
                Some(ip) => {
                    let _ = write!(out, "[{ip:016x}] ");
                }
                None => out.push_str("[????????????????] "),
            }
        }
    }
}

/// Ends a call's line: `) ` is already there at `col`; pads to the `-a` column (strace's
/// tabto()), then `= RESULT`, the `-T` time and the newline.
pub fn finish_call(
    line: &mut String,
    col: usize,
    column: usize,
    result: &str,
    spent: Option<(Duration, Precision)>,
) {
    line.push(' ');
    for _ in col + 1..column {
        line.push(' ');
    }
    line.push_str("= ");
    line.push_str(result);
    if let Some((spent, precision)) = spent {
        line.push_str(" <");
        timefmt::write_seconds(line, 0, spent, precision.0);
        line.push('>');
    }
    line.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(pid: i32) -> LineStart<'static> {
        LineStart {
            pid,
            several: true,
            comm: Some("cat"),
            wall: Duration::new(1_700_000_000, 5_000_000),
            mono: Duration::from_millis(100),
            nr: Some(1),
            ip: Some(0x7f00_0000_1234),
        }
    }

    #[test]
    fn every_part() {
        let mut options = Options::new(vec!["x".into()]);
        options.decode_pids.comm = true;
        options.absolute_time = Some(AbsoluteTime {
            unix: true,
            precision: Precision(3),
        });
        options.relative_time = Some(Precision(6));
        options.syscall_number = true;
        options.instruction_pointer = true;
        let mut leader = Leader::new(&options);
        let mut out = String::new();
        leader.write(&mut out, &start(42));
        assert_eq!(
            out,
            "[pid    42<cat>] 1700000000.005 (+     0.000000) [   1] [00007f0000001234] "
        );
        out.clear();
        let mut later = start(42);
        later.mono += Duration::from_micros(1500);
        later.nr = None;
        later.ip = None;
        later.several = false;
        leader.write(&mut out, &later);
        assert_eq!(
            out,
            "1700000000.005 (+     0.001500) [?] [????????????????] "
        );
    }

    #[test]
    fn pid_prefix_in_a_file() {
        let mut options = Options::new(vec!["x".into()]);
        options.output = Output::File("out".into());
        options.follow_forks = true;
        let mut leader = Leader::new(&options);
        let mut out = String::new();
        let mut line = start(42);
        line.comm = None;
        leader.write(&mut out, &line);
        assert_eq!(out, "42    ");
        options.output_separately = true;
        let mut out = String::new();
        Leader::new(&options).write(&mut out, &line);
        assert_eq!(out, "");
    }
}
