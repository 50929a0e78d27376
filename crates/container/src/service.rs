//! The metadata service: one background thread that asks the runtimes, so that the event path
//! never waits on a socket. The event path hands it container ids ([`Service::request`], never
//! blocks) and takes answers when it likes ([`Service::try_update`]); the runtimes' event
//! streams feed it containers as they are created and removed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc, oneshot};

use crate::containerd::ContainerdClient;
use crate::cri::CriClient;
use crate::docker::{DockerClient, RuntimeEvent};
use crate::error::ContainerError;
use crate::meta::{ContainerMeta, ContainerType};

/// Which sockets to ask, per engine; an empty list turns an engine off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub docker: Vec<PathBuf>,
    pub podman: Vec<PathBuf>,
    pub containerd: Vec<PathBuf>,
    /// CRI sockets (containerd's CRI plugin, CRI-O, k3s).
    pub cri: Vec<PathBuf>,
    /// How long one call to a runtime may take.
    pub timeout: Duration,
}

/// The usual socket paths of each engine.
pub mod default_sockets {
    pub const DOCKER: &[&str] = &["/var/run/docker.sock"];
    pub const PODMAN: &[&str] = &["/run/podman/podman.sock"];
    pub const CONTAINERD: &[&str] = &["/run/containerd/containerd.sock"];
    pub const CRI: &[&str] = &[
        "/run/containerd/containerd.sock",
        "/run/crio/crio.sock",
        "/run/k3s/containerd/containerd.sock",
    ];
}

impl Default for Config {
    fn default() -> Self {
        let paths = |p: &[&str]| p.iter().map(PathBuf::from).collect();
        Config {
            docker: paths(default_sockets::DOCKER),
            podman: paths(default_sockets::PODMAN),
            containerd: paths(default_sockets::CONTAINERD),
            cri: paths(default_sockets::CRI),
            timeout: Duration::from_secs(1),
        }
    }
}

impl Config {
    /// No engine at all (metadata off).
    pub fn disabled() -> Config {
        Config {
            docker: Vec::new(),
            podman: Vec::new(),
            containerd: Vec::new(),
            cri: Vec::new(),
            timeout: Duration::from_secs(1),
        }
    }

    pub fn is_disabled(&self) -> bool {
        self.docker.is_empty()
            && self.podman.is_empty()
            && self.containerd.is_empty()
            && self.cri.is_empty()
    }
}

/// What the service learned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Update {
    /// A runtime described the container.
    Found(Arc<ContainerMeta>),
    /// No runtime could describe it (none knows it, none is reachable, or they failed).
    NotFound(String),
    /// The runtime removed the container (or its task).
    Stopped(String),
}

/// The handle the event path keeps.
pub struct Service {
    requests: mpsc::Sender<(String, ContainerType)>,
    updates: crossbeam_channel::Receiver<Update>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service").finish_non_exhaustive()
    }
}

/// Requests waiting for the worker, at most; the event path retries later when full.
const REQUEST_QUEUE: usize = 1024;
/// Answers waiting for the event path, at most; the worker waits when full.
const UPDATE_QUEUE: usize = 1024;
/// Lookups running at once.
const CONCURRENT_LOOKUPS: usize = 16;
/// A container seen in a cgroup may not be inspectable yet (its runtime is still creating
/// it): a lookup that every runtime answered with "no such container" is retried this often...
const RETRY_EVERY: Duration = Duration::from_millis(50);
/// ...this many times (the container plugin retries for 150 ms; runtimes on a loaded node are
/// slower).
const RETRIES: u32 = 20;
/// How long an event stream waits before reconnecting after it failed.
const RECONNECT: Duration = Duration::from_secs(2);

impl Service {
    /// Starts the worker thread. Engines whose socket is absent are skipped with one log line.
    pub fn start(config: Config) -> Service {
        let (requests, request_rx) = mpsc::channel(REQUEST_QUEUE);
        let (update_tx, updates) = crossbeam_channel::bounded(UPDATE_QUEUE);
        let (shutdown, shutdown_rx) = oneshot::channel();
        let spawned = std::thread::Builder::new()
            .name("saker-containers".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        tracing::warn!("container metadata off: cannot start its runtime: {e}");
                        return;
                    }
                };
                runtime.block_on(async move {
                    tokio::select! {
                        _ = run(config, request_rx, update_tx) => {}
                        _ = shutdown_rx => {}
                    }
                });
            });
        if let Err(e) = spawned {
            tracing::warn!("container metadata off: cannot start its thread: {e}");
        }
        Service {
            requests,
            updates,
            shutdown: Some(shutdown),
        }
    }

    /// Asks for container `id` (of the runtime the cgroup suggests). Never blocks: false when
    /// the queue is full, and the caller asks again later.
    pub fn request(&self, id: &str, hint: ContainerType) -> bool {
        self.requests.try_send((id.to_string(), hint)).is_ok()
    }

    /// The next answer, if one is ready.
    pub fn try_update(&self) -> Option<Update> {
        self.updates.try_recv().ok()
    }

    /// True when an answer is waiting: two loads, where `try_recv` on an empty channel
    /// issues a full memory fence (checked before every event of `saker run`).
    #[inline]
    pub fn has_update(&self) -> bool {
        !self.updates.is_empty()
    }

    /// Waits up to `timeout` for the next answer (tools and tests; never the event path).
    pub fn wait_update(&self, timeout: Duration) -> Option<Update> {
        self.updates.recv_timeout(timeout).ok()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// One engine on one socket.
#[derive(Clone)]
enum Client {
    Docker(DockerClient),
    Containerd(ContainerdClient),
    Cri(CriClient),
}

impl Client {
    fn socket(&self) -> &Path {
        match self {
            Client::Docker(c) => c.socket(),
            Client::Containerd(c) => c.socket(),
            Client::Cri(c) => c.socket(),
        }
    }
}

struct Engine {
    /// `docker`, `podman`, `containerd`, `cri`: for log lines.
    name: &'static str,
    client: Client,
    /// The containers this engine serves best (lookups try it first for them).
    serves: &'static [ContainerType],
    /// What a CRI socket's runtime is (asked once; `cri` until it answers).
    cri_kind: Mutex<ContainerType>,
    /// A failure was logged and nothing has succeeded since: stay quiet.
    warned: Mutex<bool>,
}

impl Engine {
    fn failed(&self, error: &ContainerError) {
        let mut warned = self.warned.lock().unwrap_or_else(|p| p.into_inner());
        if !*warned {
            *warned = true;
            tracing::warn!(
                "container engine {}: {error}; its containers show <NA> until it answers",
                self.name
            );
        }
    }

    fn answered(&self) {
        let mut warned = self.warned.lock().unwrap_or_else(|p| p.into_inner());
        if *warned {
            *warned = false;
            tracing::info!(
                "container engine {} at {} answers again",
                self.name,
                self.client.socket().display()
            );
        }
    }

    async fn inspect(&self, id: &str) -> Result<Option<ContainerMeta>, ContainerError> {
        let result = match &self.client {
            Client::Docker(c) => c.inspect(id).await,
            Client::Containerd(c) => c.inspect(id).await,
            Client::Cri(c) => {
                let kind = *self.cri_kind.lock().unwrap_or_else(|p| p.into_inner());
                let kind = if kind == ContainerType::Cri {
                    let asked = c.runtime().await?;
                    *self.cri_kind.lock().unwrap_or_else(|p| p.into_inner()) = asked;
                    asked
                } else {
                    kind
                };
                c.inspect(id, kind).await
            }
        };
        match &result {
            Ok(_) => self.answered(),
            Err(e) => self.failed(e),
        }
        result
    }

    async fn follow(&self, on_event: impl FnMut(RuntimeEvent)) -> Result<(), ContainerError> {
        match &self.client {
            Client::Docker(c) => c.follow_events(on_event).await,
            Client::Containerd(c) => c.follow_events(on_event).await,
            // containerd's CRI socket streams through containerd's own events; CRI-O's
            // GetContainerEvents needs the evented PLEG, so its containers are found by
            // their cgroups.
            Client::Cri(_) => std::future::pending().await,
        }
    }
}

/// The engines of `config` whose socket exists now; one line for each that does not.
fn engines(config: &Config) -> Vec<Arc<Engine>> {
    let mut out = Vec::new();
    let mut add = |name: &'static str,
                   sockets: &[PathBuf],
                   serves: &'static [ContainerType],
                   make: &dyn Fn(&Path) -> Client| {
        for socket in sockets {
            if !socket.exists() {
                tracing::info!(
                    "container engine {name}: no socket at {}, skipped",
                    socket.display()
                );
                continue;
            }
            tracing::info!("container engine {name}: {}", socket.display());
            out.push(Arc::new(Engine {
                name,
                client: make(socket),
                serves,
                cri_kind: Mutex::new(ContainerType::Cri),
                warned: Mutex::new(false),
            }));
        }
    };
    let timeout = config.timeout;
    add(
        "cri",
        &config.cri,
        &[
            ContainerType::Cri,
            ContainerType::CriO,
            ContainerType::Containerd,
        ],
        &|s| Client::Cri(CriClient::new(s, timeout)),
    );
    add(
        "containerd",
        &config.containerd,
        &[ContainerType::Containerd, ContainerType::Cri],
        &|s| Client::Containerd(ContainerdClient::new(s, timeout)),
    );
    add("docker", &config.docker, &[ContainerType::Docker], &|s| {
        Client::Docker(DockerClient::new(s, ContainerType::Docker, timeout))
    });
    add("podman", &config.podman, &[ContainerType::Podman], &|s| {
        Client::Docker(DockerClient::new(s, ContainerType::Podman, timeout))
    });
    out
}

struct Worker {
    engines: Vec<Arc<Engine>>,
    updates: crossbeam_channel::Sender<Update>,
    in_flight: Mutex<HashSet<String>>,
    slots: Semaphore,
}

async fn run(
    config: Config,
    mut requests: mpsc::Receiver<(String, ContainerType)>,
    updates: crossbeam_channel::Sender<Update>,
) {
    let worker = Arc::new(Worker {
        engines: engines(&config),
        updates,
        in_flight: Mutex::new(HashSet::new()),
        slots: Semaphore::new(CONCURRENT_LOOKUPS),
    });
    for engine in &worker.engines {
        tokio::spawn(follow(worker.clone(), engine.clone()));
    }
    while let Some((id, hint)) = requests.recv().await {
        tokio::spawn(worker.clone().lookup(id, hint));
    }
}

/// Follows one engine's event stream for good, reconnecting after failures.
async fn follow(worker: Arc<Worker>, engine: Arc<Engine>) {
    loop {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let stream = engine.follow(move |event| {
            let _ = tx.send(event);
        });
        let handle = async {
            while let Some(event) = rx.recv().await {
                match event {
                    RuntimeEvent::Started(id) => {
                        // This engine knows it: ask it first.
                        tokio::spawn(worker.clone().lookup(id, engine.serves[0]));
                    }
                    RuntimeEvent::Stopped(id) => worker.send(Update::Stopped(id)).await,
                }
            }
        };
        let (result, ()) = tokio::join!(stream, handle);
        if let Err(e) = result {
            engine.failed(&e);
        }
        tokio::time::sleep(RECONNECT).await;
    }
}

impl Worker {
    /// Hands an update to the event path, waiting while its queue is full.
    async fn send(&self, mut update: Update) {
        loop {
            match self.updates.try_send(update) {
                Ok(()) => return,
                Err(crossbeam_channel::TrySendError::Full(back)) => {
                    update = back;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                Err(crossbeam_channel::TrySendError::Disconnected(_)) => return,
            }
        }
    }

    /// Engines in the order worth trying for a container the cgroup says is `hint`.
    fn ordered(&self, hint: ContainerType) -> Vec<&Arc<Engine>> {
        let (first, rest): (Vec<_>, Vec<_>) =
            self.engines.iter().partition(|e| e.serves.contains(&hint));
        first.into_iter().chain(rest).collect()
    }

    async fn lookup(self: Arc<Self>, id: String, hint: ContainerType) {
        {
            let mut in_flight = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
            if !in_flight.insert(id.clone()) {
                return;
            }
        }
        let update = match self.slots.acquire().await {
            Ok(_permit) => self.find(&id, hint).await,
            Err(_) => Update::NotFound(id.clone()),
        };
        self.in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
        self.send(update).await;
    }

    async fn find(&self, id: &str, hint: ContainerType) -> Update {
        for attempt in 0..=RETRIES {
            let mut any_failed = false;
            for engine in self.ordered(hint) {
                match engine.inspect(id).await {
                    Ok(Some(meta)) => return Update::Found(Arc::new(meta)),
                    Ok(None) => {}
                    Err(_) => any_failed = true,
                }
            }
            // Retrying helps a container that is still being made, not a broken runtime.
            if any_failed || self.engines.is_empty() || attempt == RETRIES {
                break;
            }
            tokio::time::sleep(RETRY_EVERY).await;
        }
        Update::NotFound(id.to_string())
    }
}
