//! What a container runtime tells about one container, in the shape Falco's `container.*` and
//! `k8s.*` fields read it (falcosecurity/plugins `plugins/container/src/container_info.h`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Length of the ids `docker ps` and `podman ps` print (`container.id`).
pub const SHORT_ID_LEN: usize = 12;

/// Which runtime a container belongs to (`container.type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerType {
    Docker,
    Podman,
    Containerd,
    #[serde(rename = "cri-o")]
    CriO,
    /// A CRI runtime that did not say which it is.
    Cri,
    /// Not a container: processes of the host (`container.id = host`).
    Host,
}

impl ContainerType {
    /// Falco's spelling (`container.type`).
    pub fn name(self) -> &'static str {
        match self {
            ContainerType::Docker => "docker",
            ContainerType::Podman => "podman",
            ContainerType::Containerd => "containerd",
            ContainerType::CriO => "cri-o",
            ContainerType::Cri => "cri",
            ContainerType::Host => "host",
        }
    }

    /// The type named `name` (Falco's spellings); `None` for anything else.
    pub fn from_name(name: &str) -> Option<ContainerType> {
        [
            ContainerType::Docker,
            ContainerType::Podman,
            ContainerType::Containerd,
            ContainerType::CriO,
            ContainerType::Cri,
            ContainerType::Host,
        ]
        .into_iter()
        .find(|t| t.name() == name)
    }
}

/// One mount, as `container.mount*` show it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mount {
    pub source: String,
    pub dest: String,
    pub mode: String,
    pub rdwr: bool,
    pub propagation: String,
}

impl Mount {
    /// `source:dest:mode:rdwr:propagation`, the form of `container.mount[N]` and
    /// `container.mounts`.
    pub fn describe(&self) -> String {
        format!(
            "{}:{}:{}:{}:{}",
            self.source, self.dest, self.mode, self.rdwr, self.propagation
        )
    }
}

/// `container.mounts`: every mount, comma separated.
pub fn describe_mounts(mounts: &[Mount]) -> String {
    mounts
        .iter()
        .map(Mount::describe)
        .collect::<Vec<_>>()
        .join(",")
}

/// What a health probe is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeKind {
    /// Docker's/podman's `HEALTHCHECK` (`container.healthcheck`).
    Healthcheck,
    /// Kubernetes liveness probe (`container.liveness_probe`).
    Liveness,
    /// Kubernetes readiness probe (`container.readiness_probe`).
    Readiness,
}

/// A command the runtime runs in the container to check it (libsinsp's
/// `container_health_probe`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthProbe {
    pub kind: ProbeKind,
    pub exe: String,
    pub args: Vec<String>,
}

impl HealthProbe {
    /// The probe as a command line (`/bin/sh -c curl -f localhost`).
    pub fn command_line(&self) -> String {
        std::iter::once(self.exe.as_str())
            .chain(self.args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Everything a runtime answered about one container. Strings the runtime left empty stay
/// empty here; the fields show them as `<NA>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerMeta {
    /// The full 64-hex id.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ContainerType,
    pub name: String,
    /// The image as the container was made from (`docker.io/library/nginx:1.25`).
    pub image: String,
    pub image_id: String,
    pub image_repository: String,
    pub image_tag: String,
    pub image_digest: String,
    pub privileged: bool,
    pub host_pid: bool,
    pub host_network: bool,
    pub host_ipc: bool,
    pub mounts: Vec<Mount>,
    pub labels: BTreeMap<String, String>,
    pub ip: String,
    pub cni_json: String,
    pub probes: Vec<HealthProbe>,
    pub user: String,
    /// The pod sandbox (CRI) this container runs in; for a sandbox, its own id.
    pub pod_sandbox_id: String,
    pub pod_sandbox_labels: BTreeMap<String, String>,
    pub is_pod_sandbox: bool,
    /// When the runtime says the container started (nanoseconds since the epoch; 0: unknown).
    pub started_ns: u64,
}

impl Default for ContainerMeta {
    fn default() -> Self {
        ContainerMeta {
            id: String::new(),
            kind: ContainerType::Cri,
            name: String::new(),
            image: String::new(),
            image_id: String::new(),
            image_repository: String::new(),
            image_tag: String::new(),
            image_digest: String::new(),
            privileged: false,
            host_pid: false,
            host_network: false,
            host_ipc: false,
            mounts: Vec::new(),
            labels: BTreeMap::new(),
            ip: String::new(),
            cni_json: String::new(),
            probes: Vec::new(),
            user: String::new(),
            pod_sandbox_id: String::new(),
            pod_sandbox_labels: BTreeMap::new(),
            is_pod_sandbox: false,
            started_ns: 0,
        }
    }
}

/// The kubelet's labels on every container it makes (read by `k8s.pod.*` / `k8s.ns.name`).
pub const POD_NAME_LABEL: &str = "io.kubernetes.pod.name";
pub const POD_NAMESPACE_LABEL: &str = "io.kubernetes.pod.namespace";
pub const POD_UID_LABEL: &str = "io.kubernetes.pod.uid";
pub const CONTAINER_NAME_LABEL: &str = "io.kubernetes.container.name";

/// Labels longer than this are left out (the container plugin's `label_max_len` default):
/// they are annotations in disguise and would bloat every alert.
pub const LABEL_MAX_LEN: usize = 100;

impl ContainerMeta {
    /// `container.id`: the first 12 characters of the id.
    pub fn short_id(&self) -> &str {
        short_id(&self.id)
    }

    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.get(key).map(String::as_str)
    }

    /// `k8s.pod.name`.
    pub fn pod_name(&self) -> Option<&str> {
        self.label(POD_NAME_LABEL)
    }

    /// `k8s.ns.name`.
    pub fn pod_namespace(&self) -> Option<&str> {
        self.label(POD_NAMESPACE_LABEL)
    }

    /// `k8s.pod.uid`.
    pub fn pod_uid(&self) -> Option<&str> {
        self.label(POD_UID_LABEL)
    }

    /// The first probe of `kind`.
    pub fn probe(&self, kind: ProbeKind) -> Option<&HealthProbe> {
        self.probes.iter().find(|p| p.kind == kind)
    }

    /// Drops labels longer than [`LABEL_MAX_LEN`].
    pub fn trim_labels(&mut self) {
        self.labels.retain(|_, v| v.len() <= LABEL_MAX_LEN);
        self.pod_sandbox_labels
            .retain(|_, v| v.len() <= LABEL_MAX_LEN);
    }
}

/// The first 12 characters of a container id (all of a shorter one).
pub fn short_id(id: &str) -> &str {
    id.get(..SHORT_ID_LEN).unwrap_or(id)
}

/// `container.labels` / `k8s.pod.labels`: `key:value` pairs joined by `, `, leaving out the
/// runtime's own bookkeeping (`annotation.*`, `io.kubernetes.*`), as the container plugin does.
pub fn join_labels(labels: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (key, value) in labels {
        if key.starts_with("annotation.") || key.starts_with("io.kubernetes.") {
            continue;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(key);
        if !value.is_empty() {
            out.push(':');
            out.push_str(value);
        }
    }
    out
}

/// Splits an image reference into repository and tag, the container plugin's
/// `parseImageRepoTag`: a digest is dropped, and a colon before the last slash belongs to a
/// registry port, not a tag.
pub fn parse_repo_tag(image: &str) -> (&str, &str) {
    let image = image.split('@').next().unwrap_or(image);
    let last_slash = image.rfind('/');
    match image.rfind(':') {
        Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
            (&image[..colon], &image[colon + 1..])
        }
        _ => (image, ""),
    }
}

/// The digest part of `repo@sha256:...`, if any.
pub fn digest_of(reference: &str) -> Option<&str> {
    reference.split_once('@').map(|(_, digest)| digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_and_tag() {
        // falcosecurity/plugins plugins/container/go-worker/pkg/container/engine_test.go
        // TestParseImageRepoTag, as data; then podman's local image names.
        for (image, repo, tag) in [
            (
                "registry.example.com:5000/foo/bar:latest",
                "registry.example.com:5000/foo/bar",
                "latest",
            ),
            (
                "registry.example.com:5000/foo/bar",
                "registry.example.com:5000/foo/bar",
                "",
            ),
            ("foo/bar:latest", "foo/bar", "latest"),
            ("foo:latest", "foo", "latest"),
            ("foo/bar", "foo/bar", ""),
            ("", "", ""),
            (
                "registry.example.com:5000/foo/bar@sha256:abc123",
                "registry.example.com:5000/foo/bar",
                "",
            ),
            (
                "registry.example.com:5000/foo/bar:latest@sha256:abc123",
                "registry.example.com:5000/foo/bar",
                "latest",
            ),
            (
                "registry.example.com:5000/org/project/image:v1.2.3",
                "registry.example.com:5000/org/project/image",
                "v1.2.3",
            ),
            (
                "localhost:5000/myimage:latest",
                "localhost:5000/myimage",
                "latest",
            ),
            (
                "localhost/saker-test/busybox:latest",
                "localhost/saker-test/busybox",
                "latest",
            ),
            ("nginx", "nginx", ""),
        ] {
            assert_eq!(parse_repo_tag(image), (repo, tag), "{image}");
        }
    }

    #[test]
    fn labels_joined_without_kubernetes_bookkeeping() {
        let labels: BTreeMap<String, String> = [
            ("app", "web"),
            ("io.kubernetes.pod.name", "p"),
            ("annotation.x", "y"),
            ("flag", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(join_labels(&labels), "app:web, flag");
    }

    #[test]
    fn types_round_trip_by_name() {
        for t in ["docker", "podman", "containerd", "cri-o", "cri", "host"] {
            assert_eq!(ContainerType::from_name(t).unwrap().name(), t);
            let json = serde_json::to_string(&ContainerType::from_name(t)).unwrap();
            assert_eq!(json, format!("\"{t}\""));
        }
        assert_eq!(ContainerType::from_name("rkt"), None);
    }

    #[test]
    fn probe_command_line() {
        let p = HealthProbe {
            kind: ProbeKind::Healthcheck,
            exe: "/bin/sh".into(),
            args: vec!["-c".into(), "curl -f localhost".into()],
        };
        assert_eq!(p.command_line(), "/bin/sh -c curl -f localhost");
    }
}
