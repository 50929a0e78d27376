//! The `.scap` event table: what each event type is called and what its parameters are, read
//! once from `events.txt` (see its header), plus the flag names the printer uses (`flags.txt`)
//! and the syscall codes of generic events (`ppm_sc.txt`); all three as sysdig 0.29 knows
//! them, checked against it by crates/cli/tests/capture_scap.rs.

use std::sync::OnceLock;

/// How a parameter's bytes are read and printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    Fd,
    Pid,
    Errno,
    Int {
        bytes: u8,
        signed: bool,
        fmt: NumFmt,
    },
    FsPath,
    /// A path relative to the dirfd of parameter `dirfd`.
    FsRelPath {
        dirfd: u8,
    },
    CharBuf,
    ByteBuf,
    SockAddr,
    SockTuple,
    FdList,
    SyscallId,
    SigType,
    SigSet,
    RelTime,
    AbsTime,
    Uid,
    Gid,
    /// A dynamic parameter: an index byte selects which of `choices` the value is.
    Dyn {
        choices: &'static [ParamType],
    },
    Flags {
        bytes: u8,
        table: Option<&'static [(&'static str, u32)]>,
    },
    Mode {
        table: &'static [(&'static str, u32)],
    },
    CharBufArray,
    PairArray,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumFmt {
    Dec,
    Hex,
    Oct,
}

#[derive(Clone, Debug)]
pub struct ParamInfo {
    pub name: String,
    pub ty: ParamType,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Category {
    Other,
    File,
    Io,
    Net,
    Ipc,
    Memory,
    Process,
    Signal,
    Sleep,
    Wait,
    Time,
    User,
    Scheduler,
    System,
    Internal,
}

#[derive(Clone, Debug)]
pub struct EventInfo {
    pub name: String,
    pub category: Category,
    /// Parameter lengths are 4 bytes instead of 2.
    pub large_payload: bool,
    pub unused: bool,
    pub old_version: bool,
    pub params: Vec<ParamInfo>,
}

const EVENTS: &str = include_str!("events.txt");

/// The number of event types Saker (and sysdig 0.29) know; events of a higher type are
/// skipped with a count.
pub fn event_count() -> usize {
    table().len()
}

/// The event type's description, `None` for a type not in the table.
pub fn info(kind: u16) -> Option<&'static EventInfo> {
    table().get(usize::from(kind))
}

fn table() -> &'static Vec<EventInfo> {
    static TABLE: OnceLock<Vec<EventInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut out = Vec::new();
        for line in EVENTS.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut words = line.split_whitespace();
            let num: usize = words
                .next()
                .and_then(|n| n.parse().ok())
                .expect("event number");
            assert_eq!(num, out.len(), "events.txt: event numbers are consecutive");
            let name = words.next().expect("event name").to_string();
            let category = category(words.next().expect("category"));
            let flags = words.next().unwrap_or("-");
            let params = words.map(param).collect();
            out.push(EventInfo {
                name,
                category,
                large_payload: flags == "large",
                unused: flags == "unused",
                old_version: flags == "old",
                params,
            });
        }
        out
    })
}

fn category(word: &str) -> Category {
    match word {
        "file" => Category::File,
        "io" => Category::Io,
        "net" => Category::Net,
        "ipc" => Category::Ipc,
        "memory" => Category::Memory,
        "process" => Category::Process,
        "signal" => Category::Signal,
        "sleep" => Category::Sleep,
        "wait" => Category::Wait,
        "time" => Category::Time,
        "user" => Category::User,
        "scheduler" => Category::Scheduler,
        "system" => Category::System,
        "internal" => Category::Internal,
        _ => Category::Other,
    }
}

fn param(word: &str) -> ParamInfo {
    let (name, ty) = word.split_once(':').expect("name:type");
    // The one name with a space, which a whitespace-separated table cannot hold.
    let name = if name == "plugin_ID" {
        "plugin ID".to_string()
    } else {
        name.to_string()
    };
    ParamInfo {
        name,
        ty: param_type(ty),
    }
}

fn param_type(ty: &str) -> ParamType {
    if let Some(n) = ty.strip_prefix("rel@") {
        return ParamType::FsRelPath {
            dirfd: n.parse().expect("dirfd index"),
        };
    }
    if let Some(rest) = ty.strip_prefix("dyn=") {
        let choices: Vec<ParamType> = rest.split(',').map(param_type).collect();
        return ParamType::Dyn {
            choices: choices.leak(),
        };
    }
    if let Some(rest) = ty.strip_prefix("mode=") {
        return ParamType::Mode {
            table: flag_table(rest).expect("mode table"),
        };
    }
    if let Some(rest) = ty.strip_prefix('f') {
        let (bits, table) = match rest.split_once('=') {
            Some((bits, table)) => (bits, flag_table(table)),
            None => (rest, None),
        };
        if let Ok(bits) = bits.parse::<u8>() {
            return ParamType::Flags {
                bytes: bits / 8,
                table,
            };
        }
    }
    match ty {
        "fd" => ParamType::Fd,
        "pid" => ParamType::Pid,
        "errno" => ParamType::Errno,
        "fspath" => ParamType::FsPath,
        "charbuf" => ParamType::CharBuf,
        "bytebuf" => ParamType::ByteBuf,
        "sockaddr" => ParamType::SockAddr,
        "socktuple" => ParamType::SockTuple,
        "fdlist" => ParamType::FdList,
        "syscallid" => ParamType::SyscallId,
        "sigtype" => ParamType::SigType,
        "sigset" => ParamType::SigSet,
        "reltime" => ParamType::RelTime,
        "abstime" => ParamType::AbsTime,
        "uid" => ParamType::Uid,
        "gid" => ParamType::Gid,
        "charbufarray" => ParamType::CharBufArray,
        "pairarray" => ParamType::PairArray,
        _ => {
            let signed = ty.starts_with('i');
            let fmt = match ty.chars().last() {
                Some('x') => NumFmt::Hex,
                Some('o') => NumFmt::Oct,
                _ => NumFmt::Dec,
            };
            let bits: u8 = ty[1..]
                .trim_end_matches(['x', 'o'])
                .parse()
                .unwrap_or_else(|_| panic!("events.txt: unknown type {ty}"));
            ParamType::Int {
                bytes: bits / 8,
                signed,
                fmt,
            }
        }
    }
}

const FLAGS: &str = include_str!("flags.txt");

/// Each flags table's name and its `(name, value)` entries.
type FlagTables = Vec<(&'static str, Vec<(&'static str, u32)>)>;

/// A flags table by name: its names and values in the order the printer tries them (the
/// first names that match are printed, and a value equal to a whole entry prints that
/// entry). The tables are what sysdig 0.29 prints, asked of it by
/// scripts/scap-tables-from-sysdig.py (see flags.txt).
pub fn flag_table(name: &str) -> Option<&'static [(&'static str, u32)]> {
    static TABLES: OnceLock<FlagTables> = OnceLock::new();
    TABLES
        .get_or_init(|| {
            let mut tables: FlagTables = Vec::new();
            for line in FLAGS.lines() {
                if line.starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                    tables.push((name, Vec::new()));
                    continue;
                }
                let (entry, value) = line.split_once(' ').expect("flags.txt: NAME VALUE");
                let value = u32::from_str_radix(value.trim_start_matches("0x"), 16)
                    .expect("flags.txt: a hexadecimal value");
                tables
                    .last_mut()
                    .expect("flags.txt: an entry before any [table]")
                    .1
                    .push((entry, value));
            }
            tables
        })
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, entries)| entries.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_numbers_match_sysdig() {
        assert_eq!(event_count(), 336);
        let cases = [
            (3, "open", 5),
            (23, "connect", 2),
            (186, "procexit", 4),
            (293, "execve", 20),
            (307, "openat", 6),
            (324, "container", 1),
            (335, "clone3", 20),
        ];
        for (kind, name, nparams) in cases {
            let info = info(kind).unwrap();
            assert_eq!((info.name.as_str(), info.params.len()), (name, nparams));
        }
        assert!(info(324).unwrap().large_payload);
        assert!(info(336).is_none());
    }

    #[test]
    fn every_flags_table_events_txt_names_is_in_flags_txt() {
        for line in EVENTS.lines().filter(|l| !l.starts_with('#')) {
            for word in line.split_whitespace().skip(4) {
                if let Some((param, table)) = word.split_once('=')
                    && !param.ends_with(":dyn")
                {
                    assert!(flag_table(table).is_some_and(|t| !t.is_empty()), "{table}");
                }
            }
        }
    }
}

const PPM_SC: &str = include_str!("ppm_sc.txt");

fn ppm_sc_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        PPM_SC
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect()
    })
}

/// The syscall a generic event's `ID` names.
pub fn ppm_sc_name(code: u16) -> Option<&'static str> {
    ppm_sc_names().get(usize::from(code)).copied()
}

/// The `ID` of a syscall for a generic event (0: unknown).
pub fn ppm_sc_code(name: &str) -> u16 {
    ppm_sc_names()
        .iter()
        .position(|n| *n == name)
        .map_or(0, |i| i as u16)
}

#[cfg(test)]
mod ppm_sc_tests {
    use super::*;

    #[test]
    fn syscall_codes() {
        assert_eq!(ppm_sc_name(75), Some("mprotect"));
        assert_eq!(ppm_sc_name(176), Some("clock_gettime"));
        assert_eq!(ppm_sc_code("clone3"), 328);
        assert_eq!(ppm_sc_names().len(), 329);
    }
}

/// Enter events have even numbers, their exits the next odd one.
pub fn is_enter(kind: u16) -> bool {
    kind.is_multiple_of(2)
}
