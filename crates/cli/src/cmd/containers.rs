//! What the container runtimes say about the containers a listing shows (`ps`, `pstree`,
//! `proc`): asked once per container at the runtimes' usual sockets, with a deadline, so an
//! absent or hung runtime costs at most that and leaves the id alone.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use saker_container::{Config, ContainerMeta, ContainerType, Service, Update};
use saker_proc::{Container, Runtime};

/// How long a listing waits for the runtimes in total.
const DEADLINE: Duration = Duration::from_secs(2);

/// Metadata by full container id.
#[derive(Default)]
pub struct ContainerNames {
    by_id: HashMap<String, Arc<ContainerMeta>>,
}

fn container_type(runtime: Runtime) -> ContainerType {
    match runtime {
        Runtime::Docker => ContainerType::Docker,
        Runtime::Podman => ContainerType::Podman,
        Runtime::Containerd => ContainerType::Containerd,
        Runtime::CriO => ContainerType::CriO,
        Runtime::Cri => ContainerType::Cri,
    }
}

impl ContainerNames {
    /// Asks the runtimes about `containers` (duplicates are asked once). Nothing is started
    /// when there is no container.
    pub fn lookup<'a>(containers: impl IntoIterator<Item = &'a Container>) -> ContainerNames {
        let mut wanted: HashMap<&str, ContainerType> = HashMap::new();
        for c in containers {
            wanted.insert(&c.id, container_type(c.runtime));
        }
        let mut names = ContainerNames::default();
        if wanted.is_empty() {
            return names;
        }
        let service = Service::start(Config::default());
        let mut waiting = 0;
        for (id, kind) in &wanted {
            if service.request(id, *kind) {
                waiting += 1;
            }
        }
        let deadline = Instant::now() + DEADLINE;
        while waiting > 0 {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            match service.wait_update(left) {
                Some(Update::Found(meta)) => {
                    if wanted.contains_key(meta.id.as_str()) {
                        waiting -= 1;
                        names.by_id.insert(meta.id.clone(), meta);
                    }
                }
                Some(Update::NotFound(id)) if wanted.contains_key(id.as_str()) => waiting -= 1,
                Some(_) => {}
                None => break,
            }
        }
        names
    }

    /// Names known without asking (fixtures).
    #[cfg(test)]
    pub fn from_metas(metas: impl IntoIterator<Item = ContainerMeta>) -> ContainerNames {
        ContainerNames {
            by_id: metas
                .into_iter()
                .map(|m| (m.id.clone(), Arc::new(m)))
                .collect(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&ContainerMeta> {
        self.by_id.get(id).map(Arc::as_ref)
    }

    /// The metadata of `container`, if the runtime described it.
    pub fn of(&self, container: Option<&Container>) -> Option<&ContainerMeta> {
        self.get(&container?.id)
    }
}

/// `repository:tag` of a container's image (the image as written when the runtime gave no
/// repository).
pub fn image_text(meta: &ContainerMeta) -> String {
    match (meta.image_repository.as_str(), meta.image_tag.as_str()) {
        ("", _) => meta.image.clone(),
        (repo, "") => repo.to_string(),
        (repo, tag) => format!("{repo}:{tag}"),
    }
}
