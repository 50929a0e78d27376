//! Reading a stopped tracee's memory: `process_vm_readv` (one system call for a whole buffer),
//! falling back to `PTRACE_PEEKDATA` word by word when the kernel refuses it (for example
//! when `CONFIG_CROSS_MEMORY_ATTACH` is off), like strace's `src/ucopy.c`.

/// The memory of one traced process. Cheap to create: it holds only the pid.
#[derive(Debug, Clone, Copy)]
pub struct ProcessMemory {
    pid: i32,
}

impl ProcessMemory {
    pub fn new(pid: i32) -> ProcessMemory {
        ProcessMemory { pid }
    }

    /// Copies up to `buf.len()` bytes from `addr` in the tracee. Returns how many bytes were
    /// readable: fewer than asked when the range runs into an unmapped page, 0 for a bad
    /// address.
    pub fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        if buf.is_empty() || addr == 0 {
            return 0;
        }
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
}
