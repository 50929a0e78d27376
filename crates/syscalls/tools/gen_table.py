#!/usr/bin/env python3
"""Generate src/table.rs: x86_64 syscall names and strace class flags.

Names come from the kernel UAPI header (linux-libc-dev 6.1) plus the syscalls added up to
Linux 6.18 (arch/x86/entry/syscalls/syscall_64.tbl). Class flags copy strace's
src/linux/x86_64/syscallent.h and src/linux/generic/syscallent-common.h (TD, TF, ...).

Argument names are read from /sys/kernel/tracing (root, on the kernel to describe).

Run: python3 crates/syscalls/tools/gen_table.py > crates/syscalls/src/table.rs &&
     rustfmt --edition 2024 crates/syscalls/src/table.rs
"""
import re

HEADER = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
NEWER = {
    335: "uretprobe", 336: "uprobe",
    451: "cachestat", 452: "fchmodat2", 453: "map_shadow_stack", 454: "futex_wake",
    455: "futex_wait", 456: "futex_requeue", 457: "statmount", 458: "listmount",
    459: "lsm_get_self_attr", 460: "lsm_set_self_attr", 461: "lsm_list_modules", 462: "mseal",
    463: "setxattrat", 464: "getxattrat", 465: "listxattrat", 466: "removexattrat",
    467: "open_tree_attr", 468: "file_getattr", 469: "file_setattr",
}
# strace sysent flags by syscall name (absent = 0).
FLAGS = """
read TD|write TD|open TD TF|close TD|stat TF TST TSTA|fstat TD TFST TSTA|lstat TF TLST TSTA
poll TD|lseek TD|mmap TD TM|mprotect TM|munmap TM|brk TM|rt_sigaction TS|rt_sigprocmask TS
rt_sigreturn TS|ioctl TD|pread64 TD|pwrite64 TD|readv TD|writev TD|access TF|pipe TD|select TD
mremap TM|msync TM|mincore TM|madvise TM|shmget TI|shmat TI TM|shmctl TI|dup TD|dup2 TD
pause TS|getpid PU|sendfile TD TN|socket TN|connect TN|accept TN|sendto TN|recvfrom TN
sendmsg TN|recvmsg TN|shutdown TN|bind TN|listen TN|getsockname TN|getpeername TN
socketpair TN|setsockopt TN|getsockopt TN|clone TP|fork TP|vfork TP|execve TF TP|exit TP
wait4 TP|kill TS TP|semget TI|semop TI|semctl TI|shmdt TI TM|msgget TI|msgsnd TI|msgrcv TI
msgctl TI|fcntl TD|flock TD|fsync TD|fdatasync TD|truncate TF|ftruncate TD|getdents TD
getcwd TF|chdir TF|fchdir TD|rename TF|mkdir TF|rmdir TF|creat TD TF|link TF|unlink TF
symlink TF|readlink TF|chmod TF|fchmod TD|chown TF|fchown TD|lchown TF|gettimeofday TCL
getuid TC PU|getgid TC PU|setuid TC|setgid TC|geteuid TC PU|getegid TC PU|getppid PU
getpgrp PU|setreuid TC|setregid TC|getgroups TC|setgroups TC|setresuid TC|getresuid TC
setresgid TC|getresgid TC|setfsuid TC|setfsgid TC|capget TC|capset TC|rt_sigpending TS
rt_sigtimedwait TS|rt_sigqueueinfo TS TP|rt_sigsuspend TS|sigaltstack TS|utime TF|mknod TF
uselib TF|ustat TSFA|statfs TF TSF TSFA|fstatfs TD TFSF TSFA|mlock TM|munlock TM|mlockall TM
munlockall TM|pivot_root TF|prctl TC|adjtimex TCL|chroot TF|acct TF|settimeofday TCL|mount TF
umount2 TF|swapon TF|swapoff TF|quotactl TF|getpmsg TN|putpmsg TN|gettid PU|readahead TD
setxattr TF|lsetxattr TF|fsetxattr TD|getxattr TF|lgetxattr TF|fgetxattr TD|listxattr TF
llistxattr TF|flistxattr TD|removexattr TF|lremovexattr TF|fremovexattr TD|tkill TS TP
time TCL|io_setup TM|io_destroy TM|epoll_create TD|remap_file_pages TM|getdents64 TD
semtimedop TI|fadvise64 TD|clock_settime TCL|clock_gettime TCL|clock_getres TCL
exit_group TP|epoll_wait TD|epoll_ctl TD|tgkill TS TP|utimes TF|mbind TM|set_mempolicy TM
get_mempolicy TM|mq_open TD|mq_timedsend TD|mq_timedreceive TD|mq_notify TD|mq_getsetattr TD
waitid TP|inotify_init TD|inotify_add_watch TD TF|inotify_rm_watch TD|migrate_pages TM
openat TD TF|mkdirat TD TF|mknodat TD TF|fchownat TD TF|futimesat TD TF
newfstatat TD TF TFST TSTA|unlinkat TD TF|renameat TD TF|linkat TD TF|symlinkat TD TF
readlinkat TD TF|fchmodat TD TF|faccessat TD TF|pselect6 TD|ppoll TD|splice TD|tee TD
sync_file_range TD|vmsplice TD|move_pages TM|utimensat TD TF|epoll_pwait TD|signalfd TD TS
timerfd_create TD|eventfd TD|fallocate TD|timerfd_settime TD|timerfd_gettime TD|accept4 TN
signalfd4 TD TS|eventfd2 TD|epoll_create1 TD|dup3 TD|pipe2 TD|inotify_init1 TD|preadv TD
pwritev TD|rt_tgsigqueueinfo TP TS|perf_event_open TD|recvmmsg TN|fanotify_init TD
fanotify_mark TD TF|name_to_handle_at TD TF|open_by_handle_at TD|clock_adjtime TCL|syncfs TD
sendmmsg TN|setns TD|finit_module TD|renameat2 TD TF|memfd_create TD|kexec_file_load TD|bpf TD
execveat TD TF TP|userfaultfd TD|mlock2 TM|copy_file_range TD|preadv2 TD|pwritev2 TD
pkey_mprotect TM|statx TD TF TFST TSTA|pidfd_send_signal TD TS TP|io_uring_setup TD
io_uring_enter TD TS|io_uring_register TD TM|open_tree TD TF|move_mount TD TF|fsopen TD
fsconfig TD TF|fsmount TD|fspick TD TF|pidfd_open TD|clone3 TP|openat2 TD TF|pidfd_getfd TD
faccessat2 TD TF|process_madvise TD|epoll_pwait2 TD|mount_setattr TD TF|quotactl_fd TD
landlock_create_ruleset TD|landlock_add_rule TD|landlock_restrict_self TD|memfd_secret TD
process_mrelease TD|set_mempolicy_home_node TM|cachestat TD|fchmodat2 TD TF
map_shadow_stack TM|mseal TM|setxattrat TD TF|getxattrat TD TF|listxattrat TD TF
removexattrat TD TF|open_tree_attr TD TF|file_getattr TD TF|file_setattr TD TF
"""
BITS = ["TD", "TF", "TI", "TN", "TP", "TS", "TM", "TC", "TCL", "TST", "TLST", "TFST", "TSTA",
        "TSF", "TFSF", "TSFA", "PU"]

flags = {}
for item in FLAGS.replace("\n", "|").split("|"):
    item = item.split()
    if item:
        flags[item[0]] = item[1:]

names = {}
for line in open(HEADER):
    m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
    if m:
        names[int(m.group(2))] = m.group(1)
names.update(NEWER)
unknown = set(flags) - set(names.values())
assert not unknown, unknown
for v in flags.values():
    for b in v:
        assert b in BITS, b

import glob, os
# Argument names per syscall from the running kernel's syscall tracepoints (6.18 here).
argnames = {}
# Which arguments the kernel declares 32 bits wide: it ignores their upper half, and so does
# strace (`pidfd_open(0, 0xdefaced00000000)` prints the flags as 0).
INT32 = {"int", "unsigned int", "unsigned", "pid_t", "u32", "__u32", "__s32", "umode_t",
         "uid_t", "gid_t", "clockid_t", "timer_t", "mqd_t", "key_t", "rwf_t", "qid_t",
         "key_serial_t", "enum landlock_rule_type"}
int_args = {}
for fmt in glob.glob("/sys/kernel/tracing/events/syscalls/sys_enter_*/format"):
    name = fmt.split("/")[-2][len("sys_enter_"):]
    fields = []
    mask = 0
    for line in open(fmt):
        m = re.match(r"\s*field:(.*?);\s*offset:(\d+);", line)
        if m and int(m.group(2)) >= 16:
            decl = m.group(1).strip()
            fields.append(re.split(r"[\s*]+", decl)[-1])
            ctype = re.sub(r"^const\s+", "", re.sub(r"\s*\w+$", "", decl))
            if ctype in INT32:
                mask |= 1 << (len(fields) - 1)
    argnames[name] = fields
    int_args[name] = mask
# Syscalls without an enter tracepoint, with strace's argument counts.
FALLBACK = {"rt_sigreturn": [], "clone": ["clone_flags", "newsp", "parent_tidptr", "child_tidptr", "tls"],
            "fork": [], "vfork": [], "execve": ["filename", "argv", "envp"],
            "execveat": ["fd", "filename", "argv", "envp", "flags"], "exit": ["error_code"],
            "exit_group": ["error_code"], "clone3": ["uargs", "size"], "arch_prctl": ["option", "arg2"],
            "iopl": ["level"], "modify_ldt": ["func", "ptr", "bytecount"]}
for alias, tp in {"stat": "newstat", "fstat": "newfstat", "lstat": "newlstat", "sendfile": "sendfile64",
                  "uname": "newuname", "umount2": "umount"}.items():
    if tp in argnames:
        argnames[alias] = argnames[tp]
        int_args[alias] = int_args[tp]
FALLBACK.update({
    "uselib": ["library"], "_sysctl": ["args"], "create_module": ["name", "size"],
    "init_module": ["umod", "len", "uargs"], "delete_module": ["name_user", "flags"],
    "get_kernel_syms": ["table"], "query_module": ["name", "which", "buf", "bufsize", "ret"],
    "nfsservctl": ["cmd", "argp", "resp"], "getpmsg": ["arg0", "arg1", "arg2", "arg3", "arg4"],
    "putpmsg": ["arg0", "arg1", "arg2", "arg3", "arg4"],
    "afs_syscall": ["arg0", "arg1", "arg2", "arg3", "arg4"], "tuxcall": ["arg0", "arg1", "arg2"],
    "security": ["arg0", "arg1", "arg2"], "set_thread_area": ["u_info"],
    "get_thread_area": ["u_info"], "lookup_dcookie": ["cookie64", "buf", "len"],
    "epoll_ctl_old": ["arg0", "arg1", "arg2", "arg3"], "epoll_wait_old": ["arg0", "arg1", "arg2", "arg3"],
    "vserver": ["arg0", "arg1", "arg2", "arg3", "arg4"],
    "kexec_load": ["entry", "nr_segments", "segments", "flags"],
    "finit_module": ["fd", "uargs", "flags"],
    "kexec_file_load": ["kernel_fd", "initrd_fd", "cmdline_len", "cmdline_ptr", "flags"],
    "map_shadow_stack": ["addr", "size", "flags"],
})
# Without a tracepoint: from the kernel's declarations.
FALLBACK_INT32 = {"exit": 0x1, "exit_group": 0x1, "execveat": 0x11, "arch_prctl": 0x1,
                  "iopl": 0x1, "modify_ldt": 0x1, "delete_module": 0x2, "finit_module": 0x5,
                  "kexec_file_load": 0x3, "map_shadow_stack": 0x4, "query_module": 0x2}
top = max(names)
print("// @generated by tools/gen_table.py — do not edit by hand.")
print("//")
print("// x86_64 syscall names (kernel UAPI unistd_64.h + syscall_64.tbl up to Linux 6.18) and")
print("// strace 6.x class flags (src/linux/x86_64/syscallent.h).")
print()
print("use crate::class::flag::*;")
print()
print(f"/// Highest syscall number in the table.")
print(f"pub(crate) const MAX_NR: u64 = {top};")
print()
print("/// Index = syscall number; `(\"\", 0)` marks a hole.")
print(f"pub(crate) static SYSCALLS: [(&str, u32); {top + 1}] = [")
for nr in range(top + 1):
    n = names.get(nr, "")
    f = "|".join(flags.get(n, [])) or "0"
    print(f"    ({n!r}, {f}),".replace("'", '"'))
print("];")
print()
print("/// Argument names (from the kernel's syscall tracepoints); the count is the number of")
print("/// arguments strace prints for a syscall it does not decode.")
print(f"pub(crate) static ARG_NAMES: [&[&str]; {top + 1}] = [")
for nr in range(top + 1):
    n = names.get(nr, "")
    a = argnames.get(n, FALLBACK.get(n, ["arg0", "arg1", "arg2", "arg3", "arg4", "arg5"] if not n else None))
    if a is None:
        import sys; print(f"warning: no args for {n}", file=sys.stderr); a = []
    print("    &[" + ", ".join(f'"{x}"' for x in a) + "],")
print("];")
print()
print("/// Bit N set: argument N is 32 bits wide in the kernel's declaration (`int`, `unsigned int`,")
print("/// `pid_t`, `umode_t`, ...), so only its low half is the value.")
print(f"pub(crate) static INT32_ARGS: [u8; {top + 1}] = [")
for nr in range(top + 1):
    n = names.get(nr, "")
    print(f"    {int_args.get(n, FALLBACK_INT32.get(n, 0)):#04x},")
print("];")
print()
print("/// Syscall numbers by name, for readable decoder tables.")
print("#[allow(non_upper_case_globals, dead_code)]")
print("pub(crate) mod nr {")
for nr in sorted(names):
    print(f"    pub const {names[nr]}: u64 = {nr};")
print("}")
