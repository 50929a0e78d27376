//! The binary's front door: version, help, completions, usage errors.

use std::process::{Command, Output};

fn saker(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(args)
        .output()
        .expect("spawn saker")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn version_names_the_binary_and_crate_version() {
    let out = saker(&["--version"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        format!("saker {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn help_for_a_subcommand_describes_it() {
    let out = saker(&["help", "ps"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("Usage: saker ps"), "{text}");
}

#[test]
fn no_arguments_prints_usage_and_fails() {
    let out = saker(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: saker <COMMAND>"));
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let out = saker(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unrecognized subcommand 'frobnicate'"));
}

#[test]
fn completions_cover_every_shell_and_subcommand() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef saker"),
        ("fish", "complete -c saker"),
    ] {
        let out = saker(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}: {script:.200}");
        for sub in ["ps", "pstree", "proc", "secrets", "trace", "rules", "run"] {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
    }
}

#[test]
fn unknown_shell_is_rejected() {
    let out = saker(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value 'tcsh'"));
}
