//! `--json`: one object per line for each syscall, signal and process end. The schema is in
//! docs/trace-json.md; keep the two in step.

use std::fmt::Write as _;
use std::time::Duration;

/// Appends `s` as a JSON string literal.
pub fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_time(out: &mut String, at: Duration) {
    let _ = write!(out, "{}.{:06}", at.as_secs(), at.subsec_micros());
}

/// The fields every record starts with.
pub fn begin(out: &mut String, kind: &str, pid: i32, at: Duration) {
    out.push_str("{\"type\":");
    push_str(out, kind);
    let _ = write!(out, ",\"pid\":{pid},\"time\":");
    push_time(out, at);
}

/// The fields of a signal record after [`begin`]: its name and strace's siginfo text.
pub fn signal_fields(sig: i32, siginfo: &str) -> String {
    let mut fields = String::from(",\"signal\":");
    push_str(&mut fields, saker_syscalls::signal_name(sig).unwrap_or("?"));
    fields.push_str(",\"siginfo\":");
    push_str(&mut fields, siginfo);
    fields
}

/// The fields of an exit record after [`begin`]: the exit code.
pub fn exited_fields(code: i32) -> String {
    format!(",\"exit_code\":{code}")
}

/// The fields of an exit record after [`begin`]: the killing signal.
pub fn killed_fields(sig: i32, core_dumped: bool) -> String {
    let mut fields = String::from(",\"signal\":");
    push_str(&mut fields, saker_syscalls::signal_name(sig).unwrap_or("?"));
    let _ = write!(fields, ",\"core_dumped\":{core_dumped}");
    fields
}

/// A finished (or never finished, `ret == None`) system call.
#[allow(clippy::too_many_arguments)]
pub fn syscall<'a>(
    out: &mut String,
    pid: i32,
    at: Duration,
    name: &str,
    nr: u64,
    args: impl Iterator<Item = &'a str>,
    raw: &[u64; 6],
    ret: Option<i64>,
    errno: Option<(i32, &str)>,
    result: &str,
    duration: Option<Duration>,
) {
    begin(out, "syscall", pid, at);
    out.push_str(",\"name\":");
    push_str(out, name);
    let _ = write!(out, ",\"nr\":{nr},\"args\":[");
    for (i, arg) in args.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str(out, arg);
    }
    out.push_str("],\"raw_args\":[");
    for (i, value) in raw.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "\"{value:#x}\"");
    }
    out.push_str("],\"return\":");
    match (ret, errno) {
        (None, _) => out.push_str("null"),
        (Some(_), Some(_)) => out.push_str("-1"),
        (Some(value), None) => {
            let _ = write!(out, "{value}");
        }
    }
    out.push_str(",\"errno\":");
    match errno {
        Some((_, name)) => push_str(out, name),
        None => out.push_str("null"),
    }
    out.push_str(",\"result\":");
    push_str(out, result);
    out.push_str(",\"duration\":");
    match duration {
        Some(spent) => push_time(out, spent),
        None => out.push_str("null"),
    }
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syscall_record_is_valid_json() {
        let mut out = String::new();
        syscall(
            &mut out,
            42,
            Duration::new(1_700_000_000, 5_000),
            "openat",
            257,
            ["AT_FDCWD", "\"/etc/x\"", "O_RDONLY"].into_iter(),
            &[0xffff_ff9c, 0x1000, 0, 0, 0, 0],
            Some(-2),
            Some((2, "ENOENT")),
            "-1 ENOENT (No such file or directory)",
            Some(Duration::from_micros(3)),
        );
        let value: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
        assert_eq!(value["name"], "openat");
        assert_eq!(value["args"][1], "\"/etc/x\"");
        assert_eq!(value["raw_args"][0], "0xffffff9c");
        assert_eq!(value["return"], -1);
        assert_eq!(value["errno"], "ENOENT");
        assert_eq!(value["time"].as_f64(), Some(1_700_000_000.000005));
        assert_eq!(value["duration"].as_f64(), Some(0.000003));
    }
}
