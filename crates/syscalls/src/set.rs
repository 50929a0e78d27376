//! Parsing of strace's `-e trace=SET` and `-e signal=SET` expressions.

use crate::class::{Class, class_bits};
use crate::signal::signal_number;
use crate::table::MAX_NR;

/// Number of syscall numbers a [`SyscallSet`] can hold (x86_64 numbers stay below 512).
pub const SET_CAPACITY: u64 = 512;
const WORDS: usize = (SET_CAPACITY / 64) as usize;

/// A set of syscall numbers: a fixed bitset, so `contains` is one load and a mask.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SyscallSet {
    bits: [u64; WORDS],
    /// Whether numbers at or above [`SET_CAPACITY`] are in the set (after `all` or `!`).
    beyond: bool,
}

impl SyscallSet {
    /// The empty set.
    pub const fn none() -> Self {
        SyscallSet {
            bits: [0; WORDS],
            beyond: false,
        }
    }

    /// Every number (known or not) below [`SET_CAPACITY`], like strace's `all`.
    pub const fn all() -> Self {
        SyscallSet {
            bits: [u64::MAX; WORDS],
            beyond: true,
        }
    }

    /// Adds `nr`; numbers at or above [`SET_CAPACITY`] are ignored.
    pub fn insert(&mut self, nr: u64) {
        if nr < SET_CAPACITY {
            self.bits[(nr / 64) as usize] |= 1 << (nr % 64);
        }
    }

    /// Removes `nr`.
    pub fn remove(&mut self, nr: u64) {
        if nr < SET_CAPACITY {
            self.bits[(nr / 64) as usize] &= !(1 << (nr % 64));
        }
    }

    /// Whether `nr` is in the set. Numbers beyond the capacity are in it only for `all`
    /// (strace traces unknown syscalls unless told otherwise).
    #[inline]
    pub fn contains(&self, nr: u64) -> bool {
        if nr < SET_CAPACITY {
            self.bits[(nr / 64) as usize] & (1 << (nr % 64)) != 0
        } else {
            self.beyond
        }
    }

    /// Whether every number is in the set.
    pub fn is_all(&self) -> bool {
        self.beyond && self.bits.iter().all(|w| *w == u64::MAX)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        !self.beyond && self.bits.iter().all(|w| *w == 0)
    }

    /// The numbers in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        (0..SET_CAPACITY).filter(|nr| self.contains(*nr))
    }

    /// The complement.
    pub fn invert(&mut self) {
        for w in &mut self.bits {
            *w = !*w;
        }
        self.beyond = !self.beyond;
    }

    /// The raw words (bit `nr % 64` of word `nr / 64`), e.g. for a BPF map.
    pub fn words(&self) -> &[u64; WORDS] {
        &self.bits
    }
}

impl Default for SyscallSet {
    fn default() -> Self {
        SyscallSet::all()
    }
}

impl std::fmt::Debug for SyscallSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_all() {
            return f.write_str("SyscallSet(all)");
        }
        f.debug_set()
            .entries(self.iter().map(|nr| crate::name(nr).unwrap_or("?")))
            .finish()
    }
}

/// A set of signal numbers 1..=64.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct SignalSet {
    bits: u128,
}

impl SignalSet {
    /// The empty set.
    pub const fn none() -> Self {
        SignalSet { bits: 0 }
    }
    /// All signals.
    pub const fn all() -> Self {
        SignalSet { bits: u128::MAX }
    }
    /// Whether `sig` is in the set.
    pub fn contains(&self, sig: i32) -> bool {
        (0..128).contains(&sig) && self.bits & (1 << sig) != 0
    }
    /// Adds `sig`.
    pub fn insert(&mut self, sig: i32) {
        if (0..128).contains(&sig) {
            self.bits |= 1 << sig;
        }
    }
    /// Whether every signal is in the set.
    pub fn is_all(&self) -> bool {
        self.bits == u128::MAX
    }
}

impl Default for SignalSet {
    fn default() -> Self {
        SignalSet::all()
    }
}

/// Why a set expression was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    /// A syscall name that no x86_64 syscall has.
    #[error("invalid system call '{name}'{}", did_you_mean(suggestions))]
    UnknownSyscall {
        /// The name as written.
        name: String,
        /// Closest known names, best first.
        suggestions: Vec<&'static str>,
    },
    /// A `%class` that strace does not define.
    #[error(
        "invalid system call class '%{name}'{}",
        did_you_mean_class(suggestions)
    )]
    UnknownClass {
        /// The class as written, without `%`.
        name: String,
        /// Closest class names, best first.
        suggestions: Vec<&'static str>,
    },
    /// A `/regex` that does not compile.
    #[error("invalid regular expression '{pattern}': {message}")]
    BadRegex {
        /// The pattern after `/`.
        pattern: String,
        /// The regex engine's complaint.
        message: String,
    },
    /// A signal name or number that does not exist.
    #[error("invalid signal '{name}'")]
    UnknownSignal {
        /// The signal as written.
        name: String,
    },
}

fn did_you_mean(suggestions: &[&str]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", suggestions.join(", "))
    }
}

fn did_you_mean_class(suggestions: &[&str]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        let with_percent: Vec<String> = suggestions.iter().map(|s| format!("%{s}")).collect();
        format!(" (did you mean {}?)", with_percent.join(", "))
    }
}

/// Classes strace also accepts without the `%` (kept for old command lines).
const BARE_CLASSES: [&str; 7] = [
    "file", "process", "network", "signal", "ipc", "desc", "memory",
];

/// Parses strace's `-e trace=` syntax (filter_qualify.c's qualify_syscall_tokens): each
/// leading `!` inverts the set; `all` and `none` stand alone; otherwise a comma list (empty
/// elements are skipped) of syscall names, numbers, `%class`es (any case), `/regex`es; a `?`
/// before an element makes it optional (no error if unknown); `@64`, `@32` or `@x32` after an
/// element picks a personality (only x86_64's own, `@64`, has calls here).
///
/// ```
/// let set = saker_syscalls::parse_trace_set("openat,%stat").unwrap();
/// assert!(set.contains(257) && set.contains(4) && !set.contains(0));
/// let err = saker_syscalls::parse_trace_set("opnat").unwrap_err();
/// assert_eq!(err.to_string(), "invalid system call 'opnat' (did you mean openat?)");
/// ```
pub fn parse_trace_set(expr: &str) -> Result<SyscallSet, SetError> {
    let tokens = SetTokens::split(expr);
    let mut set = match tokens.elements {
        None => SyscallSet::none(),
        Some(SetElements::All) => SyscallSet::all(),
        Some(SetElements::List(elements)) => {
            let mut set = SyscallSet::none();
            for element in elements {
                let optional = element.starts_with('?');
                let element = element.trim_start_matches('?');
                match add_syscall_element(&mut set, element) {
                    Ok(()) => {}
                    Err(_) if optional => {}
                    Err(e) => return Err(e),
                }
            }
            set
        }
        Some(SetElements::Empty) => {
            return Err(SetError::UnknownSyscall {
                name: expr.to_string(),
                suggestions: Vec::new(),
            });
        }
    };
    if tokens.invert {
        set.invert();
    }
    Ok(set)
}

/// strace's set expression (basic_filters.c qualify_tokens, qualify_syscall_tokens): each
/// leading `!` inverts the set; `none` and `all` stand alone; otherwise a comma list whose
/// empty elements are skipped (strtok), and which must hold at least one element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetTokens<'a> {
    /// An odd number of leading `!`.
    pub invert: bool,
    /// `None` for `none`.
    pub elements: Option<SetElements<'a>>,
}

/// What a [`SetTokens`] holds besides `none`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetElements<'a> {
    All,
    List(Vec<&'a str>),
    /// Nothing but commas (or nothing at all): strace's "invalid ... ''" error.
    Empty,
}

impl<'a> SetTokens<'a> {
    pub fn split(expr: &'a str) -> SetTokens<'a> {
        let mut invert = false;
        let mut body = expr;
        while let Some(rest) = body.strip_prefix('!') {
            invert = !invert;
            body = rest;
        }
        let elements = match body {
            "none" => None,
            "all" => Some(SetElements::All),
            _ => {
                let list: Vec<&str> = body.split(',').filter(|e| !e.is_empty()).collect();
                Some(if list.is_empty() {
                    SetElements::Empty
                } else {
                    SetElements::List(list)
                })
            }
        };
        SetTokens { invert, elements }
    }
}

fn add_syscall_element(set: &mut SyscallSet, element: &str) -> Result<(), SetError> {
    let (element, personality) = match element.rsplit_once('@') {
        Some((name, p @ ("64" | "32" | "x32"))) => (name, Some(p)),
        _ => (element, None),
    };
    // Only x86_64's own personality has calls here: @32 and @x32 select nothing, and so do
    // names that exist only in the i386 or x32 tables (strace accepts them unless @64 says
    // otherwise).
    let mut native = SyscallSet::none();
    match (add_native_element(&mut native, element), personality) {
        (Ok(()), None | Some("64")) => {
            for nr in native.iter() {
                set.insert(nr);
            }
            Ok(())
        }
        (Ok(()), Some(_)) => Ok(()),
        (Err(_), None | Some("32" | "x32")) if OTHER_PERSONALITY_NAMES.contains(&element) => Ok(()),
        (Err(err), _) => Err(err),
    }
}

/// Syscall names of the i386 and x32 personalities that x86_64 lacks (from the kernel's
/// asm/unistd_32.h and asm/unistd_x32.h, Linux 6.1 UAPI headers).
const OTHER_PERSONALITY_NAMES: &[&str] = &[
    "_llseek",
    "_newselect",
    "bdflush",
    "break",
    "chown32",
    "clock_adjtime64",
    "clock_getres_time64",
    "clock_gettime64",
    "clock_nanosleep_time64",
    "clock_settime64",
    "fadvise64_64",
    "fchown32",
    "fcntl64",
    "fstat64",
    "fstatat64",
    "fstatfs64",
    "ftime",
    "ftruncate64",
    "futex_time64",
    "getegid32",
    "geteuid32",
    "getgid32",
    "getgroups32",
    "getresgid32",
    "getresuid32",
    "getuid32",
    "gtty",
    "idle",
    "io_pgetevents_time64",
    "ipc",
    "lchown32",
    "lock",
    "lstat64",
    "mmap2",
    "mpx",
    "mq_timedreceive_time64",
    "mq_timedsend_time64",
    "nice",
    "oldfstat",
    "oldlstat",
    "oldolduname",
    "oldstat",
    "olduname",
    "ppoll_time64",
    "prof",
    "profil",
    "pselect6_time64",
    "readdir",
    "recvmmsg_time64",
    "rt_sigtimedwait_time64",
    "sched_rr_get_interval_time64",
    "semtimedop_time64",
    "sendfile64",
    "setfsgid32",
    "setfsuid32",
    "setgid32",
    "setgroups32",
    "setregid32",
    "setresgid32",
    "setresuid32",
    "setreuid32",
    "setuid32",
    "sgetmask",
    "sigaction",
    "signal",
    "sigpending",
    "sigprocmask",
    "sigreturn",
    "sigsuspend",
    "socketcall",
    "ssetmask",
    "stat64",
    "statfs64",
    "stime",
    "stty",
    "timer_gettime64",
    "timer_settime64",
    "timerfd_gettime64",
    "timerfd_settime64",
    "truncate64",
    "ugetrlimit",
    "ulimit",
    "umount",
    "utimensat_time64",
    "vm86",
    "vm86old",
    "waitpid",
];

fn add_native_element(set: &mut SyscallSet, element: &str) -> Result<(), SetError> {
    if let Some(pattern) = element.strip_prefix('/') {
        let re = regex::Regex::new(pattern).map_err(|e| SetError::BadRegex {
            pattern: pattern.to_string(),
            message: e.to_string(),
        })?;
        let mut found = false;
        for (nr, name) in crate::all() {
            if re.is_match(name) {
                set.insert(nr);
                found = true;
            }
        }
        return if found {
            Ok(())
        } else {
            Err(SetError::UnknownSyscall {
                name: element.to_string(),
                suggestions: Vec::new(),
            })
        };
    }
    if element.eq_ignore_ascii_case("all") {
        *set = SyscallSet::all();
        return Ok(());
    }
    let class_name = element.strip_prefix('%').or_else(|| {
        BARE_CLASSES
            .iter()
            .find(|c| c.eq_ignore_ascii_case(element))
            .copied()
    });
    if let Some(class_name) = class_name {
        let lower = class_name.to_ascii_lowercase();
        let class = Class::from_name(&lower).ok_or_else(|| SetError::UnknownClass {
            name: class_name.to_string(),
            suggestions: closest(&lower, Class::all().map(Class::name)),
        })?;
        let bit = class.bit();
        for nr in 0..=MAX_NR {
            if class_bits(nr) & bit != 0 {
                set.insert(nr);
            }
        }
        return Ok(());
    }
    let nr = if element.bytes().all(|b| b.is_ascii_digit()) && !element.is_empty() {
        element.parse::<u64>().ok().filter(|nr| *nr <= MAX_NR)
    } else {
        crate::number(element)
    };
    match nr {
        Some(nr) => {
            set.insert(nr);
            Ok(())
        }
        None => Err(SetError::UnknownSyscall {
            name: element.to_string(),
            suggestions: closest(element, crate::all().map(|(_, n)| n)),
        }),
    }
}

/// Names within a small edit distance of `wanted`, best first (at most three).
fn closest(wanted: &str, candidates: impl Iterator<Item = &'static str>) -> Vec<&'static str> {
    let limit = (wanted.len() / 3).clamp(1, 3);
    let mut scored: Vec<(usize, &'static str)> = candidates
        .filter_map(|c| {
            let d = edit_distance(wanted, c);
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup();
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// Optimal-string-alignment distance: Levenshtein plus adjacent transpositions, so the
/// typo `wirte` is one edit from `write`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()]
}

/// Parses `-e signal=` syntax as strace's qualify_tokens() does: each leading `!` inverts;
/// `all` and `none` stand alone; otherwise a comma list (empty elements skipped) of names
/// with or without `SIG` (any case) and numbers.
pub fn parse_signal_set(expr: &str) -> Result<SignalSet, SetError> {
    let tokens = SetTokens::split(expr);
    let mut set = match tokens.elements {
        None => SignalSet::none(),
        Some(SetElements::All) => SignalSet::all(),
        Some(SetElements::List(elements)) => {
            let mut set = SignalSet::none();
            for element in elements {
                let sig = if element.starts_with(|c: char| c.is_ascii_digit()) {
                    element
                        .parse::<i32>()
                        .ok()
                        .filter(|n| (0..=255).contains(n))
                } else {
                    signal_number(element)
                };
                match sig {
                    Some(sig) => set.insert(sig),
                    None => {
                        return Err(SetError::UnknownSignal {
                            name: element.to_string(),
                        });
                    }
                }
            }
            set
        }
        Some(SetElements::Empty) => {
            return Err(SetError::UnknownSignal {
                name: expr.to_string(),
            });
        }
    };
    if tokens.invert {
        set.bits = !set.bits;
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number;

    fn names(set: &SyscallSet) -> Vec<&'static str> {
        set.iter().filter_map(crate::name).collect()
    }

    #[test]
    fn trace_set_syntax() {
        let check = |expr: &str, expect: &[&str]| {
            let set = parse_trace_set(expr).unwrap();
            assert_eq!(names(&set), expect, "{expr}");
        };
        check("read,write", &["read", "write"]);
        check("?nosuch,close", &["close"]);
        check("%statfs", &["statfs"]);
        check("%fstatfs", &["fstatfs"]);
        check("%%statfs", &["ustat", "statfs", "fstatfs"]);
        check("%lstat", &["lstat"]);
        check("/^mq_time", &["mq_timedsend", "mq_timedreceive"]);
        check("none", &[]);
        check("3", &["close"]);
        check("close@64,read@32", &["close"]);
        check(
            "%clock",
            &[
                "gettimeofday",
                "adjtimex",
                "settimeofday",
                "time",
                "clock_settime",
                "clock_gettime",
                "clock_getres",
                "clock_adjtime",
            ],
        );
    }

    #[test]
    fn strace_6_1_forms() {
        // From strace's tests/qual_syscall.test and trace_*.gen.test: classes with a
        // personality, any case, doubled negation.
        let file = parse_trace_set("%file").unwrap();
        assert_eq!(parse_trace_set("%file@64").unwrap(), file);
        assert_eq!(parse_trace_set("%FILE").unwrap(), file);
        assert!(parse_trace_set("%file@32").unwrap().is_empty());
        assert_eq!(parse_trace_set("!!%file").unwrap(), file);
        assert_eq!(parse_trace_set("?%nosuchclass,%file").unwrap(), file);
        assert!(parse_trace_set("/^read$@64").unwrap().contains(0));
        // i386-only names select nothing here, unless @64 asks for x86_64's.
        assert_eq!(names(&parse_trace_set("mmap,mmap2").unwrap()), ["mmap"]);
        assert!(parse_trace_set("stat64@32").unwrap().is_empty());
        assert!(parse_trace_set("mmap2@64").is_err());
    }

    #[test]
    fn negation_and_all() {
        let set = parse_trace_set("!read").unwrap();
        assert!(!set.contains(0) && set.contains(1) && set.contains(9999));
        assert!(parse_trace_set("all").unwrap().is_all());
        assert!(parse_trace_set("!none").unwrap().is_all());
        let net = parse_trace_set("%net").unwrap();
        assert_eq!(net, parse_trace_set("%network").unwrap());
        assert_eq!(net, parse_trace_set("network").unwrap());
        assert!(net.contains(number("connect").unwrap()));
    }

    #[test]
    fn errors_name_the_culprit_and_suggest() {
        let check = |expr: &str, expect: &str| {
            assert_eq!(
                parse_trace_set(expr).unwrap_err().to_string(),
                expect,
                "{expr}"
            );
        };
        check(
            "opnat",
            "invalid system call 'opnat' (did you mean openat?)",
        );
        check(
            "read,wirte",
            "invalid system call 'wirte' (did you mean write?)",
        );
        check("xyzzyqq", "invalid system call 'xyzzyqq'");
        check(
            "%fil",
            "invalid system call class '%fil' (did you mean %file?)",
        );
        check(
            "/(",
            "invalid regular expression '(': regex parse error:\n    (\n    ^\nerror: unclosed group",
        );
        // strace skips empty elements; nothing at all is an error.
        assert_eq!(
            names(&parse_trace_set("read,,write,").unwrap()),
            ["read", "write"]
        );
        check("", "invalid system call ''");
        check(",", "invalid system call ','");
        check("/^nosuchcall$", "invalid system call '/^nosuchcall$'");
    }

    #[test]
    fn signal_sets() {
        let set = parse_signal_set("SIGCHLD,term,9").unwrap();
        assert!(set.contains(17) && set.contains(15) && set.contains(9) && !set.contains(2));
        let set = parse_signal_set("!CHLD").unwrap();
        assert!(!set.contains(17) && set.contains(2));
        assert!(parse_signal_set("all").unwrap().is_all());
        assert_eq!(
            parse_signal_set("SIGFOO").unwrap_err().to_string(),
            "invalid signal 'SIGFOO'"
        );
    }
}
