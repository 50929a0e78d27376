//! `/proc/PID/status`: the human-readable `Key:\tvalue` view with ids, capabilities, seccomp.

/// The fields of `/proc/PID/status` that Saker uses. Absent keys keep their default (old
/// kernels lack e.g. `NoNewPrivs`; kernel threads lack the `Vm*` lines).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    pub name: String,
    /// e.g. `S (sleeping)`.
    pub state: String,
    pub tgid: u32,
    pub pid: u32,
    pub ppid: u32,
    pub tracer_pid: u32,
    /// Real, effective, saved set, filesystem.
    pub uid: [u32; 4],
    pub gid: [u32; 4],
    pub groups: Vec<u32>,
    /// The pid in each nested pid namespace, outermost first (`NSpid`).
    pub ns_pid: Vec<u32>,
    pub threads: u32,
    /// Resident and locked memory in kB.
    pub vm_rss_kb: u64,
    pub vm_lck_kb: u64,
    pub cap_inh: u64,
    pub cap_prm: u64,
    pub cap_eff: u64,
    pub cap_bnd: u64,
    pub cap_amb: u64,
    pub no_new_privs: bool,
    /// 0 disabled, 1 strict, 2 filter.
    pub seccomp: u8,
    pub seccomp_filters: u32,
}

/// Parses the text of a status file. Unknown keys are ignored so that new kernels keep working;
/// a known key with a malformed value is an error.
pub fn parse_status(text: &str) -> Result<Status, String> {
    let mut st = Status::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        let bad = || format!("bad {key} value {value:?}");
        let num = |v: &str| v.parse::<u32>().map_err(|_| bad());
        let hex = |v: &str| u64::from_str_radix(v, 16).map_err(|_| bad());
        let kb = |v: &str| {
            v.trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .map_err(|_| bad())
        };
        let list =
            |v: &str| -> Result<Vec<u32>, String> { v.split_ascii_whitespace().map(num).collect() };
        match key {
            "Name" => st.name = unescape_name(value),
            "State" => st.state = value.to_string(),
            "Tgid" => st.tgid = num(value)?,
            "Pid" => st.pid = num(value)?,
            "PPid" => st.ppid = num(value)?,
            "TracerPid" => st.tracer_pid = num(value)?,
            "Uid" | "Gid" => {
                let ids = list(value)?;
                let ids: [u32; 4] = ids.try_into().map_err(|_| bad())?;
                if key == "Uid" {
                    st.uid = ids;
                } else {
                    st.gid = ids;
                }
            }
            "Groups" => st.groups = list(value)?,
            "NSpid" => st.ns_pid = list(value)?,
            "Threads" => st.threads = num(value)?,
            "VmRSS" => st.vm_rss_kb = kb(value)?,
            "VmLck" => st.vm_lck_kb = kb(value)?,
            "CapInh" => st.cap_inh = hex(value)?,
            "CapPrm" => st.cap_prm = hex(value)?,
            "CapEff" => st.cap_eff = hex(value)?,
            "CapBnd" => st.cap_bnd = hex(value)?,
            "CapAmb" => st.cap_amb = hex(value)?,
            "NoNewPrivs" => st.no_new_privs = value == "1",
            "Seccomp" => st.seccomp = value.parse().map_err(|_| bad())?,
            "Seccomp_filters" => st.seccomp_filters = num(value)?,
            _ => {}
        }
    }
    if st.pid == 0 && st.name.is_empty() {
        return Err("no Name or Pid line".into());
    }
    Ok(st)
}

/// The kernel escapes `\n` and `\\` in the Name line (fs/proc/array.c, proc_task_name).
fn unescape_name(s: &str) -> String {
    s.replace("\\n", "\n").replace("\\\\", "\\")
}

/// The name of a seccomp mode as `Seccomp:` reports it.
pub fn seccomp_mode_name(mode: u8) -> &'static str {
    match mode {
        0 => "disabled",
        1 => "strict",
        2 => "filter",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_podman_sleep() {
        let st = parse_status(include_str!("../tests/fixtures/status-podman-sleep.txt")).unwrap();
        assert_eq!(st.name, "sleep");
        assert_eq!(st.state, "S (sleeping)");
        assert_eq!(
            (st.tgid, st.pid, st.ppid, st.tracer_pid),
            (7205, 7205, 7194, 0)
        );
        assert_eq!(st.uid, [0; 4]);
        assert_eq!(st.ns_pid, vec![7205, 1]);
        assert_eq!(st.threads, 1);
        assert_eq!(st.vm_rss_kb, 1384);
        assert_eq!(st.cap_eff, 0x8004_05fb);
        assert_eq!(st.cap_bnd, 0x8004_05fb);
        assert_eq!(st.cap_amb, 0);
        assert!(!st.no_new_privs);
        assert_eq!((st.seccomp, st.seccomp_filters), (2, 1));
        assert!(st.groups.is_empty());
    }

    #[test]
    fn captured_python() {
        let st = parse_status(include_str!("../tests/fixtures/status-python.txt")).unwrap();
        assert_eq!(st.name, "python3");
        assert_eq!(st.pid, 8020);
        assert_eq!(st.seccomp, 0);
    }

    #[test]
    fn ids_and_flags() {
        let text = "Name:\ta\\nb\nPid:\t5\nUid:\t1000\t1001\t1002\t1003\nGid:\t1\t2\t3\t4\n\
                    Groups:\t4 24 27 \nNoNewPrivs:\t1\nSeccomp:\t1\nFutureKey:\twhatever\n";
        let st = parse_status(text).unwrap();
        assert_eq!(st.name, "a\nb");
        assert_eq!(st.uid, [1000, 1001, 1002, 1003]);
        assert_eq!(st.gid, [1, 2, 3, 4]);
        assert_eq!(st.groups, vec![4, 24, 27]);
        assert!(st.no_new_privs);
        assert_eq!(seccomp_mode_name(st.seccomp), "strict");
    }

    #[test]
    fn malformed() {
        assert!(parse_status("").is_err());
        assert!(parse_status("Name:\tx\nUid:\t1 2\n").is_err());
        assert!(parse_status("Name:\tx\nCapEff:\tzz\n").is_err());
    }
}
