//! Data-driven decoder tests: registers and a memory fixture in, strace's line out.
//! Expected lines were copied from strace 6.1 runs on this machine (Debian 12, kernel 6.18)
//! unless a comment says otherwise; `tests/against_strace.rs` checks whole runs live.

use super::*;
use crate::number;

/// Tracee memory made of (address, bytes) regions.
#[derive(Default)]
struct Fixture {
    regions: Vec<(u64, Vec<u8>)>,
    sp: Option<u64>,
}

impl Fixture {
    fn with(mut self, addr: u64, bytes: &[u8]) -> Self {
        self.regions.push((addr, bytes.to_vec()));
        self
    }
    fn ptrs(self, addr: u64, ptrs: &[u64]) -> Self {
        let bytes: Vec<u8> = ptrs.iter().flat_map(|p| p.to_ne_bytes()).collect();
        self.with(addr, &bytes)
    }
}

impl Memory for Fixture {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        for (start, bytes) in &self.regions {
            if addr >= *start && addr < start + bytes.len() as u64 {
                let off = (addr - start) as usize;
                let n = (bytes.len() - off).min(buf.len());
                buf[..n].copy_from_slice(&bytes[off..off + n]);
                return n;
            }
        }
        0
    }
    fn stack_pointer(&mut self) -> Option<u64> {
        self.sp
    }
}

/// fd 3 is a file, 4 a TCP socket, 1 /dev/null; the working directory is /root.
struct Fds;

impl FdInfo for Fds {
    fn path(&mut self, fd: i32) -> Option<String> {
        match fd {
            -100 => Some("/root".into()),
            1 => Some("/dev/null".into()),
            3 => Some("/etc/passwd".into()),
            4 => Some("socket:[31337]".into()),
            _ => None,
        }
    }
    fn socket(&mut self, fd: i32) -> Option<String> {
        (fd == 4).then(|| "TCP:[127.0.0.1:80->127.0.0.1:5000]".into())
    }
    fn device(&mut self, fd: i32) -> Option<String> {
        (fd == 1).then(|| "char 1:3".into())
    }
}

fn run(name: &str, args: [u64; 6], mem: &mut Fixture, ret: i64, style: &Style) -> (Entry, Decoded) {
    let nr = number(name).unwrap_or_else(|| name.parse().unwrap());
    let entry = decode_entry(nr, args, mem, &mut Fds, style);
    let done = decode_exit(&entry, ret, mem, &mut Fds, style);
    (entry, done)
}

/// Checks the whole line `call = result` with the default style.
fn check(name: &str, args: [u64; 6], mem: &mut Fixture, ret: i64, expect: &str) {
    check_style(name, args, mem, ret, &Style::default(), expect);
}

fn check_style(
    name: &str,
    args: [u64; 6],
    mem: &mut Fixture,
    ret: i64,
    style: &Style,
    expect: &str,
) {
    let (_, done) = run(name, args, mem, ret, style);
    assert_eq!(format!("{} = {}", done.call, done.result), expect);
}

const NEG: fn(i64) -> u64 = |v| v as u64;

#[test]
fn execve_argv_and_envp() {
    let mut m = Fixture::default()
        .with(0x1000, b"/tmp/exercise\0")
        .with(0x1100, b"/tmp/exd\0")
        .ptrs(0x2000, &[0x1000, 0x1100, 0])
        .ptrs(0x7ffc2d1ab7d8, &[0x1100, 0x1100, 0x1100, 0]);
    let args = [0x1000, 0x2000, 0x7ffc2d1ab7d8, 0, 0, 0];
    check(
        "execve",
        args,
        &mut m,
        0,
        r#"execve("/tmp/exercise", ["/tmp/exercise", "/tmp/exd"], 0x7ffc2d1ab7d8 /* 3 vars */) = 0"#,
    );
    let verbose = Style {
        verbose: true,
        ..Style::default()
    };
    check_style(
        "execve",
        args,
        &mut m,
        -2,
        &verbose,
        r#"execve("/tmp/exercise", ["/tmp/exercise", "/tmp/exd"], ["/tmp/exd", "/tmp/exd", "/tmp/exd"]) = -1 ENOENT (No such file or directory)"#,
    );
}

#[test]
fn arrays_are_cut_at_the_string_limit_unless_verbose() {
    // From `strace -e trace=execve /bin/echo 1 ... 40`: `..., "31", ...], 0x7ffc... /* 35 vars */`.
    let mut m = Fixture::default().with(0x1000, b"x\0");
    let ptrs: Vec<u64> = std::iter::repeat_n(0x1000, 40).chain([0]).collect();
    m = m.ptrs(0x2000, &ptrs);
    let (_, done) = run(
        "execve",
        [0x1000, 0x2000, 0, 0, 0, 0],
        &mut m,
        0,
        &Style::default(),
    );
    assert_eq!(done.call.matches("\"x\"").count(), 33, "{}", done.call);
    assert!(done.call.ends_with("\"x\", ...], NULL)"), "{}", done.call);
    let verbose = Style {
        verbose: true,
        ..Style::default()
    };
    let (_, done) = run("execve", [0x1000, 0x2000, 0, 0, 0, 0], &mut m, 0, &verbose);
    assert_eq!(done.call.matches("\"x\"").count(), 41, "{}", done.call);
}

#[test]
fn strings_are_quoted_and_cut_like_strace() {
    // From `write(3, "hello\nworld\t\"quoted\" \\ \1\0020\377 end "..., 60) = 60`.
    let data = b"hello\nworld\t\"quoted\" \\ \x01\x020\xff end of a long line of text here";
    let mut m = Fixture::default().with(0x5000, data);
    check(
        "write",
        [3, 0x5000, 60, 0, 0, 0],
        &mut m,
        60,
        r#"write(3, "hello\nworld\t\"quoted\" \\ \1\0020\377 end "..., 60) = 60"#,
    );
    // Exactly -s bytes: no ellipsis.
    check(
        "write",
        [1, 0x5000, 5, 0, 0, 0],
        &mut m,
        5,
        r#"write(1, "hello", 5) = 5"#,
    );
    let s4 = Style {
        string_limit: 4,
        ..Style::default()
    };
    check_style(
        "write",
        [1, 0x5000, 5, 0, 0, 0],
        &mut m,
        5,
        &s4,
        r#"write(1, "hell"..., 5) = 5"#,
    );
    // -x: hex only when a byte is not printable; -xx always.
    let x1 = Style {
        hex: 1,
        ..Style::default()
    };
    check_style(
        "write",
        [1, 0x5000, 5, 0, 0, 0],
        &mut m,
        5,
        &x1,
        r#"write(1, "hello", 5) = 5"#,
    );
    check_style(
        "write",
        [1, 0x5000, 6, 0, 0, 0],
        &mut m,
        6,
        &x1,
        r#"write(1, "hello\n", 6) = 6"#,
    );
    let mut bin = Fixture::default().with(0x5000, b"hi\x01");
    check_style(
        "write",
        [1, 0x5000, 3, 0, 0, 0],
        &mut bin,
        3,
        &x1,
        r#"write(1, "\x68\x69\x01", 3) = 3"#,
    );
    let x2 = Style {
        hex: 2,
        ..Style::default()
    };
    check_style(
        "write",
        [1, 0x5000, 2, 0, 0, 0],
        &mut m,
        2,
        &x2,
        r#"write(1, "\x68\x65", 2) = 2"#,
    );
    // An unreadable buffer prints its address.
    check(
        "write",
        [1, 0x9000, 2, 0, 0, 0],
        &mut m,
        2,
        "write(1, 0x9000, 2) = 2",
    );
}

#[test]
fn file_names_are_never_cut() {
    let long = format!("/{}\0", "a".repeat(100));
    let mut m = Fixture::default().with(0x1000, long.as_bytes());
    let style = Style {
        string_limit: 4,
        ..Style::default()
    };
    let (_, done) = run("openat", [NEG(-100), 0x1000, 0, 0, 0, 0], &mut m, 3, &style);
    assert_eq!(
        done.call,
        format!("openat(AT_FDCWD, \"{}\", O_RDONLY)", &long[..101])
    );
}

#[test]
fn unfinished_and_resumed_text() {
    // strace -f: `read(3,  <unfinished ...>` ... `<... read resumed>"root:x:0:0"..., 4096) = 10`.
    let mut m = Fixture::default().with(0x5000, b"root:x:0:0");
    let (entry, done) = run(
        "read",
        [3, 0x5000, 4096, 0, 0, 0],
        &mut m,
        10,
        &Style::default(),
    );
    assert_eq!(entry.text_so_far(), "read(3, ");
    assert!(!entry.is_complete());
    assert_eq!(done.resumed_args(), r#""root:x:0:0", 4096)"#);
    assert_eq!(
        done.args().collect::<Vec<_>>(),
        ["3", r#""root:x:0:0""#, "4096"]
    );
    // Inputs only: everything is printed at entry, the rest is the closing parenthesis.
    let (entry, done) = run("close", [3, 0, 0, 0, 0, 0], &mut m, 0, &Style::default());
    assert_eq!(entry.text_so_far(), "close(3");
    assert!(entry.is_complete());
    assert_eq!(done.resumed_args(), ")");
    // poll prints every argument at entry and the events at exit: cut by the process's
    // death, strace prints `<... poll resumed> <unfinished ...>) = ?`.
    let mut m = Fixture::default().with(0x7000, &[3, 0, 0, 0, 1, 0, 0, 0]);
    let (entry, _) = run(
        "poll",
        [0x7000, 1, NEG(-1), 0, 0, 0],
        &mut m,
        0,
        &Style::default(),
    );
    assert_eq!(entry.text_so_far(), "poll([{fd=3, events=POLLIN}], 1, -1");
    assert!(!entry.is_complete());
    // An output first argument: `pipe2(` then `[3, 4], O_CLOEXEC)`.
    let mut m = Fixture::default().with(0x6000, &[3, 0, 0, 0, 4, 0, 0, 0]);
    let (entry, done) = run(
        "pipe2",
        [0x6000, 0o2000000, 0, 0, 0, 0],
        &mut m,
        0,
        &Style::default(),
    );
    assert_eq!(entry.text_so_far(), "pipe2(");
    assert!(!entry.is_complete());
    assert_eq!(done.resumed_args(), "[3, 4], O_CLOEXEC)");
    // clone finishes its arguments at exit with a separator of its own:
    // `<... clone resumed>, child_tidptr=0x7f4df6b2fa10) = 8425`.
    let flags = 0x0120_0000 | 17;
    let (entry, done) = run(
        "clone",
        [flags, 0, 0, 0x7f4df6b2fa10, 0, 0],
        &mut m,
        8425,
        &Style::default(),
    );
    assert_eq!(
        entry.text_so_far(),
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"
    );
    assert_eq!(done.resumed_args(), ", child_tidptr=0x7f4df6b2fa10)");
    assert_eq!(done.result, "8425");
}

#[test]
fn results() {
    let mut m = Fixture::default();
    check(
        "close",
        [999, 0, 0, 0, 0, 0],
        &mut m,
        -9,
        "close(999) = -1 EBADF (Bad file descriptor)",
    );
    check(
        "brk",
        [0, 0, 0, 0, 0, 0],
        &mut m,
        0x563b5c1b3000,
        "brk(NULL) = 0x563b5c1b3000",
    );
    check(
        "umask",
        [0o22, 0, 0, 0, 0, 0],
        &mut m,
        0o22,
        "umask(022) = 022",
    );
    check(
        "read",
        [0, 0x5000, 10, 0, 0, 0],
        &mut m,
        -512,
        "read(0, 0x5000, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)",
    );
    check("getpid", [0; 6], &mut m, 4910, "getpid() = 4910");
    // From `personality(0xffffffff) = 0 (PER_LINUX)` under strace 6.1.
    check(
        "personality",
        [0xffff_ffff, 0, 0, 0, 0, 0],
        &mut m,
        0,
        "personality(0xffffffff) = 0 (PER_LINUX)",
    );
    // Unknown numbers: six raw arguments (from `syscall(1000, 1, 2, 3)` under strace 6.1).
    check(
        "1000",
        [1, 2, 3, 0x7ffded0f89d8, 0x7ffded0f89d8, 0x7ffded0f89d8],
        &mut m,
        -38,
        "syscall_0x3e8(0x1, 0x2, 0x3, 0x7ffded0f89d8, 0x7ffded0f89d8, 0x7ffded0f89d8) = -1 ENOSYS (Function not implemented)",
    );
    // Known but not decoded: the kernel's argument count in hex.
    check(
        "kexec_load",
        [0x1000, 2, 0, 0, 0, 0],
        &mut m,
        -1,
        "kexec_load(0x1000, 0x2, 0, 0) = -1 EPERM (Operation not permitted)",
    );
    check(
        "arch_prctl",
        [0x3001, 0x7ffded0f7640, 0, 0, 0, 0],
        &mut m,
        -22,
        "arch_prctl(0x3001 /* ARCH_??? */, 0x7ffded0f7640) = -1 EINVAL (Invalid argument)",
    );
}

#[test]
fn fds_with_y_and_yy() {
    let mut m = Fixture::default().with(0x1000, b"/etc/passwd\0");
    let y = Style {
        fd_decode: 1,
        ..Style::default()
    };
    check_style(
        "openat",
        [NEG(-100), 0x1000, 0o2000000, 0, 0, 0],
        &mut m,
        3,
        &y,
        r#"openat(AT_FDCWD</root>, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>"#,
    );
    check_style(
        "close",
        [4, 0, 0, 0, 0, 0],
        &mut m,
        0,
        &y,
        "close(4<socket:[31337]>) = 0",
    );
    let yy = Style {
        fd_decode: 2,
        ..Style::default()
    };
    check_style(
        "close",
        [4, 0, 0, 0, 0, 0],
        &mut m,
        0,
        &yy,
        "close(4<TCP:[127.0.0.1:80->127.0.0.1:5000]>) = 0",
    );
    check_style(
        "close",
        [1, 0, 0, 0, 0, 0],
        &mut m,
        0,
        &yy,
        "close(1</dev/null<char 1:3>>) = 0",
    );
}

#[test]
fn structs() {
    // stat of /dev/null: `{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}`.
    let mut st = [0u8; 144];
    st[24..28].copy_from_slice(&0o20666u32.to_ne_bytes());
    st[40..48].copy_from_slice(&0x103u64.to_ne_bytes());
    let mut m = Fixture::default()
        .with(0x1000, b"/dev/null\0")
        .with(0x2000, &st);
    check(
        "newfstatat",
        [NEG(-100), 0x1000, 0x2000, 0, 0, 0],
        &mut m,
        0,
        r#"newfstatat(AT_FDCWD, "/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, 0) = 0"#,
    );
    // A failed call shows the output pointer.
    check(
        "newfstatat",
        [NEG(-100), 0x1000, 0x2000, 0x100, 0, 0],
        &mut m,
        -2,
        r#"newfstatat(AT_FDCWD, "/dev/null", 0x2000, AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory)"#,
    );
    // rt_sigaction with an old action.
    let mut act = [0u8; 32];
    act[0..8].copy_from_slice(&1u64.to_ne_bytes());
    act[8..16].copy_from_slice(&0x1400_0000u64.to_ne_bytes());
    act[16..24].copy_from_slice(&0x7ff7ea99f050u64.to_ne_bytes());
    act[24..32].copy_from_slice(&(1u64 << 12).to_ne_bytes());
    let mut m = Fixture::default()
        .with(0x3000, &act)
        .with(0x4000, &[0u8; 32]);
    check(
        "rt_sigaction",
        [13, 0x3000, 0x4000, 8, 0, 0],
        &mut m,
        0,
        "rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[PIPE], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7ff7ea99f050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0",
    );
    // Signal masks: complement when more than half is set.
    let full = !((1u64 << 31) | (1 << 32) | (1 << 33));
    let mut m = Fixture::default()
        .with(0x3000, &full.to_ne_bytes())
        .with(0x4000, &0x21_0000u64.to_ne_bytes());
    check(
        "rt_sigprocmask",
        [2, 0x3000, 0x4000, 8, 0, 0],
        &mut m,
        0,
        "rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1 RT_2], [CHLD TTOU], 8) = 0",
    );
    // sockaddr_in and the in/out length of accept4.
    let mut sin = [0u8; 16];
    sin[0..2].copy_from_slice(&2u16.to_ne_bytes());
    sin[2..4].copy_from_slice(&41580u16.to_be_bytes());
    sin[4..8].copy_from_slice(&[127, 0, 0, 1]);
    let mut m = Fixture::default()
        .with(0x5000, &sin)
        .with(0x6000, &16u32.to_ne_bytes());
    check(
        "accept4",
        [3, 0x5000, 0x6000, 0o2000000, 0, 0],
        &mut m,
        5,
        r#"accept4(3, {sa_family=AF_INET, sin_port=htons(41580), sin_addr=inet_addr("127.0.0.1")}, [16], SOCK_CLOEXEC) = 5"#,
    );
    // wait4 status.
    let mut m = Fixture::default().with(0x7000, &(3u32 << 8).to_ne_bytes());
    check(
        "wait4",
        [4911, 0x7000, 0, 0, 0, 0],
        &mut m,
        4911,
        "wait4(4911, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 4911",
    );
}

#[test]
fn rt_sigreturn_reads_the_frame() {
    let mut m = Fixture::default().with(0x8000 + 296, &(1u64 << 16).to_ne_bytes());
    m.sp = Some(0x8000);
    check(
        "rt_sigreturn",
        [0; 6],
        &mut m,
        0,
        "rt_sigreturn({mask=[CHLD]}) = 0",
    );
}

#[test]
fn flags_and_enums() {
    let mut m = Fixture::default();
    check(
        "mmap",
        [0, 8192, 3, 0x22, NEG(-1), 0],
        &mut m,
        0x7ff7eab4c000,
        "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ff7eab4c000",
    );
    check(
        "mmap",
        [0x1000, 4096, 0, 0x11, 77, 0x2000],
        &mut m,
        -9,
        "mmap(0x1000, 4096, PROT_NONE, MAP_SHARED|MAP_FIXED, 77, 0x2000) = -1 EBADF (Bad file descriptor)",
    );
    check(
        "fcntl",
        [3, 1, 0, 0, 0, 0],
        &mut m,
        1,
        "fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)",
    );
    check(
        "fcntl",
        [3, 3, 0, 0, 0, 0],
        &mut m,
        0x8000,
        "fcntl(3, F_GETFL) = 0x8000 (flags O_RDONLY|O_LARGEFILE)",
    );
    check(
        "fcntl",
        [3, 4, 0o4000, 0, 0, 0],
        &mut m,
        0,
        "fcntl(3, F_SETFL, O_RDONLY|O_NONBLOCK) = 0",
    );
    check(
        "openat",
        [NEG(-100), 0, 0o2204000, 0, 0, 0],
        &mut m,
        -14,
        "openat(AT_FDCWD, NULL, O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = -1 EFAULT (Bad address)",
    );
    check(
        "futex",
        [0x7f3826f22990, 0x109, 23904, 0, 0, 0xffff_ffff],
        &mut m,
        -11,
        "futex(0x7f3826f22990, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 23904, NULL, FUTEX_BITSET_MATCH_ANY) = -1 EAGAIN (Resource temporarily unavailable)",
    );
    check(
        "socket",
        [2, 0o2000001, 6, 0, 0, 0],
        &mut m,
        3,
        "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3",
    );
    check(
        "access",
        [0, 0, 0, 0, 0, 0],
        &mut m,
        -14,
        "access(NULL, F_OK) = -1 EFAULT (Bad address)",
    );
    check(
        "kill",
        [4910, 10, 0, 0, 0, 0],
        &mut m,
        0,
        "kill(4910, SIGUSR1) = 0",
    );
    check(
        "prlimit64",
        [0, 3, 0, 0, 0, 0],
        &mut m,
        0,
        "prlimit64(0, RLIMIT_STACK, NULL, NULL) = 0",
    );
}

#[test]
fn every_known_syscall_decodes_without_memory() {
    // Garbage registers and unreadable memory must never panic, at entry or exit.
    let style = Style {
        verbose: true,
        fd_decode: 2,
        hex: 1,
        string_limit: 8,
        ..Style::default()
    };
    for (nr, _) in crate::all().chain([(600, "?")]) {
        let started = std::time::Instant::now();
        for args in [
            [0u64; 6],
            [u64::MAX; 6],
            [0x1000, 3, 0x41, 0x7fff_0000, 1, 2],
        ] {
            let entry = decode_entry(nr, args, &mut NoMemory, &mut NoFdInfo, &style);
            for ret in [0, -1, -512, 5, 0x7fff_1234] {
                let done = decode_exit(&entry, ret, &mut NoMemory, &mut NoFdInfo, &style);
                assert!(done.call.starts_with(entry.text_so_far()), "{nr}");
            }
        }
        assert!(started.elapsed().as_millis() < 500, "{nr} is slow");
    }
}

#[test]
fn restart_syscall_names_the_interrupted_call() {
    let mut e = decode_entry(219, [0; 6], &mut NoMemory, &mut NoFdInfo, &Style::default());
    assert_eq!(
        e.text_so_far(),
        "restart_syscall(<... resuming interrupted system call ...>"
    );
    e.set_interrupted_syscall(230);
    let done = decode_exit(&e, 0, &mut NoMemory, &mut NoFdInfo, &Style::default());
    assert_eq!(
        format!("{} = {}", done.call, done.result),
        "restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0"
    );
}

#[test]
fn number_formatting() {
    let mut out = String::new();
    for v in [0i64, 7, -1, 10, -100, i64::MIN, i64::MAX] {
        out.clear();
        print::push_dec(&mut out, v);
        assert_eq!(out, v.to_string());
    }
    for v in [0u64, 1, 0xabc, u64::MAX] {
        out.clear();
        print::write_hex(&mut out, v);
        assert_eq!(
            out,
            if v == 0 {
                "0".to_string()
            } else {
                format!("{v:#x}")
            }
        );
    }
}

#[test]
fn huge_limits_do_not_overflow() {
    let style = Style {
        string_limit: usize::MAX,
        ..Style::default()
    };
    let mut m = Fixture::default().with(0x1000, b"abc\0");
    check_style(
        "chdir",
        [0x1000, 0, 0, 0, 0, 0],
        &mut m,
        0,
        &style,
        r#"chdir("abc") = 0"#,
    );
    check_style(
        "write",
        [1, 0x1000, 1 << 40, 0, 0, 0],
        &mut m,
        3,
        &style,
        "write(1, 0x1000, 1099511627776) = 3",
    );
    let style = Style {
        string_limit: 0,
        ..Style::default()
    };
    check_style(
        "write",
        [1, 0x1000, 3, 0, 0, 0],
        &mut m,
        3,
        &style,
        r#"write(1, ""..., 3) = 3"#,
    );
}

/// Memory that reads as pseudo-random bytes everywhere (never faults).
struct Noise(u64);

impl Memory for Noise {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        for (i, b) in buf.iter_mut().enumerate() {
            // xorshift of the address: deterministic, varied, rarely zero.
            let mut x = addr.wrapping_add(i as u64) ^ self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        buf.len()
    }
    fn stack_pointer(&mut self) -> Option<u64> {
        Some(0x7fff_0000)
    }
}

#[test]
fn garbage_memory_never_panics_or_runs_away() {
    for style in [
        Style::default(),
        Style {
            verbose: true,
            hex: 2,
            string_limit: 64,
            fd_decode: 0,
            ..Style::default()
        },
    ] {
        for (nr, _) in crate::all() {
            let started = std::time::Instant::now();
            for seed in [1u64, 0xdead_beef] {
                let args = [0x1000, 64, 0x2000, 0x3000, 16, 0x4000];
                let mut mem = Noise(seed);
                let entry = decode_entry(nr, args, &mut mem, &mut NoFdInfo, &style);
                for ret in [0, 16, -4] {
                    let done = decode_exit(&entry, ret, &mut mem, &mut NoFdInfo, &style);
                    assert!(done.call.len() < 50_000_000, "{nr}");
                }
            }
            let took = started.elapsed();
            assert!(
                took.as_secs() < 5,
                "{nr} is slow on garbage memory: {took:?}"
            );
        }
    }
}

#[test]
fn getrandom_buffers_are_always_hex() {
    // From `strace -e trace=getrandom python3 -c pass`: QUOTE_FORCE_HEX, even for printable bytes.
    let mut m = Fixture::default().with(0x1000, b"\x65\x3fA\x2f\xf9\x89\x4e\xc9");
    check(
        "getrandom",
        [0x1000, 8, 1, 0, 0, 0],
        &mut m,
        8,
        r#"getrandom("\x65\x3f\x41\x2f\xf9\x89\x4e\xc9", 8, GRND_NONBLOCK) = 8"#,
    );
    check(
        "getrandom",
        [0x1000, 8, 1, 0, 0, 0],
        &mut m,
        -11,
        "getrandom(0x1000, 8, GRND_NONBLOCK) = -1 EAGAIN (Resource temporarily unavailable)",
    );
}

/// A tracee in a child PID namespace where pid 2 is the tracer's 4242, named "sleeper", and
/// process group 7 is the tracer's 4247.
struct ChildPidNs;

impl FdInfo for ChildPidNs {
    fn path(&mut self, _fd: i32) -> Option<String> {
        None
    }
    fn socket(&mut self, _fd: i32) -> Option<String> {
        None
    }
    fn pid_in_tracer_ns(&mut self, pid: i32, kind: PidKind) -> Option<i32> {
        match (pid, kind) {
            (2, PidKind::Tgid | PidKind::Tid) => Some(4242),
            (7, PidKind::Pgid) => Some(4247),
            (1, _) => Some(1),
            _ => None,
        }
    }
    fn pid_comm(&mut self, pid: i32) -> Option<String> {
        (pid == 4242 || pid == 1).then(|| "sleeper".into())
    }
}

fn line_in_child_ns(name: &str, args: [u64; 6], ret: i64, style: &Style) -> String {
    let nr = number(name).unwrap();
    let mut mem = Fixture::default();
    let entry = decode_entry(nr, args, &mut mem, &mut ChildPidNs, style);
    let done = decode_exit(&entry, ret, &mut mem, &mut ChildPidNs, style);
    format!("{} = {}", done.call, done.result)
}

#[test]
fn pids_are_translated_to_the_tracers_namespace() {
    // Formats of strace 6.1's tests/*--pidns-translation and strace--decode-pids-comm.
    let pidns = Style {
        pids: PidDetails {
            pidns: true,
            comm: false,
        },
        ..Style::default()
    };
    let cases = [
        (
            "getpid",
            [0; 6],
            2,
            "getpid() = 2 /* 4242 in strace's PID NS */",
        ),
        (
            "kill",
            [2, 15, 0, 0, 0, 0],
            0,
            "kill(2 /* 4242 in strace's PID NS */, SIGTERM) = 0",
        ),
        (
            "kill",
            [-7i64 as u64, 0, 0, 0, 0, 0],
            0,
            "kill(-7 /* 4247 in strace's PID NS */, 0) = 0",
        ),
        ("kill", [1, 0, 0, 0, 0, 0], 0, "kill(1, 0) = 0"),
        (
            "getpgid",
            [0, 0, 0, 0, 0, 0],
            7,
            "getpgid(0) = 7 /* 4247 in strace's PID NS */",
        ),
        (
            "kill",
            [99, 0, 0, 0, 0, 0],
            -3,
            "kill(99, 0) = -1 ESRCH (No such process)",
        ),
    ];
    for (name, args, ret, expect) in cases {
        assert_eq!(line_in_child_ns(name, args, ret, &pidns), expect);
    }
    // Without the option nothing is looked up.
    assert_eq!(
        line_in_child_ns("getpid", [0; 6], 2, &Style::default()),
        "getpid() = 2"
    );
    let comm = Style {
        pids: PidDetails {
            pidns: true,
            comm: true,
        },
        ..Style::default()
    };
    assert_eq!(
        line_in_child_ns("tgkill", [2, 2, 10, 0, 0, 0], 0, &comm),
        "tgkill(2<sleeper> /* 4242 in strace's PID NS */, 2<sleeper> /* 4242 in strace's PID NS */, SIGUSR1) = 0"
    );
    // Groups have no command name.
    assert_eq!(
        line_in_child_ns("getpgrp", [0; 6], 7, &comm),
        "getpgrp() = 7 /* 4247 in strace's PID NS */"
    );
}
