//! The Kubernetes CRI (`runtime.v1.RuntimeService`), spoken by containerd's CRI plugin (on
//! containerd's own socket) and by CRI-O (`/run/crio/crio.sock`): container status with the
//! pod it belongs to, as the kubelet made them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use k8s_cri::v1::runtime_service_client::RuntimeServiceClient;
use k8s_cri::v1::{
    ContainerFilter, ContainerStatus, ContainerStatusRequest, ListContainersRequest,
    MountPropagation, NamespaceMode, PodSandboxStatus, PodSandboxStatusRequest,
    StopContainerRequest, VersionRequest,
};
use serde_json::Value;
use tonic::transport::Channel;

use crate::error::ContainerError;
use crate::grpc::GrpcSocket;
use crate::meta::{
    ContainerMeta, ContainerType, Mount, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL,
    digest_of, parse_repo_tag,
};

/// CNI results are cut to this length (the container plugin's `maxCNILen`).
const MAX_CNI_LEN: usize = 4096;

/// A client of one CRI socket.
#[derive(Clone, Debug)]
pub struct CriClient {
    grpc: GrpcSocket,
}

impl CriClient {
    /// A client of `socket`; connects on the first call. Call it within a Tokio runtime (the
    /// gRPC channel starts its worker there).
    pub fn new(socket: impl Into<PathBuf>, timeout: Duration) -> CriClient {
        CriClient {
            grpc: GrpcSocket::new(socket.into(), timeout),
        }
    }

    pub fn socket(&self) -> &Path {
        &self.grpc.socket
    }

    fn client(&self) -> RuntimeServiceClient<Channel> {
        RuntimeServiceClient::new(self.grpc.channel.clone())
    }

    /// The runtime behind the socket: containerd, CRI-O, or another CRI runtime.
    pub async fn runtime(&self) -> Result<ContainerType, ContainerError> {
        let reply = self
            .grpc
            .call(
                "version",
                self.client().version(VersionRequest {
                    version: "v1".into(),
                }),
            )
            .await?
            .unwrap_or_default();
        Ok(match reply.runtime_name.as_str() {
            "containerd" => ContainerType::Containerd,
            "cri-o" => ContainerType::CriO,
            _ => ContainerType::Cri,
        })
    }

    /// Stops or kills container `id` (Saker's responses; a kill is a stop without grace);
    /// `Ok(false)` when the runtime does not know it. The CRI has no pause.
    pub async fn control(
        &self,
        id: &str,
        action: crate::ContainerControl,
    ) -> Result<bool, ContainerError> {
        use crate::ContainerControl as C;
        let timeout = match action {
            C::Stop { grace } => grace.as_secs() as i64,
            C::Kill => 0,
            C::Pause => {
                return Err(ContainerError::protocol(
                    &self.grpc.socket,
                    "the CRI has no pause (use stop_container or kill_container)",
                ));
            }
        };
        let request = StopContainerRequest {
            container_id: id.into(),
            timeout,
        };
        let reply = self
            .grpc
            .call("stop container", self.client().stop_container(request))
            .await?;
        Ok(reply.is_some())
    }

    /// Container `id` with its pod; `Ok(None)` when this runtime does not know it.
    pub async fn inspect(
        &self,
        id: &str,
        kind: ContainerType,
    ) -> Result<Option<ContainerMeta>, ContainerError> {
        let listed = self
            .grpc
            .call(
                "list containers",
                self.client().list_containers(ListContainersRequest {
                    filter: Some(ContainerFilter {
                        id: id.into(),
                        ..ContainerFilter::default()
                    }),
                }),
            )
            .await?
            .unwrap_or_default();
        let Some(listed) = listed.containers.into_iter().find(|c| c.id == id) else {
            return Ok(None);
        };
        let Some(reply) = self
            .grpc
            .call(
                "container status",
                self.client().container_status(ContainerStatusRequest {
                    container_id: id.into(),
                    verbose: true,
                }),
            )
            .await?
        else {
            return Ok(None);
        };
        let Some(status) = reply.status else {
            return Ok(None);
        };
        let sandbox = self
            .grpc
            .call(
                "pod sandbox status",
                self.client().pod_sandbox_status(PodSandboxStatusRequest {
                    pod_sandbox_id: listed.pod_sandbox_id.clone(),
                    verbose: true,
                }),
            )
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        Ok(Some(to_meta(
            status,
            &reply.info,
            &listed.pod_sandbox_id,
            sandbox.status,
            &sandbox.info,
            kind,
        )))
    }
}

/// The `info` JSON of a verbose status (containerd's and CRI-O's layouts).
fn info_json(info: &std::collections::HashMap<String, String>) -> Value {
    info.get("info")
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default()
}

/// `privileged` from the verbose info, where each runtime puts it.
fn privileged(info: &Value) -> bool {
    [
        &info["runtimeSpec"]["linux"]["security_context"]["privileged"],
        &info["config"]["linux"]["security_context"]["privileged"],
        &info["privileged"],
    ]
    .into_iter()
    .find_map(Value::as_bool)
    .unwrap_or(false)
}

/// The CNI result of a sandbox, without loopback and veth interfaces.
fn cni_json(sandbox_info: &Value) -> String {
    let mut json = if let Some(interfaces) = sandbox_info["cniResult"]["Interfaces"]
        .as_object()
        .or(sandbox_info["cniResult"]["interfaces"].as_object())
    {
        let kept: serde_json::Map<String, Value> = interfaces
            .iter()
            .filter(|(name, _)| *name != "lo" && *name != "veth")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Value::Object(kept).to_string()
    } else {
        sandbox_info["runtimeSpec"]["annotations"]["io.kubernetes.cri-o.CNIResult"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    if json.len() > MAX_CNI_LEN {
        let mut cut = MAX_CNI_LEN;
        while !json.is_char_boundary(cut) {
            cut -= 1;
        }
        json.truncate(cut);
    }
    json
}

fn propagation(value: i32) -> &'static str {
    match MountPropagation::try_from(value) {
        Ok(MountPropagation::PropagationPrivate) => "private",
        Ok(MountPropagation::PropagationHostToContainer) => "rslave",
        Ok(MountPropagation::PropagationBidirectional) => "rshared",
        Err(_) => "unknown",
    }
}

fn to_meta(
    status: ContainerStatus,
    info: &std::collections::HashMap<String, String>,
    sandbox_id: &str,
    sandbox: Option<PodSandboxStatus>,
    sandbox_info: &std::collections::HashMap<String, String>,
    kind: ContainerType,
) -> ContainerMeta {
    let info = info_json(info);
    let sandbox_info = info_json(sandbox_info);
    let mut labels: BTreeMap<String, String> = status.labels.into_iter().collect();
    let pod_sandbox_id = sandbox
        .as_ref()
        .map_or(sandbox_id.to_string(), |s| s.id.clone());
    labels.insert("io.kubernetes.sandbox.id".into(), pod_sandbox_id.clone());
    if let Some(pod) = sandbox.as_ref().and_then(|s| s.metadata.as_ref()) {
        labels.insert(POD_UID_LABEL.into(), pod.uid.clone());
        labels.insert(POD_NAME_LABEL.into(), pod.name.clone());
        labels.insert(POD_NAMESPACE_LABEL.into(), pod.namespace.clone());
    }
    // image_ref is `repo@sha256:...` or a bare `sha256:...`; the name comes from the spec or,
    // when that is only an id, from the runtime's annotations.
    let spec_image = status
        .image
        .as_ref()
        .map(|i| i.image.clone())
        .unwrap_or_default();
    let mut image = spec_image.clone();
    let mut digest = String::new();
    let mut tag_from_spec = false;
    if status.image_ref.starts_with("sha256:") {
        digest = status.image_ref.clone();
    } else if let Some(d) = digest_of(&status.image_ref).filter(|d| d.starts_with("sha256:")) {
        image = status
            .image_ref
            .split('@')
            .next()
            .unwrap_or_default()
            .to_string();
        digest = d.to_string();
        tag_from_spec = true;
    }
    if image.is_empty() || image.starts_with("sha256") {
        let annotations = &info["runtimeSpec"]["annotations"];
        if let Some(name) = [
            "io.kubernetes.cri.image-name",
            "io.kubernetes.cri-o.Image",
            "io.kubernetes.cri-o.ImageName",
        ]
        .iter()
        .find_map(|k| annotations[*k].as_str())
        {
            image = name.to_string();
            tag_from_spec = false;
        }
    }
    let (repo, mut tag) = {
        let (r, t) = parse_repo_tag(&image);
        (r.to_string(), t.to_string())
    };
    if tag_from_spec {
        let (_, spec_tag) = parse_repo_tag(&spec_image);
        if !spec_tag.is_empty() {
            tag = spec_tag.to_string();
            image = format!("{image}:{tag}");
        }
    }
    let namespaces = sandbox
        .as_ref()
        .and_then(|s| s.linux.as_ref())
        .and_then(|l| l.namespaces.as_ref())
        .and_then(|n| n.options.as_ref());
    let on_node = |mode: Option<i32>| mode == Some(NamespaceMode::Node as i32);
    let mut meta = ContainerMeta {
        id: status.id,
        kind,
        name: status.metadata.map(|m| m.name).unwrap_or_default(),
        image,
        image_id: status.image_id,
        image_repository: repo,
        image_tag: tag,
        image_digest: digest,
        privileged: privileged(&info),
        host_pid: on_node(namespaces.map(|n| n.pid)),
        host_network: on_node(namespaces.map(|n| n.network)),
        host_ipc: on_node(namespaces.map(|n| n.ipc)),
        mounts: status
            .mounts
            .into_iter()
            .map(|m| Mount {
                source: m.host_path,
                dest: m.container_path,
                mode: String::new(),
                rdwr: !m.readonly,
                propagation: propagation(m.propagation).into(),
            })
            .collect(),
        labels,
        ip: sandbox
            .as_ref()
            .and_then(|s| s.network.as_ref())
            .map(|n| n.ip.clone())
            .unwrap_or_default(),
        cni_json: cni_json(&sandbox_info),
        user: status
            .user
            .and_then(|u| u.linux)
            .map(|l| l.uid.to_string())
            .unwrap_or_default(),
        pod_sandbox_id,
        pod_sandbox_labels: sandbox
            .map(|s| s.labels.into_iter().collect())
            .unwrap_or_default(),
        started_ns: u64::try_from(status.started_at).unwrap_or(0),
        ..ContainerMeta::default()
    };
    meta.trim_labels();
    meta
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_cri::v1::{
        ContainerMetadata, ImageSpec, LinuxPodSandboxStatus, Namespace, NamespaceOption,
        PodSandboxMetadata, PodSandboxNetworkStatus,
    };
    use std::collections::HashMap;

    fn status(image: &str, image_ref: &str) -> ContainerStatus {
        ContainerStatus {
            id: "c".repeat(64),
            metadata: Some(ContainerMetadata {
                name: "web".into(),
                attempt: 0,
            }),
            image: Some(ImageSpec {
                image: image.into(),
                ..ImageSpec::default()
            }),
            image_ref: image_ref.into(),
            mounts: vec![k8s_cri::v1::Mount {
                container_path: "/var/run/secrets".into(),
                host_path: "/var/lib/kubelet/pods/x".into(),
                readonly: true,
                propagation: MountPropagation::PropagationHostToContainer as i32,
                ..k8s_cri::v1::Mount::default()
            }],
            started_at: 1_700_000_000_000_000_000,
            ..ContainerStatus::default()
        }
    }

    fn sandbox() -> PodSandboxStatus {
        PodSandboxStatus {
            id: "s".repeat(64),
            metadata: Some(PodSandboxMetadata {
                name: "web-7d9".into(),
                uid: "3e41dc6b-08a8-44db-bc2a-3724b18ab19a".into(),
                namespace: "shop".into(),
                attempt: 0,
            }),
            network: Some(PodSandboxNetworkStatus {
                ip: "10.244.0.7".into(),
                additional_ips: vec![],
            }),
            linux: Some(LinuxPodSandboxStatus {
                namespaces: Some(Namespace {
                    options: Some(NamespaceOption {
                        network: NamespaceMode::Node as i32,
                        pid: NamespaceMode::Pod as i32,
                        ipc: NamespaceMode::Pod as i32,
                        ..NamespaceOption::default()
                    }),
                }),
            }),
            labels: [("app".to_string(), "web".to_string())].into(),
            ..PodSandboxStatus::default()
        }
    }

    #[test]
    fn pod_fields_from_the_sandbox() {
        let info: HashMap<String, String> = [(
            "info".to_string(),
            r#"{"runtimeSpec":{"linux":{"security_context":{"privileged":true}}}}"#.to_string(),
        )]
        .into();
        let sandbox_info: HashMap<String, String> = [(
            "info".to_string(),
            r#"{"cniResult":{"Interfaces":{"eth0":{"IPConfigs":[{"IP":"10.244.0.7"}]},"lo":{}}}}"#
                .to_string(),
        )]
        .into();
        let meta = to_meta(
            status(
                "docker.io/library/nginx:1.25",
                "docker.io/library/nginx@sha256:d977",
            ),
            &info,
            "",
            Some(sandbox()),
            &sandbox_info,
            ContainerType::Containerd,
        );
        assert_eq!(meta.name, "web");
        assert_eq!(meta.pod_name(), Some("web-7d9"));
        assert_eq!(meta.pod_namespace(), Some("shop"));
        assert_eq!(meta.pod_uid(), Some("3e41dc6b-08a8-44db-bc2a-3724b18ab19a"));
        assert_eq!(meta.image, "docker.io/library/nginx:1.25");
        assert_eq!(meta.image_repository, "docker.io/library/nginx");
        assert_eq!(meta.image_tag, "1.25");
        assert_eq!(meta.image_digest, "sha256:d977");
        assert!(meta.privileged);
        assert!(meta.host_network && !meta.host_pid && !meta.host_ipc);
        assert_eq!(meta.ip, "10.244.0.7");
        assert_eq!(
            meta.cni_json,
            r#"{"eth0":{"IPConfigs":[{"IP":"10.244.0.7"}]}}"#
        );
        assert_eq!(meta.pod_sandbox_labels["app"], "web");
        assert_eq!(
            meta.mounts[0].describe(),
            "/var/lib/kubelet/pods/x:/var/run/secrets::false:rslave"
        );
        assert_eq!(meta.started_ns, 1_700_000_000_000_000_000);
    }

    #[test]
    fn image_name_from_annotations_when_the_spec_has_an_id() {
        let info: HashMap<String, String> = [(
            "info".to_string(),
            r#"{"runtimeSpec":{"annotations":{"io.kubernetes.cri.image-name":"quay.io/app:2"}}}"#
                .to_string(),
        )]
        .into();
        let meta = to_meta(
            status("sha256:0ca0", "sha256:0ca0"),
            &info,
            "sandbox",
            None,
            &HashMap::new(),
            ContainerType::Cri,
        );
        assert_eq!(meta.image, "quay.io/app:2");
        assert_eq!(
            (meta.image_repository.as_str(), meta.image_tag.as_str()),
            ("quay.io/app", "2")
        );
        assert_eq!(meta.image_digest, "sha256:0ca0");
        assert_eq!(meta.pod_sandbox_id, "sandbox");
        assert!(!meta.privileged);
        assert_eq!(meta.pod_name(), None);
    }
}
