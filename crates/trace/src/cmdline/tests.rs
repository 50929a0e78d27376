//! strace 6.1's option grammar, case by case; the cases with messages come from strace's own
//! tests/options-syntax.test and tests/qual_*-syntax.test (the messages without strace's
//! program-name prefix).

use super::*;

fn parse_args(args: &[&str]) -> Result<Request, Error> {
    let args: Vec<OsString> = args.iter().map(OsString::from).collect();
    parse(&args)
}

fn options(args: &[&str]) -> Options {
    match parse_args(args) {
        Ok(Request::Trace(options)) => *options,
        other => panic!("{args:?}: {other:?}"),
    }
}

fn error(args: &[&str]) -> String {
    match parse_args(args) {
        Err(err) => err.to_string(),
        Ok(other) => panic!("{args:?} parsed: {other:?}"),
    }
}

fn usage_error(args: &[&str]) -> String {
    match parse_args(args) {
        Err(Error::Usage(message)) => message,
        other => panic!("{args:?}: {other:?}"),
    }
}

#[test]
fn alignment_column_attached_and_separate() {
    assert_eq!(options(&["-a36", "true"]).column, 36);
    assert_eq!(options(&["-a", "7", "true"]).column, 7);
    assert_eq!(options(&["--columns=0", "true"]).column, 0);
    assert_eq!(options(&["--columns", "12", "true"]).column, 12);
    assert_eq!(options(&["true"]).column, 40);
    assert_eq!(
        usage_error(&["-a", "x", "true"]),
        "invalid -a argument: 'x'"
    );
    assert_eq!(
        usage_error(&["--columns=-1", "true"]),
        "invalid --columns argument: '-1'"
    );
}

#[test]
fn values_attached_to_letters() {
    let o = options(&["-eprctl", "-esignal=none", "-s300", "true"]);
    assert!(o.filters.trace.contains(157) && !o.filters.trace.contains(0));
    assert!(!o.filters.signals.contains(libc::SIGCHLD));
    assert_eq!(o.string_limit, 300);
    let o = options(&["-enone", "true"]);
    assert!(o.filters.trace.is_empty());
    let o = options(&["-etrace=%file@64,", "true"]);
    assert!(o.filters.trace.contains(257));
}

#[test]
fn the_command_starts_at_the_first_operand() {
    let o = options(&["-f", "ls", "-l", "-a36"]);
    assert!(o.follow_forks);
    assert_eq!(o.command, ["ls", "-l", "-a36"]);
    let o = options(&["--", "-weird", "-f"]);
    assert!(!o.follow_forks);
    assert_eq!(o.command, ["-weird", "-f"]);
}

#[test]
fn unknown_options_are_refused_never_run() {
    assert_eq!(usage_error(&["-j", "ls"]), "invalid option -- 'j'");
    assert_eq!(usage_error(&["--foo", "ls"]), "unrecognized option '--foo'");
    assert_eq!(usage_error(&["-s"]), "option requires an argument -- 's'");
    assert_eq!(
        usage_error(&["--string-limit"]),
        "option '--string-limit' requires an argument"
    );
    assert_eq!(
        usage_error(&["--su", "ls"]),
        "option '--su' is ambiguous; possibilities: '--summary-only' '--summary' \
         '--summary-syscall-overhead' '--summary-sort-by' '--summary-columns' \
         '--summary-wall-clock' '--successful-only'"
    );
    assert_eq!(error(&["-D", "ls"]), "-D/--daemonize is not supported yet");
    assert_eq!(
        error(&["--daemonize=session", "ls"]),
        "-D/--daemonize is not supported yet"
    );
    assert_eq!(error(&["-d", "ls"]), "-d/--debug is not supported yet");
    assert_eq!(
        error(&["-e", "kvm=vm", "ls"]),
        "invalid -e kvm= argument: 'vm'"
    );
    assert_eq!(
        error(&["--secontext", "ls"]),
        "SELinux context printing (--secontext option) is not supported yet"
    );
}

#[test]
fn long_qualifiers() {
    // As with strace 6.1: an empty set is an error, `?` makes an unknown name harmless.
    assert_eq!(error(&["--trace=", "true"]), "invalid system call ''");
    assert!(
        options(&["-e", "trace=?nosuch", "true"])
            .filters
            .trace
            .is_empty()
    );
    let o = options(&["--trace=open,", "--signal=!chld", "true"]);
    assert!(o.filters.trace.contains(2) && !o.filters.signals.contains(libc::SIGCHLD));
    let o = options(&["--decode-pids=pidns", "--pidns-translation", "-Y", "true"]);
    assert!(o.decode_pids.pidns && o.decode_pids.comm);
    let o = options(&["--quiet=personality", "true"]);
    assert!(o.quiet.personality && !o.quiet.attach);
    let o = options(&["--quiet", "true"]);
    assert!(o.quiet.attach && o.quiet.personality && !o.quiet.exit);
    let o = options(&["--decode-fds", "true"]);
    assert!(o.decode_fds.path && !o.decode_fds.socket);
    let o = options(&["--decode-fds=socket,dev", "true"]);
    assert!(!o.decode_fds.path && o.decode_fds.socket && o.decode_fds.dev);
    let o = options(&["-yy", "true"]);
    assert!(o.decode_fds.path && o.decode_fds.socket && o.decode_fds.pidfd);
    let o = options(&["--status=failed,unfinished", "true"]);
    assert!(o.filters.status.failed && !o.filters.status.successful);
    let o = options(&["--raw=all", "--verbose=none", "--abbrev=none", "true"]);
    assert!(o.raw.contains(0) && !o.verbose.contains(0) && !o.abbrev.contains(0));
    let o = options(&["--read=3", "--write=1,2", "true"]);
    assert!(o.dump_reads.contains(3) && o.dump_writes.contains(2));
    let o = options(&["--inject=chdir:error=ENOENT", "--fault=getpid", "true"]);
    assert!(!o.inject.is_empty());
}

#[test]
fn timestamps() {
    let t = |args: &[&str]| options(args).absolute_time;
    let time = |digits| {
        Some(AbsoluteTime {
            unix: false,
            precision: Precision(digits),
        })
    };
    let unix = |digits| {
        Some(AbsoluteTime {
            unix: true,
            precision: Precision(digits),
        })
    };
    assert_eq!(t(&["-t", "true"]), time(0));
    assert_eq!(t(&["-tt", "true"]), time(6));
    assert_eq!(t(&["-ttt", "true"]), unix(6));
    assert_eq!(t(&["--timestamps", "true"]), time(0));
    assert_eq!(t(&["--absolute-timestamps=format:time", "true"]), time(0));
    assert_eq!(t(&["--absolute-timestamps=unix,ns", "true"]), unix(9));
    assert_eq!(t(&["--timestamps=precision:ms", "true"]), time(3));
    assert_eq!(
        t(&["--timestamps=ms", "--timestamps=unix", "true"]),
        unix(3)
    );
    assert_eq!(t(&["--timestamps=none", "true"]), None);
    assert_eq!(t(&["--absolute-timestamps=,", "true"]), time(0));
    assert_eq!(
        usage_error(&["--absolute-timestamps=ss", "true"]),
        "invalid --absolute-timestamps argument: 'ss'"
    );
    assert_eq!(
        usage_error(&["--timestamps=format:s", "true"]),
        "invalid --timestamps argument: 'format:s'"
    );
    assert_eq!(
        usage_error(&["--timestamps=precision:none", "true"]),
        "invalid --timestamps argument: 'precision:none'"
    );
    assert_eq!(
        error(&["-t", "--timestamps", "-p", "1"]),
        "-t and --absolute-timestamps cannot be provided simultaneously"
    );
    let o = options(&["--relative-timestamps=ms", "-T", "true"]);
    assert_eq!(o.relative_time, Some(Precision(3)));
    assert_eq!(o.syscall_times, Some(Precision(6)));
    let o = options(&["-r", "--syscall-times=ns", "true"]);
    assert_eq!(o.relative_time, Some(Precision(6)));
    assert_eq!(o.syscall_times, Some(Precision(9)));
    assert_eq!(
        usage_error(&["--syscall-times=", "true"]),
        "invalid --syscall-times argument: ''"
    );
}

#[test]
fn const_print_style() {
    assert_eq!(options(&["-Xraw", "true"]).xlat, XlatStyle::Raw);
    assert_eq!(options(&["-X", "verbose", "true"]).xlat, XlatStyle::Verbose);
    assert_eq!(
        options(&["--const-print-style=abbrev", "true"]).xlat,
        XlatStyle::Abbrev
    );
    assert_eq!(
        usage_error(&["-Xtest", "true"]),
        "invalid -X argument: 'test'"
    );
    assert_eq!(
        usage_error(&["--const-print-style=a", "true"]),
        "invalid --const-print-style argument: 'a'"
    );
}

#[test]
fn startup_options() {
    let o = options(&["-I1", "-E", "A=1", "-EB", "true"]);
    assert_eq!(o.interruptible, Interruptible::Anywhere);
    assert_eq!(o.env, ["A=1", "B"]);
    assert_eq!(
        options(&["-I", "never_tstp", "true"]).interruptible,
        Interruptible::NeverTstp
    );
    assert_eq!(usage_error(&["-I5", "true"]), "invalid -I argument: '5'");
    assert_eq!(
        usage_error(&["--interruptible=x", "true"]),
        "invalid --interruptible argument: 'x'"
    );
    // `-o FILE PROG` implies -q and -I never, as with strace.
    let o = options(&["-o", "/dev/null", "true"]);
    assert!(o.quiet.attach && o.interruptible == Interruptible::Never);
    let o = options(&["-o", "|cat", "true"]);
    assert_eq!(o.output, Output::Pipe("cat".into()));
    let o = options(&["-A", "-ff", "-o", "x", "true"]);
    assert!(o.append && o.output_separately && o.follow_forks);
    let o = options(&["-ff", "true"]);
    assert!(
        o.follow_forks && !o.output_separately,
        "-ff without -o is -f"
    );
    let o = options(&["-i", "-k", "-n", "-b", "execve", "-u", "nobody", "true"]);
    assert!(o.instruction_pointer && o.stack_traces && o.syscall_number);
    assert!(o.detach_on_execve && o.user.as_deref() == Some("nobody"));
    assert_eq!(
        error(&["-b", "chdir", "true"]),
        "Syscall 'chdir' for -b isn't supported"
    );
}

#[test]
fn pids_like_strace() {
    assert_eq!(options(&["-p", "1,2 3\n4,"]).pids, [1, 2, 3, 4]);
    assert_eq!(options(&["--attach=5", "-p5"]).pids, [5]);
    assert_eq!(error(&["-p", "0"]), "Invalid process id: '0'");
    assert_eq!(error(&["--attach=-42"]), "Invalid process id: '-42'");
    assert_eq!(error(&["-p", "1,a"]), "Invalid process id: 'a'");
    assert_eq!(error(&["-p", "1,,2"]), "Invalid process id: ''");
    assert_eq!(usage_error(&[]), "must have PROG [ARGS] or -p PID");
    assert_eq!(usage_error(&["-f"]), "must have PROG [ARGS] or -p PID");
}

#[test]
fn summary_options() {
    let o = options(&[
        "-c",
        "-w",
        "-S",
        "calls",
        "-U",
        "name,calls",
        "-O",
        "5us",
        "true",
    ]);
    let s = o.summary.unwrap();
    assert!(s.only && s.wall_clock);
    assert_eq!(s.sort_by, "calls".parse().unwrap());
    assert_eq!(s.columns.len(), 2);
    assert_eq!(s.overhead, Duration::from_micros(5));
    assert_eq!(
        usage_error(&["-c", "-C", "true"]),
        "-c/--summary-only and -C/--summary are mutually exclusive"
    );
    assert_eq!(
        usage_error(&["-c", "-ff", "-o", "x", "true"]),
        "(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive"
    );
    assert_eq!(
        usage_error(&["-w", "true"]),
        "-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)"
    );
    assert_eq!(
        usage_error(&["-S", "bogus", "true"]),
        "invalid sortby: 'bogus'"
    );
    assert_eq!(
        usage_error(&["-c", "-O", "x", "true"]),
        "invalid -O argument: 'x'"
    );
}

#[test]
fn conflicts_strace_refuses() {
    assert_eq!(
        error(&["-q", "-e", "quiet=exit", "true"]),
        "-q and -e quiet/--quiet cannot be provided simultaneously"
    );
    assert_eq!(
        error(&["-y", "--decode-fds=path", "true"]),
        "-y and --decode-fds cannot be provided simultaneously"
    );
    assert_eq!(
        error(&["-x", "--strings-in-hex", "true"]),
        "-x and --strings-in-hex cannot be provided simultaneously"
    );
    assert_eq!(
        error(&["-f", "--follow-forks", "true"]),
        "-f and --follow-forks cannot be provided simultaneously"
    );
    assert_eq!(options(&["--strings-in-hex", "true"]).hex, 2);
    assert_eq!(options(&["--strings-in-hex=non-ascii", "true"]).hex, 1);
    assert_eq!(
        options(&["--strings-in-hex=non-ascii-chars", "true"]).hex,
        3
    );
    assert_eq!(options(&["-xx", "true"]).hex, 2);
}

#[test]
fn ebpf_refusals() {
    for (args, why) in [
        (
            &["--ebpf", "-e", "inject=chdir:error=EPERM", "true"][..],
            "inject=",
        ),
        (&["--ebpf", "-e", "fault=chdir", "true"][..], "inject="),
        (&["--ebpf", "-k", "true"][..], "-k"),
        (&["--ebpf", "-i", "true"][..], "-i"),
        (
            &["--ebpf", "-f", "--seccomp-bpf", "true"][..],
            "--seccomp-bpf",
        ),
    ] {
        let message = usage_error(args);
        assert!(
            message.starts_with("--ebpf: ") && message.contains(why),
            "{args:?}: {message}"
        );
    }
}

#[test]
fn help_and_version() {
    assert!(matches!(parse_args(&["-h"]), Ok(Request::Help)));
    assert!(matches!(parse_args(&["--help"]), Ok(Request::Help)));
    assert!(matches!(parse_args(&["-V"]), Ok(Request::Version)));
    assert!(matches!(parse_args(&["--vers"]), Ok(Request::Version)));
}

#[test]
fn help_lists_every_long_option() {
    for option in LONG {
        assert!(
            HELP_TEXT.contains(&format!("--{}", option.name))
                || [
                    "daemonised",
                    "daemonized",
                    "failing-only",
                    "silent",
                    "silence",
                    "signals",
                    "secontext",
                    "daemonize"
                ]
                .contains(&option.name),
            "--{} is missing from the help",
            option.name
        );
    }
}

const HELP_TEXT: &str = crate::HELP;

/// Tokens strace command lines are made of, to be shuffled with arbitrary text.
const PIECES: &[&str] = &[
    "-",
    "--",
    "-e",
    "-etrace=",
    "-eread=",
    "-einject=",
    "-efault=",
    "trace=",
    "!",
    "?",
    ",",
    "%file",
    "@64",
    "@32",
    "open",
    "all",
    "none",
    ":",
    "error=",
    "retval=",
    "when=",
    "..",
    "+",
    "signal=",
    "delay_enter=",
    "poke_enter=@arg1=",
    "syscall=getpid",
    "-a",
    "-s",
    "-p",
    "-o",
    "|",
    "-X",
    "-t",
    "--timestamps=",
    "format:",
    "precision:",
    "-r",
    "-T",
    "--quiet=",
    "-q",
    "-y",
    "--decode-fds=",
    "-U",
    "-S",
    "-O",
    "-I",
    "-E",
    "-u",
    "-b",
    "-k",
    "-i",
    "-n",
    "-c",
    "-C",
    "-w",
    "-z",
    "-Z",
    "-f",
    "-ff",
    "-D",
    "--tips=",
    "id:",
    "1",
    "0",
    "-1",
    "4294967296",
    "ns",
    "us",
    "x",
    "true",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// No command line makes the parser panic; whatever it returns is an answer.
    #[test]
    fn no_command_line_panics(
        words in proptest::collection::vec(
            (proptest::sample::select(PIECES), proptest::sample::select(PIECES), ".{0,6}"),
            0..8,
        )
    ) {
        let args: Vec<OsString> = words
            .iter()
            .map(|(a, b, tail)| OsString::from(format!("{a}{b}{tail}")))
            .collect();
        let _ = parse(&args);
    }
}
