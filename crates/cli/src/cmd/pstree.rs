//! `saker pstree`: the process tree like `pstree -p`, threads as `{name}(tid)`, and each
//! process that runs in a container marked with the container's short id.

use std::collections::HashMap;
use std::io::{IsTerminal as _, Write as _};

use saker_event::escape::{escape, escape_ascii_octal};
use saker_proc::stat::parse_stat;
use saker_proc::{Process, cgroup};

use crate::cmd::containers::{self, ContainerNames};
use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Show pids (always on; accepted for `pstree -p` muscle memory).
    #[arg(short = 'p', long = "show-pids")]
    pub show_pids: bool,
    /// Draw with ASCII characters (the default when stdout is not a UTF-8 terminal).
    #[arg(short = 'A', long)]
    pub ascii: bool,
    /// Draw with Unicode line drawing even into a pipe or a non-UTF-8 locale.
    #[arg(short = 'U', long, conflicts_with = "ascii")]
    pub unicode: bool,
    /// Sort children by pid instead of by name.
    #[arg(short = 'n', long = "numeric-sort")]
    pub numeric_sort: bool,
    /// Show each thread's own name instead of its process's.
    #[arg(short = 't', long = "thread-names")]
    pub thread_names: bool,
    /// Hide threads, show only processes.
    #[arg(short = 'T', long = "hide-threads")]
    pub hide_threads: bool,
    /// Show each process's arguments, one process per line (`name,pid args`; a process without
    /// a command line, such as a kernel thread, as `(name,pid)`).
    #[arg(short = 'a', long = "arguments")]
    pub arguments: bool,
    /// Show the parents of PID too: the chain from init down to it, then its tree.
    #[arg(short = 's', long = "show-parents", requires = "pid")]
    pub show_parents: bool,
    /// Do not cut long lines (always so: Saker never cuts them, where pstree cuts at the
    /// terminal's width, or 132 columns into a pipe; accepted for `pstree -l`). As `pstree -l`,
    /// `-a` shows the first 8 KiB of each command line, names and arguments escaped as pstree
    /// escapes them (`\012` for a newline, `\303\251` for `é`).
    #[arg(short = 'l', long = "long")]
    pub long: bool,
    /// Root of the tree (default: every tree, starting with init).
    pub pid: Option<u32>,
}

/// One process and what the tree needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNode {
    pub pid: u32,
    pub ppid: u32,
    pub name: String,
    /// Owner of /proc/PID: pstree's second sort key after the name.
    pub uid: u32,
    pub kernel_thread: bool,
    /// Thread ids and names, the main thread excluded.
    pub threads: Vec<(u32, String)>,
    /// The container's label: its short id; on the container's topmost process, also its
    /// name and image when the runtime said.
    pub container: Option<String>,
    /// The command line's first bytes as /proc holds them, NUL-separated (read only for
    /// `-a`, at most [`ARGUMENTS_READ`]); empty for kernel threads and zombies.
    pub cmdline: Vec<u8>,
}

/// How the tree is drawn and ordered.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub style: Style,
    /// Children by pid (`-n`) rather than by name, as pstree.
    pub by_pid: bool,
    pub thread_names: bool,
    pub hide_threads: bool,
    /// `-a`: one process per line with its arguments.
    pub arguments: bool,
    /// `-s`: the root's parents are drawn above it.
    pub show_parents: bool,
}

/// Line-drawing characters.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    single: &'static str,
    first: &'static str,
    middle: &'static str,
    last: &'static str,
    bar: &'static str,
    horizontal_len: usize,
    /// The two-character forms `-a` draws with, psmisc's branch_2, last_2 and vert_2.
    branch_2: &'static str,
    last_2: &'static str,
    vert_2: &'static str,
}

pub const ASCII: Style = Style {
    single: "---",
    first: "-+-",
    middle: " |-",
    last: " `-",
    bar: " | ",
    horizontal_len: 3,
    branch_2: "|-",
    last_2: "`-",
    vert_2: "| ",
};

pub const UNICODE: Style = Style {
    single: "───",
    first: "─┬─",
    middle: " ├─",
    last: " └─",
    bar: " │ ",
    horizontal_len: 3,
    branch_2: "├─",
    last_2: "└─",
    vert_2: "│ ",
};

pub fn run(args: Args) -> Outcome {
    let nodes = collect(!args.hide_threads, args.arguments);
    if let Some(pid) = args.pid
        && !nodes.iter().any(|n| n.pid == pid)
    {
        return Err(Failure::new(2, format!("saker: process {pid} not found")).into());
    }
    // pstree draws lines only on a terminal whose locale is UTF-8.
    let style = if args.ascii {
        ASCII
    } else if args.unicode || (std::io::stdout().is_terminal() && locale_is_utf8()) {
        UNICODE
    } else {
        ASCII
    };
    let options = Options {
        style,
        by_pid: args.numeric_sort,
        thread_names: args.thread_names,
        hide_threads: args.hide_threads,
        arguments: args.arguments,
        show_parents: args.show_parents,
    };
    let out = render(&nodes, args.pid, &options);
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(0)
}

fn locale_is_utf8() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}

/// How much of a command line `-a` shows: psmisc's pstree reads at most BUFSIZ (8 KiB) of it
/// with `-l`, and users compare the two.
pub const ARGUMENTS_READ: usize = 8192;

/// A process or thread name as pstree writes it (see [`escape_ascii_octal`]).
fn escape_name(name: &str) -> std::borrow::Cow<'_, str> {
    escape_ascii_octal(name.as_bytes())
}

/// Appends the arguments `-a` shows after `name,pid`, read from the raw command line the way
/// psmisc's pstree reads it, so that both print the same line: as many arguments as there
/// are runs of NULs, taken one NUL-terminated string at a time after argv[0], each but the
/// last preceded by a space. Hence a command line ending in NUL shows no trailing space, a
/// run of empty arguments ends the list early, a command line rewritten without NULs (as
/// setproctitle does) shows none, and one cut at [`ARGUMENTS_READ`] ends with its cut
/// argument joined to the one before.
fn push_arguments(line: &mut String, cmdline: &[u8]) {
    let nul_runs = cmdline
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == 0 && (i == 0 || cmdline[i - 1] != 0))
        .count();
    let Some(first_nul) = memchr::memchr(0, cmdline) else {
        return;
    };
    let after_argv0 = &cmdline[first_nul + 1..];
    // The strings after argv[0]; the last is ended by the end of what was read.
    let mut arguments = after_argv0.split(|&b| b == 0);
    for i in 0..nul_runs {
        let argument = arguments.next().unwrap_or_default();
        if i + 1 < nul_runs {
            line.push(' ');
        }
        line.push_str(&escape_ascii_octal(argument));
    }
}

/// Reads every process (and its threads, if asked); vanished processes are skipped.
pub fn collect(with_threads: bool, with_cmdline: bool) -> Vec<TreeNode> {
    let Ok(pids) = saker_proc::all_pids() else {
        return Vec::new();
    };
    let mut buf = Vec::new();
    let mut nodes = Vec::with_capacity(pids.len());
    let mut containers = Vec::with_capacity(pids.len());
    for pid in pids {
        let Ok(p) = Process::open(pid) else { continue };
        if p.read_small_into("stat", &mut buf).is_err() {
            continue;
        }
        let Ok(stat) = parse_stat(&buf) else { continue };
        let mut threads = Vec::new();
        if with_threads && stat.num_threads > 1 {
            for tid in p.tasks().unwrap_or_default() {
                if tid == pid {
                    continue;
                }
                if let Ok(t) = Process::open_task(pid, tid)
                    && let Ok(ts) = t.stat()
                {
                    threads.push((tid, ts.comm));
                }
            }
        }
        let container = match p.read_small_into("cgroup", &mut buf) {
            Ok(()) => std::str::from_utf8(&buf)
                .ok()
                .and_then(cgroup::container_of_text),
            Err(_) => None,
        };
        let cmdline = if with_cmdline {
            let mut raw = p.read("cmdline").unwrap_or_default();
            raw.truncate(ARGUMENTS_READ);
            raw
        } else {
            Vec::new()
        };
        nodes.push(TreeNode {
            pid,
            ppid: stat.ppid,
            uid: p.owner_uid().unwrap_or(0),
            cmdline,
            kernel_thread: stat.is_kernel_thread(),
            name: stat.comm,
            threads,
            container: container.as_ref().map(|c| c.short_id().to_string()),
        });
        containers.push(container);
    }
    let names = ContainerNames::lookup(containers.iter().flatten());
    label_container_roots(&mut nodes, &containers, &names);
    nodes
}

/// Adds name and image to the label of each container's topmost process (whose parent is
/// not in the same container).
fn label_container_roots(
    nodes: &mut [TreeNode],
    containers: &[Option<saker_proc::Container>],
    names: &ContainerNames,
) {
    let by_pid: HashMap<u32, Option<&str>> = nodes
        .iter()
        .zip(containers)
        .map(|(n, c)| (n.pid, c.as_ref().map(|c| c.id.as_str())))
        .collect();
    for (node, container) in nodes.iter_mut().zip(containers) {
        let Some(c) = container else { continue };
        if by_pid.get(&node.ppid).copied().flatten() == Some(c.id.as_str()) {
            continue;
        }
        if let (Some(label), Some(meta)) = (&mut node.container, names.get(&c.id)) {
            for part in [meta.name.clone(), containers::image_text(meta)] {
                if !part.is_empty() {
                    label.push(' ');
                    label.push_str(&part);
                }
            }
        }
    }
}

/// Renders the forest: the tree of `root` if given, else every tree whose root has no
/// (visible) parent, kernel threads left out as pstree does.
pub fn render(nodes: &[TreeNode], root: Option<u32>, options: &Options) -> String {
    let by_pid: HashMap<u32, &TreeNode> = nodes.iter().map(|n| (n.pid, n)).collect();
    let mut children: HashMap<u32, Vec<&TreeNode>> = HashMap::new();
    for n in nodes {
        if n.ppid != n.pid && by_pid.contains_key(&n.ppid) {
            children.entry(n.ppid).or_default().push(n);
        }
    }
    // `-s`: start at the root's oldest visible ancestor, each ancestor showing only the next
    // one on the way down (psmisc trim_tree_by_parent).
    let mut path: HashMap<u32, u32> = HashMap::new();
    let mut root = root;
    if options.show_parents
        && let Some(mut pid) = root
    {
        while let Some(parent) = by_pid
            .get(&pid)
            .filter(|n| n.ppid != n.pid)
            .and_then(|n| by_pid.get(&n.ppid))
        {
            path.insert(parent.pid, pid);
            pid = parent.pid;
        }
        root = Some(pid);
    }
    let roots: Vec<&TreeNode> = match root {
        Some(pid) => by_pid.get(&pid).copied().into_iter().collect(),
        None => {
            let mut r: Vec<&TreeNode> = nodes
                .iter()
                .filter(|n| !n.kernel_thread)
                .filter(|n| n.ppid == 0 || n.ppid == n.pid || !by_pid.contains_key(&n.ppid))
                .collect();
            r.sort_by_key(|n| n.pid);
            r
        }
    };
    let tree = Tree {
        children: &children,
        by_pid: &by_pid,
        path: &path,
        options,
        show_kernel_threads: root.is_some(),
    };
    let mut out = String::new();
    for r in roots {
        let lines = if options.arguments {
            let mut lines = Vec::new();
            tree.argument_lines(&Kid::Process(r), &mut Vec::new(), true, &mut lines);
            lines
        } else {
            tree.lines(r, 0)
        };
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

struct Tree<'a> {
    children: &'a HashMap<u32, Vec<&'a TreeNode>>,
    by_pid: &'a HashMap<u32, &'a TreeNode>,
    /// With `-s`: ancestor pid -> the one child of it that leads to the root asked for.
    path: &'a HashMap<u32, u32>,
    options: &'a Options,
    show_kernel_threads: bool,
}

/// Deeper trees than this are cut (a fork chain that deep would not be readable anyway, and
/// the recursion must stay bounded).
const MAX_DEPTH: usize = 500;

/// A child in the drawing: a process (drawn with its own subtree) or a thread.
enum Kid<'a> {
    Process(&'a TreeNode),
    Thread { tid: u32, name: String, uid: u32 },
}

impl Kid<'_> {
    /// The name pstree sorts by: the process name, or `{name}` for a thread.
    fn sort_name(&self) -> String {
        match self {
            Kid::Process(n) => n.name.clone(),
            Kid::Thread { name, .. } => format!("{{{name}}}"),
        }
    }

    fn pid(&self) -> u32 {
        match self {
            Kid::Process(n) => n.pid,
            Kid::Thread { tid, .. } => *tid,
        }
    }

    fn uid(&self) -> u32 {
        match self {
            Kid::Process(n) => n.uid,
            Kid::Thread { uid, .. } => *uid,
        }
    }
}

impl Tree<'_> {
    /// A node's children in pstree's order (psmisc add_child): by name (bytes, as strcmp),
    /// then by owner, then in pid order; by pid alone with `-n`. Threads are children named
    /// `{name}`: their process's name unless `-t`.
    fn kids<'n>(&self, node: &'n TreeNode) -> Vec<Kid<'n>>
    where
        Self: 'n,
    {
        if let Some(next) = self.path.get(&node.pid) {
            return self
                .by_pid
                .get(next)
                .map(|n| Kid::Process(n))
                .into_iter()
                .collect();
        }
        let mut kids: Vec<Kid<'n>> = self
            .children
            .get(&node.pid)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter(|c| !c.kernel_thread || self.show_kernel_threads || node.kernel_thread)
            .map(|c| Kid::Process(c))
            .collect();
        if !self.options.hide_threads {
            kids.extend(node.threads.iter().map(|(tid, name)| Kid::Thread {
                tid: *tid,
                name: if self.options.thread_names {
                    name.clone()
                } else {
                    node.name.clone()
                },
                uid: node.uid,
            }));
        }
        kids.sort_by_key(Kid::pid);
        if !self.options.by_pid {
            kids.sort_by(|a, b| {
                a.sort_name()
                    .as_bytes()
                    .cmp(b.sort_name().as_bytes())
                    .then(a.uid().cmp(&b.uid()))
            });
        }
        kids
    }

    /// `-a`: one line per process, `name,pid args` (`(name,pid)` without a command line),
    /// indented as psmisc's dump_tree does with print_args: per level two spaces (one under a
    /// one-character name) and `|-`, `` `- ``, `| ` or two spaces. `widths` holds, for each
    /// level above, its name's indent and whether it has siblings below it.
    fn argument_lines(
        &self,
        kid: &Kid<'_>,
        above: &mut Vec<(usize, bool)>,
        last: bool,
        out: &mut Vec<String>,
    ) {
        let mut line = String::new();
        let depth = above.len();
        for (lvl, (indent, _)) in above.iter().enumerate() {
            line.push_str(&" ".repeat(*indent));
            let s = &self.options.style;
            line.push_str(if lvl + 1 == depth {
                if last { s.last_2 } else { s.branch_2 }
            } else if above[lvl + 1].1 {
                s.vert_2
            } else {
                "  "
            });
        }
        let (name, pid) = match kid {
            Kid::Process(n) => (escape_name(&n.name).into_owned(), n.pid),
            Kid::Thread { tid, name, .. } => (format!("{{{}}}", escape_name(name)), *tid),
        };
        let node = match kid {
            Kid::Process(n) => Some(*n),
            Kid::Thread { .. } => None,
        };
        let without_args = node.is_some_and(|n| n.cmdline.is_empty());
        if without_args {
            line.push('(');
        }
        line.push_str(&format!("{name},{pid}"));
        if let Some(c) = node.and_then(|n| n.container.as_ref()) {
            line.push_str(&format!("[{}]", escape(c)));
        }
        if without_args {
            line.push(')');
        }
        if let Some(node) = node {
            push_arguments(&mut line, &node.cmdline);
        }
        out.push(line);
        let Some(node) = node else { return };
        if depth >= MAX_DEPTH {
            return;
        }
        let indent = if name.chars().count() > 1 { 2 } else { 1 };
        above.push((indent, !last));
        let kids = self.kids(node);
        for (i, child) in kids.iter().enumerate() {
            self.argument_lines(child, above, i + 1 == kids.len(), out);
        }
        above.pop();
    }

    fn lines(&self, node: &TreeNode, depth: usize) -> Vec<String> {
        let mut label = format!("{}({})", escape_name(&node.name), node.pid);
        if let Some(c) = &node.container {
            label.push_str(&format!("[{}]", escape(c)));
        }
        let mut kids: Vec<Vec<String>> = Vec::new();
        let all = self.kids(node);
        if depth < MAX_DEPTH {
            for kid in &all {
                kids.push(match kid {
                    Kid::Process(child) => self.lines(child, depth + 1),
                    Kid::Thread { tid, name, .. } => {
                        vec![format!("{{{}}}({tid})", escape_name(name))]
                    }
                });
            }
        } else if !all.is_empty() {
            kids.push(vec!["...".to_string()]);
        }
        let pad = " ".repeat(label.chars().count());
        let s = &self.options.style;
        let mut out = Vec::new();
        match kids.len() {
            0 => out.push(label),
            1 => {
                let kid = &kids[0];
                out.push(format!("{label}{}{}", s.single, kid[0]));
                let pad = " ".repeat(label.chars().count() + s.horizontal_len);
                out.extend(kid[1..].iter().map(|l| format!("{pad}{l}")));
            }
            n => {
                for (i, kid) in kids.iter().enumerate() {
                    let (head, conn) = if i == 0 {
                        (label.as_str(), s.first)
                    } else if i == n - 1 {
                        (pad.as_str(), s.last)
                    } else {
                        (pad.as_str(), s.middle)
                    };
                    out.push(format!("{head}{conn}{}", kid[0]));
                    let cont = if i == n - 1 { "   " } else { s.bar };
                    out.extend(kid[1..].iter().map(|l| format!("{pad}{cont}{l}")));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(pid: u32, ppid: u32, name: &str) -> TreeNode {
        TreeNode {
            pid,
            ppid,
            name: name.into(),
            uid: 0,
            kernel_thread: false,
            threads: vec![],
            container: None,
            cmdline: vec![],
        }
    }

    fn opts(style: Style) -> Options {
        Options {
            style,
            by_pid: false,
            thread_names: false,
            hide_threads: false,
            arguments: false,
            show_parents: false,
        }
    }

    fn forest() -> Vec<TreeNode> {
        let mut init = node(1, 0, "systemd");
        init.threads = vec![(9, "sd-worker".into())];
        let mut kthreadd = node(2, 0, "kthreadd");
        kthreadd.kernel_thread = true;
        let mut sleep = node(7205, 7194, "sleep");
        sleep.container = Some("b8ef8b10085e".into());
        let mut sh = node(7210, 7205, "sh");
        sh.container = Some("b8ef8b10085e".into());
        vec![
            init,
            kthreadd,
            node(100, 1, "sshd"),
            node(200, 1, "agetty"),
            node(300, 100, "bash"),
            node(400, 300, "pstree"),
            node(7194, 1, "conmon"),
            sleep,
            sh,
        ]
    }

    /// Children by name as pstree sorts them (agetty before conmon before sshd whatever
    /// their pids), the thread `{systemd}` last since `{` sorts after letters.
    #[test]
    fn ascii_tree_by_name() {
        let expect = "\
systemd(1)-+-agetty(200)
           |-conmon(7194)---sleep(7205)[b8ef8b10085e]---sh(7210)[b8ef8b10085e]
           |-sshd(100)---bash(300)---pstree(400)
           `-{systemd}(9)
";
        assert_eq!(render(&forest(), None, &opts(ASCII)), expect);
    }

    #[test]
    fn numeric_sort_and_thread_names() {
        let o = Options {
            by_pid: true,
            thread_names: true,
            ..opts(ASCII)
        };
        let expect = "\
systemd(1)-+-{sd-worker}(9)
           |-sshd(100)---bash(300)---pstree(400)
           |-agetty(200)
           `-conmon(7194)---sleep(7205)[b8ef8b10085e]---sh(7210)[b8ef8b10085e]
";
        assert_eq!(render(&forest(), None, &o), expect);
        let hidden = Options {
            hide_threads: true,
            ..opts(ASCII)
        };
        assert!(!render(&forest(), None, &hidden).contains("(9)"));
    }

    /// Same names: the lower uid first, then pid order (psmisc add_child).
    #[test]
    fn same_names_by_owner_then_pid() {
        let mut nodes = vec![node(1, 0, "init")];
        for (pid, uid) in [(50, 1000), (40, 1000), (60, 0)] {
            let mut n = node(pid, 1, "worker");
            n.uid = uid;
            nodes.push(n);
        }
        let expect = "\
init(1)-+-worker(60)
        |-worker(40)
        `-worker(50)
";
        assert_eq!(render(&nodes, None, &opts(ASCII)), expect);
    }

    /// `-a` as psmisc draws it: one process a line, arguments after `name,pid`, a process
    /// without a command line in parentheses.
    #[test]
    fn arguments_one_per_line() {
        let mut nodes = forest();
        for n in &mut nodes {
            if n.pid != 2 {
                n.cmdline = format!("{}\0--id={}\0", n.name, n.pid).into_bytes();
            }
        }
        nodes.push(node(9000, 1, "defunct"));
        let o = Options {
            arguments: true,
            ..opts(ASCII)
        };
        let expect = "\
systemd,1 --id=1
  |-agetty,200 --id=200
  |-conmon,7194 --id=7194
  |   `-sleep,7205[b8ef8b10085e] --id=7205
  |       `-sh,7210[b8ef8b10085e] --id=7210
  |-(defunct,9000)
  |-sshd,100 --id=100
  |   `-bash,300 --id=300
  |       `-pstree,400 --id=400
  `-{systemd},9
";
        assert_eq!(render(&nodes, None, &o), expect);
    }

    /// The argument text for command lines whose psmisc rendering was seen with pstree 23.6
    /// (`bash -c S x '' '' y` showed `-c S x `; `sleep 1000` showed ` 1000`).
    #[test]
    fn arguments_read_as_psmisc_reads_them() {
        let shown = |raw: &[u8]| {
            let mut line = String::new();
            push_arguments(&mut line, raw);
            line
        };
        assert_eq!(shown(b"sleep\x001000\0"), " 1000");
        assert_eq!(shown(b"bash\0-c\0S\0x\0\0\0y\0"), " -c S x ");
        assert_eq!(shown(b"nginx: worker process"), "");
        assert_eq!(shown(b"sh\0a\tb\0\xc3\xa9\\\0"), " a\\011b \\303\\251\\\\");
        // Cut inside its last argument: joined to the one before, as psmisc prints it.
        assert_eq!(shown(b"sh\0one\0tw"), " onetw");
    }

    /// `-s`: the parents of the root asked for, each with only the child on the way.
    #[test]
    fn show_parents_trims_to_the_path() {
        let o = Options {
            show_parents: true,
            ..opts(ASCII)
        };
        assert_eq!(
            render(&forest(), Some(300), &o),
            "systemd(1)---sshd(100)---bash(300)---pstree(400)\n"
        );
    }

    #[test]
    fn unicode_subtree() {
        let expect = "sshd(100)───bash(300)───pstree(400)\n";
        assert_eq!(render(&forest(), Some(100), &opts(UNICODE)), expect);
        assert_eq!(render(&forest(), Some(2), &opts(ASCII)), "kthreadd(2)\n");
    }

    #[test]
    fn nested_branches_keep_bars() {
        let nodes = vec![
            node(1, 0, "init"),
            node(2, 1, "a"),
            node(3, 2, "a1"),
            node(4, 2, "a2"),
            node(5, 1, "b"),
        ];
        let expect = "\
init(1)-+-a(2)-+-a1(3)
        |      `-a2(4)
        `-b(5)
";
        assert_eq!(render(&nodes, None, &opts(ASCII)), expect);
    }
}
