use super::*;
use saker_rules::SourceFile;

fn load(yaml: &str) -> RuleSet {
    let (ruleset, diagnostics) = saker_rules::load(&[SourceFile::new("test.yaml", yaml)]);
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    ruleset
}

/// The plan for one rule with this condition and output.
fn plan_rule(condition: &str, output: &str) -> Result<Keep, String> {
    let yaml = format!(
        "- rule: R\n  desc: d\n  condition: {condition}\n  output: \"{output}\"\n  priority: INFO\n"
    );
    plan(&load(&yaml))
}

fn show(keep: &Keep) -> String {
    let mut lines = vec![format!("all_paths: {}", keep.all_paths)];
    for (key, class) in &keep.paths {
        lines.push(format!("{:?}: {class}", String::from_utf8_lossy(key)));
    }
    lines.join("\n")
}

fn key(path: &str) -> Vec<u8> {
    path.as_bytes().to_vec()
}

/// The classes kept for `path` (a real path): every key that is a prefix of it, or it whole.
fn kept_classes(keep: &Keep, path: &str) -> u8 {
    let mut whole = key(path);
    whole.push(0);
    keep.paths
        .iter()
        .filter(|(k, _)| path.as_bytes().starts_with(k) || **k == whole)
        .fold(keep.all_paths, |acc, (_, class)| acc | class)
}

#[test]
fn open_filter_default_rules_keep_sensitive_reads() {
    let (ruleset, _) = saker_engine::load_default_rules();
    let keep = plan(&ruleset).expect("the default rules allow the filter");
    eprintln!("{}", show(&keep));
    assert_eq!(keep.all_paths, CLASS_WRITE);
    for path in ["/etc/shadow\0", "/etc/sudoers\0", "/etc/gshadow\0"] {
        assert_eq!(
            keep.paths.get(&key(path)),
            Some(&(CLASS_READ | CLASS_ANY)),
            "{path}"
        );
    }
    for prefix in ["/etc/sudoers.d/", "/etc/pam.d/", "/proc/"] {
        assert_eq!(keep.paths.get(&key(prefix)), Some(&CLASS_READ), "{prefix}");
    }
    // The benchmark's reads are dropped, its writes kept.
    assert_eq!(kept_classes(&keep, "/tmp/x/small.txt"), CLASS_WRITE);
    assert_eq!(
        kept_classes(&keep, "/etc/pam.d/sshd") & CLASS_READ,
        CLASS_READ
    );
}

#[test]
fn open_filter_rule_on_close_disables() {
    let err = plan_rule("evt.type = close and proc.name = x", "%proc.name").unwrap_err();
    assert_eq!(
        err,
        "rule `R` can match close(), and the kernel would leave out the closes of the opens it leaves out"
    );
    let err = plan_rule("proc.name = x", "%proc.name").unwrap_err();
    assert!(err.contains("can match close()"), "{err}");
}

#[test]
fn open_filter_other_event_with_path_prefix() {
    let keep = plan_rule(
        "evt.type = write and fd.name startswith /var/x/",
        "%fd.name",
    )
    .unwrap();
    assert_eq!(keep.all_paths, 0);
    assert_eq!(keep.paths, [(key("/var/x/"), CLASS_ANY)].into());
}

#[test]
fn open_filter_sockets_and_outputs() {
    let sockets = plan_rule(
        "evt.type in (dup, dup2) and fd.type in (ipv4, ipv6)",
        "%fd.name",
    );
    assert_eq!(sockets, Ok(Keep::default()));
    let exact = plan_rule("evt.type = fchmod and fd.name = /a", "%fd.name").unwrap();
    assert_eq!(exact.paths, [(key("/a\0"), CLASS_ANY)].into());
    let output_only = plan_rule("evt.type = fchmod and proc.name = x", "%fd.name");
    assert_eq!(output_only, Ok(Keep::default()));
    let err = plan_rule("evt.type = fchmod and fd.name contains x", "%fd.name").unwrap_err();
    assert_eq!(
        err,
        "rule `R` reads fd.* of files opened earlier (fchmod) without a path test"
    );
}

#[test]
fn open_filter_open_classes_and_patterns() {
    let keep = plan_rule(
        "(evt.type = openat and evt.is_open_read = true and fd.name pmatch (/srv/data)) \
         or (evt.type = open and evt.is_open_write = true and fd.name glob \"/var/*.log\") \
         or (evt.type = creat and fd.directory in (/opt/a, /)) \
         or (evt.type = openat and fd.name = relative/path)",
        "%fd.name",
    )
    .unwrap();
    assert_eq!(keep.all_paths, CLASS_ANY);
    let expected = [
        ("/", CLASS_ANY),
        ("/opt/a/", CLASS_ANY),
        ("/srv/data/", CLASS_READ),
        ("/srv/data\0", CLASS_READ),
        ("/var/", CLASS_WRITE),
    ];
    let expected = expected.iter().map(|(k, c)| (key(k), *c)).collect();
    assert_eq!(keep.paths, expected);
}

#[test]
fn open_filter_exceptions_do_not_overflow() {
    // Exceptions on other fields vanish before the expansion into alternatives.
    let alternatives: Vec<String> = (0..20)
        .map(|i| format!("(proc.name = p{i} and proc.pname = q{i})"))
        .collect();
    let condition = format!(
        "evt.type = openat and evt.is_open_read = true and fd.name = /etc/x and not ({})",
        alternatives.join(" or ")
    );
    let keep = plan_rule(&condition, "%fd.name").unwrap();
    assert_eq!(keep.paths, [(key("/etc/x\0"), CLASS_READ)].into());
}

#[test]
fn open_filter_falco_rules() {
    let Some(dir) = std::env::var_os("SAKER_FALCO_CORPUS") else {
        eprintln!("SKIPPED: SAKER_FALCO_CORPUS not set");
        return;
    };
    let path = std::path::Path::new(&dir).join("falco_rules.yaml");
    let sources = saker_rules::files::read_paths(&[path]).expect("corpus readable");
    let (ruleset, diagnostics) = saker_rules::load(&sources);
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "{diagnostics:#?}"
    );
    // Every write is kept ("Clear Log Activities" tests `fd.filename`, "Detect release_agent
    // File Container Escapes" `fd.name endswith`); reads only where a rule names the path.
    // "Directory traversal monitored file read" needs `../` in the raw path and
    // `open_file_failed` a failure: the kernel reports both kinds itself. The symlink and
    // hardlink rules read paths resolved against a directory fd; only a failed call can have
    // a regular file there, and the state names it from /proc.
    let keep = plan(&ruleset).unwrap();
    assert_eq!(
        describe(&keep),
        "every path for write access, 8 paths or prefixes otherwise"
    );
    let expected = [
        ("/dev/log/", CLASS_WRITE),
        ("/etc/pam.conf\0", CLASS_ANY | CLASS_READ),
        ("/etc/pam.d/", CLASS_READ),
        ("/etc/security/pwquality.conf\0", CLASS_ANY | CLASS_READ),
        ("/etc/shadow\0", CLASS_ANY | CLASS_READ),
        ("/etc/sudoers\0", CLASS_ANY | CLASS_READ),
        ("/etc/sudoers.d/", CLASS_READ),
        ("/var/log/", CLASS_WRITE),
    ];
    let expected = expected.iter().map(|(k, c)| (key(k), *c)).collect();
    assert_eq!(keep.paths, expected);
    assert_eq!(kept_classes(&keep, "/usr/lib/libc.so.6") & CLASS_READ, 0);
    assert_ne!(kept_classes(&keep, "/etc/sudoers.d/admins") & CLASS_READ, 0);
}

#[test]
fn open_filter_failed_opens_and_unusual_raw_paths_need_no_keys() {
    // The kernel reports every failed open, and every open of a relative path or one holding
    // "//", "/." or "..".
    for condition in [
        "evt.type = openat and fd.name contains id_rsa and evt.res startswith E",
        "evt.type = openat and fd.name contains id_rsa and fd.num = -1",
        "evt.type = openat and fd.name contains id_rsa and fd.nameraw contains \"../\"",
        "evt.type = openat and fd.name contains id_rsa and fd.nameraw glob \"*../*\"",
        "evt.type = openat and fd.name contains id_rsa and fd.nameraw startswith x/",
    ] {
        let keep = plan_rule(condition, "%fd.name").unwrap();
        assert_eq!((keep.all_paths, keep.paths.len()), (0, 0), "{condition}");
    }
    // Raw paths any plain path can hold keep everything the rest allows.
    for condition in [
        "evt.type = openat and fd.name contains id_rsa and fd.nameraw contains \"/etc/\"",
        "evt.type = openat and fd.name contains id_rsa and fd.nameraw glob \"*[.]./*\"",
        "evt.type = openat and fd.name contains id_rsa and not fd.nameraw contains \"..\"",
        "evt.type = openat and fd.name contains id_rsa and evt.res startswith S",
    ] {
        let keep = plan_rule(condition, "%fd.name").unwrap();
        assert_eq!(keep.all_paths, CLASS_ANY, "{condition}");
    }
}
