//! `saker proc PID`: one page on a process, or its fds (`--fds`), environment (`--env`), or
//! what one of its fds points to (`--fd N`, filtered like head/tail/grep/strings).

pub mod content;
pub mod fds;
pub mod page;

use std::io::{BufWriter, IsTerminal as _, Write as _};
use std::os::unix::fs::FileTypeExt as _;

use saker_event::escape::{escape, escape_bytes};
use saker_proc::fdinfo::FdTarget;
use saker_proc::users::NameTable;
use saker_proc::{Error, Process, SystemInfo, environ};

use crate::cmd::ps::timefmt::Clock;
use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("view").args(["fds", "env", "fd"]))]
pub struct Args {
    /// The process id.
    pub pid: u32,
    /// Print JSON (schema: docs/proc-json.md).
    #[arg(long, conflicts_with = "fd")]
    pub json: bool,
    /// List open file descriptors, resolved (files, pipes, sockets, anon inodes).
    #[arg(long)]
    pub fds: bool,
    /// Print the environment, one NAME=value per line.
    #[arg(long)]
    pub env: bool,
    /// Print what file descriptor N points to, like `cat /proc/PID/fd/N`: exact bytes into
    /// a pipe or file, control characters escaped on a terminal. Files and block devices only:
    /// reading a pipe, socket or terminal would take data meant for the process.
    #[arg(long, value_name = "N")]
    pub fd: Option<u32>,
    /// Only the printable strings (4+ characters) of --fd N, like `strings`: the etcd trick.
    #[arg(long, requires = "fd")]
    pub strings: bool,
    /// Only lines (with --strings: strings) containing PATTERN, a fixed string like `grep -F`.
    #[arg(long, value_name = "PATTERN", requires = "fd")]
    pub grep: Option<String>,
    /// Print N lines of context after each match (grep -A).
    #[arg(short = 'A', value_name = "N", requires = "grep")]
    pub after: Option<usize>,
    /// Print N lines of context before each match (grep -B).
    #[arg(short = 'B', value_name = "N", requires = "grep")]
    pub before: Option<usize>,
    /// Print N lines of context before and after each match (grep -C; -A/-B override a side).
    #[arg(short = 'C', value_name = "N", requires = "grep")]
    pub context: Option<usize>,
    /// Stop after N matches, once their trailing context is printed (grep -m).
    #[arg(short = 'm', long = "max-count", value_name = "N", requires = "grep")]
    pub max_count: Option<u64>,
    /// Only the first N lines of what --fd N shows (default 10), like `head`.
    #[arg(
        long,
        value_name = "N",
        num_args = 0..=1,
        default_missing_value = "10",
        requires = "fd",
        conflicts_with = "tail"
    )]
    pub head: Option<u64>,
    /// Only the last N lines of what --fd N shows (default 10), like `tail`.
    #[arg(
        long,
        value_name = "N",
        num_args = 0..=1,
        default_missing_value = "10",
        requires = "fd"
    )]
    pub tail: Option<u64>,
}

/// Turns a library error into the one line the user sees, exit 2.
pub fn failure(e: Error) -> anyhow::Error {
    Failure::new(2, format!("saker: {e}")).into()
}

pub fn run(args: Args) -> Outcome {
    let pid = args.pid;
    if let Some(fd) = args.fd {
        return show_fd(pid, fd, &args);
    }
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    if args.env {
        let p = Process::open(pid).map_err(failure)?;
        let data = p.read("environ").map_err(failure)?;
        if args.json {
            let map: serde_json::Map<String, serde_json::Value> = environ::parse_environ(&data)
                .map(|v| {
                    (
                        String::from_utf8_lossy(v.name).into_owned(),
                        String::from_utf8_lossy(v.value).into_owned().into(),
                    )
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &map)?;
            out.write_all(b"\n")?;
        } else {
            for v in environ::parse_environ(&data) {
                writeln!(out, "{}={}", escape_bytes(v.name), escape_bytes(v.value))?;
            }
        }
        out.flush()?;
        return Ok(0);
    }
    if args.fds {
        let p = Process::open(pid).map_err(failure)?;
        let rows = fds::gather(&p).map_err(failure)?;
        if args.json {
            serde_json::to_writer_pretty(&mut out, &fds::to_json(&rows))?;
            out.write_all(b"\n")?;
        } else {
            out.write_all(fds::render(&rows).as_bytes())?;
        }
        out.flush()?;
        return Ok(0);
    }
    let sys = SystemInfo::read().map_err(failure)?;
    let page = page::gather(pid, &sys).map_err(failure)?;
    if args.json {
        serde_json::to_writer_pretty(&mut out, &page::to_json(&page))?;
        out.write_all(b"\n")?;
    } else {
        let text = page::render(
            &page,
            &Clock::local(),
            &NameTable::users(),
            &NameTable::groups(),
        );
        out.write_all(text.as_bytes())?;
    }
    out.flush()?;
    Ok(0)
}

/// `--fd N`: what the fd points to, through the filters asked for.
fn show_fd(pid: u32, fd: u32, args: &Args) -> Outcome {
    let p = Process::open(pid).map_err(failure)?;
    let mut file = open_readable_fd(&p, fd)?;
    let filter = content::Options {
        unit: if args.strings {
            content::Unit::Strings
        } else {
            content::Unit::Lines
        },
        pattern: args.grep.clone(),
        after: args.after.or(args.context).unwrap_or(0),
        before: args.before.or(args.context).unwrap_or(0),
        max_count: args.max_count,
    };
    let view = content::View {
        filtered: args.strings || args.grep.is_some(),
        filter,
        head: args.head,
        tail: args.tail,
    };
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = content::TerminalSafe::new(BufWriter::new(stdout.lock()), terminal);
    content::show(&mut file, &mut out, &view)
        .and_then(|()| out.finish())
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                anyhow::Error::from(e)
            } else {
                Failure::new(2, format!("saker: cannot read /proc/{pid}/fd/{fd}: {e}")).into()
            }
        })?;
    Ok(0)
}

/// Opens fd `fd` of `p` for reading, refusing what reading would disturb: a pipe, FIFO or
/// socket would hand over data meant for the process, a terminal its keystrokes.
fn open_readable_fd(p: &Process, fd: u32) -> anyhow::Result<std::fs::File> {
    let refuse = |what: String| -> anyhow::Error {
        Failure::new(
            2,
            format!(
                "saker: fd {fd} of process {} is {what}: reading it could take data meant for \
                 the process, or never end (only files and block devices are read)",
                p.pid()
            ),
        )
        .into()
    };
    match p.fd_target(fd).map_err(failure)? {
        FdTarget::Pipe { inode } => return Err(refuse(format!("a pipe (pipe:[{inode}])"))),
        FdTarget::Socket { inode } => {
            return Err(refuse(format!("a socket (socket:[{inode}])")));
        }
        FdTarget::AnonInode { kind } => {
            return Err(refuse(format!("an anonymous inode ({})", escape(&kind))));
        }
        FdTarget::Path { .. } | FdTarget::Other(_) => {}
    }
    let file = p.open_fd(fd).map_err(failure)?;
    let kind = file.metadata().map(|m| m.file_type()).map_err(|e| {
        Failure::new(
            2,
            format!("saker: cannot read /proc/{}/fd/{fd}: {e}", p.pid()),
        )
    })?;
    let target = || escape(&p.readlink(&format!("fd/{fd}")).unwrap_or_default()).into_owned();
    if kind.is_fifo() {
        return Err(refuse(format!("a FIFO ({})", target())));
    }
    if kind.is_char_device() {
        return Err(refuse(format!("a character device ({})", target())));
    }
    if kind.is_socket() {
        return Err(refuse(format!("a socket ({})", target())));
    }
    Ok(file)
}
