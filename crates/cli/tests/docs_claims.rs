//! Claims in docs/ and `--help` checked against what Saker does (issue 16, "Docs that are not
//! true"): the sentence is read from the document, so a change on either side fails here.

use std::path::Path;
use std::process::Command;

fn repo_file(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn saker(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(args)
        .output()
        .expect("spawn saker")
}

/// The number before ` MiB` in the first line of `text` that contains `marker` (and the
/// lines of its paragraph, for wrapped --help text).
fn mib_after(text: &str, marker: &str) -> u32 {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} not in:\n{text}"));
    let rest = &text[at..];
    let paragraph = rest.split("\n\n").next().unwrap();
    let paragraph = paragraph
        .lines()
        .take_while(|l| !l.trim_start().starts_with("--") || l.contains(marker))
        .collect::<Vec<_>>()
        .join(" ");
    let re = regex::Regex::new(r"(\d+) MiB").unwrap();
    re.captures(&paragraph)
        .unwrap_or_else(|| panic!("no N MiB after {marker:?} in {paragraph:?}"))[1]
        .parse()
        .unwrap()
}

#[test]
fn ring_buffer_default_is_the_same_everywhere() {
    let text = |out: std::process::Output| String::from_utf8(out.stdout).unwrap();
    // What the config really holds: Falco's preset scheme, 1 MiB doubled per step.
    let config = text(saker(&["config", "show"]));
    let preset: u32 = config
        .lines()
        .find_map(|l| l.trim().strip_prefix("buf_size_preset:"))
        .expect("buf_size_preset in config show")
        .trim()
        .parse()
        .unwrap();
    let real = 1 << (preset - 1);
    let claims = [
        (
            "saker run --help",
            mib_after(&text(saker(&["run", "--help"])), "--buffer-bytes"),
        ),
        (
            "saker capture --help",
            mib_after(&text(saker(&["capture", "--help"])), "--buffer-bytes"),
        ),
        (
            "docs/capture-bpf.md (events map)",
            mib_after(&repo_file("docs/capture-bpf.md"), "| `events` | RINGBUF"),
        ),
        (
            "docs/capture-bpf.md (choice)",
            mib_after(&repo_file("docs/capture-bpf.md"), "The default ring is"),
        ),
        (
            "docs/config.md",
            mib_after(&repo_file("docs/config.md"), "`saker capture` default:"),
        ),
    ];
    for (place, mib) in claims {
        assert_eq!(
            mib, real,
            "{place} says {mib} MiB; the default is {real} MiB"
        );
    }
}

/// docs/default-rules.md says what `container_id=` host events print; a real alert on a host
/// process (ptrace, so no BPF needed) must print exactly that.
#[test]
fn host_events_show_the_container_id_the_docs_say() {
    let doc = repo_file("docs/default-rules.md").replace('\n', " ");
    let re = regex::Regex::new(r"host events show `container_id=([^`]+)`").unwrap();
    let claimed = re
        .captures(&doc)
        .expect("default-rules.md: `host events show `container_id=...``")[1]
        .to_string();
    let out = saker(&["run", "--ptrace", "--", "cat", "/etc/shadow"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("Operation not permitted") {
        eprintln!("SKIPPED: ptrace is not permitted here: {stderr}");
        return;
    }
    let alert = stdout
        .lines()
        .find(|l| l.contains("Sensitive file opened for reading"))
        .unwrap_or_else(|| panic!("no alert for cat /etc/shadow:\n{stdout}\n{stderr}"));
    // The claim may go on with the fields that follow (`container_name=...`); it ends where
    // a field ends.
    let shown = format!(" container_id={claimed}");
    let ends_a_field =
        |at: usize| matches!(alert[at + shown.len()..].chars().next(), Some(' ' | ')'));
    assert!(
        alert.match_indices(&shown).any(|(at, _)| ends_a_field(at)),
        "docs say container_id={claimed}, the alert says: {alert}"
    );
}

/// docs/trace.md lists the strace options `saker trace` refuses ("Not supported yet"): each
/// one, as the list writes it, is refused with "not supported yet" and exit status 1. (When one
/// gets implemented, this fails until the list is brought up to date.)
#[test]
fn trace_md_lists_the_options_that_are_refused() {
    let doc = repo_file("docs/trace.md");
    let at = doc
        .find("## Not supported yet")
        .expect("docs/trace.md: the section of strace options that are not supported");
    let end = doc[at + 2..]
        .find("\n## ")
        .map_or(doc.len(), |e| at + 2 + e);
    let section = &doc[at..end];
    // `-d`, `--daemonize`, `-e secontext=` (an empty value: any is refused).
    let written = regex::Regex::new(r"`(-{1,2}[A-Za-z][\w-]*(?: \w+=\w*)?)`").unwrap();
    let options: Vec<Vec<&str>> = written
        .captures_iter(section)
        .map(|c| c.get(1).unwrap().as_str().split(' ').collect())
        .collect();
    assert!(options.len() >= 6, "{options:?}");
    for option in &options {
        let mut args = vec!["trace"];
        args.extend(option);
        args.push("true");
        let out = saker(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{option:?}: {err}");
        assert!(err.contains("is not supported yet"), "{option:?}: {err}");
    }
}

/// packaging/saker.yaml names the falco.yaml keys Saker does not implement and says they are
/// warnings with their file:line, ignored: a config with each of them loads, with that warning.
#[test]
fn falco_keys_saker_lacks_are_warned_with_their_line() {
    let doc = repo_file("packaging/saker.yaml");
    let at = doc
        .find("keys Saker does not implement (")
        .expect("packaging/saker.yaml: the falco.yaml keys Saker does not implement");
    let names = &doc[at + "keys Saker does not implement (".len()..];
    let names = names[..names.find(')').unwrap()].replace("\n#", " ");
    let keys: Vec<&str> = names
        .split(',')
        .map(str::trim)
        .filter(|k| *k != "...")
        .collect();
    assert!(keys.len() >= 4, "{keys:?}");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("falco.yaml");
    let mut text = String::from("json_output: true\n");
    for key in &keys {
        // `engine.kmod` is a key under `engine`; the others are top-level.
        match key.split_once('.') {
            Some((parent, child)) => text.push_str(&format!("{parent}:\n  {child}:\n    x: 1\n")),
            None => text.push_str(&format!("{key}:\n  x: 1\n")),
        }
    }
    std::fs::write(&config, &text).unwrap();
    let out = saker(&["config", "show", "-c", config.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    for key in &keys {
        let line = text
            .lines()
            .position(|l| {
                l.trim_start()
                    .starts_with(&format!("{}:", key.rsplit('.').next().unwrap()))
            })
            .unwrap()
            + 1;
        let want = format!(
            "{}:{line}: warning: unknown configuration key `{key}`",
            config.display()
        );
        assert!(err.contains(&want), "missing {want:?} in:\n{err}");
    }
    assert!(String::from_utf8_lossy(&out.stdout).contains("json_output: true"));
}

/// Every `console` block of docs/*.md is run as written (in a scratch directory that sees the
/// source tree's `crates/` and `packaging/`): `$ cat FILE` followed by lines makes FILE, the
/// other commands must exit 0 and print exactly the lines shown after them (stdout, then
/// stderr). The `sh` blocks of docs/config.md run too (exit 0).
#[test]
fn docs_commands_run_as_written() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = tempfile::tempdir().unwrap();
    for shared in ["crates", "packaging"] {
        std::os::unix::fs::symlink(repo.join(shared), dir.path().join(shared)).unwrap();
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_saker")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |command: &str| {
        Command::new("bash")
            .args(["-c", command])
            .current_dir(dir.path())
            .env("PATH", &path)
            .output()
            .unwrap()
    };
    let mut ran = 0;
    let mut docs: Vec<_> = std::fs::read_dir(repo.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    docs.sort();
    for doc in docs {
        let text = std::fs::read_to_string(&doc).unwrap();
        let name = doc.file_name().unwrap().to_string_lossy().to_string();
        for block in text.split("```console\n").skip(1) {
            let block = block.split("```").next().unwrap();
            // (command, the lines shown after it)
            let mut steps: Vec<(String, Vec<String>)> = Vec::new();
            for line in block.lines() {
                match line.strip_prefix("$ ") {
                    Some(c) => steps.push((c.to_string(), Vec::new())),
                    None => steps.last_mut().unwrap().1.push(line.to_string()),
                }
            }
            for (command, shown) in steps {
                if let Some(file) = command.strip_prefix("cat ") {
                    std::fs::write(dir.path().join(file), shown.join("\n") + "\n").unwrap();
                    continue;
                }
                let out = run(&command);
                ran += 1;
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(out.status.success(), "{name}: `{command}`:\n{stderr}");
                if !shown.is_empty() {
                    let printed = format!("{}{stderr}", String::from_utf8_lossy(&out.stdout));
                    let printed: Vec<&str> = printed.lines().collect();
                    assert_eq!(printed, shown, "{name}: `{command}` prints otherwise");
                }
            }
        }
    }
    let config = repo_file("docs/config.md");
    let sh = config
        .split("```sh\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    for command in sh.lines().filter(|l| !l.trim().is_empty()) {
        let out = run(command);
        ran += 1;
        assert!(
            out.status.success(),
            "config.md: `{command}`:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(ran >= 4, "only {ran} commands found in docs/");
}
