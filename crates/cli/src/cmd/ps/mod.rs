//! `saker ps`: `ps aux` with a CONTAINER column, and the BSD, System V and GNU option words
//! of procps-ng's `ps` (`aux`, `-ef`, `-o pid,cmd`, `--sort=-%mem`, `f`/`--forest`).
//!
//! Reading is split from rendering: [`collect`] turns /proc into [`PsRow`]s with the numbers
//! procps computes (RSS from status's VmRSS, %CPU in integer per-mille), [`columns`] formats
//! them with procps's keys and layout, so output is tested on fixture data and against the real
//! `ps` on live processes.

pub mod columns;
pub mod options;
pub mod timefmt;

use std::cmp::Ordering;
use std::io::Write as _;

use saker_proc::stat::parse_stat;
use saker_proc::users::NameTable;
use saker_proc::{Process, SystemInfo, cgroup, environ, tty};
use serde_json::{Value, json};

use saker_container::ContainerMeta;

use crate::cmd::containers::{self, ContainerNames};
use crate::exit::{Failure, Outcome};
use columns::{Column, Context, Field};
use options::{FormatChoice, PsOptions, Selection};
use timefmt::Clock;

#[derive(clap::Args)]
#[command(after_long_help = PS_HELP)]
pub struct Args {
    /// Print a JSON array instead of the table (schema: docs/proc-json.md).
    #[arg(long)]
    pub json: bool,
    /// Only processes that run in a container.
    #[arg(short = 'c', long, conflicts_with = "host_only")]
    pub containers_only: bool,
    /// Only processes that run on the host (in no container).
    #[arg(long)]
    pub host_only: bool,
    /// ps options as procps's ps takes them: BSD (aux, axf), System V (-ef, -p PID, -o
    /// pid,cmd), GNU (--sort=-%mem, --forest). See --help.
    #[arg(
        value_name = "PS OPTIONS",
        num_args = 0..,
        allow_hyphen_values = true,
        trailing_var_arg = true
    )]
    pub ps_options: Vec<String>,
}

const PS_HELP: &str = "\
With no ps options, every process is listed as `ps aux` lists it, with PPID and CONTAINER.
The option words of procps's ps work as they do there, with a CONTAINER column before the
command (add `container` to a -o list to have it there):

  Selection   aux, ax, a, x, r (running), -e/-A (every process), -a, -d, -N/--deselect,
              -p/p/--pid PIDS, --ppid PIDS, -u/U/--user USERS, -U/--User USERS, -C NAMES,
              a bare PID list (`saker ps 1,42`)
  Format      u, j, l, -f, -F, -l, -j and their mixes (-efj, -elf), -o/o/--format KEYS
              (pid,ppid,user,%cpu,%mem,vsz,rss,tty,stat,start,time,etime,comm,args, ... as
              procps), c (names, not arguments)
  Output      f/--forest (tree art), -H (indented), h/--no-headers, --sort=[-]KEY,...
              (w and --cols are accepted: Saker never cuts lines)

%CPU, %MEM, RSS and VSZ are computed as procps 4 computes them (RSS is VmRSS).";

/// One process, with the values procps computes from /proc.
#[derive(Debug, Clone, PartialEq)]
pub struct PsRow {
    /// Effective user's name, or the uid when it has none.
    pub user: String,
    pub pid: u32,
    pub ppid: u32,
    pub pgrp: i32,
    pub session: i32,
    pub tpgid: i32,
    /// Real, effective, saved and filesystem ids (status's Uid: and Gid: lines).
    pub uids: [u32; 4],
    pub gids: [u32; 4],
    /// %CPU in tenths of a percent: CPU time over time since start, integer maths as procps.
    pub cpu_permille: u32,
    /// %MEM in tenths of a percent: VmRSS over MemTotal.
    pub mem_permille: u32,
    /// VmSize and VmRSS from status, in KiB (0 for kernel threads and zombies).
    pub vsz_kb: u64,
    pub rss_kb: u64,
    pub tty_nr: u32,
    pub tty: String,
    pub state: char,
    pub stat: String,
    pub flags: u32,
    pub priority: i64,
    pub nice: i64,
    pub policy: u32,
    pub processor: u32,
    /// Start time, seconds since the epoch, and seconds since then.
    pub start: i64,
    pub elapsed_secs: u64,
    /// Start time in clock ticks after boot (stat's starttime).
    pub start_ticks: u64,
    /// User + system CPU time in seconds, and in clock ticks.
    pub cpu_secs: u64,
    pub cpu_ticks: u64,
    pub threads: u32,
    pub container: Option<saker_proc::Container>,
    pub comm: String,
    /// Arguments; empty for kernel threads and zombies.
    pub cmdline: Vec<String>,
    /// Where the process sleeps in the kernel, read only when a column shows it.
    pub wchan: Option<String>,
}

impl PsRow {
    /// COMMAND as ps prints it: the arguments, or `[comm]` when there are none; zombies are
    /// marked `<defunct>`.
    pub fn command(&self) -> String {
        let mut s = if self.cmdline.is_empty() {
            format!("[{}]", self.comm)
        } else {
            self.cmdline.join(" ")
        };
        if self.state == 'Z' {
            s.push_str(" <defunct>");
        }
        s
    }

    /// The process name as the `comm` column shows it (zombies marked).
    pub fn comm_text(&self) -> String {
        if self.state == 'Z' {
            format!("{} <defunct>", self.comm)
        } else {
            self.comm.clone()
        }
    }
}

/// Values of status that ps shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusValues {
    pub uids: [u32; 4],
    pub gids: [u32; 4],
    pub vm_size_kb: u64,
    pub vm_rss_kb: u64,
    pub locked: bool,
}

impl StatusValues {
    pub fn parse(status: &str) -> StatusValues {
        let ids = |key| -> [u32; 4] {
            let mut ids = [0; 4];
            if let Some(v) = status_field(status, key) {
                for (slot, id) in ids.iter_mut().zip(v.split_ascii_whitespace()) {
                    *slot = id.parse().unwrap_or(0);
                }
            }
            ids
        };
        let kb = |key| {
            status_field(status, key)
                .and_then(|v| v.split_ascii_whitespace().next()?.parse::<u64>().ok())
                .unwrap_or(0)
        };
        StatusValues {
            uids: ids("Uid:"),
            gids: ids("Gid:"),
            vm_size_kb: kb("VmSize:"),
            vm_rss_kb: kb("VmRSS:"),
            locked: kb("VmLck:") > 0,
        }
    }
}

pub fn run(args: Args) -> Outcome {
    let mut opts =
        options::parse(&args.ps_options).map_err(|e| Failure::new(2, format!("saker ps: {e}")))?;
    opts.json |= args.json;
    opts.containers_only |= args.containers_only;
    opts.host_only |= args.host_only;
    if opts.containers_only && opts.host_only {
        return Err(Failure::new(2, "saker ps: -c and --host-only exclude each other").into());
    }
    let sys = SystemInfo::read()?;
    let users = NameTable::users();
    let columns = format_columns(&opts, sys.pid_digits)
        .map_err(|e| Failure::new(2, format!("saker ps: {e}")))?;
    let wants_wchan = columns.iter().any(|c| c.field == Field::Wchan);
    let me = Me::read();
    let mut rows: Vec<PsRow> = collect(&sys, &users, wants_wchan)
        .into_iter()
        .filter(|r| {
            selected(r, &opts.selection, &me, &users)
                && (!opts.containers_only || r.container.is_some())
                && (!opts.host_only || r.container.is_none())
        })
        .collect();
    let names = ContainerNames::lookup(rows.iter().filter_map(|r| r.container.as_ref()));
    sort_rows(&mut rows, &opts.sort);
    let out = if opts.json {
        let mut s = serde_json::to_string_pretty(&to_json(&rows, &names))?;
        s.push('\n');
        s
    } else {
        let ctx = Context {
            clock: &Clock::local(),
            users: &users,
            groups: &NameTable::groups(),
            page_kb: (sys.page_size / 1024).max(1),
            names: &names,
        };
        render(&rows, &columns, &ctx, &opts)
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(0)
}

/// The columns to print: procps's for the format asked, CONTAINER before the command.
pub fn format_columns(opts: &PsOptions, pid_digits: usize) -> Result<Vec<Column>, String> {
    let keys = match &opts.format {
        FormatChoice::Custom(lists) => {
            let mut columns = Vec::new();
            for list in lists {
                columns.extend(columns::parse_format(list, pid_digits)?);
            }
            return Ok(columns);
        }
        FormatChoice::Saker => {
            "user,pid,ppid,%cpu,%mem,vsz,rss,tname,stat,start_time,bsdtime,container,cname,image,args"
                .into()
        }
        // procps-ng 4.0.2 on Linux: BSD formats from output.c macro_array (OL_u, OL_j, OL_l),
        // System V ones as sortformat.c generate_sysv_list assembles them.
        FormatChoice::BsdDefault => "pid,tname,stat,bsdtime,container,args".into(),
        FormatChoice::Bsd('j') => {
            "ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,container,args".into()
        }
        FormatChoice::Bsd('l') => {
            "flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,bsdtime,container,args"
                .into()
        }
        FormatChoice::Bsd(_) => {
            "user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,container,args".into()
        }
        FormatChoice::Sysv(f) => sysv_keys(*f),
    };
    Ok(columns::columns_of(&keys, pid_digits))
}

/// procps's generate_sysv_list (sortformat.c), for the letters Saker takes, with CONTAINER
/// before the command.
fn sysv_keys(f: options::SysvFormat) -> String {
    let mut keys: Vec<&str> = Vec::new();
    if f.long {
        keys.extend(["f", "s"]);
    }
    if f.full {
        keys.push("uid_hack");
    } else if f.long {
        keys.push("uid");
    }
    keys.push("pid");
    if f.full || f.long {
        keys.push("ppid");
    }
    if f.jobs {
        keys.extend(["pgid", "sid"]);
    }
    if f.full || f.long {
        keys.push("c");
    }
    if f.long {
        keys.extend(["opri", "ni", "addr_1"]);
    }
    if f.extra || f.long {
        keys.push("sz");
    }
    if f.long {
        keys.push("wchan");
    }
    if f.extra {
        keys.extend(["rss", "psr"]);
    }
    if f.full {
        keys.push("stime");
    }
    keys.extend(["tname", "time", "container"]);
    keys.push(if f.full { "cmd" } else { "ucmd" });
    keys.join(",")
}

/// Who runs `saker ps`: BSD `ps a`/`ps x` select relative to the caller.
pub struct Me {
    pub euid: u32,
}

impl Me {
    fn read() -> Me {
        Me {
            euid: rustix_euid(),
        }
    }
}

fn rustix_euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

fn user_matches(wanted: &[String], name: &str, id: u32) -> bool {
    wanted
        .iter()
        .any(|w| w == name || w.parse::<u32>() == Ok(id))
}

/// procps's selection rules; with no selection option at all, every process.
pub fn selected(row: &PsRow, sel: &Selection, me: &Me, users: &NameTable) -> bool {
    let session_leader = row.session == row.pid as i32;
    let has_tty = row.tty_nr != 0;
    let listed = sel.pids.contains(&row.pid)
        || sel.ppids.contains(&row.ppid)
        || user_matches(&sel.effective_users, &row.user, row.uids[1])
        || user_matches(
            &sel.real_users,
            users.get(row.uids[0]).unwrap_or(""),
            row.uids[0],
        )
        || sel.commands.contains(&row.comm);
    let simple = if sel.every {
        true
    } else if sel.bsd_a || sel.bsd_x {
        (sel.bsd_a || row.uids[1] == me.euid) && (sel.bsd_x || has_tty)
    } else if sel.sysv_a {
        has_tty && !session_leader
    } else if sel.sysv_d {
        !session_leader
    } else {
        !sel.given()
    };
    let chosen = (simple || listed) && (!sel.running || row.state == 'R');
    chosen != sel.negate
}

/// `--sort` keys in order; equal rows keep their pid order.
fn sort_rows(rows: &mut [PsRow], keys: &[options::SortKey]) {
    if keys.is_empty() {
        return;
    }
    let fields: Vec<(Field, bool)> = keys
        .iter()
        .filter_map(|k| Some((columns::column(&k.key, None, 5)?.field, k.descending)))
        .collect();
    rows.sort_by(|a, b| {
        fields
            .iter()
            .map(|&(f, descending)| {
                let o = compare(f, a, b);
                if descending { o.reverse() } else { o }
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
}

/// Numbers compare as numbers, text as text.
fn compare(field: Field, a: &PsRow, b: &PsRow) -> Ordering {
    let num = |r: &PsRow| -> Option<i128> {
        Some(match field {
            Field::Pid => r.pid.into(),
            Field::Ppid => r.ppid.into(),
            Field::Pgid => r.pgrp.into(),
            Field::Sid => r.session.into(),
            Field::Tpgid => r.tpgid.into(),
            Field::Uid => r.uids[1].into(),
            Field::Ruid => r.uids[0].into(),
            Field::Gid => r.gids[1].into(),
            Field::Pcpu | Field::C => r.cpu_permille.into(),
            Field::Pmem => r.mem_permille.into(),
            Field::Vsz | Field::Sz => r.vsz_kb.into(),
            Field::Rss => r.rss_kb.into(),
            Field::Flags => r.flags.into(),
            Field::Pri | Field::Opri | Field::Priority => r.priority.into(),
            Field::Nice => r.nice.into(),
            Field::Psr => r.processor.into(),
            Field::Nlwp => r.threads.into(),
            Field::Start | Field::StartTime => r.start.into(),
            Field::BsdTime | Field::Time => r.cpu_ticks.into(),
            Field::Etime | Field::Etimes => r.elapsed_secs.into(),
            _ => return None,
        })
    };
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => text_key(field, a).cmp(&text_key(field, b)),
    }
}

fn text_key(field: Field, r: &PsRow) -> String {
    match field {
        Field::User => r.user.clone(),
        Field::Tty => r.tty.clone(),
        Field::Stat => r.stat.clone(),
        Field::State => r.state.to_string(),
        Field::Comm => r.comm.clone(),
        Field::Args => r.command(),
        Field::Container => container_column(r.container.as_ref()).to_string(),
        Field::Wchan => r.wchan.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// Buffers reused across processes: `ps` reads four small files of every process, and
/// allocating per file would dominate.
#[derive(Default)]
struct Buffers {
    stat: Vec<u8>,
    status: Vec<u8>,
    cmdline: Vec<u8>,
    cgroup: Vec<u8>,
}

/// Reads every process. Processes that exit meanwhile, or cannot be read, are skipped.
pub fn collect(sys: &SystemInfo, users: &NameTable, wchan: bool) -> Vec<PsRow> {
    let Ok(pids) = saker_proc::all_pids() else {
        return Vec::new();
    };
    map_pids(&pids, |pid, bufs: &mut Buffers| {
        read_row(pid, sys, users, wchan, bufs)
    })
}

/// Applies `f` to every pid in order, with one scratch state `S` (read buffers) reused for all.
///
/// Sequential on purpose: splitting the pids over threads was measured (bench/ps.sh, 2000
/// processes, 2 cores) and did not pay; the time is in the kernel's /proc code.
pub fn map_pids<T, S: Default>(
    pids: &[u32],
    mut f: impl FnMut(u32, &mut S) -> Option<T>,
) -> Vec<T> {
    let mut scratch = S::default();
    pids.iter()
        .filter_map(|&pid| f(pid, &mut scratch))
        .collect()
}

fn read_row(
    pid: u32,
    sys: &SystemInfo,
    users: &NameTable,
    wchan: bool,
    b: &mut Buffers,
) -> Option<PsRow> {
    let p = Process::open(pid).ok()?;
    p.read_small_into("stat", &mut b.stat).ok()?;
    p.read_small_into("status", &mut b.status).ok()?;
    // cmdline and cgroup may be unreadable in odd set-ups; the row is still useful.
    let cmdline = match p.read_small_into("cmdline", &mut b.cmdline) {
        Ok(()) => environ::parse_cmdline(&b.cmdline),
        Err(_) => Vec::new(),
    };
    let container = match p.read_small_into("cgroup", &mut b.cgroup) {
        Ok(()) => cgroup::container_of_text(std::str::from_utf8(&b.cgroup).ok()?),
        Err(_) => None,
    };
    let stat = parse_stat(&b.stat).ok()?;
    let status = StatusValues::parse(std::str::from_utf8(&b.status).ok()?);
    let mut row = row_from(&stat, &status, cmdline, container, sys, users);
    if wchan {
        row.wchan = p
            .read_text("wchan")
            .ok()
            .filter(|w| !w.is_empty() && w != "0");
    }
    Some(row)
}

/// The value of one `Key:` line of a status file, without parsing the rest.
fn status_field<'a>(status: &'a str, key: &str) -> Option<&'a str> {
    let start = if status.starts_with(key) {
        0
    } else {
        status.find(&format!("\n{key}"))? + 1
    };
    let line = &status[start + key.len()..];
    Some(line.split('\n').next().unwrap_or("").trim())
}

/// CPU use in tenths of a percent, as procps-ng 4.0.2 computes `pcpu` (output.c pr_pcpu with
/// pids.c TIME_ELAPSED): ticks since boot truncated from /proc/uptime, the process's age in
/// ticks (through the same double round trip, which can lose a tick), integer division.
pub fn cpu_permille(cpu_ticks: u64, start_ticks: u64, sys: &SystemInfo) -> u32 {
    let hz = sys.clock_ticks.max(1);
    let boot_ticks = (sys.uptime * hz as f64) as u64;
    let Some(age) = boot_ticks.checked_sub(start_ticks) else {
        return 0;
    };
    let jiffies = (age as f64 / hz as f64 * hz as f64) as u64;
    if jiffies == 0 {
        return 0;
    }
    (u128::from(cpu_ticks) * 1000 / u128::from(jiffies)).min(u128::from(u32::MAX)) as u32
}

/// Builds a row from parsed data: the part of `ps` that is pure arithmetic.
pub fn row_from(
    stat: &saker_proc::Stat,
    status: &StatusValues,
    cmdline: Vec<String>,
    container: Option<saker_proc::Container>,
    sys: &SystemInfo,
    users: &NameTable,
) -> PsRow {
    let hz = sys.clock_ticks.max(1);
    let cpu_ticks = stat.utime + stat.stime;
    let boot_ticks = (sys.uptime * hz as f64) as u64;
    let mem_permille = (status.vm_rss_kb * 1000)
        .checked_div(sys.mem_total_kb)
        .unwrap_or(0) as u32;
    let euid = status.uids[1];
    PsRow {
        user: users
            .get(euid)
            .map(str::to_string)
            .unwrap_or_else(|| euid.to_string()),
        pid: stat.pid,
        ppid: stat.ppid,
        pgrp: stat.pgrp,
        session: stat.session,
        tpgid: stat.tpgid,
        uids: status.uids,
        gids: status.gids,
        cpu_permille: cpu_permille(cpu_ticks, stat.starttime, sys),
        mem_permille,
        vsz_kb: status.vm_size_kb,
        rss_kb: status.vm_rss_kb,
        tty_nr: stat.tty_nr,
        tty: tty::tty_name(stat.tty_nr),
        state: stat.state,
        stat: stat_letters(stat, status.locked),
        flags: stat.flags,
        priority: stat.priority,
        nice: stat.nice,
        policy: stat.policy,
        processor: stat.processor,
        start: sys.start_epoch(stat.starttime) as i64,
        elapsed_secs: boot_ticks.saturating_sub(stat.starttime) / hz,
        start_ticks: stat.starttime,
        cpu_secs: cpu_ticks / hz,
        cpu_ticks,
        threads: stat.num_threads,
        container,
        comm: stat.comm.clone(),
        cmdline,
        wchan: None,
    }
}

/// STAT as BSD-style ps prints it: state, then `<` high / `N` low priority, `L` locked pages,
/// `s` session leader, `l` multi-threaded, `+` in the foreground process group.
pub fn stat_letters(stat: &saker_proc::Stat, locked: bool) -> String {
    let mut s = String::with_capacity(6);
    s.push(stat.state);
    if stat.nice < 0 {
        s.push('<');
    } else if stat.nice > 0 {
        s.push('N');
    }
    if locked {
        s.push('L');
    }
    if stat.session == stat.pid as i32 {
        s.push('s');
    }
    if stat.num_threads > 1 {
        s.push('l');
    }
    if stat.tpgid == stat.pgrp {
        s.push('+');
    }
    s
}

/// The CONTAINER column: the 12-character id, or `host`.
pub fn container_column(c: Option<&saker_proc::Container>) -> &str {
    c.map_or("host", |c| c.short_id())
}

/// The table: header (unless turned off) and one line per row, in forest order if asked.
pub fn render(rows: &[PsRow], columns: &[Column], ctx: &Context<'_>, opts: &PsOptions) -> String {
    let mut out = String::with_capacity(rows.len() * 128 + 128);
    let headers: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
    if opts.headers && headers.iter().any(|h| !h.is_empty()) {
        out.push_str(&columns::layout(columns, &headers));
        out.push('\n');
    }
    let last = columns.len().saturating_sub(1);
    let order: Vec<(usize, String)> = match opts.forest {
        Some(style) => forest_order(rows, style),
        None => (0..rows.len()).map(|i| (i, String::new())).collect(),
    };
    for (i, prefix) in order {
        let row = &rows[i];
        let cells: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(at, c)| {
                let field = if opts.command_name_only && c.field == Field::Args {
                    Field::Comm
                } else {
                    c.field
                };
                let text = columns::value(field, row, ctx, &prefix);
                // procps cuts WCHAN to its width unless it is the last column.
                if field == Field::Wchan && at != last {
                    text.chars().take(c.width).collect()
                } else {
                    text
                }
            })
            .collect();
        out.push_str(&columns::layout(columns, &cells));
        out.push('\n');
    }
    out
}

/// Longest NAME and IMAGE shown; longer ones are cut and marked with `+`, as ps does users.
const NAME_WIDTH: usize = 24;
const IMAGE_WIDTH: usize = 40;

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(width - 1).collect();
        s.push('+');
        s
    }
}

/// The NAME and IMAGE columns of a row: what the runtime said, `-` otherwise.
fn name_and_image(r: &PsRow, names: &ContainerNames) -> (String, String) {
    match names.of(r.container.as_ref()) {
        Some(meta) if !meta.name.is_empty() => (
            cut(&meta.name, NAME_WIDTH),
            cut(&containers::image_text(meta), IMAGE_WIDTH),
        ),
        Some(meta) => ("-".into(), cut(&containers::image_text(meta), IMAGE_WIDTH)),
        None => ("-".into(), "-".into()),
    }
}

/// Rows in procps's forest order with each one's prefix (display.c show_forest/show_tree):
/// sorted by parent, then start time; trees shown from the last root found to the first;
/// BSD art draws ` \\_ ` and ` |  `, and leaves init's children unindented; `-H` indents two
/// spaces a level.
pub fn forest_order(rows: &[PsRow], style: options::Forest) -> Vec<(usize, String)> {
    let mut sorted: Vec<usize> = (0..rows.len()).collect();
    sorted.sort_by_key(|&i| (rows[i].ppid, rows[i].start_ticks));
    let pids: std::collections::HashSet<u32> = rows.iter().map(|r| r.pid).collect();
    let mut forest = Forest {
        rows,
        sorted: &sorted,
        style,
        marks: Vec::new(),
        out: Vec::with_capacity(rows.len()),
    };
    for at in (0..sorted.len()).rev() {
        let row = &rows[sorted[at]];
        if !pids.contains(&row.ppid) || row.ppid == row.pid {
            forest.show_tree(at, 0, false);
        }
    }
    forest.out
}

/// Deeper trees than this are drawn flat (procps bounds its prefix buffer the same way).
const MAX_FOREST_DEPTH: usize = 200;

struct Forest<'a> {
    rows: &'a [PsRow],
    sorted: &'a [usize],
    style: options::Forest,
    /// One mark per level: `+`/`L` on a process's own line (more siblings or not), `|`/` `
    /// on its children's lines.
    marks: Vec<char>,
    out: Vec<(usize, String)>,
}

impl Forest<'_> {
    fn show_tree(&mut self, at: usize, level: usize, has_sibling: bool) {
        self.marks.resize(level, ' ');
        if level > 0 {
            self.marks[level - 1] = if has_sibling { '+' } else { 'L' };
        }
        self.out
            .push((self.sorted[at], prefix_text(&self.marks, self.style)));
        let rows = self.rows;
        let me = rows[self.sorted[at]].pid;
        let is_child = |i: usize| rows[i].ppid == me && rows[i].pid != me;
        let Some(first) = self.sorted.iter().position(|&i| is_child(i)) else {
            return;
        };
        if level > 0 {
            self.marks[level - 1] = if has_sibling { '|' } else { ' ' };
        }
        let adopted_by_init = me == 1 && self.style == options::Forest::Art;
        let child_level = if adopted_by_init || level >= MAX_FOREST_DEPTH {
            level
        } else {
            level + 1
        };
        let mut i = first;
        while i < self.sorted.len() && is_child(self.sorted[i]) {
            let more = self.sorted.get(i + 1).is_some_and(|&n| is_child(n));
            self.show_tree(i, child_level, more);
            self.marks.truncate(level);
            i += 1;
        }
    }
}

fn prefix_text(marks: &[char], style: options::Forest) -> String {
    marks
        .iter()
        .map(|m| match (style, m) {
            (options::Forest::Indent, _) => "  ",
            (options::Forest::Art, '+' | 'L') => " \\_ ",
            (options::Forest::Art, '|') => " |  ",
            (options::Forest::Art, _) => "    ",
        })
        .collect()
}

/// The JSON of one container, shared by every command (see docs/proc-json.md): what the
/// cgroup says, and what the runtime said (`meta`) when it was asked.
pub fn container_json(c: Option<&saker_proc::Container>, meta: Option<&ContainerMeta>) -> Value {
    match c {
        None => Value::Null,
        Some(c) => json!({
            "id": c.id,
            "short_id": c.short_id(),
            "runtime": c.runtime.name(),
            "pod_uid": c.pod.as_ref().map(|p| p.uid.clone()),
            "qos_class": c.pod.as_ref().map(|p| p.qos.name()),
            "name": meta.map(|m| m.name.clone()).filter(|n| !n.is_empty()),
            "image": meta.map(containers::image_text).filter(|i| !i.is_empty()),
            "pod_name": meta.and_then(|m| m.pod_name()),
            "pod_namespace": meta.and_then(|m| m.pod_namespace()),
            "metadata": meta,
        }),
    }
}

/// The JSON array of `saker ps --json`.
pub fn to_json(rows: &[PsRow], names: &ContainerNames) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "pid": r.pid,
                    "ppid": r.ppid,
                    "user": r.user,
                    "uid": r.uids[1],
                    "cpu_percent": f64::from(r.cpu_permille) / 10.0,
                    "mem_percent": f64::from(r.mem_permille) / 10.0,
                    "vsz_kb": r.vsz_kb,
                    "rss_kb": r.rss_kb,
                    "tty": r.tty,
                    "stat": r.stat,
                    "start_time": timefmt::rfc3339_utc(r.start),
                    "cpu_time_secs": r.cpu_secs,
                    "threads": r.threads,
                    "comm": r.comm,
                    "cmdline": r.cmdline,
                    "command": r.command(),
                    "container": container_json(r.container.as_ref(), names.of(r.container.as_ref())),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
pub mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../proc/tests/fixtures");

    pub fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    /// The machine the fixtures were captured on: booted at btime 1795865694, 24 GB.
    pub fn fixture_system() -> SystemInfo {
        SystemInfo {
            boot_time: 1_795_865_694,
            uptime: 600.0,
            mem_total_kb: 24_684_084,
            clock_ticks: 100,
            page_size: 4096,
            pid_digits: 7,
        }
    }

    pub fn fixture_clock() -> Clock {
        Clock {
            now: 1_795_866_294,
            utc_offset: 0,
        }
    }

    /// Compares `actual` with the golden file `name` next to this module, or rewrites it when
    /// `UPDATE_GOLDEN=1`.
    pub fn check_golden(name: &str, actual: &str) {
        let path = format!("{}/src/cmd/ps/golden/{name}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(std::path::Path::new(&path).parent().unwrap()).unwrap();
            std::fs::write(&path, actual).unwrap();
            return;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("missing golden {path}; run with UPDATE_GOLDEN=1"));
        assert_eq!(
            actual, expected,
            "golden {name} differs; UPDATE_GOLDEN=1 to refresh"
        );
    }

    fn users() -> NameTable {
        NameTable::parse("root:x:0:0::/root:/bin/sh\nsystemd-network:x:998:998::/:/bin/false\n")
    }

    fn status_text(name: &str) -> StatusValues {
        StatusValues::parse(&String::from_utf8(fixture(name)).unwrap())
    }

    /// What podman's API says about the fixture's container.
    pub fn fixture_names() -> ContainerNames {
        ContainerNames::from_metas([ContainerMeta {
            id: "b8ef8b10085e4f69df624915fef02ba61d013fa8874e292237e21029ca9a3a09".into(),
            kind: saker_container::ContainerType::Podman,
            name: "quirky_hopper".into(),
            image: "localhost/saker-test/busybox:latest".into(),
            image_repository: "localhost/saker-test/busybox".into(),
            image_tag: "latest".into(),
            ..ContainerMeta::default()
        }])
    }

    pub fn fixture_rows() -> Vec<PsRow> {
        let sys = fixture_system();
        let python = parse_stat(&fixture("stat-python.txt")).unwrap();
        let sleep = parse_stat(&fixture("stat-podman-sleep.txt")).unwrap();
        let cg = String::from_utf8(fixture("cgroup-podman-sleep.txt")).unwrap();
        let kthread = parse_stat(
            b"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 18446744073709551615 0",
        )
        .unwrap();
        // An interactive, multi-threaded, niced session leader in the foreground of pts/1,
        // started the day before, owned by a long user name.
        let busy = parse_stat(
            b"31337 (busy worker) R 1 31337 31337 34817 31337 4194304 0 0 0 0 7512 1488 0 0 39 19 4 0 50 1073741824 262144 0",
        )
        .unwrap();
        let zombie = parse_stat(
            b"4242 (reaped-late) Z 8020 8016 4659 0 -1 4227084 0 0 0 0 1 0 0 0 20 0 1 0 40000 0 0 0",
        )
        .unwrap();
        let busy_status = StatusValues {
            uids: [998; 4],
            gids: [998; 4],
            vm_size_kb: 1_048_576,
            vm_rss_kb: 1_048_700,
            locked: true,
        };
        let mut yesterday = sys;
        yesterday.boot_time -= 86_400;
        vec![
            row_from(
                &kthread,
                &StatusValues::default(),
                vec![],
                None,
                &sys,
                &users(),
            ),
            row_from(
                &python,
                &status_text("status-python.txt"),
                environ::parse_cmdline(&fixture("cmdline-python.txt")),
                None,
                &sys,
                &users(),
            ),
            row_from(
                &sleep,
                &status_text("status-podman-sleep.txt"),
                environ::parse_cmdline(&fixture("cmdline-podman-sleep.txt")),
                cgroup::container_of_text(&cg),
                &sys,
                &users(),
            ),
            row_from(
                &busy,
                &busy_status,
                vec!["/usr/bin/worker".into(), "--threads=4".into()],
                None,
                &yesterday,
                &users(),
            ),
            row_from(
                &zombie,
                &StatusValues::default(),
                vec![],
                None,
                &sys,
                &users(),
            ),
        ]
    }

    fn render_with(rows: &[PsRow], words: &str) -> String {
        let words: Vec<String> = words.split_whitespace().map(str::to_string).collect();
        let opts = options::parse(&words).unwrap();
        let columns = format_columns(&opts, 7).unwrap();
        let ctx = Context {
            clock: &fixture_clock(),
            users: &users(),
            groups: &NameTable::parse("root:x:0:\n"),
            page_kb: 4,
            names: &fixture_names(),
        };
        render(rows, &columns, &ctx, &opts)
    }

    #[test]
    fn golden_table() {
        check_golden("ps-table.txt", &render_with(&fixture_rows(), ""));
    }

    #[test]
    fn golden_procps_formats() {
        let rows = fixture_rows();
        let mut all = String::new();
        for words in [
            "aux",
            "-ef",
            "-eF",
            "-el",
            "-efl",
            "-ej",
            "-eFj",
            "axj",
            "axl",
            "ax",
            "-e",
            "-eo pid,comm=NAME",
            "-o pid= -o wchan=",
            "axf",
            "-eH",
        ] {
            all.push_str(&format!("$ saker ps {words}\n"));
            all.push_str(&render_with(&rows, words));
        }
        check_golden("ps-formats.txt", &all);
    }

    #[test]
    fn golden_json() {
        let json =
            serde_json::to_string_pretty(&to_json(&fixture_rows(), &fixture_names())).unwrap();
        check_golden("ps.json", &(json + "\n"));
    }

    #[test]
    fn stat_letters_and_columns() {
        let rows = fixture_rows();
        assert_eq!(rows[3].stat, "RNLsl+");
        assert_eq!(rows[0].command(), "[kthreadd]");
        assert_eq!(columns::user_column(&rows[3].user), "systemd+");
        assert_eq!(container_column(rows[2].container.as_ref()), "b8ef8b10085e");
        assert_eq!(container_column(rows[1].container.as_ref()), "host");
        assert_eq!(rows[3].cpu_secs, 90);
        assert_eq!(rows[4].command(), "[reaped-late] <defunct>");
    }

    /// RSS is status's VmRSS (the kernel's exact count), not stat's rss field (a per-CPU
    /// counter's approximate sum): procps 4 reads the former.
    #[test]
    fn rss_and_vsz_from_status() {
        let rows = fixture_rows();
        let status = status_text("status-python.txt");
        assert_eq!(rows[1].rss_kb, status.vm_rss_kb);
        assert_eq!(rows[1].vsz_kb, status.vm_size_kb);
        assert_eq!(rows[3].rss_kb, 1_048_700);
        assert_eq!(rows[3].mem_permille, 42);
    }

    /// %CPU as procps-ng 4.0.2 computes it, checked by hand against its code: ticks since
    /// boot from uptime (truncated), age through `t / hz * hz` in doubles, integer per-mille.
    #[test]
    fn cpu_permille_like_procps() {
        let mut sys = fixture_system();
        sys.uptime = 100.0;
        // Started 0.4 s ago, 1 tick of CPU: 25.0%, and 0.6% once it is 16.67 s old.
        assert_eq!(cpu_permille(1, 9960, &sys), 25);
        assert_eq!(cpu_permille(1, 10_000 - 1667, &sys), 0);
        assert_eq!(cpu_permille(10, 10_000 - 1667, &sys), 5);
        // 29 ticks old: 29.0 / 100 * 100 is 28.999... in doubles, so procps divides by 28.
        assert_eq!(cpu_permille(1, 10_000 - 29, &sys), 35);
        // Started after the uptime was read (a process younger than the ps run): 0.
        assert_eq!(cpu_permille(5, 10_001, &sys), 0);
        assert_eq!(cpu_permille(5, 10_000, &sys), 0);
        assert_eq!(columns::tenths(cpu_permille(3, 9_000, &sys)), "0.3");
    }

    #[test]
    fn selection_rules() {
        let rows = fixture_rows();
        let me = Me { euid: 998 };
        let pick = |words: &str| -> Vec<u32> {
            let words: Vec<String> = words.split_whitespace().map(str::to_string).collect();
            let o = options::parse(&words).unwrap();
            rows.iter()
                .filter(|r| selected(r, &o.selection, &me, &users()))
                .map(|r| r.pid)
                .collect()
        };
        let every = vec![2, 8020, 7205, 31337, 4242];
        assert_eq!(pick(""), every);
        assert_eq!(pick("aux"), every);
        assert_eq!(pick("-e"), every);
        // Only processes with a terminal: the busy worker on pts/1.
        assert_eq!(pick("a"), [31337]);
        // x alone: the caller's own processes.
        assert_eq!(pick("x"), [31337]);
        assert_eq!(pick("-p 2,4242"), [2, 4242]);
        assert_eq!(pick("-u systemd-network"), [31337]);
        assert_eq!(pick("-u 0 -C sleep"), [2, 8020, 7205, 4242]);
        assert_eq!(pick("-C sleep"), [7205]);
        assert_eq!(pick("-N -C sleep"), [2, 8020, 31337, 4242]);
        assert_eq!(pick("--ppid 8020"), [4242]);
        assert_eq!(pick("axr"), [31337]);
        // -d: not session leaders (the worker and the podman sleep lead theirs).
        assert_eq!(pick("-d"), [2, 8020, 4242]);
    }

    #[test]
    fn sort_keys_order_rows() {
        let mut rows = fixture_rows();
        let keys = options::parse(&["--sort=-rss,pid".to_string()])
            .unwrap()
            .sort;
        sort_rows(&mut rows, &keys);
        let pids: Vec<u32> = rows.iter().map(|r| r.pid).collect();
        assert_eq!(pids, [31337, 8020, 7205, 2, 4242]);
    }

    #[test]
    fn status_lookup() {
        let s = "Name:\tx\nUid:\t1\t2\t3\t4\nVmLck:\t  8 kB\n";
        assert_eq!(status_field(s, "Uid:"), Some("1\t2\t3\t4"));
        assert_eq!(status_field(s, "Name:"), Some("x"));
        assert_eq!(status_field(s, "VmLck:"), Some("8 kB"));
        assert_eq!(status_field(s, "Gid:"), None);
        let v = StatusValues::parse(s);
        assert_eq!((v.uids, v.locked), ([1, 2, 3, 4], true));
    }
}
