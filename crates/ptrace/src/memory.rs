//! Reading a stopped tracee's memory: `process_vm_readv` (one system call for a whole buffer),
//! falling back to `PTRACE_PEEKDATA` word by word when the kernel refuses it (for example
//! when `CONFIG_CROSS_MEMORY_ATTACH` is off), like strace's `src/ucopy.c`. Small reads go
//! through a cache of a few whole pages, as strace's do through its one: the strings of an
//! argv, the buffers of a writev's iovecs usually share a page, and one system call then reads
//! them all (a few pages, because decoders alternate between an array and what it points to).

use std::cell::RefCell;

const PAGE_SIZE: u64 = 4096;
/// How many pages one stop keeps.
const CACHED_PAGES: usize = 4;

type Page = Box<[u8; PAGE_SIZE as usize]>;

thread_local! {
    /// The page buffers of dropped [`ProcessMemory`] values, for the next ones: a tracer makes
    /// one per stop, and a zeroed 4 KiB allocation per stop showed in its profile.
    static SPARE_PAGES: RefCell<Vec<Page>> = const { RefCell::new(Vec::new()) };
}

fn spare_page() -> Page {
    SPARE_PAGES
        .with(|spare| spare.borrow_mut().pop())
        .unwrap_or_else(|| Box::new([0; PAGE_SIZE as usize]))
}

fn keep_spare(page: Page) {
    SPARE_PAGES.with(|spare| {
        let mut spare = spare.borrow_mut();
        if spare.len() < CACHED_PAGES {
            spare.push(page);
        }
    });
}

/// The memory of one traced process, for one stop: the cached page is only right while the
/// tracee stays stopped, so make a new one at each stop.
#[derive(Debug)]
pub struct ProcessMemory {
    pid: i32,
    /// Pages read whole, the most recently used first: address and contents.
    pages: Vec<(u64, Page)>,
}

impl Drop for ProcessMemory {
    fn drop(&mut self) {
        self.forget_pages();
    }
}

impl ProcessMemory {
    pub fn new(pid: i32) -> ProcessMemory {
        ProcessMemory {
            pid,
            pages: Vec::new(),
        }
    }

    /// Copies up to `buf.len()` bytes from `addr` in the tracee. Returns how many bytes were
    /// readable: fewer than asked when the range runs into an unmapped page, 0 for a bad
    /// address.
    pub fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        if buf.is_empty() || addr == 0 {
            return 0;
        }
        if buf.len() > PAGE_SIZE as usize {
            return self.read_uncached(addr, buf);
        }
        // Page by page from the cache; from the first page that cannot be read whole, as
        // asked, so the kernel says how much is readable.
        let mut done = 0;
        while done < buf.len() {
            let at = addr.wrapping_add(done as u64);
            let page = at & !(PAGE_SIZE - 1);
            if !self.cache_page(page) {
                return done + self.read_uncached(at, &mut buf[done..]);
            }
            let start = (at - page) as usize;
            let n = (PAGE_SIZE as usize - start).min(buf.len() - done);
            buf[done..done + n].copy_from_slice(&self.pages[0].1[start..start + n]);
            done += n;
        }
        done
    }

    /// Makes `page` the most recently used cached page, reading it if needed; false if it
    /// cannot be read whole (then the read goes to the kernel as asked, which reports how much
    /// of it is readable).
    fn cache_page(&mut self, page: u64) -> bool {
        if let Some(at) = self.pages.iter().position(|(cached, _)| *cached == page) {
            self.pages[..=at].rotate_right(1);
            return true;
        }
        let mut bytes = if self.pages.len() == CACHED_PAGES {
            self.pages.pop().map(|(_, bytes)| bytes).expect("full")
        } else {
            spare_page()
        };
        if self.read_uncached(page, &mut bytes[..]) < PAGE_SIZE as usize {
            keep_spare(bytes);
            return false;
        }
        self.pages.insert(0, (page, bytes));
        true
    }

    /// Drops the cached pages, their buffers kept for the next stops.
    fn forget_pages(&mut self) {
        self.pages.drain(..).for_each(|(_, page)| keep_spare(page));
    }

    fn read_uncached(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        let local = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        let remote = libc::iovec {
            iov_base: addr as *mut libc::c_void,
            iov_len: buf.len(),
        };
        // SAFETY: both iovecs describe valid memory: `local` is our own buffer, `remote` is only
        // dereferenced by the kernel in the other process.
        let got = unsafe { libc::process_vm_readv(self.pid, &local, 1, &remote, 1, 0) };
        if got >= 0 {
            return got as usize;
        }
        let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        if errno == libc::EFAULT || errno == libc::ESRCH {
            // A bad address fails the same way with PEEKDATA; don't pay for it twice.
            return 0;
        }
        self.peek(addr, buf)
    }

    /// Writes `data` at `addr` in the tracee with `process_vm_writev` (writable mappings
    /// only, like strace's upoke). Returns how many bytes were written.
    pub fn write(&mut self, addr: u64, data: &[u8]) -> usize {
        if data.is_empty() || addr == 0 {
            return 0;
        }
        self.forget_pages();
        let local = libc::iovec {
            iov_base: data.as_ptr() as *mut libc::c_void,
            iov_len: data.len(),
        };
        let remote = libc::iovec {
            iov_base: addr as *mut libc::c_void,
            iov_len: data.len(),
        };
        // SAFETY: `local` describes our own buffer, which the kernel only reads; `remote` is
        // only dereferenced by the kernel in the other process.
        let put = unsafe { libc::process_vm_writev(self.pid, &local, 1, &remote, 1, 0) };
        if put > 0 {
            put as usize
        } else {
            // Like strace, word by word through ptrace when process_vm_writev fails.
            self.poke(addr, data)
        }
    }

    /// PTRACE_POKEDATA of `data` at `addr`, each partial word read first. The bytes written
    /// before the first word that could not be.
    fn poke(&mut self, addr: u64, data: &[u8]) -> usize {
        let mut done = 0usize;
        while done < data.len() {
            let at = addr + done as u64;
            let aligned = at & !7;
            let skip = (at - aligned) as usize;
            let take = (8 - skip).min(data.len() - done);
            let mut bytes = [0u8; 8];
            if (skip, take) != (0, 8) && self.peek(aligned, &mut bytes) < 8 {
                break;
            }
            bytes[skip..skip + take].copy_from_slice(&data[done..done + take]);
            // SAFETY: POKEDATA copies the word argument into the stopped tracee.
            let r = unsafe {
                libc::ptrace(
                    libc::PTRACE_POKEDATA,
                    self.pid,
                    aligned as *mut libc::c_void,
                    i64::from_ne_bytes(bytes) as *mut libc::c_void,
                )
            };
            if r == -1 {
                break;
            }
            done += take;
        }
        done
    }

    fn peek(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        let mut done = 0usize;
        while done < buf.len() {
            let at = addr + done as u64;
            let aligned = at & !7;
            let skip = (at - aligned) as usize;
            // SAFETY: errno is thread-local; PEEKDATA returns the word or -1 with errno set.
            let word = unsafe {
                *libc::__errno_location() = 0;
                libc::ptrace(
                    libc::PTRACE_PEEKDATA,
                    self.pid,
                    aligned as *mut libc::c_void,
                    0,
                )
            };
            if word == -1 && unsafe { *libc::__errno_location() } != 0 {
                break;
            }
            let bytes = word.to_ne_bytes();
            let take = (8 - skip).min(buf.len() - done);
            buf[done..done + take].copy_from_slice(&bytes[skip..skip + take]);
            done += take;
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_memory() {
        // process_vm_readv on ourselves needs no ptrace relationship.
        let source = b"hello saker tracer".to_vec();
        let mut memory = ProcessMemory::new(std::process::id() as i32);
        let mut buf = [0u8; 18];
        assert_eq!(memory.read(source.as_ptr() as u64, &mut buf), 18);
        assert_eq!(&buf, b"hello saker tracer");
        assert_eq!(memory.read(0, &mut buf), 0);
        assert_eq!(memory.read(8, &mut buf), 0, "unmapped low page");
    }

    /// Reads within one page come from one copy of it; a write drops the copy; a read that
    /// runs into an unreadable page still returns what is readable.
    #[test]
    fn caches_one_page_and_reads_up_to_a_hole() {
        // SAFETY: an anonymous mapping of two pages, the second made inaccessible.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                2 * PAGE_SIZE as usize,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert_ne!(base, libc::MAP_FAILED);
        let start = base as u64;
        // SAFETY: the first page is ours and writable; the second loses all access.
        unsafe {
            std::ptr::copy_nonoverlapping(b"first".as_ptr(), base.cast::<u8>().add(10), 5);
            libc::mprotect(
                base.cast::<u8>().add(PAGE_SIZE as usize).cast(),
                PAGE_SIZE as usize,
                libc::PROT_NONE,
            );
        }
        let mut memory = ProcessMemory::new(std::process::id() as i32);
        let mut five = [0u8; 5];
        assert_eq!(memory.read(start + 10, &mut five), 5);
        assert_eq!(&five, b"first");
        // Changed behind the cache's back: a copy of the page answers until a write.
        // SAFETY: still our first page.
        unsafe { std::ptr::copy_nonoverlapping(b"later".as_ptr(), base.cast::<u8>().add(10), 5) };
        assert_eq!(memory.read(start + 10, &mut five), 5);
        assert_eq!(&five, b"first", "served from the cached page");
        assert_eq!(memory.write(start + 20, b"x"), 1);
        assert_eq!(memory.read(start + 10, &mut five), 5);
        assert_eq!(&five, b"later", "the write dropped the cached page");
        let mut across = [0u8; 16];
        assert_eq!(memory.read(start + PAGE_SIZE - 8, &mut across), 8);
        assert_eq!(memory.read(start + PAGE_SIZE, &mut five), 0);
        // SAFETY: unmapping what was mapped above.
        unsafe { libc::munmap(base, 2 * PAGE_SIZE as usize) };
    }
}
