//! The columns `ps` can print, with procps's keys, headers, widths, alignment and value
//! formats (procps-ng 4.0.2 src/ps/output.c `format_array`), and procps's way of laying a
//! row out so that a value wider than its column borrows from the next one's padding.

use saker_event::escape::escape;

use super::PsRow;
use super::timefmt::{CivilTime, Clock, MONTHS};

/// How a column's values are placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Right,
    /// Left-aligned: the padding goes before the next column.
    Left,
}

/// What a column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Pid,
    Ppid,
    Pgid,
    Sid,
    Tpgid,
    User,
    Uid,
    Ruser,
    Ruid,
    Group,
    Gid,
    Pcpu,
    C,
    Pmem,
    Vsz,
    Rss,
    Sz,
    Tty,
    Stat,
    State,
    Flags,
    Pri,
    Opri,
    Priority,
    Nice,
    Psr,
    Nlwp,
    Addr,
    Wchan,
    Start,
    StartTime,
    BsdTime,
    Time,
    Etime,
    Etimes,
    Comm,
    Args,
    Container,
    /// The container's name and image, as its runtime gave them.
    ContainerName,
    ContainerImage,
}

/// One column: a procps key and what it prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub field: Field,
    pub header: String,
    pub width: usize,
    pub align: Align,
}

/// procps's format keys that Saker knows: (key, header, width, alignment, field). Widths
/// of pid columns follow pid_max, as procps's PIDMAX flag makes them.
const KEYS: &[(&str, &str, usize, Align, Field)] = {
    use Align::{Left as L, Right as R};
    use Field as F;
    &[
        ("%cpu", "%CPU", 4, R, F::Pcpu),
        ("%mem", "%MEM", 4, R, F::Pmem),
        ("addr", "ADDR", 4, R, F::Addr),
        ("addr_1", "ADDR", 1, L, F::Addr),
        ("args", "COMMAND", 27, L, F::Args),
        ("bsdtime", "TIME", 6, R, F::BsdTime),
        ("c", "C", 2, R, F::C),
        ("cname", "NAME", 14, L, F::ContainerName),
        ("cmd", "CMD", 27, L, F::Args),
        ("comm", "COMMAND", 15, L, F::Comm),
        ("command", "COMMAND", 27, L, F::Args),
        ("container", "CONTAINER", 12, L, F::Container),
        ("cputime", "TIME", 8, R, F::Time),
        ("egid", "EGID", 5, R, F::Gid),
        ("egroup", "EGROUP", 8, L, F::Group),
        ("etime", "ELAPSED", 11, R, F::Etime),
        ("etimes", "ELAPSED", 7, R, F::Etimes),
        ("euid", "EUID", 5, R, F::Uid),
        ("euser", "EUSER", 8, L, F::User),
        ("f", "F", 1, R, F::Flags),
        ("flags", "F", 1, R, F::Flags),
        ("gid", "GID", 5, R, F::Gid),
        ("image", "IMAGE", 24, L, F::ContainerImage),
        ("group", "GROUP", 8, L, F::Group),
        ("ni", "NI", 3, R, F::Nice),
        ("nice", "NI", 3, R, F::Nice),
        ("nlwp", "NLWP", 4, R, F::Nlwp),
        ("opri", "PRI", 3, R, F::Opri),
        ("pcpu", "%CPU", 4, R, F::Pcpu),
        ("pgid", "PGID", 0, R, F::Pgid),
        ("pgrp", "PGRP", 0, R, F::Pgid),
        ("pid", "PID", 0, R, F::Pid),
        ("pmem", "%MEM", 4, R, F::Pmem),
        ("ppid", "PPID", 0, R, F::Ppid),
        ("pri", "PRI", 3, R, F::Pri),
        ("priority", "PRI", 3, R, F::Priority),
        ("psr", "PSR", 3, R, F::Psr),
        ("rss", "RSS", 5, R, F::Rss),
        ("rssize", "RSS", 5, R, F::Rss),
        ("rsz", "RSZ", 5, R, F::Rss),
        ("ruid", "RUID", 5, R, F::Ruid),
        ("ruser", "RUSER", 8, L, F::Ruser),
        ("s", "S", 1, L, F::State),
        ("sess", "SESS", 0, R, F::Sid),
        ("session", "SESS", 0, R, F::Sid),
        ("sid", "SID", 0, R, F::Sid),
        ("start", "STARTED", 8, R, F::Start),
        ("start_time", "START", 5, R, F::StartTime),
        ("stat", "STAT", 4, L, F::Stat),
        ("state", "S", 1, L, F::State),
        ("stime", "STIME", 5, R, F::StartTime),
        ("sz", "SZ", 5, R, F::Sz),
        ("thcount", "THCNT", 5, R, F::Nlwp),
        ("time", "TIME", 8, R, F::Time),
        ("tname", "TTY", 8, L, F::Tty),
        ("tpgid", "TPGID", 0, R, F::Tpgid),
        ("tt", "TT", 8, L, F::Tty),
        ("tty", "TT", 8, L, F::Tty),
        ("ucmd", "CMD", 15, L, F::Comm),
        ("ucomm", "COMMAND", 15, L, F::Comm),
        ("uid", "UID", 5, R, F::Uid),
        ("uid_hack", "UID", 8, L, F::User),
        ("uname", "USER", 8, L, F::User),
        ("user", "USER", 8, L, F::User),
        ("vsize", "VSZ", 6, R, F::Vsz),
        ("vsz", "VSZ", 6, R, F::Vsz),
        ("wchan", "WCHAN", 6, L, F::Wchan),
    ]
};

/// The keys `-o` accepts, for the error message.
fn known_keys() -> impl Iterator<Item = &'static str> {
    KEYS.iter().map(|k| k.0)
}

/// The column of procps key `key` (`%cpu`, `pid`, ...), with `header` in place of the usual
/// one if given (`-o pid=PROCESS`). Pid columns are `pid_digits` wide, or their header's.
pub fn column(key: &str, header: Option<&str>, pid_digits: usize) -> Option<Column> {
    let &(_, default_header, width, align, field) = KEYS.iter().find(|k| k.0 == key)?;
    let width = if width == 0 {
        pid_digits.max(default_header.len())
    } else {
        width
    };
    Some(match header {
        Some(h) => Column {
            field,
            width: width.max(h.chars().count()),
            header: h.to_string(),
            align,
        },
        None => Column {
            field,
            width,
            header: default_header.to_string(),
            align,
        },
    })
}

/// Columns from a comma- or space-separated procps format list (`pid,ppid,cmd`); a key with
/// `=` takes the rest of the list as its header, as in procps.
pub fn parse_format(list: &str, pid_digits: usize) -> Result<Vec<Column>, String> {
    let mut columns = Vec::new();
    let mut rest = list.trim();
    while !rest.is_empty() {
        let end = rest.find([',', ' ']).unwrap_or(rest.len());
        let key_end = rest.find('=').filter(|&e| e < end);
        let (key, header, next) = match key_end {
            // `key=HEADER` swallows the rest of the list, commas included (procps).
            Some(eq) => (&rest[..eq], Some(&rest[eq + 1..]), ""),
            None => (&rest[..end], None, &rest[end..]),
        };
        let col = column(&key.to_ascii_lowercase(), header, pid_digits).ok_or_else(|| {
            let known: Vec<&str> = known_keys().collect();
            format!(
                "unknown format key {:?} (known: {})",
                escape(key),
                known.join(",")
            )
        })?;
        columns.push(col);
        rest = next.trim_start_matches([',', ' ']);
    }
    if columns.is_empty() {
        return Err("empty format list".into());
    }
    Ok(columns)
}

/// Columns of a procps format macro: keys known to exist, so they cannot fail.
pub fn columns_of(keys: &str, pid_digits: usize) -> Vec<Column> {
    parse_format(keys, pid_digits).expect("built-in format")
}

/// What values need besides the row.
pub struct Context<'a> {
    pub clock: &'a Clock,
    pub users: &'a saker_proc::users::NameTable,
    pub groups: &'a saker_proc::users::NameTable,
    pub page_kb: u64,
    /// What the runtimes said about the listed containers.
    pub names: &'a super::ContainerNames,
}

/// The text of `field` for `row`; `prefix` goes before command columns (the forest).
pub fn value(field: Field, row: &PsRow, ctx: &Context<'_>, prefix: &str) -> String {
    match field {
        Field::Pid => row.pid.to_string(),
        Field::Ppid => row.ppid.to_string(),
        Field::Pgid => row.pgrp.to_string(),
        Field::Sid => row.session.to_string(),
        Field::Tpgid => row.tpgid.to_string(),
        Field::User => escape(&user_column(&row.user)).into_owned(),
        Field::Uid => row.uids[1].to_string(),
        Field::Ruser => escape(&user_column(&name_or_id(ctx.users, row.uids[0]))).into_owned(),
        Field::Ruid => row.uids[0].to_string(),
        Field::Group => escape(&user_column(&name_or_id(ctx.groups, row.gids[1]))).into_owned(),
        Field::Gid => row.gids[1].to_string(),
        Field::Pcpu => tenths(row.cpu_permille),
        Field::C => (row.cpu_permille / 10).min(99).to_string(),
        Field::Pmem => {
            let p = row.mem_permille.min(999);
            format!("{:2}.{}", p / 10, p % 10)
        }
        Field::Vsz => row.vsz_kb.to_string(),
        Field::Rss => row.rss_kb.to_string(),
        Field::Sz => (row.vsz_kb / ctx.page_kb.max(1)).to_string(),
        Field::Tty => row.tty.clone(),
        Field::Stat => row.stat.clone(),
        Field::State => row.state.to_string(),
        Field::Flags => format!("{:o}", (row.flags >> 6) & 7),
        Field::Pri => (39 - row.priority).to_string(),
        Field::Opri => (60 + row.priority).to_string(),
        Field::Priority => row.priority.to_string(),
        Field::Nice => match row.policy {
            // Real-time and deadline tasks have no nice value.
            0 | 3 => row.nice.to_string(),
            _ => "-".to_string(),
        },
        Field::Psr => row.processor.to_string(),
        Field::Nlwp => row.threads.to_string(),
        Field::Addr => "-".to_string(),
        Field::Wchan => escape(row.wchan.as_deref().unwrap_or("-")).into_owned(),
        Field::Start => started(ctx.clock, row.start),
        Field::StartTime => ctx.clock.ps_start(row.start),
        Field::BsdTime => {
            let s = row.cpu_secs;
            format!("{:3}:{:02}", s / 60, s % 60)
        }
        Field::Time => {
            let s = row.cpu_secs;
            let days = if s >= 86_400 {
                format!("{}-", s / 86_400)
            } else {
                String::new()
            };
            format!(
                "{days}{:02}:{:02}:{:02}",
                s / 3600 % 24,
                s / 60 % 60,
                s % 60
            )
        }
        Field::Etime => elapsed(row.elapsed_secs),
        Field::Etimes => row.elapsed_secs.to_string(),
        Field::Comm => format!("{prefix}{}", escape(&row.comm_text())),
        Field::Args => format!("{prefix}{}", escape(&row.command())),
        Field::Container => super::container_column(row.container.as_ref()).to_string(),
        Field::ContainerName => super::name_and_image(row, ctx.names).0,
        Field::ContainerImage => super::name_and_image(row, ctx.names).1,
    }
}

/// %CPU as procps prints a per-mille value: one decimal, none from 100% on.
pub fn tenths(permille: u32) -> String {
    if permille > 999 {
        (permille / 10).to_string()
    } else {
        format!("{}.{}", permille / 10, permille % 10)
    }
}

fn name_or_id(names: &saker_proc::users::NameTable, id: u32) -> String {
    names
        .get(id)
        .map(str::to_string)
        .unwrap_or_else(|| id.to_string())
}

/// USER as ps prints it: names longer than 8 characters are cut to 7 and marked with `+`.
pub fn user_column(user: &str) -> String {
    if user.chars().count() > 8 {
        let mut s: String = user.chars().take(7).collect();
        s.push('+');
        s
    } else {
        user.to_string()
    }
}

/// STARTED (`start`): `HH:MM:SS` within a day, else `Mmm DD`.
fn started(clock: &Clock, epoch: i64) -> String {
    let t: CivilTime = clock.local_time(epoch);
    if epoch + 86_400 > clock.now {
        format!("{:02}:{:02}:{:02}", t.hour, t.minute, t.second)
    } else {
        format!("  {} {:02}", MONTHS[(t.month - 1) as usize], t.day)
    }
}

/// ELAPSED (`etime`): `[[dd-]hh:]mm:ss`.
fn elapsed(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match (d, h) {
        (0, 0) => format!("{m:02}:{s:02}"),
        (0, _) => format!("{h:02}:{m:02}:{s:02}"),
        _ => format!("{d}-{h:02}:{m:02}:{s:02}"),
    }
}

/// Lays out one row of cells as procps's `show_one_proc` does: each column should start one
/// space after the previous one's width; a right-aligned value is padded on its left; a value
/// that overflows pushes the rest of the row, and later padding shrinks to catch up (at least
/// one space stays between columns). The last column is never padded on its right.
pub fn layout(columns: &[Column], cells: &[String]) -> String {
    let mut out = String::with_capacity(128);
    let mut correct = 0usize; // where this column should start
    let mut actual = 0usize; // where the text so far ends
    for (i, (col, text)) in columns.iter().zip(cells).enumerate() {
        let amount = text.chars().count();
        let leftpad = match col.align {
            Align::Right => col.width.saturating_sub(amount),
            Align::Left => 0,
        };
        let space = (correct + leftpad)
            .saturating_sub(actual)
            .max(usize::from(i > 0));
        out.extend(std::iter::repeat_n(' ', space));
        out.push_str(text);
        actual += space + amount;
        correct += col.width + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(list: &str) -> Vec<Column> {
        parse_format(list, 5).unwrap()
    }

    #[test]
    fn keys_headers_and_widths() {
        let c = cols("pid,ppid,%cpu,user,args");
        let headers: Vec<&str> = c.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(headers, ["PID", "PPID", "%CPU", "USER", "COMMAND"]);
        assert_eq!(c[0].width, 5);
        assert_eq!(parse_format("pid", 7).unwrap()[0].width, 7);
        assert_eq!(cols("pid=PROCESS-ID")[0].width, 10);
        // `=` takes the rest of the list as the header, as procps does.
        let c = cols("pid,comm=NAME,WITH,COMMAS");
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].header, "NAME,WITH,COMMAS");
        assert_eq!(cols("pid ppid").len(), 2);
        assert!(parse_format("pid,bogus", 5).unwrap_err().contains("bogus"));
        assert!(parse_format("", 5).is_err());
    }

    /// Rows laid out as procps-ng 4.0.2's show_one_proc lays out `-o pid,vsz,rss,tname,args`
    /// (worked through by hand from its code; the live test compares with the real `ps`).
    #[test]
    fn layout_like_procps() {
        let c = cols("pid,vsz,rss,tname,args");
        let header: Vec<String> = c.iter().map(|c| c.header.clone()).collect();
        assert_eq!(layout(&c, &header), "  PID    VSZ   RSS TTY      COMMAND");
        let row = |v: [&str; 5]| layout(&c, &v.map(str::to_string));
        assert_eq!(
            row(["1", "61564", "18644", "?", "/sbin/init"]),
            "    1  61564 18644 ?        /sbin/init"
        );
        // VSZ one wider than its column: RSS and TTY give up their padding to catch up.
        assert_eq!(
            row(["42", "1048576", "1048576", "pts/1", "x"]),
            "   42 1048576 1048576 pts/1 x"
        );
        // A left-aligned overflow is caught up by the next column's padding.
        assert_eq!(
            row(["7", "1", "2", "a-very-long-tty", "x"]),
            "    7      1     2 a-very-long-tty x"
        );
    }

    #[test]
    fn value_formats() {
        assert_eq!(tenths(6), "0.6");
        assert_eq!(tenths(999), "99.9");
        assert_eq!(tenths(1234), "123");
        assert_eq!(elapsed(59), "00:59");
        assert_eq!(elapsed(3661), "01:01:01");
        assert_eq!(elapsed(90_061), "1-01:01:01");
        assert_eq!(user_column("systemd-network"), "systemd+");
    }
}
