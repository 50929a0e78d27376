//! Connection slots: at most `max_connections` connections at once. When every slot is
//! taken, the connection that has waited longest without a request in progress — a client
//! sending its headers slowly (slowloris), an idle keep-alive — gives its slot to the
//! newcomer. So clients holding connections open cannot keep health checks and the audit
//! webhook out; only when every connection is busy with a request (or younger than
//! [`MIN_IDLE`]) is the newcomer refused.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::task::AbortHandle;

/// A connection idle for less than this keeps its slot: a client between two requests of a
/// burst is not cut off.
pub(crate) const MIN_IDLE: Duration = Duration::from_secs(1);

pub(crate) struct Slots {
    max: usize,
    epoch: Instant,
    next_id: AtomicU64,
    open: Mutex<Vec<Slot>>,
}

struct Slot {
    id: u64,
    activity: Arc<Activity>,
    /// Set once the connection's task runs.
    abort: Option<AbortHandle>,
}

/// What a connection is doing, updated by its requests.
pub(crate) struct Activity {
    in_request: AtomicBool,
    /// When it last became idle (accepted, or answered a request), in ms since the epoch.
    idle_since_ms: AtomicU64,
    epoch: Instant,
}

impl Activity {
    pub fn request_started(&self) {
        self.in_request.store(true, Ordering::Release);
    }

    pub fn request_done(&self) {
        let now = self.epoch.elapsed().as_millis() as u64;
        self.idle_since_ms.store(now, Ordering::Release);
        self.in_request.store(false, Ordering::Release);
    }
}

/// A slot given to a new connection.
pub(crate) struct Ticket {
    pub id: u64,
    pub activity: Arc<Activity>,
    /// An idle connection was closed to make room.
    pub evicted: bool,
}

impl Slots {
    pub fn new(max: usize) -> Self {
        Slots {
            max: max.max(1),
            epoch: Instant::now(),
            next_id: AtomicU64::new(0),
            open: Mutex::new(Vec::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Slot>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A slot for a new connection, closing the longest-idle one when all are taken;
    /// `None` when every connection is busy or too recently active.
    pub fn reserve(&self) -> Option<Ticket> {
        let now = self.epoch.elapsed().as_millis() as u64;
        let mut open = self.lock();
        let mut evicted = false;
        if open.len() >= self.max {
            let min_idle = MIN_IDLE.as_millis() as u64;
            let victim = open
                .iter()
                .enumerate()
                .filter(|(_, slot)| slot.abort.is_some())
                .filter(|(_, slot)| !slot.activity.in_request.load(Ordering::Acquire))
                .map(|(i, slot)| (i, slot.activity.idle_since_ms.load(Ordering::Acquire)))
                .filter(|(_, since)| now.saturating_sub(*since) >= min_idle)
                .min_by_key(|(_, since)| *since)
                .map(|(i, _)| i)?;
            let slot = open.swap_remove(victim);
            if let Some(abort) = slot.abort {
                abort.abort();
            }
            evicted = true;
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(Activity {
            in_request: AtomicBool::new(false),
            idle_since_ms: AtomicU64::new(now),
            epoch: self.epoch,
        });
        open.push(Slot {
            id,
            activity: Arc::clone(&activity),
            abort: None,
        });
        Some(Ticket {
            id,
            activity,
            evicted,
        })
    }

    /// The running task of connection `id`, so that it can be closed to make room.
    pub fn started(&self, id: u64, abort: AbortHandle) {
        if let Some(slot) = self.lock().iter_mut().find(|slot| slot.id == id) {
            slot.abort = Some(abort);
        }
    }

    /// Connection `id` ended (or was closed to make room).
    pub fn release(&self, id: u64) {
        let mut open = self.lock();
        if let Some(i) = open.iter().position(|slot| slot.id == id) {
            open.swap_remove(i);
        }
    }
}
