//! The capture's ring buffer, read in place, and how full it gets.
//!
//! The kernel keeps the consumer position in the map's first page (which the reader maps
//! writable and advances), the producer position in the second, and the data after it, mapped
//! twice in a row so that a record that wraps around the end reads as one slice
//! (kernel/bpf/ringbuf.c). aya's `RingBuf` does the same but publishes the consumer position
//! after every record; the capture programs read that position at every reserve (to check for
//! room), so while the reader drains, each publication cost the writing CPU a cache miss. This
//! reader publishes every [`PUBLISH_EVERY`] records, when it catches up and at the end of each
//! read: on this 2-CPU VM the daemon went from 260 to 207 ms of CPU per 1M events on
//! bench/run.sh (b) (docs/capture-bpf.md, "Reading the ring").

use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering, fence};

use aya::maps::MapData;

use crate::error::BpfError;

/// Records read between two publications of the consumer position.
const PUBLISH_EVERY: u32 = 64;

/// A record's 8-byte header: its length, with these two flags in the top bits, then the
/// kernel's page offset (`BPF_RINGBUF_*` of include/uapi/linux/bpf.h).
const BUSY_BIT: u32 = 1 << 31;
const DISCARD_BIT: u32 = 1 << 30;
const HEADER_BYTES: usize = 8;

/// One shared mapping, unmapped on drop.
struct Mapping {
    base: NonNull<u8>,
    len: usize,
}

impl Mapping {
    fn new(fd: RawFd, len: usize, prot: i32, offset: usize) -> Result<Mapping, BpfError> {
        let failed = || BpfError::RingMap {
            source: std::io::Error::last_os_error(),
        };
        let offset = libc::off_t::try_from(offset).map_err(|_| failed())?;
        // SAFETY: a new shared mapping of the map fd; the kernel checks the fd, the range and
        // the protection (only the consumer page may be writable).
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                prot,
                libc::MAP_SHARED,
                fd,
                offset,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(failed());
        }
        let base = NonNull::new(ptr.cast::<u8>()).ok_or_else(|| BpfError::RingMap {
            source: std::io::Error::other("mmap returned a null address"),
        })?;
        Ok(Mapping { base, len })
    }

    /// The kernel's `unsigned long` position at the mapping's start.
    fn position(&self) -> &AtomicUsize {
        // SAFETY: a page start is aligned for a usize and the kernel updates it atomically;
        // the mapping lives as long as self.
        unsafe { &*self.base.as_ptr().cast::<AtomicUsize>() }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `new`, once.
        unsafe { libc::munmap(self.base.as_ptr().cast(), self.len) };
    }
}

/// The events ring buffer of a capture, read in place.
pub(crate) struct RingReader {
    /// Keeps the map fd open for the mappings and for `poll`.
    map: MapData,
    /// The consumer position's page, writable.
    consumer: Mapping,
    /// The producer position's page, then the data twice.
    producer: Mapping,
    page: usize,
    /// Data bytes: a power of two.
    size: usize,
    /// Where the next record starts (ahead of the published position by what is unpublished).
    pos: usize,
    unpublished: u32,
    /// A publication since the last full fence (see [`RingReader::catch_up`]).
    fence_due: bool,
    /// The producer position last read: records up to it need no new read of it.
    producer_seen: usize,
}

// SAFETY: the mappings are the ring's shared memory, owned by this value and accessed through
// atomics and slices of committed records only; nothing is tied to a thread.
unsafe impl Send for RingReader {}
unsafe impl Sync for RingReader {}

impl RingReader {
    /// Maps the ring buffer `map` of `size` data bytes (a power of two of pages).
    pub(crate) fn new(map: MapData, size: u32) -> Result<RingReader, BpfError> {
        // SAFETY: sysconf has no preconditions.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
        let size = size as usize;
        let fd = map.fd().as_fd().as_raw_fd();
        let consumer = Mapping::new(fd, page, libc::PROT_READ | libc::PROT_WRITE, 0)?;
        let producer = Mapping::new(fd, page + 2 * size, libc::PROT_READ, page)?;
        let pos = consumer.position().load(Ordering::Acquire);
        Ok(RingReader {
            map,
            consumer,
            producer,
            page,
            size,
            pos,
            unpublished: 0,
            fence_due: false,
            producer_seen: pos,
        })
    }

    /// Data bytes of the ring.
    pub(crate) fn size(&self) -> u64 {
        self.size as u64
    }

    /// The map's fd, to wait on with `poll`.
    pub(crate) fn fd(&self) -> RawFd {
        self.map.fd().as_fd().as_raw_fd()
    }

    /// Bytes the producers have queued that this reader has not read yet.
    pub(crate) fn used(&self) -> u64 {
        let producer = self.producer.position().load(Ordering::Acquire);
        producer.wrapping_sub(self.pos) as u64
    }

    /// Hands up to `max` committed records to `f`, in order, and returns how many.
    pub(crate) fn read(&mut self, max: usize, mut f: impl FnMut(&[u8])) -> usize {
        let mut handled = 0;
        while handled < max {
            let Some(len_word) = self.next_header() else {
                break;
            };
            let len =
                ((len_word & !(BUSY_BIT | DISCARD_BIT)) as usize).min(self.size - HEADER_BYTES);
            if len_word & DISCARD_BIT == 0 {
                let start = self.page + (self.pos & (self.size - 1)) + HEADER_BYTES;
                // SAFETY: a committed record of `len` bytes from `start`: it lies within the
                // data mapped twice in a row, so it never runs past the mapping's end, and the
                // kernel does not reuse it before the consumer position passes it.
                let record = unsafe {
                    std::slice::from_raw_parts(self.producer.base.as_ptr().add(start), len)
                };
                f(record);
                handled += 1;
            }
            self.pos += (HEADER_BYTES + len).next_multiple_of(8);
            self.unpublished += 1;
            if self.unpublished >= PUBLISH_EVERY {
                self.publish();
            }
        }
        self.publish();
        handled
    }

    /// The length word of the next committed record; `None` when there is none yet.
    fn next_header(&mut self) -> Option<u32> {
        if self.pos == self.producer_seen {
            self.catch_up();
            self.producer_seen = self.producer.position().load(Ordering::Acquire);
            if self.pos == self.producer_seen {
                return None;
            }
        }
        let header = self.page + (self.pos & (self.size - 1));
        // SAFETY: the header of a reserved record (below the producer position), 8-aligned
        // within the data mapping; the kernel writes its length word atomically.
        let len_word = unsafe { &*self.producer.base.as_ptr().add(header).cast::<AtomicU32>() };
        let mut word = len_word.load(Ordering::Acquire);
        if word & BUSY_BIT != 0 {
            // Reserved, not committed yet: a record committed without a wakeup flag wakes the
            // reader only when the kernel sees it caught up, so it must see our position.
            self.catch_up();
            word = len_word.load(Ordering::Acquire);
            if word & BUSY_BIT != 0 {
                return None;
            }
        }
        Some(word)
    }

    /// Publishes the position, then a full fence, before looking for more: either the next
    /// look sees a record committed meanwhile, or its producer sees the reader caught up and
    /// wakes it (a release store alone may pass the load that follows it).
    fn catch_up(&mut self) {
        self.publish();
        if self.fence_due {
            fence(Ordering::SeqCst);
            self.fence_due = false;
        }
    }

    fn publish(&mut self) {
        if self.unpublished > 0 {
            self.unpublished = 0;
            self.consumer.position().store(self.pos, Ordering::Release);
            self.fence_due = true;
        }
    }
}

/// How full the ring buffer was: its size and the most bytes waiting at one read since the
/// last time this was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingUse {
    pub size_bytes: u64,
    pub peak_used_bytes: u64,
}
