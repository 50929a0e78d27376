//! `saker pstree`: the process tree like `pstree -p`, threads as `{name}(tid)`, and each
//! process that runs in a container marked with the container's short id.

use std::collections::HashMap;
use std::io::Write as _;

use saker_proc::stat::parse_stat;
use saker_proc::{Process, cgroup};

use crate::cmd::containers::{self, ContainerNames};
use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Show pids (always on; accepted for `pstree -p` muscle memory).
    #[arg(short = 'p', long = "show-pids")]
    pub show_pids: bool,
    /// Draw with ASCII characters instead of Unicode line drawing.
    #[arg(short = 'A', long)]
    pub ascii: bool,
    /// Draw with Unicode line drawing even if the locale is not UTF-8.
    #[arg(short = 'U', long, conflicts_with = "ascii")]
    pub unicode: bool,
    /// Root of the tree (default: every tree, starting with init).
    pub pid: Option<u32>,
}

/// One process and what the tree needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNode {
    pub pid: u32,
    pub ppid: u32,
    pub name: String,
    pub kernel_thread: bool,
    /// Thread ids and names, the main thread excluded.
    pub threads: Vec<(u32, String)>,
    /// The container's label: its short id; on the container's topmost process, also its
    /// name and image when the runtime said.
    pub container: Option<String>,
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
}

pub const ASCII: Style = Style {
    single: "---",
    first: "-+-",
    middle: " |-",
    last: " `-",
    bar: " | ",
    horizontal_len: 3,
};

pub const UNICODE: Style = Style {
    single: "───",
    first: "─┬─",
    middle: " ├─",
    last: " └─",
    bar: " │ ",
    horizontal_len: 3,
};

pub fn run(args: Args) -> Outcome {
    let nodes = collect();
    if let Some(pid) = args.pid
        && !nodes.iter().any(|n| n.pid == pid)
    {
        return Err(Failure::new(2, format!("saker: process {pid} not found")).into());
    }
    let style = if args.ascii {
        ASCII
    } else if args.unicode || locale_is_utf8() {
        UNICODE
    } else {
        ASCII
    };
    let out = render(&nodes, args.pid, &style);
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

/// Reads every process and its threads; vanished processes are skipped.
pub fn collect() -> Vec<TreeNode> {
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
        if stat.num_threads > 1 {
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
        nodes.push(TreeNode {
            pid,
            ppid: stat.ppid,
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
pub fn render(nodes: &[TreeNode], root: Option<u32>, style: &Style) -> String {
    let by_pid: HashMap<u32, &TreeNode> = nodes.iter().map(|n| (n.pid, n)).collect();
    let mut children: HashMap<u32, Vec<&TreeNode>> = HashMap::new();
    for n in nodes {
        if n.ppid != n.pid && by_pid.contains_key(&n.ppid) {
            children.entry(n.ppid).or_default().push(n);
        }
    }
    for list in children.values_mut() {
        list.sort_by_key(|n| n.pid);
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
        style,
        show_kernel_threads: root.is_some(),
    };
    let mut out = String::new();
    for r in roots {
        for line in tree.lines(r, 0) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

struct Tree<'a> {
    children: &'a HashMap<u32, Vec<&'a TreeNode>>,
    style: &'a Style,
    show_kernel_threads: bool,
}

/// Deeper trees than this are cut (a fork chain that deep would not be readable anyway, and
/// the recursion must stay bounded).
const MAX_DEPTH: usize = 500;

impl Tree<'_> {
    fn lines(&self, node: &TreeNode, depth: usize) -> Vec<String> {
        let mut label = format!("{}({})", node.name, node.pid);
        if let Some(c) = &node.container {
            label.push_str(&format!("[{c}]"));
        }
        let mut kids: Vec<Vec<String>> = Vec::new();
        if depth < MAX_DEPTH {
            for child in self
                .children
                .get(&node.pid)
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                if child.kernel_thread && !self.show_kernel_threads && !node.kernel_thread {
                    continue;
                }
                kids.push(self.lines(child, depth + 1));
            }
        } else if self.children.contains_key(&node.pid) {
            kids.push(vec!["...".to_string()]);
        }
        for (tid, name) in &node.threads {
            kids.push(vec![format!("{{{name}}}({tid})")]);
        }
        let pad = " ".repeat(label.chars().count());
        let s = self.style;
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
            kernel_thread: false,
            threads: vec![],
            container: None,
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
            node(100, 1, "agetty"),
            node(200, 1, "sshd"),
            node(300, 200, "bash"),
            node(400, 300, "pstree"),
            node(7194, 1, "conmon"),
            sleep,
            sh,
        ]
    }

    #[test]
    fn ascii_tree() {
        let expect = "\
systemd(1)-+-agetty(100)
           |-sshd(200)---bash(300)---pstree(400)
           |-conmon(7194)---sleep(7205)[b8ef8b10085e]---sh(7210)[b8ef8b10085e]
           `-{sd-worker}(9)
";
        assert_eq!(render(&forest(), None, &ASCII), expect);
    }

    #[test]
    fn unicode_subtree() {
        let expect = "sshd(200)───bash(300)───pstree(400)\n";
        assert_eq!(render(&forest(), Some(200), &UNICODE), expect);
        assert_eq!(render(&forest(), Some(2), &ASCII), "kthreadd(2)\n");
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
        assert_eq!(render(&nodes, None, &ASCII), expect);
    }
}
