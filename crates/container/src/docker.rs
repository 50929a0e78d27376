//! The Docker Engine API over its unix socket: Docker's `/var/run/docker.sock` and podman's
//! Docker-compatible `/run/podman/podman.sock` (`podman system service`).
//!
//! Paths carry no API version prefix, so the daemon answers in its own current version (Docker
//! 29 refuses versions below 1.44; podman serves the compat API unversioned too).

use std::path::{Path, PathBuf};
use std::time::Duration;

use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use serde_json::Value;
use tokio::net::UnixStream;

use crate::error::ContainerError;
use crate::meta::{ContainerMeta, ContainerType, Mount, digest_of, parse_repo_tag};
use crate::probes;

/// Replies larger than this are refused: an inspect is a few kilobytes.
const MAX_REPLY: usize = 4 << 20;
/// One line of the event stream, at most.
const MAX_EVENT_LINE: usize = 1 << 20;

/// A client of one Docker-API socket.
#[derive(Clone, Debug)]
pub struct DockerClient {
    socket: PathBuf,
    kind: ContainerType,
    timeout: Duration,
}

/// A change the runtime reported on its event stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeEvent {
    /// Created or started: worth a lookup.
    Started(String),
    /// Removed, or its last process died.
    Stopped(String),
}

impl DockerClient {
    /// `kind` is what the socket's containers are (`docker` or `podman`).
    pub fn new(socket: impl Into<PathBuf>, kind: ContainerType, timeout: Duration) -> DockerClient {
        DockerClient {
            socket: socket.into(),
            kind,
            timeout,
        }
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    async fn connect(
        &self,
    ) -> Result<hyper::client::conn::http1::SendRequest<Empty<Bytes>>, ContainerError> {
        let stream =
            UnixStream::connect(&self.socket)
                .await
                .map_err(|source| ContainerError::Connect {
                    socket: self.socket.clone(),
                    source,
                })?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| ContainerError::protocol(&self.socket, e))?;
        tokio::spawn(async move {
            // Ends when the reply is read or the socket closes; errors show in the request.
            let _ = conn.await;
        });
        Ok(sender)
    }

    fn request(path: &str) -> hyper::Request<Empty<Bytes>> {
        Self::request_with(hyper::Method::GET, path)
    }

    fn request_with(method: hyper::Method, path: &str) -> hyper::Request<Empty<Bytes>> {
        hyper::Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, "docker")
            .body(Empty::new())
            .expect("a request with a fixed header is a valid request")
    }

    /// One request and its whole reply, within the client's timeout.
    async fn exchange(
        &self,
        method: hyper::Method,
        path: &str,
    ) -> Result<(hyper::StatusCode, Bytes), ContainerError> {
        let work = async {
            let mut sender = self.connect().await?;
            let reply = sender
                .send_request(Self::request_with(method, path))
                .await
                .map_err(|e| ContainerError::protocol(&self.socket, e))?;
            let status = reply.status();
            let body = Limited::new(reply.into_body(), MAX_REPLY)
                .collect()
                .await
                .map_err(|e| ContainerError::protocol(&self.socket, format!("{path}: {e}")))?
                .to_bytes();
            Ok((status, body))
        };
        tokio::time::timeout(self.timeout, work)
            .await
            .map_err(|_| ContainerError::Timeout {
                socket: self.socket.clone(),
                timeout: self.timeout,
            })?
    }

    /// GET `path`; `Ok(None)` on 404.
    async fn get_json(&self, path: &str) -> Result<Option<Value>, ContainerError> {
        let (status, body) = self.exchange(hyper::Method::GET, path).await?;
        if status == hyper::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(ContainerError::protocol(
                &self.socket,
                format!("{path}: HTTP {status}"),
            ));
        }
        serde_json::from_slice(&body)
            .map(Some)
            .map_err(|e| ContainerError::protocol(&self.socket, format!("{path}: {e}")))
    }

    /// Stops, pauses or kills container `id` (Saker's responses); `Ok(false)` when the
    /// runtime has no such container. Stopping one already stopped is a success.
    pub async fn control(
        &self,
        id: &str,
        action: crate::ContainerControl,
    ) -> Result<bool, ContainerError> {
        use crate::ContainerControl as C;
        let path = match action {
            C::Stop { grace } => format!("/containers/{id}/stop?t={}", grace.as_secs()),
            C::Pause => format!("/containers/{id}/pause"),
            C::Kill => format!("/containers/{id}/kill?signal=KILL"),
        };
        let (status, body) = self.exchange(hyper::Method::POST, &path).await?;
        match status.as_u16() {
            200..=299 | 304 => Ok(true),
            404 => Ok(false),
            _ => {
                // The engine says why in {"message": ...} (not running, already paused).
                let why = serde_json::from_slice::<Value>(&body)
                    .ok()
                    .and_then(|v| v["message"].as_str().map(str::to_string))
                    .unwrap_or_default();
                Err(ContainerError::protocol(
                    &self.socket,
                    format!("{path}: HTTP {status} {why}"),
                ))
            }
        }
    }

    /// The engine's name from `/version` (`Docker Engine - Community`, `Podman Engine`).
    pub async fn engine_name(&self) -> Result<String, ContainerError> {
        let version = self.get_json("/version").await?.unwrap_or_default();
        let component = version["Components"][0]["Name"].as_str();
        Ok(component
            .or(version["Platform"]["Name"].as_str())
            .unwrap_or("unknown")
            .to_string())
    }

    /// What the runtime knows about container `id`; `Ok(None)` when it has no such container.
    pub async fn inspect(&self, id: &str) -> Result<Option<ContainerMeta>, ContainerError> {
        let Some(json) = self.get_json(&format!("/containers/{id}/json")).await? else {
            return Ok(None);
        };
        let inspect: Inspect = serde_json::from_value(json)
            .map_err(|e| ContainerError::protocol(&self.socket, format!("inspect {id}: {e}")))?;
        let image = match inspect.image.as_deref().filter(|i| !i.is_empty()) {
            Some(image_id) => self
                .get_json(&format!("/images/{image_id}/json"))
                .await
                .ok()
                .flatten()
                .and_then(|v| serde_json::from_value::<ImageInspect>(v).ok()),
            None => None,
        };
        Ok(Some(to_meta(inspect, image, self.kind)))
    }

    /// Follows `/events` for containers, calling `on_event` for each start or stop, until the
    /// stream ends or fails.
    pub async fn follow_events(
        &self,
        mut on_event: impl FnMut(RuntimeEvent),
    ) -> Result<(), ContainerError> {
        let connect = async {
            let mut sender = self.connect().await?;
            sender
                .send_request(Self::request(
                    "/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D",
                ))
                .await
                .map_err(|e| ContainerError::protocol(&self.socket, e))
        };
        let reply = tokio::time::timeout(self.timeout, connect)
            .await
            .map_err(|_| ContainerError::Timeout {
                socket: self.socket.clone(),
                timeout: self.timeout,
            })??;
        if !reply.status().is_success() {
            return Err(ContainerError::protocol(
                &self.socket,
                format!("/events: HTTP {}", reply.status()),
            ));
        }
        let mut body = reply.into_body();
        let mut line = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| ContainerError::protocol(&self.socket, e))?;
            let Some(data) = frame.data_ref() else {
                continue;
            };
            for &b in data.iter() {
                if b != b'\n' {
                    line.push(b);
                    if line.len() > MAX_EVENT_LINE {
                        return Err(ContainerError::protocol(
                            &self.socket,
                            "/events: a line longer than 1 MiB",
                        ));
                    }
                    continue;
                }
                if let Some(event) = parse_event(&line) {
                    on_event(event);
                }
                line.clear();
            }
        }
        Ok(())
    }
}

/// One line of `/events`: `{"Type":"container","Action":"start","Actor":{"ID":...}}`.
fn parse_event(line: &[u8]) -> Option<RuntimeEvent> {
    let v: Value = serde_json::from_slice(line).ok()?;
    if v["Type"] != "container" {
        return None;
    }
    let id = v["Actor"]["ID"].as_str().or(v["id"].as_str())?.to_string();
    match v["Action"].as_str().or(v["status"].as_str())? {
        "create" | "start" | "restart" => Some(RuntimeEvent::Started(id)),
        "destroy" | "remove" => Some(RuntimeEvent::Stopped(id)),
        _ => None,
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct Inspect {
    id: String,
    name: String,
    image: Option<String>,
    config: Option<Config>,
    host_config: Option<HostConfig>,
    mounts: Vec<InspectMount>,
    network_settings: Option<NetworkSettings>,
    state: Option<State>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct Config {
    image: String,
    user: String,
    labels: Option<std::collections::BTreeMap<String, String>>,
    healthcheck: Option<Healthcheck>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct Healthcheck {
    test: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct HostConfig {
    privileged: bool,
    pid_mode: String,
    network_mode: String,
    ipc_mode: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct InspectMount {
    source: String,
    destination: String,
    mode: String,
    #[serde(rename = "RW")]
    rw: bool,
    propagation: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct NetworkSettings {
    #[serde(rename = "IPAddress")]
    ip_address: String,
    networks: Option<std::collections::BTreeMap<String, Network>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct Network {
    #[serde(rename = "IPAddress")]
    ip_address: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct State {
    started_at: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct ImageInspect {
    id: String,
    repo_tags: Option<Vec<String>>,
    repo_digests: Option<Vec<String>>,
}

/// Nanoseconds since the epoch of an RFC 3339 time; 0 for Docker's zero time or garbage.
pub(crate) fn rfc3339_ns(text: &str) -> u64 {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .and_then(|t| u64::try_from(t.unix_timestamp_nanos()).ok())
        .unwrap_or(0)
}

/// Repository, tag and digest as the container plugin's docker engine picks them: the
/// repository of the first `RepoDigests` entry (else of the first tag), the digest that goes
/// with it, the tag of a `RepoTags` entry of the same repository.
fn image_names(image: &ImageInspect) -> (String, String, String) {
    let mut repo = String::new();
    let mut digest = String::new();
    let digests = image.repo_digests.as_deref().unwrap_or_default();
    for entry in digests {
        let Some((entry_repo, entry_digest)) = entry.split_once('@') else {
            continue;
        };
        if repo.is_empty() {
            repo = entry_repo.to_string();
        }
        if entry.contains(&repo) {
            digest = entry_digest.to_string();
            break;
        }
    }
    if digest.is_empty() && digests.len() == 1 {
        digest = digest_of(&digests[0]).unwrap_or_default().to_string();
    }
    let mut tag = String::new();
    for entry in image.repo_tags.as_deref().unwrap_or_default() {
        let (entry_repo, entry_tag) = parse_repo_tag(entry);
        if entry_repo.is_empty() || entry_tag.is_empty() {
            continue;
        }
        if repo.is_empty() {
            repo = entry_repo.to_string();
        }
        if entry.contains(&repo) {
            tag = entry_tag.to_string();
            break;
        }
    }
    (repo, tag, digest)
}

fn to_meta(inspect: Inspect, image: Option<ImageInspect>, kind: ContainerType) -> ContainerMeta {
    let config = inspect.config.unwrap_or_default();
    let host = inspect.host_config.unwrap_or_default();
    let name = inspect.name.trim_start_matches('/').to_string();
    let (mut repo, mut tag, digest) = image.as_ref().map(image_names).unwrap_or_default();
    if repo.is_empty() {
        let (r, t) = parse_repo_tag(&config.image);
        (repo, tag) = (r.to_string(), t.to_string());
    }
    let image_id = image
        .as_ref()
        .map(|i| i.id.as_str())
        .filter(|i| !i.is_empty())
        .or(inspect.image.as_deref())
        .unwrap_or_default()
        .trim_start_matches("sha256:")
        .to_string();
    let labels = config.labels.unwrap_or_default();
    let mut probes_found: Vec<_> = config
        .healthcheck
        .and_then(|h| probes::healthcheck(&h.test))
        .into_iter()
        .collect();
    if let Some(spec) = probes::LAST_APPLIED_KEYS
        .iter()
        .find_map(|k| labels.get(*k))
    {
        let container = labels
            .get(crate::meta::CONTAINER_NAME_LABEL)
            .map(String::as_str);
        probes_found.extend(probes::pod_spec_probes(spec, container));
    }
    let network = inspect.network_settings.unwrap_or_default();
    let ip = if network.ip_address.is_empty() {
        // Podman and user-defined Docker networks leave the top-level address empty.
        network
            .networks
            .unwrap_or_default()
            .into_values()
            .map(|n| n.ip_address)
            .find(|ip| !ip.is_empty())
            .unwrap_or_default()
    } else {
        network.ip_address
    };
    let mut meta = ContainerMeta {
        id: inspect.id,
        kind,
        is_pod_sandbox: name.contains("k8s_POD"),
        name,
        image: config.image,
        image_id,
        image_repository: repo,
        image_tag: tag,
        image_digest: digest,
        privileged: host.privileged,
        host_pid: host.pid_mode == "host",
        host_network: host.network_mode == "host",
        host_ipc: host.ipc_mode == "host",
        mounts: inspect
            .mounts
            .into_iter()
            .map(|m| Mount {
                source: m.source,
                dest: m.destination,
                mode: m.mode,
                rdwr: m.rw,
                propagation: m.propagation,
            })
            .collect(),
        labels,
        ip,
        probes: probes_found,
        user: config.user,
        started_ns: inspect.state.map_or(0, |s| rfc3339_ns(&s.started_at)),
        ..ContainerMeta::default()
    };
    meta.trim_labels();
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_parsed_from_podman_lines() {
        let line = br#"{"status":"create","id":"894e","Type":"container","Action":"create","Actor":{"ID":"894e","Attributes":{}}}"#;
        assert_eq!(
            parse_event(line),
            Some(RuntimeEvent::Started("894e".into()))
        );
        let line = br#"{"Type":"container","Action":"remove","Actor":{"ID":"a1"}}"#;
        assert_eq!(parse_event(line), Some(RuntimeEvent::Stopped("a1".into())));
        assert_eq!(
            parse_event(br#"{"Type":"container","Action":"attach","Actor":{"ID":"a1"}}"#),
            None
        );
        assert_eq!(
            parse_event(br#"{"Type":"image","Action":"pull","Actor":{"ID":"x"}}"#),
            None
        );
        assert_eq!(parse_event(b"garbage"), None);
    }

    #[test]
    fn image_names_follow_the_plugin() {
        let image = ImageInspect {
            id: "sha256:b545".into(),
            repo_tags: Some(vec!["localhost/saker-test/busybox:latest".into()]),
            repo_digests: Some(vec!["localhost/saker-test/busybox@sha256:1211".into()]),
        };
        assert_eq!(
            image_names(&image),
            (
                "localhost/saker-test/busybox".to_string(),
                "latest".to_string(),
                "sha256:1211".to_string()
            )
        );
        let untagged = ImageInspect::default();
        assert_eq!(image_names(&untagged), Default::default());
    }

    #[test]
    fn rfc3339_times() {
        assert_eq!(
            rfc3339_ns("2026-12-06T20:01:16.776297118Z"),
            1_796_587_276_776_297_118
        );
        assert_eq!(rfc3339_ns("0001-01-01T00:00:00Z"), 0);
        assert_eq!(rfc3339_ns("yesterday"), 0);
    }
}
