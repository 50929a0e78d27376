//! `saker capture print`: events as `sysdig -r` prints them.
//!
//! The default line is sysdig's `%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid)
//! %evt.dir %evt.type %evt.info`; parameters are rendered as libsinsp renders them (fds with
//! their type and name, errnos and pids resolved, flags named, buffers with dots for
//! unprintable bytes, cut at 80 characters). [`ScapEvent`] gives the same values to the rule
//! engine, for filters and `-p` formats.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::OnceLock;

use saker_engine::{Event as EngineEvent, EventTypeId, FieldRef, Value};
use saker_rules::Source as RuleSource;
use saker_rules::fields::FieldId;
use saker_rules::filter::FieldArg;

use super::parser::{self, Parser, c_str, protocol_letter, sanitize};
use super::reader::Event;
use super::table::{self, Category, EventInfo, NumFmt, ParamType};

/// sinsp's default `max_evt_output_len` in sysdig: longer buffers end in `...`.
const MAX_BUFFER_TEXT: usize = 80;

/// One event with the parser's view of its thread, for printing and filtering.
pub struct ScapEvent<'e, 'a> {
    pub event: &'e Event<'a>,
    pub info: &'static EventInfo,
    pub parser: &'e Parser,
    /// `evt.num`: every event read counts, printed or not.
    pub num: u64,
    pub type_id: EventTypeId,
}

/// Whether sysdig shows this event without `-D` (internal events are hidden).
pub fn shown_by_default(info: &EventInfo) -> bool {
    info.category != Category::Internal && !info.unused
}

impl ScapEvent<'_, '_> {
    /// `evt.type`: the event's name, or for a generic event the syscall its `ID` names.
    pub fn type_name(&self) -> &'static str {
        if self.event.kind < 2
            && let Some(id) = self.event.param(0)
            && let Some(name) = table::ppm_sc_name(int(id, 2, false) as u16)
        {
            return name;
        }
        &self.info.name
    }

    pub fn dir(&self) -> &'static str {
        if table::is_enter(self.event.kind) {
            ">"
        } else {
            "<"
        }
    }

    fn thread(&self) -> Option<&super::threads::Thread> {
        self.parser.threads.get(self.event.tid)
    }

    /// `proc.name`, `<NA>` when the thread is unknown.
    pub fn proc_name(&self) -> Cow<'_, str> {
        match self.thread() {
            Some(t) if !t.comm.is_empty() => String::from_utf8_lossy(&t.comm),
            _ => Cow::Borrowed("<NA>"),
        }
    }

    /// The `evt.info` text: `name=value(resolved) ` for each parameter.
    pub fn info_text(&self, out: &mut String) {
        // Generic events (syscalls without a dedicated event) have only internal arguments.
        if self.event.kind < 2 {
            return;
        }
        let count = self.info.params.len().min(self.event.nparams());
        for (i, value) in self.event.params().take(count).enumerate() {
            let p = &self.info.params[i];
            out.push_str(&p.name);
            out.push('=');
            let resolved = self.param_text(i, value, out);
            if let Some(r) = resolved
                && !r.is_empty()
            {
                out.push('(');
                out.push_str(&r);
                out.push(')');
            }
            out.push(' ');
        }
    }

    /// Parameter `i` as sysdig prints it, appended to `out`; the resolved text is returned.
    fn param_text(&self, i: usize, v: &[u8], out: &mut String) -> Option<String> {
        self.typed_text(i, self.info.params[i].ty, v, out)
    }

    /// A value of type `ty` (parameter `i`'s own, or the one its index byte selects).
    fn typed_text(&self, i: usize, ty: ParamType, v: &[u8], out: &mut String) -> Option<String> {
        match ty {
            ParamType::Fd => {
                let fd = int(v, 8, true);
                let _ = write!(out, "{fd}");
                self.fd_text(fd)
            }
            ParamType::Pid => {
                let pid = int(v, 8, true);
                let _ = write!(out, "{pid}");
                self.parser
                    .threads
                    .get(pid as u64)
                    .map(|t| String::from_utf8_lossy(&t.comm).into_owned())
            }
            ParamType::Errno => {
                let e = int(v, 8, true);
                let _ = write!(out, "{e}");
                (e < 0)
                    .then(|| i32::try_from(-e).ok().and_then(saker_syscalls::errno_name))
                    .flatten()
                    .map(str::to_string)
            }
            ParamType::Int { bytes, signed, fmt } => {
                number(out, v, bytes, signed, fmt);
                None
            }
            ParamType::CharBuf => {
                out.push_str(&String::from_utf8_lossy(c_str(v)));
                None
            }
            ParamType::FsPath | ParamType::FsRelPath { .. } => {
                let path = c_str(v);
                out.push_str(&sanitize(path));
                self.resolved_path(i, ty, path)
            }
            ParamType::ByteBuf => {
                buffer_text(v, out);
                None
            }
            ParamType::SockAddr => {
                if v.is_empty() {
                    out.push_str("NULL");
                } else if let Some(a) = parser::parse_sockaddr(v) {
                    out.push_str(&parser::sockaddr_text(&a));
                }
                None
            }
            ParamType::SockTuple => {
                if v.is_empty() {
                    out.push_str("NULL");
                } else {
                    match parser::parse_tuple(v) {
                        Some(t) => out.push_str(&t.text),
                        None => {
                            let _ = write!(out, "family {}", v[0]);
                        }
                    }
                }
                None
            }
            ParamType::FdList => {
                self.fdlist_text(v, out);
                None
            }
            ParamType::SyscallId => {
                let _ = write!(out, "{}", int(v, 2, false));
                None
            }
            ParamType::SigType => {
                let sig = int(v, 1, false);
                let _ = write!(out, "{sig}");
                saker_syscalls::signal_name(sig as i32).map(str::to_string)
            }
            ParamType::SigSet => {
                let set = int(v, 4, false) as u32;
                let names: Vec<&str> = (0..32)
                    .filter(|b| set & (1 << b) != 0)
                    .filter_map(|b| saker_syscalls::signal_name(b + 1))
                    .collect();
                out.push_str(&names.join(" "));
                None
            }
            ParamType::RelTime => {
                let t = int(v, 8, false) as u64;
                if t == u64::MAX {
                    out.push_str("none");
                    return None;
                }
                let _ = write!(out, "{t}");
                Some(format!("{}s", general_float(t as f64 / 1e9)))
            }
            ParamType::Uid | ParamType::Gid => {
                let id = int(v, 4, false) as u32;
                if id == u32::MAX {
                    out.push_str("-1");
                    return Some("<NONE>".into());
                }
                let _ = write!(out, "{id}");
                Some("<NA>".into())
            }
            ParamType::Flags { bytes, table } => {
                let val = int(v, usize::from(bytes), false) as u32;
                let _ = write!(out, "{val}");
                table.map(|t| flag_names(val, t))
            }
            ParamType::Mode { table } => {
                number(out, v, 4, false, NumFmt::Oct);
                Some(flag_names(int(v, 4, false) as u32, table))
            }
            ParamType::AbsTime => {
                let _ = write!(out, "{}", int(v, 8, false));
                None
            }
            ParamType::Dyn { choices } => {
                let (&index, value) = v.split_first()?;
                let choice = *choices.get(usize::from(index))?;
                self.typed_text(i, choice, value, out)
            }
            ParamType::CharBufArray | ParamType::PairArray => {
                if let Some((_, rest)) = v.split_first() {
                    let _ = write!(out, "{}", int(rest, rest.len().min(8), true));
                }
                None
            }
        }
    }

    fn fd_text(&self, fd: i64) -> Option<String> {
        if fd == -100 {
            return Some("AT_FDCWD".into());
        }
        if fd < 0 {
            return i32::try_from(-fd)
                .ok()
                .and_then(saker_syscalls::errno_name)
                .map(str::to_string);
        }
        self.thread()?;
        let f = self.parser.threads.fd(self.event.tid, fd)?;
        let mut s = String::with_capacity(f.name.len() + 4);
        s.push('<');
        s.push(f.typechar as char);
        if matches!(f.typechar, b'4' | b'6')
            && let Some(l) = protocol_letter(f)
        {
            s.push(l);
        }
        s.push('>');
        s.push_str(&sanitize(&f.name));
        Some(s)
    }

    fn resolved_path(&self, i: usize, ty: ParamType, path: &[u8]) -> Option<String> {
        if path.is_empty() || path.starts_with(b"/") || path.starts_with(b"<NA>") {
            return None;
        }
        self.thread()?;
        let dirfd = match ty {
            ParamType::FsRelPath { dirfd } => self
                .event
                .param(usize::from(dirfd))
                .map(|v| int(v, 8, true))
                .filter(|_| usize::from(dirfd) != i),
            _ => None,
        };
        let full = self.parser.resolve(self.event.tid, dirfd, path);
        Some(sanitize(full.as_deref().unwrap_or(path)))
    }

    fn fdlist_text(&self, v: &[u8], out: &mut String) {
        if self.thread().is_none() || v.len() < 2 {
            return;
        }
        let n = usize::from(u16::from_le_bytes([v[0], v[1]]));
        for j in 0..n {
            let at = 2 + j * 10;
            let Some(entry) = v.get(at..at + 10) else {
                break;
            };
            let fd = i64::from_le_bytes(entry[..8].try_into().expect("8"));
            let flags = i16::from_le_bytes([entry[8], entry[9]]) as i32 as u32;
            let tch = self
                .parser
                .threads
                .fd(self.event.tid, fd)
                .map_or('?', |f| f.typechar as char);
            if j > 0 {
                out.push(' ');
            }
            let _ = write!(out, "{}:{tch}{flags:x}", fd as u64);
        }
    }
}

fn int(v: &[u8], bytes: usize, signed: bool) -> i64 {
    let mut b = [0u8; 8];
    let n = bytes.min(v.len()).min(8);
    b[..n].copy_from_slice(&v[..n]);
    let raw = u64::from_le_bytes(b);
    if signed && n > 0 && n < 8 {
        let shift = 64 - 8 * n as u32;
        ((raw << shift) as i64) >> shift
    } else {
        raw as i64
    }
}

/// sinsp's `%d`/`%X`/`%#o` renderings of integer parameters (64-bit values print signed in
/// decimal, as sinsp's `PRId64`).
fn number(out: &mut String, v: &[u8], bytes: u8, signed: bool, fmt: NumFmt) {
    let bytes = usize::from(bytes);
    let value = int(v, bytes, signed);
    let unsigned = int(v, bytes, false) as u64;
    let _ = match fmt {
        NumFmt::Hex => write!(out, "{unsigned:X}"),
        NumFmt::Oct if unsigned == 0 => write!(out, "0"),
        NumFmt::Oct => write!(out, "{unsigned:#o}").map(|_| {
            // Rust writes 0o644, C's %#o 0644.
            let at = out.len() - format!("{unsigned:o}").len() - 2;
            out.replace_range(at..at + 2, "0");
        }),
        NumFmt::Dec if bytes == 8 || signed => write!(out, "{value}"),
        // PRId32 of a uint32: negative past 2^31, as sinsp prints it.
        NumFmt::Dec if bytes == 4 => write!(out, "{}", unsigned as u32 as i32),
        NumFmt::Dec => write!(out, "{unsigned}"),
    };
}

/// Flag names as sinsp resolves them: table order, each matching entry taken out of the
/// value, an entry equal to the whole value ending the walk.
fn flag_names(initial: u32, table: &[(&str, u32)]) -> String {
    let mut out = String::new();
    let mut val = initial;
    let mut sep = "";
    let mut rest = table.iter();
    for &(name, flag) in rest.by_ref() {
        if flag == initial {
            out.push_str(sep);
            out.push_str(name);
            return out;
        }
        if (flag == 0 && initial == 0) || (flag != 0 && val & flag == flag && val != 0) {
            out.push_str(sep);
            out.push_str(name);
            sep = "|";
            val &= !flag;
        }
    }
    out
}

/// A buffer as sinsp's `binary_buffer_to_string_dots`: printable ASCII kept, others as `.`,
/// cut at [`MAX_BUFFER_TEXT`] with `...`.
fn buffer_text(v: &[u8], out: &mut String) {
    let start = out.len();
    for &b in v {
        out.push(if (0x20..0x7f).contains(&b) {
            b as char
        } else {
            '.'
        });
    }
    if out.len() - start > MAX_BUFFER_TEXT {
        out.truncate(start + MAX_BUFFER_TEXT);
        out.replace_range(start + MAX_BUFFER_TEXT - 3.., "...");
    }
}

/// C's `%lg`: six significant digits, no trailing zeros.
fn general_float(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let exp = x.abs().log10().floor() as i32;
    if !(-5..6).contains(&exp) {
        let s = format!("{x:.5e}");
        let (mantissa, e) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        let e: i32 = e.parse().unwrap_or(0);
        return format!("{mantissa}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    }
    let decimals = (5 - exp).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The default line, as `sysdig -r` prints it.
pub fn default_line(e: &ScapEvent<'_, '_>, out: &mut String) {
    let _ = write!(
        out,
        "{} {} {} {} ({}) {} {} ",
        e.num,
        clock(e.event.ts),
        e.event.cpu,
        e.proc_name(),
        e.event.tid,
        e.dir(),
        e.type_name()
    );
    e.info_text(out);
}

/// `HH:MM:SS.nnnnnnnnn` in UTC.
pub fn clock(ts: u64) -> String {
    let secs = ts / 1_000_000_000;
    let in_day = secs % 86_400;
    format!(
        "{:02}:{:02}:{:02}.{:09}",
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60,
        ts % 1_000_000_000
    )
}

/// `sysdig -j`'s object for the default fields.
pub fn json_line(e: &ScapEvent<'_, '_>) -> serde_json::Value {
    let mut info = String::new();
    e.info_text(&mut info);
    serde_json::json!({
        "evt.cpu": e.event.cpu,
        "evt.dir": e.dir(),
        "evt.info": info,
        "evt.num": e.num,
        "evt.outputtime": e.event.ts,
        "evt.type": e.type_name(),
        "proc.name": e.proc_name(),
        "thread.tid": e.event.tid,
    })
}

/// The fields a filter or `-p` format can use on a `.scap` event.
#[derive(Clone, Copy, Debug)]
enum Field {
    Num,
    Type,
    Dir,
    Cpu,
    Info,
    Arg,
    Res,
    Rawres,
    Failed,
    Time,
    Category,
    ProcName,
    ProcPid,
    ProcPpid,
    ProcExe,
    ProcArgs,
    ProcCmdline,
    ProcCwd,
    ThreadTid,
    UserUid,
    FdNum,
    FdName,
    FdTypechar,
}

const FIELDS: &[(&str, Field)] = &[
    ("evt.num", Field::Num),
    ("evt.type", Field::Type),
    ("evt.dir", Field::Dir),
    ("evt.cpu", Field::Cpu),
    ("evt.info", Field::Info),
    ("evt.args", Field::Info),
    ("evt.arg", Field::Arg),
    ("evt.res", Field::Res),
    ("evt.rawres", Field::Rawres),
    ("evt.failed", Field::Failed),
    ("evt.time", Field::Time),
    ("evt.rawtime", Field::Time),
    ("evt.outputtime", Field::Time),
    ("evt.category", Field::Category),
    ("proc.name", Field::ProcName),
    ("proc.pid", Field::ProcPid),
    ("proc.ppid", Field::ProcPpid),
    ("proc.exe", Field::ProcExe),
    ("proc.args", Field::ProcArgs),
    ("proc.cmdline", Field::ProcCmdline),
    ("proc.cwd", Field::ProcCwd),
    ("thread.tid", Field::ThreadTid),
    ("user.uid", Field::UserUid),
    ("fd.num", Field::FdNum),
    ("fd.name", Field::FdName),
    ("fd.typechar", Field::FdTypechar),
];

fn field(id: FieldId) -> Option<Field> {
    static TABLE: OnceLock<Vec<Option<Field>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = vec![None; saker_rules::fields::all().len()];
        for (name, f) in FIELDS {
            if let Some(id) = saker_rules::fields::lookup(name) {
                table[id.0 as usize] = Some(*f);
            }
        }
        table
    });
    table.get(id.0 as usize).copied().flatten()
}

/// The fields [`ScapEvent`] has a value for (`saker capture print` lists them on a bad
/// filter).
pub fn field_names() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().map(|(n, _)| *n)
}

fn owned(s: String) -> Option<Value<'static>> {
    Some(Value::Str(Cow::Owned(s)))
}

impl ScapEvent<'_, '_> {
    fn param_index(&self, arg: &FieldArg) -> Option<usize> {
        match arg {
            FieldArg::Index(i) => usize::try_from(*i).ok(),
            FieldArg::Key(k) => self.info.params.iter().position(|p| &p.name == k),
        }
    }

    fn fd_param(&self) -> Option<i64> {
        let i = self
            .info
            .params
            .iter()
            .position(|p| p.ty == ParamType::Fd)?;
        Some(int(self.event.param(i)?, 8, true))
    }

    fn res(&self) -> Option<i64> {
        if table::is_enter(self.event.kind) {
            return None;
        }
        let p = self.info.params.first()?;
        matches!(p.ty, ParamType::Errno | ParamType::Fd | ParamType::Pid)
            .then(|| self.event.param(0).map(|v| int(v, 8, true)))
            .flatten()
    }
}

impl EngineEvent for ScapEvent<'_, '_> {
    fn source(&self) -> RuleSource {
        RuleSource::Syscall
    }

    fn event_type(&self) -> EventTypeId {
        self.type_id
    }

    fn time_ns(&self) -> u64 {
        self.event.ts
    }

    fn value(&self, f: &FieldRef) -> Option<Value<'_>> {
        let t = self.thread();
        match field(f.id)? {
            Field::Num => Some(Value::UInt(self.num)),
            Field::Type => Some(Value::str(self.type_name())),
            Field::Dir => Some(Value::str(self.dir())),
            Field::Cpu => Some(Value::Int(i64::from(self.event.cpu))),
            Field::Info => {
                let mut s = String::new();
                self.info_text(&mut s);
                owned(s.trim_end().to_string())
            }
            Field::Arg => {
                let i = self.param_index(f.arg.as_ref()?)?;
                let v = self.event.param(i)?;
                let mut s = String::new();
                self.param_text(i, v, &mut s);
                owned(s)
            }
            Field::Res => self.res().map(|r| {
                if r >= 0 {
                    Value::str("SUCCESS")
                } else {
                    Value::str(
                        i32::try_from(-r)
                            .ok()
                            .and_then(saker_syscalls::errno_name)
                            .unwrap_or("E?"),
                    )
                }
            }),
            Field::Rawres => self.res().map(Value::Int),
            Field::Failed => Some(Value::Bool(self.res().is_some_and(|r| r < 0))),
            Field::Time => Some(Value::UInt(self.event.ts)),
            Field::Category => Some(Value::str(category_name(&self.info.category))),
            Field::ProcName => t.map(|t| Value::Str(String::from_utf8_lossy(&t.comm))),
            Field::ProcPid => t.map(|t| Value::Int(t.pid as i64)),
            Field::ProcPpid => t.map(|t| {
                Value::Int(self.parser.threads.get(t.ptid).map_or(t.ptid, |p| p.pid) as i64)
            }),
            Field::ProcExe => t.map(|t| Value::Str(String::from_utf8_lossy(&t.exe))),
            Field::ProcArgs => t.and_then(|t| owned(args_text(&t.args))),
            Field::ProcCmdline => t.and_then(|t| {
                let args = args_text(&t.args);
                let comm = String::from_utf8_lossy(&t.comm);
                owned(if args.is_empty() {
                    comm.into_owned()
                } else {
                    format!("{comm} {args}")
                })
            }),
            Field::ProcCwd => t.map(|t| Value::Str(String::from_utf8_lossy(&t.cwd))),
            Field::ThreadTid => Some(Value::Int(self.event.tid as i64)),
            Field::UserUid => t.map(|t| Value::UInt(u64::from(t.uid))),
            Field::FdNum => self.fd_param().map(Value::Int),
            Field::FdName => {
                let fd = self.fd_param()?;
                let f = self.parser.threads.fd(self.event.tid, fd)?;
                Some(Value::Str(String::from_utf8_lossy(&f.name)))
            }
            Field::FdTypechar => {
                let fd = self.fd_param()?;
                let f = self.parser.threads.fd(self.event.tid, fd)?;
                owned((f.typechar as char).to_string())
            }
        }
    }
}

fn args_text(args: &[u8]) -> String {
    let args = args.strip_suffix(&[0]).unwrap_or(args);
    String::from_utf8_lossy(args).replace('\0', " ")
}

fn category_name(c: &Category) -> &'static str {
    match c {
        Category::File => "file",
        Category::Io => "io",
        Category::Net => "net",
        Category::Ipc => "ipc",
        Category::Memory => "memory",
        Category::Process => "process",
        Category::Signal => "signal",
        Category::Sleep => "sleep",
        Category::Wait => "wait",
        Category::Time => "time",
        Category::User => "user",
        Category::Scheduler => "scheduler",
        Category::System => "system",
        Category::Internal => "internal",
        Category::Other => "other",
    }
}

/// The table entry of an event.
pub fn event_info(kind: u16) -> Option<&'static EventInfo> {
    table::info(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_print_like_sinsp() {
        assert_eq!(
            flag_names(4097, table::flag_table("file").unwrap()),
            "O_RDONLY|O_CLOEXEC"
        );
        assert_eq!(flag_names(3, table::flag_table("file").unwrap()), "O_RDWR");
        assert_eq!(flag_names(0, table::flag_table("file").unwrap()), "O_NONE");
        assert_eq!(
            flag_names(
                (1 << 11) | (1 << 13) | (1 << 15),
                table::flag_table("clone").unwrap()
            ),
            "CLONE_SIGHAND|CLONE_THREAD|CLONE_VM"
        );
    }

    #[test]
    fn numbers_and_buffers_print_like_sinsp() {
        let mut s = String::new();
        number(&mut s, &0o644u32.to_le_bytes(), 4, false, NumFmt::Oct);
        s.push(' ');
        number(
            &mut s,
            &0x55DB_0DE7_3000u64.to_le_bytes(),
            8,
            false,
            NumFmt::Hex,
        );
        s.push(' ');
        number(&mut s, &0u32.to_le_bytes(), 4, false, NumFmt::Oct);
        assert_eq!(s, "0644 55DB0DE73000 0");
        let mut b = String::new();
        buffer_text(b"\x7fELF\x02\x01", &mut b);
        assert_eq!(b, ".ELF..");
        let mut long = String::new();
        buffer_text(&[b'a'; 100], &mut long);
        assert_eq!(long.len(), 80);
        assert!(long.ends_with("aaa..."));
        assert_eq!(general_float(1.5), "1.5");
        assert_eq!(general_float(0.000123), "0.000123");
    }
}

/// What `saker capture print` prints.
pub struct PrintOptions<'e> {
    /// The filter and `-p` format, compiled as one rule (condition, output).
    pub engine: Option<&'e saker_engine::Engine>,
    /// Print the rule's output (`-p`) instead of the default line.
    pub custom_format: bool,
    pub json: bool,
    /// Internal events too (sysdig's `-D`).
    pub show_internal: bool,
}

/// Counts of a print run.
#[derive(Debug, Default)]
pub struct PrintStats {
    pub read: u64,
    pub printed: u64,
}

/// Prints every event of `file` that passes the filter, as `sysdig -r` does.
pub fn print_file(
    file: &mut super::ScapFile,
    options: &PrintOptions<'_>,
    out: &mut dyn std::io::Write,
) -> Result<PrintStats, crate::SourceError> {
    let mut parser = Parser::new(false);
    for t in &file.metadata.threads {
        parser.threads.seed(t);
    }
    for (tid, fd, info) in &file.metadata.fds {
        parser.threads.seed_fd(*tid, *fd, info);
    }
    let type_ids: Vec<EventTypeId> = (0..table::event_count())
        .map(|k| {
            let name = &table::info(k as u16).expect("in the table").name;
            options
                .engine
                .map_or(EventTypeId::OTHER, |e| e.event_type_id(name))
        })
        .collect();
    let mut stats = PrintStats::default();
    let mut line = String::with_capacity(512);
    let mut scratch = Vec::new();
    let io_error = |e: std::io::Error| crate::SourceError::Command(format!("writing output: {e}"));
    while let Some(event) = file.next_event()? {
        stats.read += 1;
        scratch.clear();
        parser.parse(&event, &mut scratch);
        let Some(info) = table::info(event.kind) else {
            continue;
        };
        if !options.show_internal && !shown_by_default(info)
            || (info.name == "container" && !info.large_payload)
        {
            // The JSON container event is metadata: sysdig takes it in and prints none, even
            // with -D (the large-payload one, of later libs, it prints).
            continue;
        }
        let mut view = ScapEvent {
            event: &event,
            info,
            parser: &parser,
            num: stats.read,
            type_id: type_ids[usize::from(event.kind)],
        };
        if event.kind < 2
            && let Some(engine) = options.engine
        {
            view.type_id = engine.event_type_id(view.type_name());
        }
        line.clear();
        if let Some(engine) = options.engine {
            let mut matched = None;
            engine.evaluate(&view, |rule| {
                matched.get_or_insert(rule);
            });
            let Some(rule) = matched else { continue };
            if options.custom_format {
                line.push_str(&engine.alert(rule, &view).output);
            }
        }
        if options.json {
            line.clear();
            line.push_str(&json_line(&view).to_string());
        } else if !options.custom_format {
            default_line(&view, &mut line);
        }
        line.push('\n');
        match out.write_all(line.as_bytes()) {
            // The reader went away (`| head`): done, quietly.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(stats),
            r => r.map_err(io_error)?,
        }
        stats.printed += 1;
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(stats),
        r => r.map(|()| stats).map_err(io_error),
    }
}
