//! `saker trace`'s command line: strace 6.1's options with strace's meaning (strace.c init()),
//! split by [`crate::getopt`] exactly as strace's getopt_long splits them. Every option strace
//! 6.1 lists in `--help` is either implemented or refused with "is not supported yet"; nothing
//! unknown is ever taken as the command to run.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

use saker_syscalls::XlatStyle;

use crate::Error;
use crate::filter::StatusSet;
use crate::getopt::{Found, HasArg, LongOption, getopt};
use crate::options::{AbsoluteTime, Interruptible, Options, Output, Precision, SummaryOptions};
use crate::qualify::{self, Given, Qualifier, string_to_uint};
use crate::summary::{DEFAULT_COLUMNS, SortBy, parse_columns};

/// What the command line asks for.
#[derive(Debug)]
pub enum Request {
    Trace(Box<Options>),
    /// `-h`/`--help`.
    Help,
    /// `-V`/`--version`.
    Version,
}

/// strace's option string (`+` dropped: options always stop at the first operand).
const SHORT: &str = "a:Ab:cCdDe:E:fFhiI:kno:O:p:P:qrs:S:tTu:U:vVwxX:yYzZ";

/// Long options without a short form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Long {
    Short(u8),
    Daemonize,
    FollowForks,
    OutputSeparately,
    Timestamps,
    StringsInHex,
    PidnsTranslation,
    SeccompBpf,
    Tips,
    Qualifier(Qualifier),
    Json,
    Ebpf,
}

const fn opt(name: &'static str, has_arg: HasArg, id: Long) -> LongOption<Long> {
    LongOption { name, has_arg, id }
}

const fn qual(name: &'static str, has_arg: HasArg, q: Qualifier) -> LongOption<Long> {
    opt(name, has_arg, Long::Qualifier(q))
}

use HasArg::{No, Optional, Required};
use Long::Short as S;

/// strace 6.1's longopts, plus Saker's `--json` and `--ebpf`.
const LONG: &[LongOption<Long>] = &[
    opt("columns", Required, S(b'a')),
    opt("output-append-mode", No, S(b'A')),
    opt("detach-on", Required, S(b'b')),
    opt("summary-only", No, S(b'c')),
    opt("summary", No, S(b'C')),
    opt("debug", No, S(b'd')),
    opt("daemonize", Optional, Long::Daemonize),
    opt("daemonised", Optional, Long::Daemonize),
    opt("daemonized", Optional, Long::Daemonize),
    opt("env", Required, S(b'E')),
    opt("follow-forks", No, Long::FollowForks),
    opt("output-separately", No, Long::OutputSeparately),
    opt("help", No, S(b'h')),
    opt("instruction-pointer", No, S(b'i')),
    opt("interruptible", Required, S(b'I')),
    opt("stack-traces", No, S(b'k')),
    opt("syscall-number", No, S(b'n')),
    opt("output", Required, S(b'o')),
    opt("summary-syscall-overhead", Required, S(b'O')),
    opt("attach", Required, S(b'p')),
    opt("trace-path", Required, S(b'P')),
    opt("relative-timestamps", Optional, S(b'r')),
    opt("string-limit", Required, S(b's')),
    opt("summary-sort-by", Required, S(b'S')),
    opt("absolute-timestamps", Optional, Long::Timestamps),
    opt("timestamps", Optional, Long::Timestamps),
    opt("syscall-times", Optional, S(b'T')),
    opt("user", Required, S(b'u')),
    opt("summary-columns", Required, S(b'U')),
    opt("no-abbrev", No, S(b'v')),
    opt("version", No, S(b'V')),
    opt("summary-wall-clock", No, S(b'w')),
    opt("strings-in-hex", Optional, Long::StringsInHex),
    opt("const-print-style", Required, S(b'X')),
    opt("pidns-translation", No, Long::PidnsTranslation),
    opt("successful-only", No, S(b'z')),
    opt("failed-only", No, S(b'Z')),
    opt("failing-only", No, S(b'Z')),
    opt("seccomp-bpf", No, Long::SeccompBpf),
    opt("tips", Optional, Long::Tips),
    qual("trace", Required, Qualifier::Trace),
    qual("abbrev", Required, Qualifier::Abbrev),
    qual("verbose", Required, Qualifier::Verbose),
    qual("raw", Required, Qualifier::Raw),
    qual("signals", Required, Qualifier::Signal),
    qual("status", Required, Qualifier::Status),
    qual("read", Required, Qualifier::Read),
    qual("write", Required, Qualifier::Write),
    qual("fault", Required, Qualifier::Fault),
    qual("inject", Required, Qualifier::Inject),
    qual("kvm", Required, Qualifier::Kvm),
    qual("quiet", Optional, Qualifier::Quiet),
    qual("silent", Optional, Qualifier::Quiet),
    qual("silence", Optional, Qualifier::Quiet),
    qual("decode-fds", Optional, Qualifier::DecodeFds),
    qual("decode-pids", Required, Qualifier::DecodePids),
    qual("secontext", Optional, Qualifier::Secontext),
    opt("json", No, Long::Json),
    opt("ebpf", No, Long::Ebpf),
];

/// Everything counted or collected while the options are read; strace settles some of it
/// only after the last option.
#[derive(Default)]
struct Pending {
    follow_short: u8,
    follow_long: bool,
    separately_long: bool,
    quiet_short: u8,
    decode_fds_short: u8,
    hex_short: u8,
    hex_long: Option<u8>,
    timestamps_short: u8,
    timestamps_long: bool,
    summary_only: bool,
    summary_both: bool,
    wall_clock: bool,
    sort_by: Option<SortBy>,
    columns: Option<Vec<crate::summary::Column>>,
    overhead: Duration,
    status_flags: usize,
    interruptible: Option<Interruptible>,
    output: Option<OsString>,
    given: Given,
    deprecated_f: bool,
}

fn usage(message: impl Into<String>) -> Error {
    Error::Usage(message.into())
}

fn fail(message: impl Into<String>) -> Error {
    Error::Failed(message.into())
}

/// strace's error_opt_arg().
fn bad_value(letter: u8, long: Option<&str>, value: &str) -> Error {
    match long {
        Some(name) => usage(format!("invalid --{name} argument: '{value}'")),
        None => usage(format!(
            "invalid -{} argument: '{value}'",
            char::from(letter)
        )),
    }
}

fn not_supported(what: &str) -> Error {
    fail(format!("{what} is not supported yet"))
}

/// Parses `saker trace`'s arguments (without `saker trace` itself).
pub fn parse(args: &[OsString]) -> Result<Request, Error> {
    let parsed = getopt(args, SHORT, LONG).map_err(|e| usage(e.to_string()))?;
    let mut options = Options::new(parsed.operands);
    let mut pending = Pending::default();
    for found in parsed.options {
        let (id, long_name, value) = match found {
            Found::Short(letter, value) => (S(letter), None, value),
            Found::Long(id, name, value) => (id, Some(name), value),
        };
        let text = value.as_ref().map(|v| v.to_string_lossy().into_owned());
        match id {
            S(b'h') => return Ok(Request::Help),
            S(b'V') => return Ok(Request::Version),
            Long::Daemonize | S(b'D') => return Err(not_supported("-D/--daemonize")),
            S(letter) => short_option(&mut options, &mut pending, letter, long_name, value, text)?,
            Long::FollowForks => pending.follow_long = true,
            Long::OutputSeparately => pending.separately_long = true,
            Long::Timestamps => {
                pending.timestamps_long = true;
                options.absolute_time = parse_timestamps(
                    text.as_deref().unwrap_or("format:time"),
                    options.absolute_time,
                )
                .ok_or_else(|| bad_value(0, long_name, text.as_deref().unwrap_or("")))?;
            }
            Long::StringsInHex => {
                let level = match text.as_deref() {
                    None | Some("all") => 2,
                    Some("none") => 0,
                    Some("non-ascii") => 1,
                    Some("non-ascii-chars") => 3,
                    Some(other) => return Err(bad_value(0, long_name, other)),
                };
                pending.hex_long = Some(level);
            }
            Long::PidnsTranslation => options.decode_pids.pidns = true,
            Long::SeccompBpf => options.seccomp_bpf = true,
            Long::Tips => {
                let value = text.as_deref().unwrap_or("");
                if !valid_tips(value) {
                    return Err(bad_value(0, long_name, value));
                }
                options.tips = !value.split(',').any(|t| {
                    t.eq_ignore_ascii_case("none") || t.eq_ignore_ascii_case("format:none")
                });
            }
            Long::Qualifier(qualifier) => {
                let value = text.unwrap_or_else(|| match qualifier {
                    Qualifier::Quiet => "attach,personality".into(),
                    _ => "path".into(),
                });
                qualify::apply(&mut options, &mut pending.given, qualifier, &value)
                    .map_err(fail)?;
            }
            Long::Json => options.json = true,
            Long::Ebpf => options.ebpf = true,
        }
    }
    settle(&mut options, pending)?;
    Ok(Request::Trace(Box::new(options)))
}

fn short_option(
    options: &mut Options,
    pending: &mut Pending,
    letter: u8,
    long_name: Option<&str>,
    value: Option<OsString>,
    text: Option<String>,
) -> Result<(), Error> {
    let text = text.unwrap_or_default();
    let bad = || bad_value(letter, long_name, &text);
    match letter {
        b'a' => options.column = string_to_uint(&text, i32::MAX as u64).ok_or_else(bad)? as usize,
        b'A' => options.append = true,
        b'b' => {
            if text != "execve" {
                return Err(fail(format!("Syscall '{text}' for -b isn't supported")));
            }
            options.detach_on_execve = true;
        }
        b'c' | b'C' => {
            let (this, other) = if letter == b'c' {
                (&mut pending.summary_only, pending.summary_both)
            } else {
                (&mut pending.summary_both, pending.summary_only)
            };
            if other {
                return Err(usage(
                    "-c/--summary-only and -C/--summary are mutually exclusive",
                ));
            }
            *this = true;
        }
        b'd' => return Err(not_supported("-d/--debug")),
        b'e' => qualify::apply_expression(options, &mut pending.given, &text).map_err(fail)?,
        b'E' => options.env.push(value.unwrap_or_default()),
        b'f' => pending.follow_short = pending.follow_short.saturating_add(1),
        b'F' => pending.deprecated_f = true,
        b'i' => options.instruction_pointer = true,
        b'I' => {
            pending.interruptible = Some(match text.as_str() {
                "anywhere" | "always" => Interruptible::Anywhere,
                "waiting" => Interruptible::Waiting,
                "never" => Interruptible::Never,
                "never_tstp" => Interruptible::NeverTstp,
                number => match string_to_uint(number, 4) {
                    Some(1) => Interruptible::Anywhere,
                    Some(2) => Interruptible::Waiting,
                    Some(3) => Interruptible::Never,
                    Some(4) => Interruptible::NeverTstp,
                    _ => return Err(bad()),
                },
            })
        }
        b'k' => options.stack_traces = true,
        b'n' => options.syscall_number = true,
        b'o' => pending.output = value,
        b'O' => pending.overhead = crate::inject::parse_delay(&text).ok_or_else(bad)?,
        b'p' => add_pids(options, &text)?,
        b'P' => {
            if let Some(note) = options.filters.add_path(&value.unwrap_or_default()) {
                // Printed later, once -e quiet= is known; strace prints it at the end too.
                options.path_notes.push(note);
            }
        }
        b'q' => pending.quiet_short = pending.quiet_short.saturating_add(1),
        b'r' => {
            options.relative_time = Some(match value {
                Some(_) => Precision::parse(&text).ok_or_else(bad)?,
                None => Precision::MICROS,
            })
        }
        b's' => {
            options.string_limit =
                string_to_uint(&text, i32::MAX as u64 / 2).ok_or_else(bad)? as usize
        }
        b'S' => pending.sort_by = Some(text.parse::<SortBy>().map_err(usage)?),
        b't' => pending.timestamps_short = pending.timestamps_short.saturating_add(1),
        b'T' => {
            options.syscall_times = Some(match value {
                Some(_) => Precision::parse(&text).ok_or_else(bad)?,
                None => Precision::MICROS,
            })
        }
        b'u' => options.user = Some(text),
        b'U' => pending.columns = Some(parse_columns(&text).map_err(usage)?),
        b'v' => options.abbrev = saker_syscalls::SyscallSet::none(),
        b'w' => pending.wall_clock = true,
        b'x' => pending.hex_short = (pending.hex_short + 1).min(2),
        b'X' => {
            options.xlat = match text.as_str() {
                "raw" => XlatStyle::Raw,
                "abbrev" => XlatStyle::Abbrev,
                "verbose" => XlatStyle::Verbose,
                _ => return Err(bad()),
            }
        }
        b'y' => pending.decode_fds_short = pending.decode_fds_short.saturating_add(1),
        b'Y' => options.decode_pids.comm = true,
        b'z' | b'Z' => {
            options.filters.status = if letter == b'z' {
                StatusSet::successful()
            } else {
                StatusSet::failed()
            };
            pending.status_flags += 1;
        }
        _ => return Err(usage(format!("invalid option -- '{}'", char::from(letter)))),
    }
    Ok(())
}

/// strace's process_opt_p_list(): pids separated by commas, blanks or newlines.
fn add_pids(options: &mut Options, text: &str) -> Result<(), Error> {
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(['\n', '\t', ' ', ',']).unwrap_or(rest.len());
        let item = &rest[..end];
        let pid = string_to_uint(item, i32::MAX as u64)
            .filter(|pid| *pid > 0)
            .ok_or_else(|| fail(format!("Invalid process id: '{item}'")))? as i32;
        if pid as u32 == std::process::id() {
            return Err(fail("I'm sorry, I can't let you do that, Dave."));
        }
        if !options.pids.contains(&pid) {
            options.pids.push(pid);
        }
        rest = rest.get(end + 1..).unwrap_or("");
    }
    Ok(())
}

/// strace's parse_ts_arg(): `[[format:]FORMAT][,[precision:]PRECISION]` in any order.
fn parse_timestamps(text: &str, current: Option<AbsoluteTime>) -> Option<Option<AbsoluteTime>> {
    let mut format: Option<Option<bool>> = None;
    let mut precision = None;
    for token in text.split(',').filter(|t| !t.is_empty()) {
        let (token, as_format, as_precision) = if let Some(rest) = strip_prefix_ci(token, "format:")
        {
            (rest, true, false)
        } else if let Some(rest) = strip_prefix_ci(token, "precision:") {
            (rest, false, true)
        } else {
            (token, true, true)
        };
        if as_format {
            let kind = match token.to_ascii_lowercase().as_str() {
                "none" => Some(None),
                "time" => Some(Some(false)),
                "unix" => Some(Some(true)),
                _ => None,
            };
            if let Some(kind) = kind {
                format = Some(kind);
                continue;
            }
        }
        if as_precision && let Some(p) = Precision::parse(token) {
            precision = Some(p);
            continue;
        }
        return None;
    }
    let unix = match format {
        Some(None) => return Some(None),
        Some(Some(unix)) => unix,
        None => current.is_some_and(|c| c.unix),
    };
    let precision = precision
        .or(current.map(|c| c.precision))
        .unwrap_or(Precision::SECONDS);
    Some(Some(AbsoluteTime { unix, precision }))
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// strace's parse_tips_arg(): `[[id:]ID][,[format:]FORMAT]`.
fn valid_tips(text: &str) -> bool {
    text.split(',').filter(|t| !t.is_empty()).all(|token| {
        let (token, id, format) = if let Some(rest) = strip_prefix_ci(token, "id:") {
            (rest, true, false)
        } else if let Some(rest) = strip_prefix_ci(token, "format:") {
            (rest, false, true)
        } else {
            (token, true, true)
        };
        (id && (token.eq_ignore_ascii_case("random")
            || string_to_uint(token, i32::MAX as u64).is_some()))
            || (format
                && ["none", "compact", "full"]
                    .iter()
                    .any(|f| token.eq_ignore_ascii_case(f)))
    })
}

/// What strace decides after the last option.
fn settle(options: &mut Options, p: Pending) -> Result<(), Error> {
    if options.pids.is_empty() && options.command.is_empty() {
        return Err(usage("must have PROG [ARGS] or -p PID"));
    }
    if p.timestamps_short > 0 {
        if p.timestamps_long {
            return Err(fail(
                "-t and --absolute-timestamps cannot be provided simultaneously",
            ));
        }
        options.absolute_time = Some(match p.timestamps_short {
            1 => AbsoluteTime {
                unix: false,
                precision: Precision::SECONDS,
            },
            2 => AbsoluteTime {
                unix: false,
                precision: Precision::MICROS,
            },
            _ => AbsoluteTime {
                unix: true,
                precision: Precision::MICROS,
            },
        });
    }
    if let Some(level) = p.hex_long {
        if p.hex_short > 0 {
            return Err(fail(
                "-x and --strings-in-hex cannot be provided simultaneously",
            ));
        }
        options.hex = level;
    } else {
        options.hex = p.hex_short;
    }
    if p.decode_fds_short > 0 {
        if p.given.decode_fds {
            return Err(fail(
                "-y and --decode-fds cannot be provided simultaneously",
            ));
        }
        options.decode_fds = qualify::parse_decode_fds(if p.decode_fds_short == 1 {
            "path"
        } else {
            "all"
        })
        .map_err(fail)?;
    }
    if p.follow_short > 0 {
        if p.follow_long {
            return Err(fail(
                "-f and --follow-forks cannot be provided simultaneously",
            ));
        }
        if p.follow_short >= 2 && p.separately_long {
            return Err(fail(
                "-ff and --output-separately cannot be provided simultaneously",
            ));
        }
        options.follow_forks = true;
        options.output_separately = p.follow_short >= 2;
    } else {
        options.follow_forks = p.follow_long;
        options.output_separately = p.separately_long;
    }
    if options.seccomp_bpf {
        if options.detach_on_execve {
            eprintln!(
                "saker trace: --seccomp-bpf is not enabled because it is not compatible with -b"
            );
            options.seccomp_bpf = false;
        } else if !options.pids.is_empty() {
            eprintln!("saker trace: --seccomp-bpf is not enabled for processes attached with -p");
            options.seccomp_bpf = false;
        } else if !options.follow_forks {
            eprintln!(
                "saker trace: --seccomp-bpf cannot be used without -f/--follow-forks, disabling"
            );
            options.seccomp_bpf = false;
        }
    }
    if p.deprecated_f {
        if options.follow_forks {
            eprintln!("saker trace: deprecated option -F ignored");
        } else {
            eprintln!("saker trace: option -F is deprecated, please use -f/--follow-forks instead");
            options.follow_forks = true;
        }
    }
    let counting = p.summary_only || p.summary_both;
    if options.output_separately && counting {
        return Err(usage(
            "(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive",
        ));
    }
    if p.wall_clock && !counting {
        return Err(usage(
            "-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)",
        ));
    }
    if p.columns.is_some() && !counting {
        return Err(usage(
            "-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)",
        ));
    }
    if p.sort_by.is_some() && !counting {
        eprintln!(
            "saker trace: -S/--summary-sort-by has no effect without (-c/--summary-only or -C/--summary)"
        );
    }
    if p.summary_only {
        warn_no_effect_with_summary_only(options);
    }
    if p.status_flags > 1 {
        eprintln!(
            "saker trace: Only the last of -z/--successful-only/-Z/--failed-only options will take effect. See status qualifier for more complex filters."
        );
    }
    if options.json && counting {
        return Err(usage("--json and -c/-C are mutually exclusive"));
    }
    if counting {
        options.summary = Some(SummaryOptions {
            only: p.summary_only,
            wall_clock: p.wall_clock,
            sort_by: p.sort_by.unwrap_or_default(),
            columns: p
                .columns
                .clone()
                .unwrap_or_else(|| DEFAULT_COLUMNS.to_vec()),
            overhead: p.overhead,
        });
    }
    settle_output(options, &p)?;
    if p.quiet_short > 0 {
        if p.given.quiet {
            return Err(fail(
                "-q and -e quiet/--quiet cannot be provided simultaneously",
            ));
        }
        options.quiet = qualify::parse_quiet(match p.quiet_short {
            1 => "attach,personality",
            2 => "exit,attach,personality",
            _ => "all",
        })
        .map_err(fail)?;
    }
    if options.ebpf {
        check_ebpf(options)?;
    }
    Ok(())
}

/// `-o`, `-A`, `-ff` and the defaults that depend on them (strace: `-o FILE PROG` implies
/// `-q` and `-I never`).
fn settle_output(options: &mut Options, p: &Pending) -> Result<(), Error> {
    options.interruptible = p.interruptible.unwrap_or(Interruptible::Waiting);
    let Some(path) = &p.output else {
        if options.output_separately && !options.follow_forks {
            eprintln!("saker trace: --output-separately has no effect without -o/--output");
        }
        if options.append {
            eprintln!("saker trace: -A/--output-append-mode has no effect without -o/--output");
        }
        // -ff without -o FILE is -f.
        options.output_separately = false;
        return Ok(());
    };
    let bytes = path.as_bytes();
    options.output = match bytes.first() {
        Some(b'|') | Some(b'!') => {
            if options.output_separately {
                return Err(usage(
                    "piping the output and -ff/--output-separately are mutually exclusive",
                ));
            }
            Output::Pipe(std::ffi::OsStr::from_bytes(&bytes[1..]).to_os_string())
        }
        _ => Output::File(path.clone()),
    };
    if !options.command.is_empty() {
        if p.interruptible.is_none() {
            options.interruptible = Interruptible::Never;
        }
        if p.quiet_short == 0 && !p.given.quiet {
            options.quiet = qualify::parse_quiet("attach,personality").map_err(fail)?;
        }
    }
    Ok(())
}

/// strace's "has no effect with -c/--summary-only" warnings.
fn warn_no_effect_with_summary_only(options: &Options) {
    let ignored = [
        (options.instruction_pointer, "-i/--instruction-pointer"),
        (options.stack_traces, "-k/--stack-traces"),
        (options.syscall_number, "-n/--syscall-number"),
        (options.relative_time.is_some(), "-r/--relative-timestamps"),
        (options.absolute_time.is_some(), "-t/--absolute-timestamps"),
        (options.syscall_times.is_some(), "-T/--syscall-times"),
        (options.decode_fds.level() > 0, "-y/--decode-fds"),
    ];
    for (set, name) in ignored {
        if set {
            eprintln!("saker trace: {name} has no effect with -c/--summary-only");
        }
    }
}

/// What the eBPF backend cannot do: it never stops the traced program.
fn check_ebpf(options: &Options) -> Result<(), Error> {
    let refused = [
        (options.seccomp_bpf, "--seccomp-bpf is for ptrace"),
        (
            !options.inject.is_empty(),
            "-e inject= and -e fault= need the ptrace backend (the eBPF tracer never stops the tracee)",
        ),
        (
            options.stack_traces,
            "-k needs the ptrace backend (the eBPF tracer does not stop the tracee to walk its stack)",
        ),
        (
            options.instruction_pointer,
            "-i needs the ptrace backend (the eBPF records carry no instruction pointer)",
        ),
        (
            options.detach_on_execve,
            "-b execve needs the ptrace backend",
        ),
        (options.user.is_some(), "-u needs the ptrace backend"),
        (!options.env.is_empty(), "-E needs the ptrace backend"),
    ];
    match refused.iter().find(|(set, _)| *set) {
        Some((_, why)) => Err(usage(format!("--ebpf: {why}"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
