//! `-e QUALIFIER=SET` and its long forms (`--trace=`, `--signal=`, ...), as strace's
//! filter_qualify.c reads them: the qualifier name up to `=` (no name means `trace`), then a
//! set: `[!]...` where each leading `!` inverts, `all`, `none`, or a comma list whose empty
//! elements are skipped.

use saker_syscalls::{
    FdDetails, PidDetails, SetElements, SetTokens, parse_signal_set, parse_trace_set,
};

use crate::filter::StatusSet;
use crate::inject::InjectKind;
use crate::options::{Options, Quiet};

/// A set of small numbers (fds, statuses, message kinds): strace's `struct number_set`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NumberSet {
    items: Vec<u32>,
    /// The set is the complement of `items`.
    not: bool,
}

impl NumberSet {
    pub fn none() -> NumberSet {
        NumberSet::default()
    }

    pub fn all() -> NumberSet {
        NumberSet {
            items: Vec::new(),
            not: true,
        }
    }

    pub fn contains(&self, number: u32) -> bool {
        self.items.contains(&number) != self.not
    }

    /// Whether no number is in the set.
    pub fn is_empty(&self) -> bool {
        !self.not && self.items.is_empty()
    }
}

/// strace's qualify_tokens(): `what` names the kind in the error message.
pub fn parse_number_set(
    expr: &str,
    what: &str,
    lookup: impl Fn(&str) -> Option<u32>,
) -> Result<NumberSet, String> {
    let tokens = SetTokens::split(expr);
    let mut set = match tokens.elements {
        None => NumberSet::none(),
        Some(SetElements::All) => NumberSet::all(),
        Some(SetElements::Empty) => return Err(format!("invalid {what} '{expr}'")),
        Some(SetElements::List(elements)) => {
            let mut set = NumberSet::none();
            for token in elements {
                let number = lookup(token).ok_or_else(|| format!("invalid {what} '{token}'"))?;
                if !set.items.contains(&number) {
                    set.items.push(number);
                }
            }
            set
        }
    };
    set.not ^= tokens.invert;
    Ok(set)
}

/// strace's string_to_uint_upto(): a decimal number (strtoll's leading blanks and sign
/// included) no larger than `max`.
pub fn string_to_uint(text: &str, max: u64) -> Option<u64> {
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u64 = digits.parse().ok()?;
    if negative && value != 0 {
        return None;
    }
    (value <= max).then_some(value)
}

/// Which qualifiers were given explicitly (strace refuses `-q` with `-e quiet=`, `-y` with
/// `-e decode-fds=`).
#[derive(Debug, Default)]
pub struct Given {
    pub quiet: bool,
    pub decode_fds: bool,
}

/// The qualifier names strace accepts before `=`.
const NAMES: &[(&str, Qualifier)] = &[
    ("trace", Qualifier::Trace),
    ("t", Qualifier::Trace),
    ("abbrev", Qualifier::Abbrev),
    ("a", Qualifier::Abbrev),
    ("verbose", Qualifier::Verbose),
    ("v", Qualifier::Verbose),
    ("raw", Qualifier::Raw),
    ("x", Qualifier::Raw),
    ("signal", Qualifier::Signal),
    ("signals", Qualifier::Signal),
    ("s", Qualifier::Signal),
    ("status", Qualifier::Status),
    ("quiet", Qualifier::Quiet),
    ("silent", Qualifier::Quiet),
    ("silence", Qualifier::Quiet),
    ("q", Qualifier::Quiet),
    ("read", Qualifier::Read),
    ("reads", Qualifier::Read),
    ("r", Qualifier::Read),
    ("write", Qualifier::Write),
    ("writes", Qualifier::Write),
    ("w", Qualifier::Write),
    ("fault", Qualifier::Fault),
    ("inject", Qualifier::Inject),
    ("kvm", Qualifier::Kvm),
    ("decode-fd", Qualifier::DecodeFds),
    ("decode-fds", Qualifier::DecodeFds),
    ("decode-pid", Qualifier::DecodePids),
    ("decode-pids", Qualifier::DecodePids),
    ("secontext", Qualifier::Secontext),
];

/// One kind of `-e` expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    Trace,
    Abbrev,
    Verbose,
    Raw,
    Signal,
    Status,
    Quiet,
    Read,
    Write,
    Fault,
    Inject,
    Kvm,
    DecodeFds,
    DecodePids,
    Secontext,
}

/// strace's qualify(): `NAME=VALUE`, or a bare value for `trace`.
pub fn apply_expression(
    options: &mut Options,
    given: &mut Given,
    expr: &str,
) -> Result<(), String> {
    let (qualifier, value) = NAMES
        .iter()
        .find_map(|(name, qualifier)| {
            expr.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('='))
                .map(|value| (*qualifier, value))
        })
        .unwrap_or((Qualifier::Trace, expr));
    apply(options, given, qualifier, value)
}

/// Applies one qualifier's value (also the long options `--trace=` and so on).
pub fn apply(
    options: &mut Options,
    given: &mut Given,
    qualifier: Qualifier,
    value: &str,
) -> Result<(), String> {
    let syscalls = |value: &str| parse_trace_set(value).map_err(|e| e.to_string());
    match qualifier {
        Qualifier::Trace => options.filters.trace = syscalls(value)?,
        Qualifier::Abbrev => options.abbrev = syscalls(value)?,
        Qualifier::Verbose => options.verbose = syscalls(value)?,
        Qualifier::Raw => options.raw = syscalls(value)?,
        Qualifier::Signal => {
            options.filters.signals = parse_signal_set(value).map_err(|e| e.to_string())?
        }
        Qualifier::Status => options.filters.status = StatusSet::parse(value)?,
        Qualifier::Quiet => {
            given.quiet = true;
            options.quiet = parse_quiet(value)?;
        }
        Qualifier::Read => options.dump_reads = parse_fd_set(value)?,
        Qualifier::Write => options.dump_writes = parse_fd_set(value)?,
        Qualifier::Fault => options.inject.add(value, InjectKind::Fault)?,
        Qualifier::Inject => options.inject.add(value, InjectKind::Inject)?,
        Qualifier::Kvm if value == "vcpu" => options.kvm_vcpu = true,
        Qualifier::Kvm => return Err(format!("invalid -e kvm= argument: '{value}'")),
        Qualifier::DecodeFds => {
            given.decode_fds = true;
            options.decode_fds = parse_decode_fds(value)?;
        }
        Qualifier::DecodePids => options.decode_pids = parse_decode_pids(value)?,
        Qualifier::Secontext => {
            return Err(
                "SELinux context printing (--secontext option) is not supported yet".to_string(),
            );
        }
    }
    Ok(())
}

fn parse_fd_set(value: &str) -> Result<NumberSet, String> {
    parse_number_set(value, "descriptor", |t| {
        string_to_uint(t, i32::MAX as u64).map(|n| n as u32)
    })
}

/// `-e quiet=attach,exit,path-resolution,personality,thread-execve`.
pub fn parse_quiet(value: &str) -> Result<Quiet, String> {
    const ATTACH: u32 = 0;
    const EXIT: u32 = 1;
    const PATH: u32 = 2;
    const PERSONALITY: u32 = 3;
    const THREAD_EXECVE: u32 = 4;
    let set = parse_number_set(value, "quiet", |t| match t {
        "attach" => Some(ATTACH),
        "exit" | "exits" => Some(EXIT),
        "path-resolution" => Some(PATH),
        "personality" => Some(PERSONALITY),
        "superseded" | "thread-execve" => Some(THREAD_EXECVE),
        _ => None,
    })?;
    Ok(Quiet {
        attach: set.contains(ATTACH),
        exit: set.contains(EXIT),
        path_resolution: set.contains(PATH),
        personality: set.contains(PERSONALITY),
        thread_execve: set.contains(THREAD_EXECVE),
    })
}

/// `-e decode-fds=path,socket,dev,pidfd`.
pub fn parse_decode_fds(value: &str) -> Result<FdDetails, String> {
    let set = parse_number_set(value, "decode-fds", |t| match t {
        "path" => Some(0),
        "socket" => Some(1),
        "dev" => Some(2),
        "pidfd" => Some(3),
        _ => None,
    })?;
    Ok(FdDetails {
        path: set.contains(0),
        socket: set.contains(1),
        dev: set.contains(2),
        pidfd: set.contains(3),
    })
}

/// `--decode-pids=comm,pidns`.
pub fn parse_decode_pids(value: &str) -> Result<PidDetails, String> {
    let set = parse_number_set(value, "decode-pids", |t| match t {
        "pidns" => Some(0),
        "comm" => Some(1),
        _ => None,
    })?;
    Ok(PidDetails {
        pidns: set.contains(0),
        comm: set.contains(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fds(expr: &str) -> Result<NumberSet, String> {
        parse_fd_set(expr)
    }

    #[test]
    fn number_sets_like_strace() {
        let set = fds("1,,2,").unwrap();
        assert!(set.contains(1) && set.contains(2) && !set.contains(0));
        let set = fds("!1").unwrap();
        assert!(!set.contains(1) && set.contains(0));
        let set = fds("!!1").unwrap();
        assert!(set.contains(1) && !set.contains(0));
        assert!(fds("all").unwrap().contains(77));
        assert!(!fds("!all").unwrap().contains(77));
        assert!(fds("none").unwrap().is_empty());
        assert_eq!(fds("").unwrap_err(), "invalid descriptor ''");
        assert_eq!(fds(",").unwrap_err(), "invalid descriptor ','");
        assert_eq!(fds("1,x").unwrap_err(), "invalid descriptor 'x'");
        assert_eq!(fds("-1").unwrap_err(), "invalid descriptor '-1'");
    }

    #[test]
    fn strtoll_numbers() {
        assert_eq!(string_to_uint(" +7", 10), Some(7));
        assert_eq!(string_to_uint("-0", 10), Some(0));
        assert_eq!(string_to_uint("11", 10), None);
        assert_eq!(string_to_uint("7x", 10), None);
        assert_eq!(string_to_uint("", 10), None);
    }

    #[test]
    fn expressions() {
        let mut options = Options::new(Vec::new());
        let mut given = Given::default();
        apply_expression(&mut options, &mut given, "trace=openat,close").unwrap();
        assert!(options.filters.trace.contains(257) && !options.filters.trace.contains(0));
        apply_expression(&mut options, &mut given, "prctl").unwrap();
        assert!(options.filters.trace.contains(157) && !options.filters.trace.contains(257));
        apply_expression(&mut options, &mut given, "signal=!chld").unwrap();
        assert!(!options.filters.signals.contains(libc::SIGCHLD));
        apply_expression(&mut options, &mut given, "signal=none").unwrap();
        assert!(!options.filters.signals.contains(libc::SIGUSR1));
        apply_expression(&mut options, &mut given, "quiet=attach,exit").unwrap();
        assert!(options.quiet.attach && options.quiet.exit && !options.quiet.thread_execve);
        assert!(given.quiet);
        apply_expression(&mut options, &mut given, "decode-fds=socket,dev").unwrap();
        assert!(options.decode_fds.socket && !options.decode_fds.path);
        apply_expression(&mut options, &mut given, "write=1").unwrap();
        assert!(options.dump_writes.contains(1));
        assert_eq!(
            apply_expression(&mut options, &mut given, "trace=opnat").unwrap_err(),
            "invalid system call 'opnat' (did you mean openat?)"
        );
        apply_expression(&mut options, &mut given, "kvm=vcpu").unwrap();
        assert!(options.kvm_vcpu);
        assert_eq!(
            apply_expression(&mut options, &mut given, "kvm=vm").unwrap_err(),
            "invalid -e kvm= argument: 'vm'"
        );
        // Unknown qualifier names are syscall names to strace.
        assert_eq!(
            apply_expression(&mut options, &mut given, "bogus=1").unwrap_err(),
            "invalid system call 'bogus=1'"
        );
    }
}
