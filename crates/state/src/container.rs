//! Containers as Falco's `container.*` fields show them: the id from the cgroup (saker-proc),
//! the name and image from the runtime's own metadata files when they are readable.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerInfo {
    /// The full 64-hex id.
    pub id: String,
    /// `docker`, `podman`, `containerd`, `cri-o`, `cri`.
    pub runtime: &'static str,
    pub name: Option<String>,
    /// The image as the runtime names it (`localhost/saker-test/busybox:latest`).
    pub image: Option<String>,
    /// Started with `--privileged` (`container.privileged`), when the runtime says.
    pub privileged: Option<bool>,
}

impl ContainerInfo {
    /// The 12-character id `podman ps` prints (`container.id`).
    pub fn short_id(&self) -> &str {
        &self.id[..self.id.len().min(12)]
    }

    /// `container.image.repository`: the image without its tag or digest.
    pub fn image_repository(&self) -> Option<&str> {
        let image = self.image.as_deref()?;
        let image = image.split('@').next().unwrap_or(image);
        // A tag follows the last colon, unless that colon belongs to a registry port.
        Some(match image.rfind(':') {
            Some(i) if !image[i..].contains('/') => &image[..i],
            _ => image,
        })
    }

    /// `container.image.tag`.
    pub fn image_tag(&self) -> Option<&str> {
        let image = self.image.as_deref()?;
        let i = image.rfind(':')?;
        (!image[i..].contains('/')).then(|| &image[i + 1..])
    }
}

/// Container metadata, looked up once per container id.
#[derive(Debug, Default)]
pub struct ContainerCache {
    by_id: HashMap<String, Arc<ContainerInfo>>,
    /// Where podman (containers/storage) keeps its metadata; `None` disables the lookup.
    storage_root: Option<PathBuf>,
}

impl ContainerCache {
    pub fn new(storage_root: Option<PathBuf>) -> ContainerCache {
        ContainerCache {
            by_id: HashMap::new(),
            storage_root,
        }
    }

    /// The cache podman's default rootful storage (/var/lib/containers/storage) feeds.
    pub fn with_default_storage() -> ContainerCache {
        ContainerCache::new(Some(PathBuf::from("/var/lib/containers/storage")))
    }

    /// The container with this cgroup-derived identity, metadata filled on first sight.
    pub fn get(&mut self, found: &saker_proc::Container) -> Arc<ContainerInfo> {
        if let Some(info) = self.by_id.get(&found.id) {
            return info.clone();
        }
        let mut info = ContainerInfo {
            id: found.id.clone(),
            runtime: found.runtime.name(),
            name: None,
            image: None,
            privileged: None,
        };
        if let Some(root) = &self.storage_root {
            if let Some((name, image)) = storage_metadata(root, &found.id) {
                info.name = name;
                info.image = image;
            }
            info.privileged = podman_privileged(root, &found.id);
        }
        let info = Arc::new(info);
        self.by_id.insert(found.id.clone(), info.clone());
        info
    }

    /// Adds a container known from elsewhere (a capture file's snapshot).
    pub fn insert(&mut self, info: ContainerInfo) -> Arc<ContainerInfo> {
        let info = Arc::new(info);
        self.by_id.insert(info.id.clone(), info.clone());
        info
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// Name and image of a container from containers/storage's JSON indexes
/// (`overlay-containers/containers.json` gives the name and image id, `overlay-images/images.json`
/// the image's names). Any failure is `None`: metadata is a nicety, never an error.
fn storage_metadata(root: &Path, id: &str) -> Option<(Option<String>, Option<String>)> {
    let containers = std::fs::read(root.join("overlay-containers/containers.json")).ok()?;
    let containers: serde_json::Value = serde_json::from_slice(&containers).ok()?;
    let entry = containers.as_array()?.iter().find(|c| c["id"] == id)?;
    let name = entry["names"][0].as_str().map(str::to_string);
    let image_id = entry["image"].as_str();
    let image = image_id.and_then(|image_id| {
        let images = std::fs::read(root.join("overlay-images/images.json")).ok()?;
        let images: serde_json::Value = serde_json::from_slice(&images).ok()?;
        let image = images.as_array()?.iter().find(|i| i["id"] == image_id)?;
        image["names"][0].as_str().map(str::to_string)
    });
    Some((name, image))
}

/// Whether podman started the container privileged: its OCI config carries podman's
/// `io.podman.annotations.privileged` annotation (`TRUE`/`FALSE`).
fn podman_privileged(root: &Path, id: &str) -> Option<bool> {
    let path = root
        .join("overlay-containers")
        .join(id)
        .join("userdata/config.json");
    let config: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let annotation = config["annotations"]["io.podman.annotations.privileged"].as_str();
    Some(annotation.is_some_and(|v| v.eq_ignore_ascii_case("true")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(image: &str) -> ContainerInfo {
        ContainerInfo {
            id: "a".repeat(64),
            runtime: "podman",
            name: None,
            image: Some(image.into()),
            privileged: None,
        }
    }

    #[test]
    fn image_parts() {
        for (image, repo, tag) in [
            (
                "localhost/saker-test/busybox:latest",
                "localhost/saker-test/busybox",
                Some("latest"),
            ),
            ("nginx", "nginx", None),
            ("reg:5000/app", "reg:5000/app", None),
            ("reg:5000/app:1.2", "reg:5000/app", Some("1.2")),
        ] {
            let c = info(image);
            assert_eq!(c.image_repository(), Some(repo), "{image}");
            assert_eq!(c.image_tag(), tag, "{image}");
        }
        assert_eq!(info("x").short_id().len(), 12);
    }

    #[test]
    fn storage_lookup() {
        let dir = std::env::temp_dir().join(format!("saker-state-storage-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("overlay-containers")).unwrap();
        std::fs::create_dir_all(dir.join("overlay-images")).unwrap();
        let id = "b".repeat(64);
        std::fs::write(
            dir.join("overlay-containers/containers.json"),
            format!(r#"[{{"id":"{id}","names":["web"],"image":"img1"}}]"#),
        )
        .unwrap();
        std::fs::write(
            dir.join("overlay-images/images.json"),
            r#"[{"id":"img1","names":["localhost/app:v1"]}]"#,
        )
        .unwrap();
        let mut cache = ContainerCache::new(Some(dir.clone()));
        let found = saker_proc::Container {
            id: id.clone(),
            runtime: saker_proc::Runtime::Podman,
            pod: None,
        };
        std::fs::create_dir_all(dir.join(format!("overlay-containers/{id}/userdata"))).unwrap();
        std::fs::write(
            dir.join(format!("overlay-containers/{id}/userdata/config.json")),
            r#"{"annotations":{"io.podman.annotations.privileged":"TRUE"}}"#,
        )
        .unwrap();
        let got = cache.get(&found);
        assert_eq!(got.privileged, Some(true));
        assert_eq!(got.name.as_deref(), Some("web"));
        assert_eq!(got.image_repository(), Some("localhost/app"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
