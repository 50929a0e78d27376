//! Property test: the compiled, type-indexed engine agrees with the plain filter interpreter
//! (`saker_engine::reference::interpret`) on random conditions and random events.

use std::io;
use std::net::IpAddr;
use std::sync::Arc;

use proptest::prelude::*;
use saker_engine::{Engine, EngineOptions, JsonlEvent, NameResolution, Resolve, reference};
use saker_rules::{Location, Priority, Rule, RuleSet, Source, check_condition, parse_output};

/// Conditions covering every operator, missing values, lists, numbers, addresses,
/// transformers, modifiers and `val()`.
const ATOMS: &[&str] = &[
    "evt.type = openat",
    "evt.type in (execve, execveat)",
    "evt.type != connect",
    "proc.name = bash",
    "proc.name != sh",
    "proc.name in (bash, sh, zsh, dash, ksh, fish, csh, tcsh)",
    "proc.name exists",
    "proc.pname startswith ba",
    "proc.cmdline contains '-c'",
    "proc.cmdline icontains CURL",
    "proc.cmdline endswith .sh",
    "proc.cmdline glob '*http*'",
    "proc.cmdline iglob 'CURL *'",
    "proc.cmdline regex '.*[0-9]+.*'",
    "proc.cmdline contains anyof (curl, wget)",
    "proc.cmdline contains allof (curl, http)",
    "proc.cmdline contains oneof (curl, sh)",
    "proc.name != oneof (bash, sh)",
    "proc.name = allof (bash)",
    "proc.cmdline > 5",
    "evt.buffer bcontains 6375726c",
    "evt.buffer startswith GET",
    "fd.sip == anyof (10.0.0.1, 192.168.1.1)",
    "fd.sip != allof (10.0.0.1, 192.168.1.1)",
    "fd.types in (file, ipv4)",
    "fd.types intersects (unix)",
    "len(fd.types) = 2",
    "proc.aname != sshd",
    "join(\"-\", (proc.name, proc.pname)) = vim-sh",
    "concat(proc.name, \"x\") = bashx",
    "toupper(concat(proc.pname, proc.name)) startswith SH",
    "fd.name pmatch (/etc, /usr/bin)",
    "fd.name startswith /etc/",
    "fd.sport in (22, 80, 443)",
    "fd.sport >= 1024",
    "fd.sport != 22",
    "proc.tty != 0",
    "user.loginuid < 0",
    "user.loginuid = -1",
    "fd.sip = 10.0.0.1",
    "fd.net = 10.0.0.0/8",
    "fd.sip in (10.0.0.1, 192.168.1.1)",
    "evt.is_open_write = true",
    "proc.aname = sshd",
    "proc.aname in (sshd, bash)",
    "proc.aname intersects (sshd, cron)",
    "proc.aname[2] = sshd",
    "tolower(proc.name) = bash",
    "toupper(proc.pname) startswith BA",
    "basename(fd.name) = passwd",
    "len(proc.cmdline) > 10",
    "proc.name = val(proc.pname)",
    "proc.name != val(proc.pname)",
    "fd.sip.name = kube.test",
    "fd.sip.name != kube.test",
    "fd.sip.name in (db.test, nowhere.test)",
    "fd.sip.name = nowhere.test",
    "fd.sip.name exists",
];

/// The names of the `fd.sip.name` atoms, answered from a table: no name server is asked.
/// `nowhere.test` does not resolve.
struct TestNames;

impl Resolve for TestNames {
    fn resolve(&self, name: &str) -> io::Result<Vec<IpAddr>> {
        let addresses: &[&str] = match name {
            "kube.test" => &["10.0.0.1"],
            "db.test" => &["192.168.1.1", "10.0.0.1"],
            _ => return Err(io::Error::new(io::ErrorKind::NotFound, "no such name")),
        };
        Ok(addresses.iter().map(|a| a.parse().unwrap()).collect())
    }
}

fn condition() -> impl Strategy<Value = String> {
    let atom = prop::sample::select(ATOMS).prop_map(str::to_string);
    atom.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| format!("not ({c})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) and ({b})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("({a}) or ({b})")),
        ]
    })
}

fn maybe(values: &'static [&'static str]) -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(values))
}

/// A random event as JSON over a small domain, so that conditions hit often.
fn event() -> impl Strategy<Value = String> {
    (
        (
            maybe(&[r#""openat""#, r#""execve""#, r#""connect""#, r#""read""#]),
            maybe(&[r#""bash""#, r#""sh""#, r#""BASH""#, r#""vim""#, r#""""#]),
            maybe(&[r#""bash""#, r#""sh""#, r#""sshd""#]),
            maybe(&[
                r#""curl -sS http://x/1.sh""#,
                r#""sh -c id""#,
                r#""wget 2""#,
                r#""CURL http""#,
            ]),
            maybe(&[
                r#""/etc/passwd""#,
                r#""/etcetera""#,
                r#""/usr/bin/x""#,
                r#""/tmp/a""#,
            ]),
        ),
        (
            maybe(&["22", "80", "8080", "0"]),
            maybe(&["0", "34816"]),
            maybe(&["-1", "0", "1000"]),
            maybe(&[r#""10.0.0.1""#, r#""192.168.1.1""#, r#""10.9.9.9""#]),
            maybe(&["true", "false"]),
            maybe(&[
                r#"["sshd","bash"]"#,
                r#"["cron"]"#,
                "[]",
                r#"["bash","sshd","systemd"]"#,
            ]),
            maybe(&[r#""sshd""#, r#""systemd""#]),
        ),
        (
            maybe(&[r#""GET /curl""#, r#""xcurl""#, r#""""#]),
            maybe(&[r#"["file","ipv4"]"#, r#"["unix"]"#, r#"["file"]"#, "[]"]),
            // An address, or a name carried by the event itself.
            maybe(&[
                r#""10.0.0.1""#,
                r#""192.168.1.1""#,
                r#""10.9.9.9""#,
                r#""kube.test""#,
                r#""nowhere.test""#,
            ]),
        ),
    )
        .prop_map(
            |(
                (ty, name, pname, cmdline, fd),
                (sport, tty, luid, sip, w, anames, an2),
                (buffer, types, sip_name),
            )| {
                let pairs = [
                    ("evt.type", ty),
                    ("proc.name", name),
                    ("proc.pname", pname),
                    ("proc.cmdline", cmdline),
                    ("fd.name", fd),
                    ("fd.sport", sport),
                    ("proc.tty", tty),
                    ("user.loginuid", luid),
                    ("fd.sip", sip),
                    ("fd.net", sip),
                    ("evt.is_open_write", w),
                    ("proc.aname", anames),
                    ("proc.aname[2]", an2),
                    ("evt.buffer", buffer),
                    ("fd.types", types),
                    ("fd.sip.name", sip_name),
                ];
                let body: Vec<String> = pairs
                    .iter()
                    .filter_map(|(k, v)| v.map(|v| format!("\"{k}\":{v}")))
                    .collect();
                format!("{{{}}}", body.join(","))
            },
        )
}

fn engine_for(condition: &str) -> (Engine, saker_rules::Filter) {
    let filter = check_condition(condition).unwrap_or_else(|e| panic!("{condition}: {e}"));
    let rule = Rule {
        name: "r".into(),
        desc: String::new(),
        condition: condition.into(),
        output: "x".into(),
        output_format: parse_output("x").unwrap(),
        output_compiled: String::new(),
        extra_fields: Vec::new(),
        condition_compiled: String::new(),
        capture: false,
        capture_duration: 0,
        priority: Priority::Warning,
        source: Source::Syscall,
        enabled: true,
        tags: Vec::new(),
        exceptions: Vec::new(),
        warn_evttypes: true,
        skip_if_unknown_filter: false,
        filter: filter.clone(),
        location: Location {
            file: "p.yaml".into(),
            line: 1,
            col: 1,
        },
    };
    let ruleset = RuleSet {
        rules: vec![rule],
        ..RuleSet::default()
    };
    (
        Engine::new(
            &ruleset,
            EngineOptions {
                name_resolution: Some(NameResolution::with_resolver(Arc::new(TestNames))),
                ..EngineOptions::default()
            },
        )
        .unwrap(),
        filter,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn compiled_engine_agrees_with_interpreter(condition in condition(), events in prop::collection::vec(event(), 1..8)) {
        let (engine, filter) = engine_for(&condition);
        for json in &events {
            let event = JsonlEvent::parse(json, &engine).unwrap();
            let compiled = engine.evaluate(&event, |_| {}) == 1;
            let interpreted = reference::interpret(&filter, &event, engine.fields(), engine.domain_names());
            prop_assert_eq!(compiled, interpreted, "condition: {}\nevent: {}", condition, json);
        }
    }
}

/// `atom and not (F = c and atom) and not (F in (c, d)) and ...`: the exclusion chains that
/// the engine dispatches by value.
fn exclusion_chain() -> impl Strategy<Value = String> {
    let guard = (
        prop::sample::select(&["proc.name", "proc.pname", "fd.name"][..]),
        prop::collection::vec(
            prop::sample::select(&["bash", "sh", "sshd", "BASH", "/etc/passwd", "/tmp/a"][..]),
            1..3,
        ),
    )
        .prop_map(|(field, values)| {
            if values.len() == 1 {
                format!("{field} = {}", values[0])
            } else {
                format!("{field} in ({})", values.join(", "))
            }
        });
    let member = (guard, prop::option::of(condition())).prop_map(|(guard, rest)| match rest {
        Some(rest) => format!("not ({guard} and ({rest}))"),
        None => format!("not {guard}"),
    });
    (condition(), prop::collection::vec(member, 3..8))
        .prop_map(|(head, members)| format!("({head}) and {}", members.join(" and ")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn exclusion_chains_agree_with_interpreter(condition in exclusion_chain(), events in prop::collection::vec(event(), 1..8)) {
        let (engine, filter) = engine_for(&condition);
        for json in &events {
            let event = JsonlEvent::parse(json, &engine).unwrap();
            let compiled = engine.evaluate(&event, |_| {}) == 1;
            let interpreted = reference::interpret(&filter, &event, engine.fields(), engine.domain_names());
            prop_assert_eq!(compiled, interpreted, "condition: {}\nevent: {}", condition, json);
        }
    }
}

#[test]
fn every_atom_is_true_and_false_on_some_event() {
    // Guards against the property test passing because an atom is constant.
    let samples = [
        r#"{"evt.type":"openat","proc.name":"bash","proc.pname":"bash","proc.cmdline":"curl -sS http://x/1.sh","fd.name":"/etc/passwd","fd.sport":22,"proc.tty":34816,"user.loginuid":-1,"fd.sip":"10.0.0.1","fd.net":"10.0.0.1","evt.is_open_write":true,"proc.aname":["sshd","bash"],"proc.aname[2]":"sshd","evt.buffer":"GET /curl","fd.types":["file","ipv4"],"fd.sip.name":"10.0.0.1"}"#,
        r#"{"evt.type":"connect","proc.name":"vim","proc.pname":"sh","proc.cmdline":"sh -c id","fd.name":"/tmp/a","fd.sport":8080,"proc.tty":0,"user.loginuid":1000,"fd.sip":"192.168.1.1","fd.net":"192.168.1.1","evt.is_open_write":false,"proc.aname":["cron"],"proc.aname[2]":"systemd","evt.buffer":"x","fd.types":["unix"],"fd.sip.name":"192.168.1.1"}"#,
        r#"{"evt.type":"execve","proc.name":"BASH","proc.pname":"sshd","proc.cmdline":"wget 2","fd.sip":"10.9.9.9"}"#,
        r#"{"proc.name":"sh","proc.pname":"sh","proc.cmdline":"CURL http","fd.sip.name":"nowhere.test"}"#,
        r#"{}"#,
    ];
    for atom in ATOMS {
        let (engine, _) = engine_for(atom);
        let results: Vec<bool> = samples
            .iter()
            .map(|json| engine.evaluate(&JsonlEvent::parse(json, &engine).unwrap(), |_| {}) == 1)
            .collect();
        assert!(
            results.contains(&true) && results.contains(&false),
            "{atom}: {results:?}"
        );
    }
}
