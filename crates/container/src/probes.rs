//! Health probes: Docker's `HEALTHCHECK` and the Kubernetes liveness/readiness probes of a
//! pod spec, as libsinsp's docker engine parsed them (`container.healthcheck`,
//! `proc.is_container_healthcheck`...).

use serde_json::Value;

use crate::meta::{HealthProbe, ProbeKind};

/// Where kubectl leaves the pod spec it applied (on the sandbox, and through dockershim on
/// every container as a label with the `annotation.` prefix).
pub const LAST_APPLIED_KEYS: [&str; 2] = [
    "annotation.kubectl.kubernetes.io/last-applied-configuration",
    "kubectl.kubernetes.io/last-applied-configuration",
];

/// Removes pairs of matching quotes around an argument (`'"curl"'` -> `curl`).
fn normalize_arg(arg: &str) -> String {
    let mut s = arg;
    while s.len() >= 2 && (s.starts_with('"') || s.starts_with('\'')) && s.ends_with(&s[..1]) {
        s = &s[1..s.len() - 1];
    }
    s.to_string()
}

/// Docker's `Config.Healthcheck.Test`: `["CMD", exe, args...]`, `["CMD-SHELL", command]`, or
/// `["NONE"]` (health checks turned off).
pub fn healthcheck(test: &[String]) -> Option<HealthProbe> {
    match test {
        [kind, exe, args @ ..] if kind == "CMD" => Some(HealthProbe {
            kind: ProbeKind::Healthcheck,
            exe: normalize_arg(exe),
            args: args.iter().map(|a| normalize_arg(a)).collect(),
        }),
        [kind, command, ..] if kind == "CMD-SHELL" => Some(HealthProbe {
            kind: ProbeKind::Healthcheck,
            exe: "/bin/sh".into(),
            args: vec!["-c".into(), command.clone()],
        }),
        _ => None,
    }
}

/// The liveness and readiness probes of a pod spec applied with kubectl (the JSON of
/// `kubectl.kubernetes.io/last-applied-configuration`), for the container named `container`
/// (the first one when the name is unknown). Only `exec` probes run a command.
pub fn pod_spec_probes(last_applied: &str, container: Option<&str>) -> Vec<HealthProbe> {
    let Ok(pod) = serde_json::from_str::<Value>(last_applied) else {
        return Vec::new();
    };
    let Some(containers) = pod["spec"]["containers"].as_array() else {
        return Vec::new();
    };
    let spec = container
        .and_then(|name| containers.iter().find(|c| c["name"] == name))
        .or_else(|| containers.first());
    let Some(spec) = spec else {
        return Vec::new();
    };
    [
        ("livenessProbe", ProbeKind::Liveness),
        ("readinessProbe", ProbeKind::Readiness),
    ]
    .into_iter()
    .filter_map(|(key, kind)| {
        let command = spec[key]["exec"]["command"].as_array()?;
        let mut words = command.iter().filter_map(Value::as_str).map(normalize_arg);
        Some(HealthProbe {
            kind,
            exe: words.next()?,
            args: words.collect(),
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn docker_healthcheck_forms() {
        let p = healthcheck(&strings(&["CMD", "\"curl\"", "-f", "'http://localhost'"])).unwrap();
        assert_eq!(p.command_line(), "curl -f http://localhost");
        let p = healthcheck(&strings(&["CMD-SHELL", "curl -f localhost || exit 1"])).unwrap();
        assert_eq!(p.exe, "/bin/sh");
        assert_eq!(p.args, ["-c", "curl -f localhost || exit 1"]);
        assert_eq!(healthcheck(&strings(&["NONE"])), None);
        assert_eq!(healthcheck(&[]), None);
    }

    #[test]
    fn kubernetes_probes_from_the_applied_pod_spec() {
        let pod = r#"{"spec":{"containers":[
            {"name":"side","livenessProbe":{"exec":{"command":["true"]}}},
            {"name":"web","livenessProbe":{"exec":{"command":["cat","/tmp/healthy"]}},
             "readinessProbe":{"exec":{"command":["/bin/sh","-c","test -e /ready"]}}}]}}"#;
        let probes = pod_spec_probes(pod, Some("web"));
        assert_eq!(probes.len(), 2);
        assert_eq!(probes[0].kind, ProbeKind::Liveness);
        assert_eq!(probes[0].command_line(), "cat /tmp/healthy");
        assert_eq!(probes[1].kind, ProbeKind::Readiness);
        assert_eq!(pod_spec_probes(pod, None)[0].exe, "true");
        assert!(pod_spec_probes("not json", None).is_empty());
        assert!(
            pod_spec_probes(
                r#"{"spec":{"containers":[{"name":"x","livenessProbe":{"httpGet":{}}}]}}"#,
                None
            )
            .is_empty()
        );
    }
}
