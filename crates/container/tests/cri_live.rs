//! The CRI client against containerd's CRI plugin, as the kubelet would use it: a pod sandbox
//! (host network, so no CNI is needed) and a container in it, made through the CRI itself; the
//! client must read back the pod's name, namespace, uid, labels and the image. CRI-O speaks the
//! same API and is covered by this test through containerd.
//!
//! Needs root, containerd (scripts/containerd-setup.sh) and podman with
//! `saker-test/busybox:latest` (its tar is imported into containerd; no registry is reached).

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use k8s_cri::v1::runtime_service_client::RuntimeServiceClient;
use k8s_cri::v1::{
    ContainerConfig, ContainerMetadata, CreateContainerRequest, ImageSpec, LinuxPodSandboxConfig,
    LinuxSandboxSecurityContext, NamespaceMode, NamespaceOption, PodSandboxConfig,
    PodSandboxMetadata, RemovePodSandboxRequest, RunPodSandboxRequest, StartContainerRequest,
    StopPodSandboxRequest,
};
use saker_container::{Config, ContainerType, CriClient, Service, Update};
use tonic::transport::{Channel, Endpoint};

const SOCKET: &str = "/run/containerd/containerd.sock";
const IMAGE: &str = "localhost/saker-test/busybox:latest";
const PAUSE: &str = "localhost/saker-test/pause:latest";

fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn ctr(args: &[&str]) -> Result<String, String> {
    run(Command::new("ctr").args(["-n", "k8s.io"]).args(args))
}

fn has_image(name: &str) -> bool {
    ctr(&["images", "ls", "-q"]).is_ok_and(|list| list.lines().any(|l| l == name))
}

fn import(podman_image: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let tar = dir.path().join("image.tar");
    let tar = tar.to_str().unwrap();
    run(Command::new("podman").args([
        "save",
        "--format",
        "docker-archive",
        "-o",
        tar,
        podman_image,
    ]))?;
    ctr(&["images", "import", tar]).map(drop)
}

/// The images the pod needs in containerd's `k8s.io` namespace: the test image, and a pause
/// image (busybox sleeping) under the name containerd's CRI plugin runs sandboxes from.
fn prepare() -> Result<(), String> {
    if unsafe { libc::geteuid() } != 0 {
        return Err("not root".into());
    }
    if !Path::new(SOCKET).exists() {
        return Err(format!("containerd not running (no {SOCKET})"));
    }
    run(Command::new("podman").args(["image", "exists", "saker-test/busybox:latest"]))
        .map_err(|_| "podman image saker-test/busybox:latest missing".to_string())?;
    if !has_image(IMAGE) {
        import("saker-test/busybox:latest")?;
    }
    let config = run(Command::new("containerd").args(["config", "dump"]))?;
    let sandbox_image = config
        .lines()
        .find_map(|l| l.trim().strip_prefix("sandbox_image = "))
        .map(|v| v.trim_matches('"').to_string())
        .ok_or("no sandbox_image in containerd's configuration")?;
    if !has_image(&sandbox_image) {
        if !has_image(PAUSE) {
            let exists = run(Command::new("podman").args(["image", "exists", PAUSE]));
            if exists.is_err() {
                let rootfs =
                    run(Command::new("podman").args(["create", "saker-test/busybox:latest"]))?;
                let script = format!(
                    "podman export {rootfs} | podman import --change 'CMD [\"/bin/sleep\",\"2147483647\"]' - {PAUSE}"
                );
                let made = run(Command::new("sh").args(["-c", &script]));
                let _ = run(Command::new("podman").args(["rm", &rootfs]));
                made?;
            }
            import(PAUSE)?;
        }
        ctr(&["images", "tag", PAUSE, &sandbox_image])?;
    }
    Ok(())
}

fn channel() -> Channel {
    Endpoint::from_static("http://[::]:0").connect_with_connector_lazy(tower::service_fn(
        |_| async {
            tokio::net::UnixStream::connect(SOCKET)
                .await
                .map(TokioIo::new)
        },
    ))
}

/// Removes the pod (and its container) when the test ends.
struct Pod(String);

impl Drop for Pod {
    fn drop(&mut self) {
        let id = self.0.clone();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let mut cri = RuntimeServiceClient::new(channel());
            let _ = cri
                .stop_pod_sandbox(StopPodSandboxRequest {
                    pod_sandbox_id: id.clone(),
                })
                .await;
            let _ = cri
                .remove_pod_sandbox(RemovePodSandboxRequest { pod_sandbox_id: id })
                .await;
        });
    }
}

#[test]
fn cri_pod_made_through_the_cri_is_read_back() {
    if let Err(why) = prepare() {
        eprintln!("SKIPPED: cri_pod_made_through_the_cri_is_read_back: {why}");
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let pod_name = format!("web-{}", std::process::id());
    let uid = format!("3e41dc6b-08a8-44db-bc2a-{:012x}", std::process::id());
    let logs = tempfile::tempdir().unwrap();
    let sandbox_config = PodSandboxConfig {
        metadata: Some(PodSandboxMetadata {
            name: pod_name.clone(),
            uid: uid.clone(),
            namespace: "shop".into(),
            attempt: 0,
        }),
        log_directory: logs.path().display().to_string(),
        labels: HashMap::from([("app".to_string(), "web".to_string())]),
        linux: Some(LinuxPodSandboxConfig {
            security_context: Some(LinuxSandboxSecurityContext {
                // Host network: no CNI plugin needed.
                namespace_options: Some(NamespaceOption {
                    network: NamespaceMode::Node as i32,
                    ..NamespaceOption::default()
                }),
                ..LinuxSandboxSecurityContext::default()
            }),
            ..LinuxPodSandboxConfig::default()
        }),
        ..PodSandboxConfig::default()
    };
    let (pod, container) = rt.block_on(async {
        let mut cri = RuntimeServiceClient::new(channel());
        let pod = cri
            .run_pod_sandbox(RunPodSandboxRequest {
                config: Some(sandbox_config.clone()),
                runtime_handler: String::new(),
            })
            .await
            .expect("RunPodSandbox")
            .into_inner()
            .pod_sandbox_id;
        let pod = Pod(pod);
        let container = cri
            .create_container(CreateContainerRequest {
                pod_sandbox_id: pod.0.clone(),
                config: Some(ContainerConfig {
                    metadata: Some(ContainerMetadata {
                        name: "web".into(),
                        attempt: 0,
                    }),
                    image: Some(ImageSpec {
                        image: IMAGE.into(),
                        ..ImageSpec::default()
                    }),
                    command: vec!["sleep".into(), "600".into()],
                    log_path: "web.log".into(),
                    ..ContainerConfig::default()
                }),
                sandbox_config: Some(sandbox_config.clone()),
            })
            .await
            .expect("CreateContainer")
            .into_inner()
            .container_id;
        cri.start_container(StartContainerRequest {
            container_id: container.clone(),
        })
        .await
        .expect("StartContainer");
        (pod, container)
    });

    // gRPC channels start their worker on the runtime they are made in.
    let _runtime = rt.enter();
    let client = CriClient::new(SOCKET, Duration::from_secs(5));
    let meta = rt
        .block_on(client.inspect(&container, ContainerType::Containerd))
        .expect("CRI answers")
        .expect("CRI knows the container");
    assert_eq!(meta.name, "web");
    assert_eq!(meta.pod_name(), Some(pod_name.as_str()));
    assert_eq!(meta.pod_namespace(), Some("shop"));
    assert_eq!(meta.pod_uid(), Some(uid.as_str()));
    assert_eq!(meta.pod_sandbox_id, pod.0);
    assert_eq!(
        meta.pod_sandbox_labels.get("app").map(String::as_str),
        Some("web")
    );
    assert_eq!(meta.image_repository, "localhost/saker-test/busybox");
    assert_eq!(meta.image_tag, "latest");
    assert!(meta.image_digest.starts_with("sha256:"), "{meta:?}");
    assert!(
        meta.host_network && !meta.host_pid && !meta.privileged,
        "{meta:?}"
    );
    assert_eq!(
        rt.block_on(client.runtime()).unwrap(),
        ContainerType::Containerd
    );

    // The service asks the CRI first for such a container, with the runtime's own name.
    let service = Service::start(Config {
        cri: vec![SOCKET.into()],
        containerd: vec![SOCKET.into()],
        ..Config::disabled()
    });
    assert!(service.request(&container, ContainerType::Cri));
    let found = loop {
        match service.wait_update(Duration::from_secs(20)) {
            Some(Update::Found(m)) if m.id == container => break m,
            Some(_) => {}
            None => panic!("no answer for {container}"),
        }
    };
    assert_eq!(found.kind, ContainerType::Containerd);
    assert_eq!(found.pod_name(), Some(pod_name.as_str()));
    drop(pod);
}
