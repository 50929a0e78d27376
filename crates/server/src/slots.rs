//! Connection slots: at most `max_connections` connections at once. When every slot is
//! taken, the connection that has waited longest without a request in progress — a client
//! sending its headers slowly (slowloris), an idle keep-alive — gives its slot to the
//! newcomer. So clients holding connections open cannot keep health checks and the audit
//! webhook out. An answer the client stopped reading (or an event stream with nothing to
//! send) counts as idle once it made no progress for [`STALLED_ANSWER`]: a client that
//! requests and never reads holds no slot against the others. Only when every connection
//! is busy with a request (or younger than [`MIN_IDLE`]) is the newcomer refused.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::task::AbortHandle;

/// A connection idle for less than this keeps its slot: a client between two requests of a
/// burst is not cut off.
pub(crate) const MIN_IDLE: Duration = Duration::from_secs(1);

/// An answer that made no progress for this long may give its slot to a newcomer.
pub(crate) const STALLED_ANSWER: Duration = Duration::from_secs(10);

pub(crate) struct Slots {
    max: usize,
    stalled_answer: Duration,
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
    /// While an answer is being sent: when it last handed a piece to the connection.
    answer_progress_ms: AtomicU64,
    answering: AtomicBool,
    epoch: Instant,
}

impl Activity {
    pub fn request_started(&self) {
        self.in_request.store(true, Ordering::Release);
    }

    pub fn request_done(&self) {
        let now = self.now_ms();
        self.idle_since_ms.store(now, Ordering::Release);
        self.answering.store(false, Ordering::Release);
        self.in_request.store(false, Ordering::Release);
    }

    /// The answer's body went out, or a piece of it did.
    pub fn answer_progressed(&self) {
        self.answer_progress_ms
            .store(self.now_ms(), Ordering::Release);
        self.answering.store(true, Ordering::Release);
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Since when the connection may make room: idle since, or stalled in its answer since.
    fn evictable_since(&self, now: u64, stalled_answer: Duration) -> Option<u64> {
        if !self.in_request.load(Ordering::Acquire) {
            let since = self.idle_since_ms.load(Ordering::Acquire);
            return (now.saturating_sub(since) >= MIN_IDLE.as_millis() as u64).then_some(since);
        }
        if !self.answering.load(Ordering::Acquire) {
            return None;
        }
        let since = self.answer_progress_ms.load(Ordering::Acquire);
        (now.saturating_sub(since) >= stalled_answer.as_millis() as u64).then_some(since)
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
        Self::with_stalled_answer(max, STALLED_ANSWER)
    }

    fn with_stalled_answer(max: usize, stalled_answer: Duration) -> Self {
        Slots {
            max: max.max(1),
            stalled_answer,
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
            let victim = open
                .iter()
                .enumerate()
                .filter(|(_, slot)| slot.abort.is_some())
                .filter_map(|(i, slot)| {
                    let since = slot.activity.evictable_since(now, self.stalled_answer)?;
                    Some((i, since))
                })
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
            answer_progress_ms: AtomicU64::new(now),
            answering: AtomicBool::new(false),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A slot whose connection task can be aborted, as the server's are.
    fn open(slots: &Slots, runtime: &tokio::runtime::Runtime) -> Option<Ticket> {
        let ticket = slots.reserve()?;
        let task = runtime.spawn(std::future::pending::<()>());
        slots.started(ticket.id, task.abort_handle());
        Some(ticket)
    }

    /// Waits (with a generous deadline) for a newcomer to get a slot.
    fn newcomer_admitted(slots: &Slots, runtime: &tokio::runtime::Runtime) -> Option<Ticket> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(ticket) = open(slots, runtime) {
                return Some(ticket);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    #[test]
    fn an_answer_the_client_stopped_reading_gives_up_its_slot() {
        let runtime = runtime();
        let slots = Slots::with_stalled_answer(1, Duration::from_millis(100));
        let reader = open(&slots, &runtime).unwrap();
        reader.activity.request_started();
        reader.activity.answer_progressed();
        // Its answer stalls (the client reads no more): the newcomer gets the slot.
        let newcomer = newcomer_admitted(&slots, &runtime).expect("the stalled answer made room");
        assert!(newcomer.evicted);
    }

    #[test]
    fn a_request_being_handled_keeps_its_slot() {
        let runtime = runtime();
        let slots = Slots::with_stalled_answer(1, Duration::from_millis(100));
        let busy = open(&slots, &runtime).unwrap();
        busy.activity.request_started();
        std::thread::sleep(Duration::from_millis(300));
        assert!(open(&slots, &runtime).is_none(), "no answer yet: busy");
    }
}
