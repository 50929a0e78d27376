//! stop_container, pause_container, kill_container: through the API of the runtime that runs
//! the container (podman's or Docker's Engine API, containerd, the CRI), with the sockets of
//! `container_engines`.

use std::path::PathBuf;
use std::time::Duration;

use saker_container::{ContainerControl, ContainerType, ContainerdClient, CriClient, DockerClient};

use crate::config::Action;

/// The runtimes' sockets, and how long one action may take.
#[derive(Clone, Debug)]
pub struct Runtimes {
    pub sockets: saker_container::Config,
    pub timeout: Duration,
}

/// Which API, at which socket.
#[derive(Clone, Debug)]
enum Endpoint {
    Docker(PathBuf, ContainerType),
    Containerd(PathBuf),
    Cri(PathBuf),
}

impl Runtimes {
    /// The sockets to try for a container of `kind`: its runtime's first, then the others
    /// (the type may be only a guess from the cgroup).
    fn endpoints(&self, kind: Option<&str>) -> Vec<Endpoint> {
        let s = &self.sockets;
        let docker = || {
            s.docker
                .iter()
                .map(|p| Endpoint::Docker(p.clone(), ContainerType::Docker))
        };
        let podman = || {
            s.podman
                .iter()
                .map(|p| Endpoint::Docker(p.clone(), ContainerType::Podman))
        };
        let containerd = || s.containerd.iter().cloned().map(Endpoint::Containerd);
        let cri = || s.cri.iter().cloned().map(Endpoint::Cri);
        match kind {
            Some("docker") => docker()
                .chain(podman())
                .chain(containerd())
                .chain(cri())
                .collect(),
            Some("containerd") => containerd()
                .chain(cri())
                .chain(podman())
                .chain(docker())
                .collect(),
            Some("cri-o" | "cri") => cri()
                .chain(containerd())
                .chain(podman())
                .chain(docker())
                .collect(),
            _ => podman()
                .chain(docker())
                .chain(containerd())
                .chain(cri())
                .collect(),
        }
    }

    /// Does `action` to container `id`; says which runtime did it, or why none could.
    pub fn control(&self, id: &str, kind: Option<&str>, action: &Action) -> Result<String, String> {
        let control = match action {
            // Half the action's time for a graceful stop, the rest for the runtime to answer.
            Action::StopContainer => ContainerControl::Stop {
                grace: Duration::from_secs((self.timeout.as_secs() / 2).max(1)),
            },
            Action::PauseContainer => ContainerControl::Pause,
            Action::KillContainer => ContainerControl::Kill,
            other => return Err(format!("{} is not a container action", other.name())),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime client: {e}"))?;
        let mut tried = Vec::new();
        for endpoint in self.endpoints(kind) {
            let socket = socket_of(&endpoint);
            if !socket.exists() {
                continue;
            }
            let answer = runtime.block_on(async {
                match &endpoint {
                    Endpoint::Docker(path, kind) => {
                        DockerClient::new(path, *kind, self.timeout)
                            .control(id, control)
                            .await
                    }
                    Endpoint::Containerd(path) => {
                        ContainerdClient::new(path, self.timeout)
                            .control(id, control)
                            .await
                    }
                    Endpoint::Cri(path) => {
                        CriClient::new(path, self.timeout)
                            .control(id, control)
                            .await
                    }
                }
            });
            match answer {
                Ok(true) => return Ok(format!("through {}", socket.display())),
                Ok(false) => tried.push(format!("{}: no such container", socket.display())),
                Err(e) => tried.push(e.to_string()),
            }
        }
        if tried.is_empty() {
            return Err("no container runtime socket is there (see container_engines)".into());
        }
        Err(tried.join("; "))
    }
}

fn socket_of(endpoint: &Endpoint) -> PathBuf {
    match endpoint {
        Endpoint::Docker(p, _) | Endpoint::Containerd(p) | Endpoint::Cri(p) => p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_containers_runtime_is_asked_first() {
        let runtimes = Runtimes {
            sockets: saker_container::Config::default(),
            timeout: Duration::from_secs(1),
        };
        let first = |kind| format!("{:?}", runtimes.endpoints(Some(kind))[0]);
        assert!(first("podman").contains("podman.sock"));
        assert!(first("docker").contains("docker.sock"));
        assert!(first("containerd").starts_with("Containerd"));
        assert!(first("cri-o").contains("Cri"));
        // Every API at every socket is tried once.
        let all = runtimes.endpoints(Some("podman"));
        let containerd = all
            .iter()
            .filter(|e| matches!(e, Endpoint::Containerd(_)))
            .count();
        assert_eq!(containerd, 1);
        assert_eq!(all.len(), 6);
    }

    #[test]
    fn without_sockets_it_says_so() {
        let runtimes = Runtimes {
            sockets: saker_container::Config {
                podman: vec!["/nonexistent/podman.sock".into()],
                ..saker_container::Config::disabled()
            },
            timeout: Duration::from_secs(1),
        };
        assert_eq!(
            runtimes.control("abc", Some("podman"), &Action::StopContainer),
            Err("no container runtime socket is there (see container_engines)".to_string())
        );
    }
}
