//! `/proc/PID/stat` (and `/proc/PID/task/TID/stat`): the one-line, space-separated record that
//! `ps` reads. Field numbers follow proc_pid_stat(5).

/// The fields of `/proc/PID/stat` that Saker uses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stat {
    pub pid: u32,
    /// `comm`: the thread name, at most 15 bytes, without the surrounding parentheses.
    pub comm: String,
    /// One of `R S D Z T t X I P W K`.
    pub state: char,
    pub ppid: u32,
    pub pgrp: i32,
    pub session: i32,
    /// Controlling terminal as a device number (0 = none).
    pub tty_nr: u32,
    /// Foreground process group of the terminal (-1 = none).
    pub tpgid: i32,
    pub flags: u32,
    /// User and system CPU time in clock ticks.
    pub utime: u64,
    pub stime: u64,
    pub priority: i64,
    pub nice: i64,
    pub num_threads: u32,
    /// Start time in clock ticks after boot.
    pub starttime: u64,
    /// Virtual memory size in bytes.
    pub vsize: u64,
    /// Resident set size in pages.
    pub rss: u64,
    /// CPU the task last ran on (0 when the kernel's line is too short to have it).
    pub processor: u32,
    /// Scheduling policy: 0 SCHED_OTHER, 1 FIFO, 2 RR, 3 BATCH, 5 IDLE, 6 DEADLINE.
    pub policy: u32,
}

/// Kernel threads carry PF_KTHREAD in `flags` (include/linux/sched.h).
const PF_KTHREAD: u32 = 0x0020_0000;

impl Stat {
    /// True for kernel threads (kthreadd and its children), which have no command line.
    pub fn is_kernel_thread(&self) -> bool {
        self.flags & PF_KTHREAD != 0
    }
}

/// Parses the text of a stat file. `comm` may contain spaces and parentheses, so the name is
/// taken between the first `(` and the *last* `)`, as procps does. Returns a description of
/// the problem on malformed input.
pub fn parse_stat(text: &[u8]) -> Result<Stat, String> {
    let open = memchr::memchr(b'(', text).ok_or("no '(' before comm")?;
    let close = memchr::memrchr(b')', text).ok_or("no ')' after comm")?;
    if close < open {
        return Err("')' before '('".into());
    }
    let pid = std::str::from_utf8(&text[..open])
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .ok_or("bad pid")?;
    let comm = String::from_utf8_lossy(&text[open + 1..close]).into_owned();
    let rest = std::str::from_utf8(&text[close + 1..]).map_err(|_| "non-UTF-8 fields")?;
    // `fields[0]` is field 3 (state) of proc_pid_stat(5).
    let fields: Vec<&str> = rest.split_ascii_whitespace().collect();
    if fields.len() < 22 {
        return Err(format!(
            "{} fields after comm, want at least 22",
            fields.len()
        ));
    }
    let field = |n: usize| fields[n - 3];
    fn num<T: std::str::FromStr>(s: &str, name: &str) -> Result<T, String> {
        s.parse().map_err(|_| format!("bad {name} {s:?}"))
    }
    Ok(Stat {
        pid,
        comm,
        state: field(3).chars().next().unwrap_or('?'),
        ppid: num(field(4), "ppid")?,
        pgrp: num(field(5), "pgrp")?,
        session: num(field(6), "session")?,
        tty_nr: num::<i64>(field(7), "tty_nr")? as u32,
        tpgid: num(field(8), "tpgid")?,
        flags: num(field(9), "flags")?,
        utime: num(field(14), "utime")?,
        stime: num(field(15), "stime")?,
        priority: num(field(18), "priority")?,
        nice: num(field(19), "nice")?,
        num_threads: num(field(20), "num_threads")?,
        starttime: num(field(22), "starttime")?,
        vsize: num(field(23), "vsize")?,
        rss: num::<i64>(field(24), "rss")?.max(0) as u64,
        // Fields 39 and 41 exist since Linux 2.2 and 2.5.19; old captures may lack them.
        processor: fields.get(39 - 3).map_or(Ok(0), |v| num(v, "processor"))?,
        policy: fields.get(41 - 3).map_or(Ok(0), |v| num(v, "policy"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_python_stat() {
        let s = parse_stat(include_bytes!("../tests/fixtures/stat-python.txt")).unwrap();
        assert_eq!(s.pid, 8020);
        assert_eq!(s.comm, "python3");
        assert_eq!(s.state, 'S');
        assert_eq!(s.ppid, 8016);
        assert_eq!((s.pgrp, s.session, s.tty_nr, s.tpgid), (8016, 4659, 0, -1));
        assert_eq!((s.utime, s.stime), (3, 1));
        assert_eq!((s.priority, s.nice, s.num_threads), (20, 0, 1));
        assert_eq!(s.starttime, 35993);
        assert_eq!(s.vsize, 18604032);
        assert_eq!(s.rss, 3581);
        assert_eq!((s.processor, s.policy), (1, 0));
        assert!(!s.is_kernel_thread());
    }

    #[test]
    fn comm_with_spaces_and_parens() {
        let text =
            b"42 (a) b (c)) R 1 42 42 34816 42 4194560 0 0 0 0 7 8 0 0 20 0 3 0 99 4096 2 0\n";
        let s = parse_stat(text).unwrap();
        assert_eq!(s.comm, "a) b (c)");
        assert_eq!(s.state, 'R');
        assert_eq!(s.tty_nr, 34816);
        assert_eq!(
            (s.utime, s.stime, s.num_threads, s.starttime),
            (7, 8, 3, 99)
        );
    }

    #[test]
    fn kernel_thread_flag() {
        let text = b"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 18446744073709551615 0\n";
        assert!(parse_stat(text).unwrap().is_kernel_thread());
    }

    #[test]
    fn malformed() {
        for bad in [
            &b""[..],
            b"1 (x",
            b"1 (x) S 0",
            b"x (y) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 0",
        ] {
            assert!(
                parse_stat(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
