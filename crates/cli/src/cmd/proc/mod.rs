//! `saker proc PID`: one page on a process, or its fds (`--fds`), environment (`--env`), or
//! the printable strings of one of its fds (`--fd N --strings`).

pub mod fds;
pub mod page;
pub mod strings;

use std::io::{BufWriter, Write as _};

use saker_event::timefmt::Clock;
use saker_proc::users::NameTable;
use saker_proc::{Error, Process, SystemInfo, environ};

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
    /// Read what file descriptor N points to (with --strings).
    #[arg(long, value_name = "N", requires = "strings")]
    pub fd: Option<u32>,
    /// Print the printable strings (4+ characters) of --fd N, streaming.
    #[arg(long, requires = "fd")]
    pub strings: bool,
    /// Only strings containing PATTERN (a fixed string, like grep -F).
    #[arg(long, value_name = "PATTERN", requires = "strings")]
    pub grep: Option<String>,
    /// Print N strings of context after each match.
    #[arg(short = 'A', value_name = "N", default_value_t = 0, requires = "grep")]
    pub after: usize,
    /// Print N strings of context before each match.
    #[arg(short = 'B', value_name = "N", default_value_t = 0, requires = "grep")]
    pub before: usize,
}

/// Turns a library error into the one line the user sees, exit 2.
pub fn failure(e: Error) -> anyhow::Error {
    Failure::new(2, format!("saker: {e}")).into()
}

pub fn run(args: Args) -> Outcome {
    let pid = args.pid;
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    if let Some(fd) = args.fd {
        let p = Process::open(pid).map_err(failure)?;
        let mut file = p.open_fd(fd).map_err(failure)?;
        let opts = strings::Options {
            pattern: args.grep.clone(),
            after: args.after,
            before: args.before,
        };
        strings::extract(&mut file, &mut out, &opts).map_err(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                anyhow::Error::from(e)
            } else {
                Failure::new(2, format!("saker: cannot read /proc/{pid}/fd/{fd}: {e}")).into()
            }
        })?;
        out.flush()?;
        return Ok(0);
    }
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
                out.write_all(v.name)?;
                out.write_all(b"=")?;
                out.write_all(v.value)?;
                out.write_all(b"\n")?;
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
