//! `/proc/PID/cgroup` and the container id hidden in a cgroup path.
//!
//! Every container runtime puts a container's processes in a cgroup whose last path component
//! carries the 64-hex container id, in one of a few known spellings depending on the runtime and
//! on the cgroup driver (cgroupfs or systemd), for cgroup v1 and v2 alike:
//!
//! | runtime            | cgroupfs driver                         | systemd driver                                  |
//! |--------------------|-----------------------------------------|-------------------------------------------------|
//! | docker             | `/docker/<id>`                          | `/system.slice/docker-<id>.scope`               |
//! | podman             | `/libpod_parent/libpod-<id>`            | `/machine.slice/libpod-<id>.scope[/container]`  |
//! | containerd (CRI)   | `/kubepods/<qos>/pod<uid>/<id>`         | `/kubepods.slice/…/cri-containerd-<id>.scope`   |
//! | cri-o              | `/kubepods/<qos>/pod<uid>/crio-<id>`    | `/kubepods.slice/…/crio-<id>.scope`             |
//! | containerd (plain) | `/<namespace>/<id>`, e.g. `/default/<id>` | `/system.slice/nerdctl-<id>.scope`            |
//!
//! A monitor process (`conmon`, `libpod-conmon-<id>.scope`, `crio-conmon-<id>.scope`) runs on the
//! host side and is deliberately *not* reported as inside the container.

use std::fmt;

/// One line of `/proc/PID/cgroup`: `hierarchy-ID:controller-list:cgroup-path`. On cgroup v2
/// the line is `0::/path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgroupEntry {
    pub hierarchy: u32,
    /// Comma-separated controllers (`cpu,cpuacct`, `name=systemd`); empty for cgroup v2.
    pub controllers: String,
    pub path: String,
}

impl CgroupEntry {
    /// True for the unified (v2) hierarchy.
    pub fn is_v2(&self) -> bool {
        self.hierarchy == 0 && self.controllers.is_empty()
    }
}

/// Parses the text of a cgroup file.
pub fn parse_cgroup(text: &str) -> Result<Vec<CgroupEntry>, String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut parts = line.splitn(3, ':');
            let (Some(h), Some(c), Some(p)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(format!("line {line:?} is not hierarchy:controllers:path"));
            };
            Ok(CgroupEntry {
                hierarchy: h.parse().map_err(|_| format!("bad hierarchy id {h:?}"))?,
                controllers: c.to_string(),
                path: p.to_string(),
            })
        })
        .collect()
}

/// The container runtime that created a cgroup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Runtime {
    Docker,
    Podman,
    /// containerd through its CRI plugin (Kubernetes) or its own clients (nerdctl, ctr).
    Containerd,
    CriO,
    /// A Kubernetes pod container under the cgroupfs driver, where the path does not say which
    /// CRI runtime made it (containerd or dockershim).
    Cri,
}

impl Runtime {
    /// The stable lower-case name used in text and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Docker => "docker",
            Runtime::Podman => "podman",
            Runtime::Containerd => "containerd",
            Runtime::CriO => "cri-o",
            Runtime::Cri => "cri",
        }
    }
}

impl fmt::Display for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Kubernetes quality-of-service class, from the `kubepods` level of the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QosClass {
    Guaranteed,
    Burstable,
    BestEffort,
}

impl QosClass {
    pub fn name(self) -> &'static str {
        match self {
            QosClass::Guaranteed => "guaranteed",
            QosClass::Burstable => "burstable",
            QosClass::BestEffort => "besteffort",
        }
    }
}

/// The Kubernetes pod a container belongs to, when its cgroup is under `kubepods`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubePod {
    /// The pod UID with dashes (the systemd driver spells it with underscores).
    pub uid: String,
    pub qos: QosClass,
}

/// A container found in a cgroup path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    /// The full 64-hex id.
    pub id: String,
    pub runtime: Runtime,
    pub pod: Option<KubePod>,
}

/// Length of the id that `docker ps` and `podman ps` show.
pub const SHORT_ID_LEN: usize = 12;

impl Container {
    /// The 12-character id that `docker ps` / `podman ps` print.
    pub fn short_id(&self) -> &str {
        &self.id[..SHORT_ID_LEN]
    }
}

const ID_LEN: usize = 64;

fn is_container_id(s: &str) -> bool {
    s.len() == ID_LEN
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Finds the container in one cgroup path, looking at the innermost matching component (so a
/// container nested in another reports the inner one).
pub fn container_of_path(path: &str) -> Option<Container> {
    let components: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    for (i, comp) in components.iter().enumerate().rev() {
        if let Some((id, runtime)) = id_in_component(comp, components[..i].last().copied()) {
            let ancestors = &components[..i];
            let pod = kube_pod(ancestors);
            let runtime = match runtime {
                // A bare id under kubepods: some CRI runtime with the cgroupfs driver.
                None if pod.is_some() => Runtime::Cri,
                None => Runtime::Containerd,
                Some(r) => r,
            };
            return Some(Container {
                id: id.to_string(),
                runtime,
                pod,
            });
        }
    }
    None
}

/// Matches one path component; `None` runtime means a bare id whose runtime the caller infers.
fn id_in_component<'a>(comp: &'a str, parent: Option<&str>) -> Option<(&'a str, Option<Runtime>)> {
    let unscoped = comp.strip_suffix(".scope").unwrap_or(comp);
    const PREFIXES: [(&str, Runtime); 5] = [
        ("docker-", Runtime::Docker),
        ("libpod-", Runtime::Podman),
        ("cri-containerd-", Runtime::Containerd),
        ("crio-", Runtime::CriO),
        ("nerdctl-", Runtime::Containerd),
    ];
    for (prefix, runtime) in PREFIXES {
        if let Some(id) = unscoped.strip_prefix(prefix)
            && is_container_id(id)
        {
            return Some((id, Some(runtime)));
        }
    }
    // containerd with the systemd driver on some set-ups: `<slice>:cri-containerd:<id>`.
    if let Some((head, id)) = comp.rsplit_once(':')
        && is_container_id(id)
    {
        let runtime = if head.ends_with(":cri-containerd") {
            Runtime::Containerd
        } else if head.ends_with(":crio") {
            Runtime::CriO
        } else if head.ends_with(":docker") {
            Runtime::Docker
        } else {
            return None;
        };
        return Some((id, Some(runtime)));
    }
    if is_container_id(comp) {
        let runtime = match parent {
            Some("docker") => Some(Runtime::Docker),
            _ => None,
        };
        return Some((comp, runtime));
    }
    None
}

/// Finds the pod UID and QoS class among the ancestors of a container's cgroup.
fn kube_pod(ancestors: &[&str]) -> Option<KubePod> {
    let start = ancestors
        .iter()
        .position(|c| *c == "kubepods" || *c == "kubepods.slice")?;
    let mut qos = QosClass::Guaranteed;
    for comp in &ancestors[start + 1..] {
        let name = comp.strip_suffix(".slice").unwrap_or(comp);
        let name = name.strip_prefix("kubepods-").unwrap_or(name);
        match name {
            "burstable" => qos = QosClass::Burstable,
            "besteffort" => qos = QosClass::BestEffort,
            _ => {
                let pod = name
                    .strip_prefix("burstable-")
                    .or_else(|| name.strip_prefix("besteffort-"))
                    .unwrap_or(name);
                if let Some(uid) = pod.strip_prefix("pod") {
                    return Some(KubePod {
                        uid: uid.replace('_', "-"),
                        qos,
                    });
                }
            }
        }
    }
    None
}

/// Finds the container of a process from all its cgroup lines. The v2 line is tried first; on a
/// hybrid host it can be `/` while the v1 lines name the container, so the others follow.
pub fn container_of(entries: &[CgroupEntry]) -> Option<Container> {
    entries
        .iter()
        .filter(|e| e.is_v2())
        .chain(entries.iter().filter(|e| !e.is_v2()))
        .find_map(|e| container_of_path(&e.path))
}

/// [`container_of`] straight from the file's text, for callers that only want the container
/// (e.g. `ps` over thousands of processes).
pub fn container_of_text(text: &str) -> Option<Container> {
    let paths = || {
        text.lines()
            .filter_map(|l| l.splitn(3, ':').nth(2).map(|p| (l, p)))
    };
    paths()
        .filter(|(l, _)| l.starts_with("0::"))
        .chain(paths().filter(|(l, _)| !l.starts_with("0::")))
        .find_map(|(_, p)| container_of_path(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "b8ef8b10085e4f69df624915fef02ba61d013fa8874e292237e21029ca9a3a09";

    type Expect<'a> = Option<(Runtime, Option<(&'a str, QosClass)>)>;

    fn check(path: &str, expect: Expect) {
        let got = container_of_path(&path.replace("ID", ID));
        match expect {
            None => assert_eq!(got, None, "{path}"),
            Some((runtime, pod)) => {
                let got = got.unwrap_or_else(|| panic!("no container in {path}"));
                assert_eq!(got.id, ID, "{path}");
                assert_eq!(got.short_id(), "b8ef8b10085e");
                assert_eq!(got.runtime, runtime, "{path}");
                let pod = pod.map(|(uid, qos)| KubePod {
                    uid: uid.to_string(),
                    qos,
                });
                assert_eq!(got.pod, pod, "{path}");
            }
        }
    }

    const UID: &str = "5f8b2c1a-9d3e-4b7a-8c6d-1e2f3a4b5c6d";

    #[test]
    fn runtimes_and_drivers() {
        use QosClass::*;
        use Runtime::*;
        let cases: &[(&str, Expect)] = &[
            // docker, cgroupfs (v1 and v2) and systemd driver
            ("/docker/ID", Some((Docker, None))),
            ("/system.slice/docker-ID.scope", Some((Docker, None))),
            // podman: cgroupfs as on this machine, systemd, systemd v2 with the inner leaf,
            // rootless
            ("/libpod_parent/libpod-ID", Some((Podman, None))),
            ("/machine.slice/libpod-ID.scope", Some((Podman, None))),
            (
                "/machine.slice/libpod-ID.scope/container",
                Some((Podman, None)),
            ),
            (
                "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-ID.scope",
                Some((Podman, None)),
            ),
            // Kubernetes, cgroupfs driver: QoS level present or absent (guaranteed)
            (
                "/kubepods/besteffort/pod5f8b2c1a-9d3e-4b7a-8c6d-1e2f3a4b5c6d/ID",
                Some((Cri, Some((UID, BestEffort)))),
            ),
            (
                "/kubepods/burstable/pod5f8b2c1a-9d3e-4b7a-8c6d-1e2f3a4b5c6d/ID",
                Some((Cri, Some((UID, Burstable)))),
            ),
            (
                "/kubepods/pod5f8b2c1a-9d3e-4b7a-8c6d-1e2f3a4b5c6d/ID",
                Some((Cri, Some((UID, Guaranteed)))),
            ),
            (
                "/kubepods/burstable/pod5f8b2c1a-9d3e-4b7a-8c6d-1e2f3a4b5c6d/crio-ID",
                Some((CriO, Some((UID, Burstable)))),
            ),
            // Kubernetes, systemd driver
            (
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5f8b2c1a_9d3e_4b7a_8c6d_1e2f3a4b5c6d.slice/cri-containerd-ID.scope",
                Some((Containerd, Some((UID, Burstable)))),
            ),
            (
                "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod5f8b2c1a_9d3e_4b7a_8c6d_1e2f3a4b5c6d.slice/crio-ID.scope",
                Some((CriO, Some((UID, BestEffort)))),
            ),
            (
                "/kubepods.slice/kubepods-pod5f8b2c1a_9d3e_4b7a_8c6d_1e2f3a4b5c6d.slice/cri-containerd-ID.scope",
                Some((Containerd, Some((UID, Guaranteed)))),
            ),
            (
                "/system.slice/containerd.service/kubepods-burstable-pod5f8b2c1a_9d3e_4b7a_8c6d_1e2f3a4b5c6d.slice:cri-containerd:ID",
                Some((Containerd, None)),
            ),
            // plain containerd (nerdctl/ctr)
            ("/default/ID", Some((Containerd, None))),
            ("/system.slice/nerdctl-ID.scope", Some((Containerd, None))),
            // nested: the innermost container wins
            (
                "/docker/0000000000000000000000000000000000000000000000000000000000000000/docker/ID",
                Some((Docker, None)),
            ),
            // not containers
            ("/", None),
            ("/user.slice/user-0.slice/session-1.scope", None),
            ("/system.slice/containerd.service", None),
            ("/machine.slice/libpod-conmon-ID.scope", None),
            (
                "/kubepods.slice/kubepods-burstable.slice/crio-conmon-ID.scope",
                None,
            ),
            ("/libpod_parent/conmon", None),
            (
                "/kubepods/besteffort/pod5f8b2c1a-9d3e-4b7a-8c6d-1e2f3a4b5c6d",
                None,
            ),
            ("/docker/b8ef8b10085e", None),
            (
                "/docker/B8EF8B10085E4F69DF624915FEF02BA61D013FA8874E292237E21029CA9A3A09",
                None,
            ),
            ("/process_api/ca303e539d68be8a70d868bb0488b901", None),
        ];
        for (path, expect) in cases {
            check(path, *expect);
        }
    }

    #[test]
    fn captured_podman_cgroup_file() {
        let text = include_str!("../tests/fixtures/cgroup-podman-sleep.txt");
        let entries = parse_cgroup(text).unwrap();
        assert_eq!(entries.len(), 10);
        assert!(entries[9].is_v2());
        assert_eq!(entries[0].controllers, "name=systemd");
        let c = container_of(&entries).unwrap();
        assert_eq!((c.id.as_str(), c.runtime), (ID, Runtime::Podman));
        assert_eq!(container_of_text(text), Some(c));
    }

    #[test]
    fn host_process_cgroup_file() {
        let text = include_str!("../tests/fixtures/cgroup-python.txt");
        assert_eq!(container_of(&parse_cgroup(text).unwrap()), None);
        assert_eq!(container_of_text(text), None);
    }

    #[test]
    fn hybrid_host_v2_root_v1_docker() {
        let text = format!("12:memory:/docker/{ID}\n1:name=systemd:/docker/{ID}\n0::/\n");
        let c = container_of_text(&text).unwrap();
        assert_eq!(c.runtime, Runtime::Docker);
        assert_eq!(container_of(&parse_cgroup(&text).unwrap()), Some(c));
    }

    #[test]
    fn malformed_lines() {
        assert!(parse_cgroup("garbage\n").is_err());
        assert!(parse_cgroup("x::/\n").is_err());
        assert_eq!(parse_cgroup("").unwrap(), vec![]);
    }
}
