//! Containers by cgroup v2 id, the id every event header carries (`bpf_get_current_cgroup_id`).
//!
//! A process that is gone before its exec event is handled (`sh -c exit` in a container) has
//! no /proc entry left to read its cgroup from, but the header still names its cgroup. The id
//! is the inode number of the cgroup's directory on the cgroup2 mount, so an unknown id is
//! found by walking that mount once; the answer is cached.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::container::{ContainerCache, ContainerInfo};

/// How deep to look below the cgroup2 root (kubepods nest 4 levels).
const MAX_DEPTH: usize = 8;

#[derive(Debug, Default)]
pub(crate) struct CgroupIds {
    /// Where cgroup2 is mounted (`/sys/fs/cgroup` or `/sys/fs/cgroup/unified`), if anywhere.
    root: Option<PathBuf>,
    by_id: HashMap<u64, Option<Arc<ContainerInfo>>>,
}

impl CgroupIds {
    pub(crate) fn new(read_fs: bool) -> CgroupIds {
        CgroupIds {
            root: if read_fs { cgroup2_mount() } else { None },
            by_id: HashMap::new(),
        }
    }

    /// Records what /proc said about a process in this cgroup.
    pub(crate) fn learn(&mut self, id: u64, container: Option<Arc<ContainerInfo>>) {
        if id != 0 {
            self.by_id.insert(id, container);
        }
    }

    /// Forgets the cgroups of containers the runtime removed.
    pub(crate) fn forget(&mut self, container_ids: &[String]) {
        self.by_id.retain(|_, c| {
            c.as_ref()
                .is_none_or(|c| !container_ids.iter().any(|id| *id == c.id))
        });
    }

    /// The container of cgroup `id`; `None` when unknown, `Some(None)` for a host cgroup.
    pub(crate) fn lookup(
        &mut self,
        id: u64,
        containers: &mut ContainerCache,
    ) -> Option<Option<Arc<ContainerInfo>>> {
        if id == 0 {
            return None;
        }
        if let Some(known) = self.by_id.get(&id) {
            return Some(known.clone());
        }
        let root = self.root.as_ref()?;
        let dir = find_inode(root, id, 0)?;
        let rel = dir.strip_prefix(root).ok()?;
        let rel = format!("/{}", rel.display());
        let container = saker_proc::cgroup::container_of_path(&rel).map(|c| containers.get(&c));
        self.by_id.insert(id, container.clone());
        Some(container)
    }
}

fn cgroup2_mount() -> Option<PathBuf> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    // mountinfo(5): ID PARENT DEV ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
    mountinfo.lines().find_map(|line| {
        let (left, right) = line.split_once(" - ")?;
        if right.split_whitespace().next()? != "cgroup2" {
            return None;
        }
        left.split_whitespace().nth(4).map(PathBuf::from)
    })
}

fn find_inode(dir: &Path, id: u64, depth: usize) -> Option<PathBuf> {
    if std::fs::symlink_metadata(dir).ok()?.ino() == id {
        return Some(dir.to_path_buf());
    }
    if depth >= MAX_DEPTH {
        return None;
    }
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir())
            && let Some(found) = find_inode(&entry.path(), id, depth + 1)
        {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_own_cgroup_when_cgroup2_is_mounted() {
        let Some(root) = cgroup2_mount() else {
            eprintln!("SKIPPED: no cgroup2 mount");
            return;
        };
        let id = std::fs::metadata(&root).unwrap().ino();
        let mut ids = CgroupIds::new(true);
        let mut containers = ContainerCache::new(None);
        // The root cgroup is a host cgroup.
        assert_eq!(ids.lookup(id, &mut containers), Some(None));
        assert_eq!(ids.lookup(0, &mut containers), None);
        assert_eq!(ids.lookup(u64::MAX - 7, &mut containers), None);
    }
}
