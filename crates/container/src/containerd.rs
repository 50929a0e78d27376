//! containerd's own API (`/run/containerd/containerd.sock`): containers in every namespace
//! (`k8s.io` for the kubelet's, `moby` for Docker's, `default` for `ctr`'s), their OCI spec,
//! labels and image, and the event stream.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use containerd_client::services::v1::containers_client::ContainersClient;
use containerd_client::services::v1::events_client::EventsClient;
use containerd_client::services::v1::images_client::ImagesClient;
use containerd_client::services::v1::namespaces_client::NamespacesClient;
use containerd_client::services::v1::tasks_client::TasksClient;
use containerd_client::services::v1::{
    GetContainerRequest, GetImageRequest, KillRequest, ListNamespacesRequest, PauseTaskRequest,
    SubscribeRequest, WaitRequest,
};
use prost::Message as _;
use serde_json::Value;
use tonic::Request;
use tonic::transport::Channel;

use crate::docker::RuntimeEvent;
use crate::error::ContainerError;
use crate::grpc::GrpcSocket;
use crate::meta::{
    CONTAINER_NAME_LABEL, ContainerMeta, ContainerType, Mount, parse_repo_tag, short_id,
};
use crate::probes;

/// Where the CRI plugin notes the sandbox of a container.
const SANDBOX_ID_ANNOTATION: &str = "io.kubernetes.cri.sandbox-id";
/// The CRI plugin's label telling sandboxes from containers.
const KIND_LABEL: &str = "io.cri-containerd.kind";

/// A client of one containerd socket.
#[derive(Clone, Debug)]
pub struct ContainerdClient {
    grpc: GrpcSocket,
}

fn in_namespace<T>(message: T, namespace: &str) -> Request<T> {
    let mut request = Request::new(message);
    if let Ok(value) = namespace.parse() {
        request.metadata_mut().insert("containerd-namespace", value);
    }
    request
}

impl ContainerdClient {
    /// A client of `socket`; connects on the first call. Call it within a Tokio runtime (the
    /// gRPC channel starts its worker there).
    pub fn new(socket: impl Into<PathBuf>, timeout: Duration) -> ContainerdClient {
        ContainerdClient {
            grpc: GrpcSocket::new(socket.into(), timeout),
        }
    }

    pub fn socket(&self) -> &Path {
        &self.grpc.socket
    }

    fn channel(&self) -> Channel {
        self.grpc.channel.clone()
    }

    /// Container `id` of `namespace`, as containerd records it.
    async fn get_container(
        &self,
        namespace: &str,
        id: &str,
        what: &str,
    ) -> Result<Option<containerd_client::services::v1::Container>, ContainerError> {
        let mut client = ContainersClient::new(self.channel());
        let reply = self
            .grpc
            .call(
                what,
                client.get(in_namespace(
                    GetContainerRequest { id: id.into() },
                    namespace,
                )),
            )
            .await?;
        Ok(reply.and_then(|r| r.container))
    }

    /// Every namespace, the usual ones first.
    pub async fn namespaces(&self) -> Result<Vec<String>, ContainerError> {
        let mut client = NamespacesClient::new(self.channel());
        let reply = self
            .grpc
            .call(
                "list namespaces",
                client.list(ListNamespacesRequest::default()),
            )
            .await?
            .unwrap_or_default();
        let mut names: Vec<String> = reply.namespaces.into_iter().map(|n| n.name).collect();
        let rank = |n: &str| ["k8s.io", "moby", "default"].iter().position(|u| *u == n);
        names.sort_by_key(|n| rank(n).unwrap_or(usize::MAX));
        Ok(names)
    }

    /// Container `id` from whichever namespace has it.
    pub async fn inspect(&self, id: &str) -> Result<Option<ContainerMeta>, ContainerError> {
        for namespace in self.namespaces().await? {
            if let Some(meta) = self.inspect_in(&namespace, id).await? {
                return Ok(Some(meta));
            }
        }
        Ok(None)
    }

    /// Stops, pauses or kills the task of container `id` (Saker's responses), in whichever
    /// namespace has it; `Ok(false)` when none does.
    pub async fn control(
        &self,
        id: &str,
        action: crate::ContainerControl,
    ) -> Result<bool, ContainerError> {
        use crate::ContainerControl as C;
        const SIGTERM: u32 = 15;
        const SIGKILL: u32 = 9;
        for namespace in self.namespaces().await? {
            if self
                .get_container(&namespace, id, "get container")
                .await?
                .is_none()
            {
                continue;
            }
            let mut tasks = TasksClient::new(self.channel());
            let kill = |signal| KillRequest {
                container_id: id.into(),
                exec_id: String::new(),
                signal,
                all: true,
            };
            let done = match action {
                C::Pause => {
                    let request = PauseTaskRequest {
                        container_id: id.into(),
                    };
                    self.grpc
                        .call("pause task", tasks.pause(in_namespace(request, &namespace)))
                        .await?
                }
                C::Kill => {
                    self.grpc
                        .call(
                            "kill task",
                            tasks.kill(in_namespace(kill(SIGKILL), &namespace)),
                        )
                        .await?
                }
                C::Stop { grace } => {
                    // As `ctr task kill` then a wait: SIGTERM, and SIGKILL if still running.
                    let waiting = tasks.clone();
                    self.grpc
                        .call(
                            "kill task",
                            tasks.kill(in_namespace(kill(SIGTERM), &namespace)),
                        )
                        .await?;
                    let request = WaitRequest {
                        container_id: id.into(),
                        exec_id: String::new(),
                    };
                    let mut waiting = waiting;
                    let wait = waiting.wait(in_namespace(request, &namespace));
                    if tokio::time::timeout(grace, wait).await.is_err() {
                        self.grpc
                            .call(
                                "kill task",
                                tasks.kill(in_namespace(kill(SIGKILL), &namespace)),
                            )
                            .await?;
                    }
                    Some(())
                }
            };
            return Ok(done.is_some());
        }
        Ok(false)
    }

    async fn inspect_in(
        &self,
        namespace: &str,
        id: &str,
    ) -> Result<Option<ContainerMeta>, ContainerError> {
        let Some(container) = self.get_container(namespace, id, "get container").await? else {
            return Ok(None);
        };
        let spec: Value = container
            .spec
            .as_ref()
            .and_then(|any| serde_json::from_slice(&any.value).ok())
            .unwrap_or_default();
        let labels: BTreeMap<String, String> = container.labels.into_iter().collect();
        let mut meta = from_spec(&container.id, &container.image, labels, &spec);
        if !container.image.is_empty() {
            let mut images = ImagesClient::new(self.channel());
            let request = GetImageRequest {
                name: container.image.clone(),
            };
            let image = self
                .grpc
                .call("get image", images.get(in_namespace(request, namespace)))
                .await
                .ok()
                .flatten();
            if let Some(target) = image.and_then(|r| r.image).and_then(|i| i.target) {
                meta.image_digest = target.digest;
            }
        }
        // A container made through the CRI: its pod's labels are on the sandbox container.
        if !meta.pod_sandbox_id.is_empty() && meta.pod_sandbox_id != meta.id {
            let sandbox = self
                .get_container(namespace, &meta.pod_sandbox_id, "get sandbox")
                .await
                .ok()
                .flatten();
            if let Some(sandbox) = sandbox {
                meta.pod_sandbox_labels = sandbox.labels.into_iter().collect();
            }
        }
        meta.trim_labels();
        Ok(Some(meta))
    }

    /// Follows containerd's event stream (`/containers/create`, `/tasks/start`,
    /// `/containers/delete`) until it ends or fails.
    pub async fn follow_events(
        &self,
        mut on_event: impl FnMut(RuntimeEvent),
    ) -> Result<(), ContainerError> {
        let mut client = EventsClient::new(self.channel());
        let request = SubscribeRequest {
            filters: [
                "/containers/create",
                "/tasks/start",
                "/containers/delete",
                "/tasks/delete",
            ]
            .iter()
            .map(|t| format!("topic==\"{t}\""))
            .collect(),
        };
        let stream = self
            .grpc
            .call("subscribe", client.subscribe(request))
            .await?
            .ok_or_else(|| ContainerError::protocol(self.socket(), "subscribe: not found"))?;
        let mut stream = stream;
        loop {
            let envelope = match stream.message().await {
                Ok(Some(envelope)) => envelope,
                Ok(None) => return Ok(()),
                Err(status) => {
                    return Err(ContainerError::protocol(
                        self.socket(),
                        format!("events: {}", status.message()),
                    ));
                }
            };
            let Some(any) = envelope.event else {
                continue;
            };
            if let Some(event) = decode_event(&envelope.topic, &any.value) {
                on_event(event);
            }
        }
    }
}

/// The container an event is about, from its protobuf payload.
fn decode_event(topic: &str, payload: &[u8]) -> Option<RuntimeEvent> {
    use containerd_client::events;
    match topic {
        "/containers/create" => events::ContainerCreate::decode(payload)
            .ok()
            .map(|e| RuntimeEvent::Started(e.id)),
        "/tasks/start" => events::TaskStart::decode(payload)
            .ok()
            .map(|e| RuntimeEvent::Started(e.container_id)),
        "/containers/delete" => events::ContainerDelete::decode(payload)
            .ok()
            .map(|e| RuntimeEvent::Stopped(e.id)),
        "/tasks/delete" => events::TaskDelete::decode(payload)
            .ok()
            .map(|e| RuntimeEvent::Stopped(e.container_id)),
        _ => None,
    }
}

/// Metadata from a container's record and OCI runtime spec, as the container plugin's
/// containerd engine reads them.
pub(crate) fn from_spec(
    id: &str,
    image: &str,
    labels: BTreeMap<String, String>,
    spec: &Value,
) -> ContainerMeta {
    let linux = &spec["linux"];
    let propagation = linux["rootfsPropagation"].as_str().unwrap_or_default();
    let mounts = spec["mounts"]
        .as_array()
        .map(|mounts| {
            mounts
                .iter()
                .map(|m| {
                    let options: Vec<&str> = m["options"]
                        .as_array()
                        .map(|o| o.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    Mount {
                        source: m["source"].as_str().unwrap_or_default().into(),
                        dest: m["destination"].as_str().unwrap_or_default().into(),
                        mode: options
                            .iter()
                            .find_map(|o| o.strip_prefix("mode="))
                            .unwrap_or_default()
                            .into(),
                        rdwr: !options.contains(&"ro"),
                        propagation: propagation.into(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    // oci.WithHostNamespace removes a namespace from the list: absent means the host's.
    let has_namespace = |kind: &str| {
        linux["namespaces"]
            .as_array()
            .is_some_and(|n| n.iter().any(|ns| ns["type"] == kind))
    };
    let annotations = &spec["annotations"];
    let (repo, tag) = parse_repo_tag(image);
    let name = labels
        .get(CONTAINER_NAME_LABEL)
        .cloned()
        .unwrap_or_else(|| short_id(id).to_string());
    let probes = probes::LAST_APPLIED_KEYS
        .iter()
        .find_map(|k| annotations[*k].as_str())
        .map(|spec| {
            probes::pod_spec_probes(spec, labels.get(CONTAINER_NAME_LABEL).map(String::as_str))
        })
        .unwrap_or_default();
    ContainerMeta {
        id: id.to_string(),
        kind: ContainerType::Containerd,
        name,
        image: image.to_string(),
        image_repository: repo.to_string(),
        image_tag: tag.to_string(),
        privileged: privileged(spec),
        host_pid: linux.is_object() && !has_namespace("pid"),
        host_network: linux.is_object() && !has_namespace("network"),
        host_ipc: linux.is_object() && !has_namespace("ipc"),
        mounts,
        is_pod_sandbox: labels.get(KIND_LABEL).is_some_and(|k| k == "sandbox"),
        labels,
        probes,
        user: spec["process"]["user"]["uid"]
            .as_u64()
            .map(|u| u.to_string())
            .unwrap_or_default(),
        pod_sandbox_id: annotations[SANDBOX_ID_ANNOTATION]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        ..ContainerMeta::default()
    }
}

/// containerd's `WithPrivileged` leaves no masked or read-only paths, no SELinux label, no
/// AppArmor profile, no seccomp filter, and mounts sysfs and cgroup read-write (the container
/// plugin's test, after containerd's `pkg/oci/spec_opts.go`).
fn privileged(spec: &Value) -> bool {
    let linux = &spec["linux"];
    let process = &spec["process"];
    if !linux.is_object() || !process.is_object() {
        return false;
    }
    let unset = |v: &Value| v.is_null() || v.as_array().is_some_and(Vec::is_empty);
    let apparmor = process["apparmorProfile"].as_str().unwrap_or_default();
    if !unset(&linux["maskedPaths"])
        || !unset(&linux["readonlyPaths"])
        || !process["selinuxLabel"]
            .as_str()
            .unwrap_or_default()
            .is_empty()
        || !(apparmor.is_empty() || apparmor == "unconfined")
        || !linux["seccomp"].is_null()
    {
        return false;
    }
    let read_only_kernel_fs = spec["mounts"].as_array().is_some_and(|mounts| {
        mounts.iter().any(|m| {
            (m["type"] == "sysfs" || m["type"] == "cgroup")
                && m["options"]
                    .as_array()
                    .is_some_and(|o| o.iter().any(|x| x == "ro"))
        })
    });
    !read_only_kernel_fs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn default_spec() -> Value {
        // The shape of `ctr run`'s default spec (containerd 1.6 `oci.populateDefaultUnixSpec`).
        json!({
            "process": {"user": {"uid": 0, "gid": 0}, "apparmorProfile": ""},
            "mounts": [
                {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid","noexec","nodev"]},
                {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid","strictatime","mode=755","size=65536k"]},
                {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid","noexec","nodev","ro"]},
                {"destination": "/host/etc", "type": "bind", "source": "/etc", "options": ["rbind","ro"]}
            ],
            "linux": {
                "namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "network"}],
                "maskedPaths": ["/proc/kcore"],
                "readonlyPaths": ["/proc/sys"],
                "rootfsPropagation": "rprivate"
            },
            "annotations": {"io.kubernetes.cri.sandbox-id": "ab".repeat(32)}
        })
    }

    #[test]
    fn default_container() {
        let id = "c".repeat(64);
        let meta = from_spec(
            &id,
            "docker.io/library/busybox:1.36",
            labels(&[
                (CONTAINER_NAME_LABEL, "web"),
                ("io.kubernetes.pod.name", "pod-1"),
            ]),
            &default_spec(),
        );
        assert_eq!(meta.name, "web");
        assert_eq!(meta.image_repository, "docker.io/library/busybox");
        assert_eq!(meta.image_tag, "1.36");
        assert!(!meta.privileged);
        assert!(!meta.host_pid && !meta.host_network && !meta.host_ipc);
        assert_eq!(meta.mounts[1].mode, "755");
        assert!(!meta.mounts[2].rdwr);
        assert_eq!(meta.mounts[3].describe(), "/etc:/host/etc::false:rprivate");
        assert_eq!(meta.pod_sandbox_id, "ab".repeat(32));
        assert_eq!(meta.pod_name(), Some("pod-1"));
        assert_eq!(meta.user, "0");
    }

    #[test]
    fn privileged_and_host_namespaces() {
        // `ctr run --privileged --net-host`: no masks, sysfs read-write, no network namespace.
        let mut spec = default_spec();
        spec["linux"]["maskedPaths"] = Value::Null;
        spec["linux"]["readonlyPaths"] = Value::Null;
        spec["mounts"][2]["options"] = json!(["nosuid", "noexec", "nodev", "rw"]);
        spec["linux"]["namespaces"] = json!([{"type": "pid"}, {"type": "mount"}]);
        let meta = from_spec(&"d".repeat(64), "", BTreeMap::new(), &spec);
        assert!(meta.privileged);
        assert!(meta.host_network && meta.host_ipc && !meta.host_pid);
        assert_eq!(meta.name, "dddddddddddd");
        // A seccomp filter means not privileged.
        spec["linux"]["seccomp"] = json!({"defaultAction": "SCMP_ACT_ERRNO"});
        assert!(!from_spec("x", "", BTreeMap::new(), &spec).privileged);
    }

    #[test]
    fn events_decoded_by_topic() {
        use containerd_client::events;
        let create = events::ContainerCreate {
            id: "abc".into(),
            image: "img".into(),
            runtime: None,
        }
        .encode_to_vec();
        assert_eq!(
            decode_event("/containers/create", &create),
            Some(RuntimeEvent::Started("abc".into()))
        );
        let delete = events::ContainerDelete { id: "abc".into() }.encode_to_vec();
        assert_eq!(
            decode_event("/containers/delete", &delete),
            Some(RuntimeEvent::Stopped("abc".into()))
        );
        assert_eq!(decode_event("/images/create", &create), None);
    }
}
