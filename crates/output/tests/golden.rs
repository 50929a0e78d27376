//! Golden file of what people and tools read: every sample alert under every encoder option
//! set. Refresh with `UPDATE_GOLDEN=1 cargo test -p saker-output --test golden`.

use std::collections::BTreeMap;
use std::path::Path;

use saker_event::{Alert, Priority};
use saker_output::internal::{DropReport, syscall_event_drop_alert};
use saker_output::{AlertEncoder, EncoderOptions};
use serde_json::json;

fn samples() -> Vec<Alert> {
    let mut shell = BTreeMap::new();
    for (k, v) in [
        ("container.id", json!("ee97d9c4186f")),
        ("container.name", json!("app")),
        ("evt.arg.flags", json!("EXE_WRITABLE|EXE_LOWER_LAYER")),
        ("evt.type", json!("execve")),
        ("k8s.ns.name", json!(null)),
        ("proc.aname[2]", json!("containerd-shim")),
        ("proc.cmdline", json!("sh -c clear")),
        ("proc.tty", json!(34816)),
        ("user.loginuid", json!(-1)),
        ("user.uid", json!(0)),
    ] {
        shell.insert(k.to_string(), v);
    }
    let mut k8s = BTreeMap::new();
    k8s.insert(
        "ka.req.pod.containers.image".to_string(),
        json!(["nginx:1.27", "busybox"]),
    );
    k8s.insert(
        "ka.req.pod.containers.privileged".to_string(),
        json!([true, false]),
    );
    k8s.insert("ka.user.name".to_string(), json!("kubernetes-admin"));
    let mut odd = BTreeMap::new();
    odd.insert("fd.name".to_string(), json!("/tmp/a \"b\"\n\t\\c\u{1}é✓"));
    vec![
        Alert {
            time_ns: 1_685_022_245_478_445_995,
            rule: "Terminal shell in container".to_string(),
            priority: Priority::Notice,
            source: "syscall".to_string(),
            output: "A shell was spawned in a container with an attached terminal | user_uid=0 process=sh terminal=34816 container_id=ee97d9c4186f k8s_ns=<NA>".to_string(),
            output_fields: shell,
            tags: ["shell", "mitre_execution", "container", "T1059", "maturity_stable"].map(String::from).to_vec(),
            hostname: "node-1".to_string(),
        },
        Alert {
            time_ns: 1_700_000_000_000_000_001,
            rule: "Create Privileged Pod".to_string(),
            priority: Priority::Warning,
            source: "k8s_audit".to_string(),
            output: "Pod started with privileged container (user=kubernetes-admin images=(nginx:1.27,busybox))".to_string(),
            output_fields: k8s,
            tags: vec!["k8s".to_string()],
            hostname: "node-1".to_string(),
        },
        syscall_event_drop_alert(
            &DropReport { n_evts: 9000, n_drops: 1000, n_drops_buffer: 1000, ratio: 0.1 },
            "node-1",
            1_700_000_001_000_000_000,
        ),
        Alert {
            time_ns: 0,
            rule: "Odd \"characters\"".to_string(),
            priority: Priority::Emergency,
            source: "syscall".to_string(),
            output: "path=/tmp/a \"b\"\n\t\\c\u{1}é✓".to_string(),
            output_fields: odd,
            tags: vec![],
            hostname: "".to_string(),
        },
    ]
}

#[test]
fn alerts_match_golden_file() {
    let option_sets: [(&str, EncoderOptions); 4] = [
        (
            "text, time_format_iso_8601",
            EncoderOptions {
                time_format_iso_8601: true,
                ..EncoderOptions::default()
            },
        ),
        (
            "json (Falco defaults)",
            EncoderOptions {
                json: true,
                ..EncoderOptions::default()
            },
        ),
        (
            "json, iso time, message, no tags",
            EncoderOptions {
                json: true,
                time_format_iso_8601: true,
                include_message: true,
                include_tags: false,
                ..EncoderOptions::default()
            },
        ),
        (
            "json, minimal",
            EncoderOptions {
                json: true,
                include_output: false,
                include_output_fields: false,
                include_tags: false,
                ..EncoderOptions::default()
            },
        ),
    ];
    // The default text prefix is local time; golden files use a fixed offset-free form, so
    // JSON sets without iso time get their `output` checked for shape only below.
    let mut golden = String::new();
    for (name, options) in &option_sets {
        golden.push_str(&format!("## {name}\n"));
        let encoder = AlertEncoder::new(options.clone());
        for alert in samples() {
            let mut buf = Vec::new();
            encoder.encode(&alert, &mut buf);
            let mut line = String::from_utf8(buf).unwrap();
            if options.json {
                let value: serde_json::Value = serde_json::from_str(&line).unwrap();
                assert_eq!(
                    serde_json::to_string(&value).unwrap(),
                    line,
                    "not canonical JSON"
                );
                if !options.time_format_iso_8601 && options.include_output {
                    // Replace the local-time clock with a placeholder to stay TZ-independent.
                    let output = value["output"].as_str().unwrap();
                    let (clock, _) = output.split_once(": ").unwrap();
                    assert_eq!(clock.len(), "HH:MM:SS.nnnnnnnnn".len(), "{clock}");
                    line = line.replacen(clock, "HH:MM:SS.nnnnnnnnn", 1);
                }
            }
            golden.push_str(&line);
            golden.push('\n');
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/alerts.golden");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &golden).unwrap();
    }
    let expect = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expect == golden,
        "alerts differ from {} (UPDATE_GOLDEN=1 to refresh):\n{golden}",
        path.display()
    );
}
