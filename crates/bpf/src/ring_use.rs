//! How full the capture's ring buffer gets: the kernel keeps the consumer position in the map's
//! first page and the producer position in the second, and lets any process holding the map fd
//! map both read-only. The reader samples them before each drain, when the ring is fullest.

use std::os::fd::RawFd;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::BpfError;

/// The two position pages of a ring buffer map, mapped read-only.
pub(crate) struct RingPositions {
    base: NonNull<u8>,
    page: usize,
}

// SAFETY: the mapping is read-only shared memory that lives as long as the value; reads go
// through atomics.
unsafe impl Send for RingPositions {}
unsafe impl Sync for RingPositions {}

impl RingPositions {
    pub(crate) fn map(fd: RawFd) -> Result<RingPositions, BpfError> {
        // SAFETY: sysconf has no preconditions.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
        // SAFETY: a new read-only shared mapping of the map fd's first two pages; the kernel
        // checks the fd and the range.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                2 * page,
                libc::PROT_READ,
                libc::MAP_SHARED,
                fd,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(BpfError::RingPositions {
                source: std::io::Error::last_os_error(),
            });
        }
        let base = NonNull::new(ptr.cast::<u8>()).ok_or_else(|| BpfError::RingPositions {
            source: std::io::Error::other("mmap returned a null address"),
        })?;
        Ok(RingPositions { base, page })
    }

    /// Bytes the producers have queued that the reader has not consumed yet.
    pub(crate) fn used(&self) -> u64 {
        // SAFETY: both offsets lie in the mapping, are 8-byte aligned (page starts) and hold
        // the kernel's unsigned long positions, which it updates atomically.
        let (consumer, producer) = unsafe {
            let consumer = &*self.base.as_ptr().cast::<AtomicU64>();
            let producer = &*self.base.as_ptr().add(self.page).cast::<AtomicU64>();
            (
                consumer.load(Ordering::Acquire),
                producer.load(Ordering::Acquire),
            )
        };
        producer.saturating_sub(consumer)
    }
}

impl Drop for RingPositions {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `map`, once.
        unsafe { libc::munmap(self.base.as_ptr().cast(), 2 * self.page) };
    }
}

/// How full the ring buffer was: its size and the most bytes waiting at one read since the
/// last time this was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingUse {
    pub size_bytes: u64,
    pub peak_used_bytes: u64,
}
