//! Containers as Falco's `container.*` and `k8s.*` fields show them: the id and runtime from
//! the cgroup (saker-proc), known at once; the runtime's metadata (saker-container) when its
//! answer arrives, asynchronously. Until then the metadata fields are `<NA>`, as in Falco.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use arc_swap::ArcSwapOption;
use saker_container::{ContainerMeta, ContainerType, Service, Update};

/// One container. Shared (`Arc`) by the processes in it, so the runtime's answer reaches all
/// of them at once.
#[derive(Debug)]
pub struct ContainerInfo {
    /// The full 64-hex id.
    pub id: String,
    /// The runtime the cgroup path names.
    pub runtime: ContainerType,
    meta: ArcSwapOption<ContainerMeta>,
    /// The lookup ended (with or without metadata): waiting longer helps nothing.
    settled: AtomicBool,
    /// Its `container` event was raised, or it ran before Saker started.
    announced: AtomicBool,
    /// Start of its first process (the init of its pid namespace), ns since the epoch; 0 unknown.
    start_ns: AtomicU64,
}

impl Clone for ContainerInfo {
    fn clone(&self) -> Self {
        ContainerInfo {
            id: self.id.clone(),
            runtime: self.runtime,
            meta: ArcSwapOption::new(self.meta()),
            settled: AtomicBool::new(self.is_settled()),
            announced: AtomicBool::new(self.announced.load(Ordering::Relaxed)),
            start_ns: AtomicU64::new(self.start_ns()),
        }
    }
}

impl PartialEq for ContainerInfo {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.runtime == other.runtime
            && self.meta() == other.meta()
            && self.start_ns() == other.start_ns()
    }
}

impl Eq for ContainerInfo {}

impl ContainerInfo {
    /// A container known by its id only.
    pub fn new(id: impl Into<String>, runtime: ContainerType) -> ContainerInfo {
        ContainerInfo {
            id: id.into(),
            runtime,
            meta: ArcSwapOption::empty(),
            settled: AtomicBool::new(false),
            announced: AtomicBool::new(false),
            start_ns: AtomicU64::new(0),
        }
    }

    /// A container with what its runtime said (capture files, tests).
    pub fn with_meta(meta: ContainerMeta) -> ContainerInfo {
        let info = ContainerInfo::new(meta.id.clone(), meta.kind);
        info.set_meta(Some(Arc::new(meta)));
        info
    }

    /// The 12-character id `podman ps` prints (`container.id`).
    pub fn short_id(&self) -> &str {
        saker_container::short_id(&self.id)
    }

    /// What the runtime said, once it has.
    pub fn meta(&self) -> Option<Arc<ContainerMeta>> {
        self.meta.load_full()
    }

    /// Records the runtime's answer (`None`: it had none) and ends the wait for it.
    pub fn set_meta(&self, meta: Option<Arc<ContainerMeta>>) {
        if meta.is_some() {
            self.meta.store(meta);
        }
        self.settled.store(true, Ordering::Release);
    }

    /// The runtime answered, or will not.
    pub fn is_settled(&self) -> bool {
        self.settled.load(Ordering::Acquire)
    }

    /// `container.type`: the runtime's own word when it answered, else the cgroup's.
    pub fn kind(&self) -> ContainerType {
        self.meta().map_or(self.runtime, |m| m.kind)
    }

    /// The name, when known (`ps`, `pstree`).
    pub fn name(&self) -> Option<String> {
        self.meta()
            .map(|m| m.name.clone())
            .filter(|n| !n.is_empty())
    }

    /// `container.start_ts`: its first process's start, else the runtime's start time.
    pub fn start_ns(&self) -> u64 {
        match self.start_ns.load(Ordering::Relaxed) {
            0 => self.meta().map_or(0, |m| m.started_ns),
            ns => ns,
        }
    }

    /// Notes the start of the init of the container's pid namespace (the first seen wins).
    pub fn note_init_start(&self, ns: u64) {
        let _ = self
            .start_ns
            .compare_exchange(0, ns, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// Marks the container as announced; true the first time.
    pub(crate) fn announce(&self) -> bool {
        !self.announced.swap(true, Ordering::Relaxed)
    }

    pub(crate) fn is_announced(&self) -> bool {
        self.announced.load(Ordering::Relaxed)
    }
}

/// The runtime the cgroup path names, as a container type.
pub fn container_type(runtime: saker_proc::Runtime) -> ContainerType {
    match runtime {
        saker_proc::Runtime::Docker => ContainerType::Docker,
        saker_proc::Runtime::Podman => ContainerType::Podman,
        saker_proc::Runtime::Containerd => ContainerType::Containerd,
        saker_proc::Runtime::CriO => ContainerType::CriO,
        saker_proc::Runtime::Cri => ContainerType::Cri,
    }
}

/// Containers by id, and the metadata service that fills them.
#[derive(Debug, Default)]
pub struct ContainerCache {
    by_id: HashMap<String, Arc<ContainerInfo>>,
    service: Option<Service>,
    /// Metadata will come for every container (from the service, or a capture file's
    /// records): `container` events wait for it.
    answers_later: bool,
    /// Ids the service's queue had no room for, asked again at the next poll.
    unasked: Vec<(String, ContainerType)>,
}

/// Containers are kept this many at most before those no process is in are forgotten
/// (containers a runtime announced before any of their processes ran, and those whose
/// processes all exited without the runtime reporting the removal).
pub(crate) const MAX_CACHED: usize = 4096;

impl ContainerCache {
    /// A cache that asks `service` about every new container (`None`: metadata only from
    /// [`ContainerCache::insert`], as when replaying a capture file).
    pub fn new(service: Option<Service>) -> ContainerCache {
        ContainerCache {
            by_id: HashMap::new(),
            answers_later: service.is_some(),
            service,
            unasked: Vec::new(),
        }
    }

    /// True when every container's metadata will be settled later (by the service, or by a
    /// capture file's records after [`ContainerCache::expect_records`]).
    pub fn answers_later(&self) -> bool {
        self.answers_later
    }

    /// Metadata comes from records inserted as a capture file is read.
    pub fn expect_records(&mut self) {
        self.answers_later = true;
    }

    /// The container with this cgroup-derived identity; a new one is asked about.
    pub fn get(&mut self, found: &saker_proc::Container) -> Arc<ContainerInfo> {
        if let Some(info) = self.by_id.get(&found.id) {
            return info.clone();
        }
        let info = Arc::new(ContainerInfo::new(
            found.id.clone(),
            container_type(found.runtime),
        ));
        if let Some(service) = &self.service
            && !service.request(&info.id, info.runtime)
        {
            self.unasked.push((info.id.clone(), info.runtime));
        }
        self.by_id.insert(found.id.clone(), info.clone());
        info
    }

    /// The container `id`, if known.
    pub fn lookup(&self, id: &str) -> Option<&Arc<ContainerInfo>> {
        self.by_id.get(id)
    }

    /// Adds or updates a container known from elsewhere (a capture file's record).
    pub fn insert(&mut self, info: ContainerInfo) -> Arc<ContainerInfo> {
        if let Some(known) = self.by_id.get(&info.id) {
            if info.is_settled() {
                known.set_meta(info.meta());
            }
            return known.clone();
        }
        let info = Arc::new(info);
        self.by_id.insert(info.id.clone(), info.clone());
        info
    }

    /// True when [`ContainerCache::poll`] has something to do: an answer waits, or an id is
    /// still to be asked.
    #[inline]
    pub(crate) fn has_work(&self) -> bool {
        !self.unasked.is_empty() || self.service.as_ref().is_some_and(Service::has_update)
    }

    /// Takes the service's answers. Returns the containers whose metadata changed (a capture
    /// writes them) and the ids the runtimes removed.
    pub(crate) fn poll(&mut self) -> (Vec<Arc<ContainerInfo>>, Vec<String>) {
        let mut changed = Vec::new();
        let mut stopped = Vec::new();
        let Some(service) = &self.service else {
            return (changed, stopped);
        };
        if !self.unasked.is_empty() {
            self.unasked
                .retain(|(id, kind)| !service.request(id, *kind));
        }
        while let Some(update) = service.try_update() {
            match update {
                Update::Found(meta) => {
                    let info = self
                        .by_id
                        .entry(meta.id.clone())
                        .or_insert_with(|| Arc::new(ContainerInfo::new(meta.id.clone(), meta.kind)))
                        .clone();
                    info.set_meta(Some(meta));
                    changed.push(info);
                }
                Update::NotFound(id) => {
                    if let Some(info) = self.by_id.get(&id) {
                        info.set_meta(None);
                        changed.push(info.clone());
                    }
                }
                Update::Stopped(id) => {
                    // Processes still in it keep their reference until they exit. A lookup
                    // still running for it ends here: its `container` event need not wait.
                    if let Some(info) = self.by_id.remove(&id)
                        && !info.is_settled()
                    {
                        info.set_meta(None);
                        changed.push(info);
                    }
                    stopped.push(id);
                }
            }
        }
        (changed, stopped)
    }

    /// Forgets containers `keep` rejects; returns their ids.
    pub(crate) fn forget_unless(&mut self, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let gone: Vec<String> = self.by_id.keys().filter(|id| !keep(id)).cloned().collect();
        for id in &gone {
            self.by_id.remove(id);
        }
        gone
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<ContainerInfo>> {
        self.by_id.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_reaches_every_holder() {
        let mut cache = ContainerCache::new(None);
        let found = saker_proc::Container {
            id: "b".repeat(64),
            runtime: saker_proc::Runtime::Podman,
            pod: None,
        };
        let a = cache.get(&found);
        let b = cache.get(&found);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.short_id(), "bbbbbbbbbbbb");
        assert_eq!(a.kind(), ContainerType::Podman);
        assert!(a.meta().is_none() && !a.is_settled());
        let meta = ContainerMeta {
            id: "b".repeat(64),
            kind: ContainerType::Podman,
            name: "web".into(),
            ..ContainerMeta::default()
        };
        cache.insert(ContainerInfo::with_meta(meta));
        assert_eq!(b.name().as_deref(), Some("web"));
        assert!(b.is_settled());
    }

    #[test]
    fn init_start_first_seen_wins() {
        let c = ContainerInfo::new("x", ContainerType::Cri);
        assert_eq!(c.start_ns(), 0);
        c.note_init_start(5);
        c.note_init_start(9);
        assert_eq!(c.start_ns(), 5);
        assert!(c.announce());
        assert!(!c.announce());
    }
}
