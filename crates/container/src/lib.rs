//! saker-container: what the container runtimes know about the containers Saker sees, the way
//! Falco's container plugin asks them.
//!
//! Clients for the Docker Engine API over a unix socket ([`DockerClient`]: Docker and podman's
//! Docker-compatible service), containerd's API ([`ContainerdClient`]: every namespace, the
//! kubelet's labels) and the Kubernetes CRI ([`CriClient`]: containerd's CRI plugin, CRI-O).
//! Each turns a runtime's answer into one [`ContainerMeta`], the record behind Falco's
//! `container.*` and `k8s.*` fields.
//!
//! [`Service`] runs them on a background thread: the event path hands it container ids and
//! takes answers without ever waiting on a socket, and the runtimes' event streams tell it
//! about containers as they are created and removed.
//!
//! ```no_run
//! use std::time::Duration;
//! use saker_container::{Config, ContainerType, Service, Update};
//!
//! let service = Service::start(Config::default());
//! service.request(&"0123456789ab".repeat(5)[..64], ContainerType::Podman);
//! if let Some(Update::Found(meta)) = service.wait_update(Duration::from_secs(2)) {
//!     println!("{} runs {}", meta.name, meta.image);
//! }
//! ```
//!
//! Architecture invariant: nothing here blocks the caller of [`Service::request`] or
//! [`Service::try_update`]; a runtime that hangs or answers garbage costs a warning and
//! leaves its containers without metadata.

mod containerd;
mod cri;
mod docker;
mod error;
mod grpc;
mod meta;
mod probes;
mod service;

pub use containerd::ContainerdClient;
pub use cri::CriClient;
pub use docker::{DockerClient, RuntimeEvent};
pub use error::ContainerError;
pub use meta::{
    CONTAINER_NAME_LABEL, ContainerMeta, ContainerType, HealthProbe, LABEL_MAX_LEN, Mount,
    POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL, ProbeKind, SHORT_ID_LEN, describe_mounts,
    join_labels, parse_repo_tag, short_id,
};
pub use service::{Config, Service, Update, default_sockets};

/// What a response does to a container through its runtime ([`DockerClient::control`],
/// [`ContainerdClient::control`], [`CriClient::control`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerControl {
    /// SIGTERM, then SIGKILL after `grace`, as `docker stop -t`.
    Stop {
        grace: std::time::Duration,
    },
    Pause,
    /// SIGKILL to every process of the container.
    Kill,
}
