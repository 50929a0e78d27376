//! Thin wrappers over the raw `ptrace` requests the tracer uses. Each one is a single system
//! call; errors come back as `io::Error` from errno.

use std::io;

pub const PTRACE_GET_SYSCALL_INFO: libc::c_uint = 0x420e;
pub const PTRACE_SYSCALL_INFO_ENTRY: u8 = 1;
pub const PTRACE_SYSCALL_INFO_EXIT: u8 = 2;
pub const PTRACE_SYSCALL_INFO_SECCOMP: u8 = 3;

/// `struct ptrace_syscall_info` (include/uapi/linux/ptrace.h, Linux 5.3+). The union is kept
/// as raw words: entry and seccomp put `nr` then six args there; exit puts `rval` then
/// `is_error` in the low byte of the next word.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct SyscallInfo {
    pub op: u8,
    pub pad: [u8; 3],
    pub arch: u32,
    pub instruction_pointer: u64,
    pub stack_pointer: u64,
    pub data: [u64; 8],
}

impl SyscallInfo {
    pub fn nr(&self) -> u64 {
        self.data[0]
    }

    pub fn args(&self) -> [u64; 6] {
        [
            self.data[1],
            self.data[2],
            self.data[3],
            self.data[4],
            self.data[5],
            self.data[6],
        ]
    }

    pub fn rval(&self) -> i64 {
        self.data[0] as i64
    }

    pub fn is_error(&self) -> bool {
        self.data[1] & 0xff != 0
    }
}

fn check(ret: libc::c_long) -> io::Result<libc::c_long> {
    if ret == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// Issues a ptrace request whose `data` is an integer (signal number, options).
pub fn request(req: libc::c_uint, pid: i32, addr: usize, data: usize) -> io::Result<libc::c_long> {
    // SAFETY: none of the requests used through this wrapper dereference addr/data as pointers.
    check(unsafe {
        libc::ptrace(
            req,
            pid,
            addr as *mut libc::c_void,
            data as *mut libc::c_void,
        )
    })
}

pub fn syscall_info(pid: i32, info: &mut SyscallInfo) -> io::Result<usize> {
    // SAFETY: the kernel writes at most `size_of::<SyscallInfo>()` bytes into `info`.
    let ret = unsafe {
        libc::ptrace(
            PTRACE_GET_SYSCALL_INFO,
            pid,
            std::mem::size_of::<SyscallInfo>() as *mut libc::c_void,
            info as *mut SyscallInfo as *mut libc::c_void,
        )
    };
    check(ret).map(|n| n as usize)
}

pub fn siginfo(pid: i32, info: &mut libc::siginfo_t) -> io::Result<()> {
    // SAFETY: the kernel fills a `siginfo_t`.
    let ret = unsafe {
        libc::ptrace(
            libc::PTRACE_GETSIGINFO,
            pid,
            std::ptr::null_mut::<libc::c_void>(),
            info as *mut libc::siginfo_t as *mut libc::c_void,
        )
    };
    check(ret).map(|_| ())
}

pub fn event_message(pid: i32) -> io::Result<u64> {
    let mut message: libc::c_ulong = 0;
    // SAFETY: the kernel writes one unsigned long.
    let ret = unsafe {
        libc::ptrace(
            libc::PTRACE_GETEVENTMSG,
            pid,
            std::ptr::null_mut::<libc::c_void>(),
            &mut message as *mut libc::c_ulong as *mut libc::c_void,
        )
    };
    check(ret).map(|_| message as u64)
}

/// `orig_rax` from the user area: the syscall number when no entry stop was seen (a tracee
/// attached in the middle of a call).
pub fn peek_orig_rax(pid: i32) -> io::Result<u64> {
    // SAFETY: errno is cleared first so a legitimate -1 word can be told from an error.
    unsafe {
        *libc::__errno_location() = 0;
        let word = libc::ptrace(
            libc::PTRACE_PEEKUSER,
            pid,
            ORIG_RAX_OFFSET as *mut libc::c_void,
            std::ptr::null_mut::<libc::c_void>(),
        );
        if word == -1 && *libc::__errno_location() != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(word as u64)
    }
}

/// What `wait4` reported.
pub struct Waited {
    pub pid: i32,
    pub status: i32,
    pub rusage: libc::rusage,
}

/// `wait4` with `__WALL`, so threads (clone children) are reported too.
pub fn wait_any(pid: i32, flags: i32, want_rusage: bool) -> io::Result<Option<Waited>> {
    let mut status = 0;
    // SAFETY: rusage is plain data; the kernel fills it when the pointer is non-null.
    let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
    let usage_ptr = if want_rusage {
        &mut rusage as *mut libc::rusage
    } else {
        std::ptr::null_mut()
    };
    // SAFETY: valid pointers to our own locals.
    let got = unsafe { libc::wait4(pid, &mut status, libc::__WALL | flags, usage_ptr) };
    if got < 0 {
        return Err(io::Error::last_os_error());
    }
    if got == 0 {
        return Ok(None);
    }
    Ok(Some(Waited {
        pid: got,
        status,
        rusage,
    }))
}

/// Offsets in the user area (`struct user_regs_struct`, x86_64) of the registers the tracer
/// changes.
const RAX_OFFSET: usize = 10 * 8;
const ORIG_RAX_OFFSET: usize = 15 * 8;

fn poke_user(pid: i32, offset: usize, value: u64) -> io::Result<()> {
    request(libc::PTRACE_POKEUSER, pid, offset, value as usize).map(|_| ())
}

/// Sets the syscall number of a tracee at its syscall-entry stop: -1 skips the call (the
/// kernel then returns -ENOSYS), another number runs that call instead.
pub fn set_syscall_number(pid: i32, nr: i64) -> io::Result<()> {
    poke_user(pid, ORIG_RAX_OFFSET, nr as u64)
}

/// Sets the return value of a tracee at its syscall-exit stop (-errno for a failure).
pub fn set_return_value(pid: i32, value: u64) -> io::Result<()> {
    poke_user(pid, RAX_OFFSET, value)
}

/// All general registers of a stopped tracee.
pub fn registers(pid: i32) -> io::Result<libc::user_regs_struct> {
    // SAFETY: the kernel fills a `user_regs_struct`, which is plain data.
    unsafe {
        let mut regs: libc::user_regs_struct = std::mem::zeroed();
        let ret = libc::ptrace(
            libc::PTRACE_GETREGS,
            pid,
            std::ptr::null_mut::<libc::c_void>(),
            &mut regs as *mut libc::user_regs_struct as *mut libc::c_void,
        );
        check(ret).map(|_| regs)
    }
}
