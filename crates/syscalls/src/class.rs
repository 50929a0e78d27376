//! strace's syscall classes (`-e trace=%file` ...), with the membership of strace 6.x's
//! `sysent` flags for x86_64.

use crate::table::SYSCALLS;

/// Bits of the class flags stored in the syscall table (strace's `TD`, `TF`, ... names).
pub(crate) mod flag {
    pub const TD: u32 = 1 << 0;
    pub const TF: u32 = 1 << 1;
    pub const TI: u32 = 1 << 2;
    pub const TN: u32 = 1 << 3;
    pub const TP: u32 = 1 << 4;
    pub const TS: u32 = 1 << 5;
    pub const TM: u32 = 1 << 6;
    pub const TC: u32 = 1 << 7;
    pub const TCL: u32 = 1 << 8;
    pub const TST: u32 = 1 << 9;
    pub const TLST: u32 = 1 << 10;
    pub const TFST: u32 = 1 << 11;
    pub const TSTA: u32 = 1 << 12;
    pub const TSF: u32 = 1 << 13;
    pub const TFSF: u32 = 1 << 14;
    pub const TSFA: u32 = 1 << 15;
    pub const PU: u32 = 1 << 16;
}

/// A syscall class as named in `-e trace=%class`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// `%file`: takes a file name.
    File,
    /// `%process`: process lifecycle (fork, exec, exit, wait, kill).
    Process,
    /// `%network` (alias `%net`).
    Network,
    /// `%signal`.
    Signal,
    /// `%ipc`: SysV IPC.
    Ipc,
    /// `%desc`: takes or returns a file descriptor.
    Desc,
    /// `%memory`: memory mapping.
    Memory,
    /// `%creds`: user/group ids and capabilities.
    Creds,
    /// `%clock`: reads or changes system clocks.
    Clock,
    /// `%stat`: stat(2) variants.
    Stat,
    /// `%lstat`.
    Lstat,
    /// `%fstat`.
    Fstat,
    /// `%%stat`: every stat-like call.
    StatLike,
    /// `%statfs`.
    Statfs,
    /// `%fstatfs`.
    Fstatfs,
    /// `%%statfs`: every statfs-like call.
    StatfsLike,
    /// `%pure`: never fails, no arguments (getpid, gettid, ...).
    Pure,
}

const ALL_CLASSES: [(Class, u32, &str); 17] = {
    use flag::*;
    [
        (Class::File, TF, "file"),
        (Class::Process, TP, "process"),
        (Class::Network, TN, "network"),
        (Class::Signal, TS, "signal"),
        (Class::Ipc, TI, "ipc"),
        (Class::Desc, TD, "desc"),
        (Class::Memory, TM, "memory"),
        (Class::Creds, TC, "creds"),
        (Class::Clock, TCL, "clock"),
        (Class::Stat, TST, "stat"),
        (Class::Lstat, TLST, "lstat"),
        (Class::Fstat, TFST, "fstat"),
        (Class::StatLike, TSTA, "%stat"),
        (Class::Statfs, TSF, "statfs"),
        (Class::Fstatfs, TFSF, "fstatfs"),
        (Class::StatfsLike, TSFA, "%statfs"),
        (Class::Pure, PU, "pure"),
    ]
};

impl Class {
    /// Every class, in strace's documentation order.
    pub fn all() -> impl Iterator<Item = Class> {
        ALL_CLASSES.iter().map(|c| c.0)
    }

    /// The name without the leading `%` (`"file"`, `"%stat"`).
    pub fn name(self) -> &'static str {
        ALL_CLASSES[self as usize].2
    }

    /// Parses a class name without its leading `%`; accepts strace's alias `net`.
    pub fn from_name(name: &str) -> Option<Class> {
        if name == "net" {
            return Some(Class::Network);
        }
        ALL_CLASSES.iter().find(|c| c.2 == name).map(|c| c.0)
    }

    pub(crate) fn bit(self) -> u32 {
        ALL_CLASSES[self as usize].1
    }

    /// Whether syscall `nr` belongs to this class.
    pub fn contains(self, nr: u64) -> bool {
        class_bits(nr) & self.bit() != 0
    }
}

pub(crate) fn class_bits(nr: u64) -> u32 {
    SYSCALLS.get(nr as usize).map_or(0, |s| s.1)
}

/// Every class of every possible flag combination is precomputed, so `classes` returns a
/// static slice without allocating: the table below is indexed by the flag word itself.
/// There are few distinct combinations, so a linear search of them is cheap and `const`.
pub fn classes(nr: u64) -> &'static [Class] {
    let bits = class_bits(nr);
    match COMBOS.iter().find(|c| c.0 == bits) {
        Some(c) => c.1,
        None => &[],
    }
}

macro_rules! combos {
    ($( [$($f:ident)|*] => [$($c:ident),*] ),* $(,)?) => {
        &[ $( ( 0 $(| flag::$f)*, &[$(Class::$c),*] ) ),* ]
    };
}

/// The flag combinations that occur in the table (checked by a unit test).
static COMBOS: &[(u32, &[Class])] = combos![
    [TD] => [Desc],
    [TF] => [File],
    [TI] => [Ipc],
    [TN] => [Network],
    [TP] => [Process],
    [TS] => [Signal],
    [TM] => [Memory],
    [TC] => [Creds],
    [TCL] => [Clock],
    [PU] => [Pure],
    [TD | TF] => [File, Desc],
    [TD | TN] => [Network, Desc],
    [TD | TS] => [Signal, Desc],
    [TD | TM] => [Desc, Memory],
    [TI | TM] => [Ipc, Memory],
    [TS | TP] => [Process, Signal],
    [TC | PU] => [Creds, Pure],
    [TF | TP] => [File, Process],
    [TD | TF | TP] => [File, Process, Desc],
    [TD | TS | TP] => [Process, Signal, Desc],
    [TF | TST | TSTA] => [File, Stat, StatLike],
    [TF | TLST | TSTA] => [File, Lstat, StatLike],
    [TD | TFST | TSTA] => [Desc, Fstat, StatLike],
    [TD | TF | TFST | TSTA] => [File, Desc, Fstat, StatLike],
    [TSFA] => [StatfsLike],
    [TF | TSF | TSFA] => [File, Statfs, StatfsLike],
    [TD | TFSF | TSFA] => [Desc, Fstatfs, StatfsLike],
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number;

    #[test]
    fn every_flag_combination_has_a_class_list() {
        for (nr, (name, bits)) in SYSCALLS.iter().enumerate() {
            if *bits == 0 {
                continue;
            }
            let list = classes(nr as u64);
            let back = list.iter().fold(0, |acc, c| acc | c.bit());
            assert_eq!(back, *bits, "{name}");
        }
    }

    #[test]
    fn membership_matches_strace() {
        let check = |name: &str, expect: &[Class]| {
            assert_eq!(classes(number(name).unwrap()), expect, "{name}");
        };
        check("openat", &[Class::File, Class::Desc]);
        check("read", &[Class::Desc]);
        check("execve", &[Class::File, Class::Process]);
        check("getpid", &[Class::Pure]);
        check("getuid", &[Class::Creds, Class::Pure]);
        check(
            "newfstatat",
            &[Class::File, Class::Desc, Class::Fstat, Class::StatLike],
        );
        check("sched_yield", &[]);
        check("kill", &[Class::Process, Class::Signal]);
    }
}
