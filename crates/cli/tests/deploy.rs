//! deploy/: the Helm chart, the manifests rendered from it, and the DaemonSet's pod run for
//! real, without a cluster.
//!
//! - The chart lints, renders deploy/kubernetes/ exactly, and every rendering validates
//!   against the Kubernetes schemas (`kubernetes-validate --strict`, PyPI).
//! - The DaemonSet's pod template, taken from `helm template`, runs under `podman kube play`
//!   with the image scripts/build-image.sh makes from this build's binary; Saker inside raises
//!   the CKS scenarios' alerts for a container started beside it and for the host, with the
//!   right container ids, and loads the chart's customRules.
//!
//! Needs helm (scripts/install-helm.sh), kubernetes-validate, and for the pod root, BTF,
//! podman with `saker-test/busybox` (scripts/podman-setup.sh) and script(1); without them the
//! tests print `SKIPPED: ...`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde::Deserialize as _;
use serde_json::Value;

const BUSYBOX: &str = "saker-test/busybox:latest";
const WAIT: Duration = Duration::from_secs(90);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chart() -> PathBuf {
    root().join("deploy/helm/saker")
}

fn have(program: &str) -> bool {
    Command::new(program).arg("--help").output().is_ok()
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

/// `helm template saker CHART --namespace saker ARGS...`, as YAML documents.
fn render(args: &[&str]) -> Vec<serde_yaml::Value> {
    let out = run(Command::new("helm")
        .args(["template", "saker"])
        .arg(chart())
        .args(["--namespace", "saker"])
        .args(args));
    serde_yaml::Deserializer::from_slice(&out.stdout)
        .map(|doc| serde_yaml::Value::deserialize(doc).unwrap())
        .filter(|doc| !doc.is_null())
        .collect()
}

fn kind<'a>(docs: &'a [serde_yaml::Value], kind: &str) -> &'a serde_yaml::Value {
    docs.iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} rendered"))
}

fn helm_missing(test: &str) -> bool {
    if have("helm") {
        return false;
    }
    eprintln!("SKIPPED: {test}: helm not installed (scripts/install-helm.sh)");
    true
}

fn validate(files: &[PathBuf]) {
    let out = Command::new("kubernetes-validate")
        .args(["--strict", "--quiet", "-k", "1.30.0"])
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kubernetes-validate: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn chart_renders_the_committed_manifests_and_all_validate() {
    if helm_missing("chart_renders_the_committed_manifests_and_all_validate") {
        return;
    }
    run(Command::new("helm").arg("lint").arg(chart()));
    run(Command::new(root().join("scripts/render-manifests.sh")).arg("--check"));
    if !have("kubernetes-validate") {
        eprintln!("SKIPPED: schema validation: kubernetes-validate not installed (pip)");
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("deploy/kubernetes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    validate(&files);
    // The other shapes the values make: privileged, no capture, falcosidekick, custom rules.
    let dir = tempfile::tempdir().unwrap();
    for (i, set) in [
        "driver.ebpf.leastPrivileged=false",
        "driver.enabled=false",
        "falcosidekick.enabled=true,falcosidekick.fullfqdn=true",
        "customRules.a\\.yaml=- list: x,saker.nats_output.enabled=true",
    ]
    .iter()
    .enumerate()
    {
        let out = run(Command::new("helm")
            .args(["template", "saker"])
            .arg(chart())
            .args(["--namespace", "saker", "--set", set]));
        let file = dir.path().join(format!("{i}.yaml"));
        std::fs::write(&file, out.stdout).unwrap();
        validate(&[file]);
    }
}

#[test]
fn chart_values_shape_the_pod_as_falcos_do() {
    if helm_missing("chart_values_shape_the_pod_as_falcos_do") {
        return;
    }
    let docs = render(&[]);
    let pod = &kind(&docs, "DaemonSet")["spec"]["template"]["spec"];
    assert_eq!(pod["hostPID"], true);
    let container = &pod["containers"][0];
    let security = &container["securityContext"];
    assert_eq!(security["privileged"], false);
    let added: Vec<&str> = security["capabilities"]["add"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        added,
        [
            "BPF",
            "PERFMON",
            "SYS_RESOURCE",
            "SYS_PTRACE",
            "DAC_READ_SEARCH"
        ]
    );
    assert_eq!(container["livenessProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(container["readinessProbe"]["httpGet"]["path"], "/healthz");
    assert!(container["resources"]["limits"]["memory"].is_string());
    let tolerations = pod["tolerations"].as_sequence().unwrap();
    assert!(
        tolerations.iter().all(|t| t["operator"] == "Exists"),
        "every taint tolerated: {tolerations:?}"
    );
    let mounts: Vec<&str> = container["volumeMounts"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|m| m["mountPath"].as_str().unwrap())
        .collect();
    for path in [
        "/sys/kernel/btf",
        "/sys/kernel/tracing",
        "/sys/fs/bpf",
        "/etc/saker/config",
        "/etc/saker/rules.d",
    ] {
        assert!(mounts.contains(&path), "{path} not mounted: {mounts:?}");
    }
    // The config: engine.* from driver.*, and it loads as Saker's configuration.
    let config = kind(&docs, "ConfigMap")["data"]["saker.yaml"]
        .as_str()
        .unwrap()
        .to_string();
    let loaded = saker_config_show(&config);
    assert!(loaded.contains("kind: ebpf"), "{loaded}");
    assert!(loaded.contains("drop_unneeded_opens: true"), "{loaded}");
    assert!(loaded.contains("watch_config_files: true"), "{loaded}");

    // Falco's values: falcosidekick sets http_output; customRules fill the rules ConfigMap;
    // leastPrivileged=false is privileged; driver.kind=kmod is refused with the reason.
    let docs = render(&[
        "--set",
        "falcosidekick.enabled=true",
        "--set",
        "driver.ebpf.leastPrivileged=false",
        "--set",
        "driver.ebpf.dropUnneededOpens=false",
        "--set-string",
        "customRules.team\\.yaml=- list: team_binaries\n  items: [x]",
    ]);
    let config = kind(&docs, "ConfigMap")["data"]["saker.yaml"]
        .as_str()
        .unwrap()
        .to_string();
    let loaded = saker_config_show(&config);
    assert!(
        loaded.contains("url: http://saker-falcosidekick:2801/"),
        "{loaded}"
    );
    assert!(loaded.contains("drop_unneeded_opens: false"), "{loaded}");
    let rules = docs
        .iter()
        .find(|d| d["metadata"]["name"] == "saker-rules")
        .unwrap();
    assert_eq!(
        rules["data"]["team.yaml"],
        "- list: team_binaries\n  items: [x]"
    );
    let pod = &kind(&docs, "DaemonSet")["spec"]["template"]["spec"];
    assert_eq!(pod["containers"][0]["securityContext"]["privileged"], true);
    let out = Command::new("helm")
        .args(["template", "saker"])
        .arg(chart())
        .args(["--set", "driver.kind=kmod"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("driver.kind \"kmod\""), "{stderr}");
}

/// `saker config show` on a rendered saker.yaml: it loads without warnings.
fn saker_config_show(config: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saker.yaml");
    std::fs::write(&path, config).unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(["config", "show", "-c"])
        .arg(&path));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    String::from_utf8(out.stdout).unwrap()
}

// ---- the pod under podman kube play ----

fn pod_skip_reason() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not root".into());
    }
    if !Path::new("/sys/kernel/btf/vmlinux").exists() {
        return Some("kernel without BTF".into());
    }
    if !have("helm") {
        return Some("helm not installed (scripts/install-helm.sh)".into());
    }
    if Command::new("script").arg("--version").output().is_err() {
        return Some("script(1) missing".into());
    }
    match Command::new("podman")
        .args(["image", "exists", BUSYBOX])
        .status()
    {
        Ok(s) if s.success() => None,
        Ok(_) => Some(format!(
            "podman image {BUSYBOX} missing (scripts/podman-setup.sh)"
        )),
        Err(e) => Some(format!("podman: {e}")),
    }
}

/// What the test started, removed at drop: the pod, the volumes podman made of its
/// ConfigMaps, the containers, the image.
#[derive(Default)]
struct Cleanup {
    pod_yaml: Option<PathBuf>,
    volumes: Vec<String>,
    containers: Vec<String>,
    image: Option<String>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(yaml) = &self.pod_yaml {
            let _ = Command::new("podman")
                .args(["kube", "down"])
                .arg(yaml)
                .output();
        }
        for volume in &self.volumes {
            let _ = Command::new("podman")
                .args(["volume", "rm", "-f", volume])
                .output();
        }
        for id in &self.containers {
            let _ = Command::new("podman")
                .args(["rm", "-f", "-t", "0", id])
                .output();
        }
        if let Some(image) = &self.image {
            let _ = Command::new("podman").args(["rmi", "-f", image]).output();
        }
    }
}

/// The DaemonSet's pod template as a Pod, after the ConfigMaps it mounts.
fn pod_yaml(docs: &[serde_yaml::Value], name: &str) -> String {
    let daemonset = kind(docs, "DaemonSet");
    let template = &daemonset["spec"]["template"];
    let mut pod = serde_yaml::Mapping::new();
    pod.insert("apiVersion".into(), "v1".into());
    pod.insert("kind".into(), "Pod".into());
    let mut metadata = serde_yaml::Mapping::new();
    metadata.insert("name".into(), name.into());
    metadata.insert("labels".into(), template["metadata"]["labels"].clone());
    // podman 4.3 reads a container's seccomp profile from the annotation Kubernetes used
    // before `securityContext.seccompProfile` (1.19), not from the field.
    let mut annotations = serde_yaml::Mapping::new();
    for container in template["spec"]["containers"].as_sequence().unwrap() {
        if container["securityContext"]["seccompProfile"]["type"] == "Unconfined" {
            let key = format!(
                "container.seccomp.security.alpha.kubernetes.io/{}",
                container["name"].as_str().unwrap()
            );
            annotations.insert(key.into(), "unconfined".into());
        }
    }
    metadata.insert("annotations".into(), annotations.into());
    pod.insert("metadata".into(), metadata.into());
    let mut spec = template["spec"].clone();
    // The kubelet resolves `fieldRef: spec.nodeName` to its node; podman 4.3 knows no node,
    // so the test puts in what a kubelet on this machine would.
    let node = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    for container in spec["containers"].as_sequence_mut().unwrap() {
        for env in container["env"].as_sequence_mut().unwrap() {
            if env["valueFrom"]["fieldRef"]["fieldPath"] == "spec.nodeName" {
                let env = env.as_mapping_mut().unwrap();
                env.remove("valueFrom");
                env.insert("value".into(), node.trim().into());
            }
        }
    }
    pod.insert("spec".into(), spec);
    let mut out = String::new();
    for doc in docs.iter().filter(|d| d["kind"] == "ConfigMap") {
        out.push_str("---\n");
        out.push_str(&serde_yaml::to_string(doc).unwrap());
    }
    out.push_str("---\n");
    out.push_str(&serde_yaml::to_string(&serde_yaml::Value::Mapping(pod)).unwrap());
    out
}

/// containers.conf for `podman kube play`: this machine's, with the host PID namespace.
/// podman 4.3 (Debian 12) reads `hostPID` from the YAML but does not apply it (4.4+ does),
/// so the test applies it this way after checking the manifest asks for it.
fn host_pid_containers_conf(dir: &Path) -> PathBuf {
    let base = std::fs::read_to_string("/etc/containers/containers.conf").unwrap_or_default();
    let conf = if base.contains("[containers]") {
        base.replacen("[containers]", "[containers]\npidns = \"host\"", 1)
    } else {
        format!("[containers]\npidns = \"host\"\n{base}")
    };
    let path = dir.join("containers.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

/// The pod's saker container: its log, parsed.
struct PodSaker {
    container: String,
}

impl PodSaker {
    fn logs(&self) -> (Vec<Value>, String) {
        let out = Command::new("podman")
            .args(["logs", &self.container])
            .output()
            .unwrap();
        let alerts = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        (alerts, String::from_utf8_lossy(&out.stderr).into_owned())
    }

    fn wait_log(&self, needle: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let (_, log) = self.logs();
            if log.contains(needle) {
                return;
            }
            assert!(Instant::now() < deadline, "`{needle}` not logged:\n{log}");
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Runs `action` and waits for an alert matching `pred`; again every 15 s while none
    /// came: on a loaded machine the ring buffer may drop the one event that raises it, and
    /// the drops are not what this test is about (the capture tests count them).
    fn raise(&self, what: &str, action: impl Fn(), pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            action();
            let retry = Instant::now() + Duration::from_secs(15);
            while Instant::now() < retry {
                let (alerts, log) = self.logs();
                if let Some(a) = alerts.into_iter().find(|a| pred(a)) {
                    return a;
                }
                assert!(Instant::now() < deadline, "no alert: {what}\n{log}");
                std::thread::sleep(Duration::from_millis(250));
            }
        }
    }
}

fn field<'a>(alert: &'a Value, name: &str) -> &'a Value {
    &alert["output_fields"][name]
}

#[test]
fn daemonset_pod_in_podman_kube_play_sees_host_and_containers() {
    if let Some(why) = pod_skip_reason() {
        eprintln!("SKIPPED: daemonset_pod_in_podman_kube_play_sees_host_and_containers: {why}");
        return;
    }
    let id = std::process::id();
    let dir = tempfile::tempdir().unwrap();
    let mut cleanup = Cleanup::default();

    // The image, from this build's binary.
    let tag = format!("kube-{id}");
    let image = format!("localhost/saker-kube-test:{tag}");
    run(Command::new(root().join("scripts/build-image.sh")).args([
        "--binary",
        env!("CARGO_BIN_EXE_saker"),
        "--tag",
        &image,
    ]));
    cleanup.image = Some(image.clone());

    // The chart's pod, with a custom rule to show the rules ConfigMap is loaded.
    let marker = format!("/tmp/saker-kube-marker-{id}");
    let values = dir.path().join("values.yaml");
    std::fs::write(
        &values,
        format!(
            "image:\n  repository: saker-kube-test\n  tag: {tag}\n  pullPolicy: Never\n\
             # A debug build is bigger than the release the limits are measured on.\n\
             resources:\n  limits:\n    memory: 2Gi\n\
             # and slower: a 64 MiB ring buffer rides out the load of a shared machine.\n\
             driver:\n  ebpf:\n    bufSizePreset: 7\n\
             customRules:\n  kube_test.yaml: |-\n    - rule: Kube test marker\n      \
             desc: the chart's customRules reach the pod\n      \
             condition: evt.type in (open, openat, openat2) and fd.name = {marker}\n      \
             output: marker opened (file=%fd.name container=%container.id)\n      \
             priority: WARNING\n"
        ),
    )
    .unwrap();
    // A name of its own: podman keeps each ConfigMap as a volume of that name.
    let pod_name = format!("saker-kube-{id}");
    let mut args = vec![
        "-f".to_string(),
        values.display().to_string(),
        "--set".to_string(),
        format!("fullnameOverride={pod_name}"),
    ];
    // The runtimes this machine does not have: no empty directories made for them.
    for (collector, path) in [
        ("podman", "/run/podman"),
        ("containerd", "/run/containerd"),
        ("crio", "/run/crio"),
    ] {
        if !Path::new(path).exists() {
            args.push("--set".into());
            args.push(format!("collectors.{collector}.enabled=false"));
        }
    }
    let docs = render(&args.iter().map(String::as_str).collect::<Vec<_>>());
    cleanup.volumes = docs
        .iter()
        .filter(|d| d["kind"] == "ConfigMap")
        .map(|d| d["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    let template = &kind(&docs, "DaemonSet")["spec"]["template"]["spec"];
    assert_eq!(
        template["hostPID"], true,
        "the manifest asks for the host PID namespace"
    );
    let pod_file = dir.path().join("pod.yaml");
    std::fs::write(&pod_file, pod_yaml(&docs, &pod_name)).unwrap();
    // Taken down even when the play fails half-way.
    cleanup.pod_yaml = Some(pod_file.clone());
    run(Command::new("podman")
        .env("CONTAINERS_CONF", host_pid_containers_conf(dir.path()))
        .args(["kube", "play"])
        .arg(&pod_file));
    let saker = PodSaker {
        container: format!("{pod_name}-saker"),
    };
    saker.wait_log("Watching ");

    // The host: a write below /etc by a host process, container.id "host".
    let host_file = format!("/etc/saker-kube-test-{id}");
    let touch_host_file = || {
        run(Command::new("touch").arg(&host_file));
        let _ = std::fs::remove_file(&host_file);
    };
    let alert = saker.raise("Write below etc on the host", touch_host_file, |a| {
        a["rule"] == "Write below etc" && field(a, "fd.name") == host_file.as_str()
    });
    assert_eq!(field(&alert, "container.id"), "host", "{alert}");
    assert_eq!(alert["source"], "syscall");
    assert!(
        !alert["hostname"].as_str().unwrap_or("").is_empty(),
        "{alert}"
    );

    // A container started beside the pod: the CKS scenarios, with its id.
    let out = run(Command::new("podman").args(["run", "-d", "--rm", BUSYBOX, "sleep", "600"]));
    let full_id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    cleanup.containers.push(full_id.clone());
    let cid = full_id[..12].to_string();
    let in_container = |a: &Value| field(a, "container.id") == cid.as_str();
    let exec = |script: &str| {
        run(Command::new("podman").args(["exec", &full_id, "sh", "-c", script]));
    };

    // The runtime describes the container asynchronously (as in Falco): writes are repeated
    // until an alert shows the image, so Saker knows the container before the checks below.
    saker.raise(
        "Write below etc in the container, once the container is described",
        || exec("echo x >> /etc/passwd"),
        |a| {
            a["rule"] == "Write below etc"
                && in_container(a)
                && field(a, "fd.name") == "/etc/passwd"
                && field(a, "container.image.repository").is_string()
        },
    );

    let terminal_shell = || {
        run(Command::new("script").args([
            "-qec",
            &format!("podman exec -it {full_id} sh -c 'exit'"),
            "/dev/null",
        ]));
    };
    let alert = saker.raise("Terminal shell in container", terminal_shell, |a| {
        a["rule"] == "Terminal shell in container" && in_container(a)
    });
    assert_eq!(field(&alert, "proc.name"), "sh", "{alert}");
    assert!(
        field(&alert, "container.image.repository")
            .as_str()
            .is_some_and(|i| i.ends_with("saker-test/busybox")),
        "{alert}"
    );

    saker.raise(
        "Launch Package Management Process in Container",
        || exec("cp /bin/busybox /tmp/apk && /tmp/apk true; true"),
        |a| a["rule"] == "Launch Package Management Process in Container" && in_container(a),
    );

    saker.raise(
        "the customRules rule",
        || exec(&format!("touch {marker} && cat {marker}")),
        |a| a["rule"] == "Kube test marker" && in_container(a),
    );
}
