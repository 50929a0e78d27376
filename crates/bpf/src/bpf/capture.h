/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * Record layouts shared between the BPF programs (capture.bpf.c) and the Rust loader
 * (crates/bpf/src/raw.rs mirrors every struct here with #[repr(C)] and size asserts).
 * Only fixed-width types: the object is built for the BPF target and read on x86_64.
 */
#ifndef SAKER_CAPTURE_H
#define SAKER_CAPTURE_H

#define SAKER_COMM_LEN 16
/* Syscall numbers index the spec and counter arrays; x86_64 stays below 512. */
#define SAKER_MAX_SYSCALLS 512
/* Largest blob (path, argv area, buffer) copied into one record. */
#define SAKER_BLOB_MAX 4096
/*
 * Memory arguments copied per syscall record: mount's four strings, a setxattr's path, name
 * and value, move_pages' three arrays. Slots 2 and 3 cost a test of their kind when unused.
 */
#define SAKER_BLOBS 4
#define SAKER_SOCKADDR_MAX 128

/* saker_event.kind */
#define SAKER_EV_SYSCALL 1 /* a syscall returned; nr, ret, args, blobs */
#define SAKER_EV_FORK 2    /* sched_process_fork: current is the parent */
#define SAKER_EV_EXEC 3    /* sched_process_exec: a successful execve/execveat */
#define SAKER_EV_EXIT 4    /* sched_process_exit: a thread exits */
#define SAKER_EV_SIGNAL 5  /* signal_deliver, or signal_generate for one discarded (trace --ebpf) */

/* How a blob or aux slot of a syscall record is filled (saker_syscall_spec.cap_kind). */
#define SAKER_CAP_NONE 0
#define SAKER_CAP_STR 1          /* NUL-terminated user string at args[arg] */
#define SAKER_CAP_SOCKADDR_IN 2  /* sockaddr at args[arg], length args[len_arg] */
#define SAKER_CAP_SOCKADDR_OUT 3 /* sockaddr at args[arg], length *(int *)args[len_arg], ret >= 0 */
#define SAKER_CAP_DATA_RET 4     /* buffer at args[arg], ret bytes (read), at most snaplen */
#define SAKER_CAP_DATA_LEN 5     /* buffer at args[arg], args[len_arg] bytes (write), at most snaplen */
#define SAKER_CAP_ARGV 6         /* exec only: the new image's argv area, NUL-separated */
#define SAKER_CAP_KSTR 7         /* exec only: kernel string (bprm->filename) */
/* Raw user memory for strace's struct decoders (saker trace --ebpf), at most SAKER_BLOB_MAX: */
#define SAKER_CAP_MEM 8       /* cap_size bytes at args[arg] (a struct) */
#define SAKER_CAP_MEM_COUNT 9 /* args[len_arg] * cap_size bytes at args[arg] (an array) */
#define SAKER_CAP_MEM_RET 10  /* ret * cap_size bytes at args[arg], ret > 0 (filled by the call) */
#define SAKER_CAP_SIGINFO 11  /* signal records: the kernel_siginfo */
/*
 * The data behind the iovec array at args[arg] (args[len_arg] entries, the first SAKER_IOV_MAX):
 * iov i in slot i (SAKER_IOV_SLOT bytes at i * SAKER_IOV_SLOT): a __u32 length, then that many
 * bytes from iov_base (at most snaplen). IN: writev's data; OUT: readv's, when ret > 0 (user
 * space shows the ret bytes the call filled).
 */
#define SAKER_CAP_IOV_IN 12
#define SAKER_CAP_IOV_OUT 13
#define SAKER_IOV_MAX 8
#define SAKER_IOV_SLOT (SAKER_BLOB_MAX / SAKER_IOV_MAX)
/*
 * The same for the iovs of the msghdr at args[arg] (sendmsg, recvmsg): the iovec array (its
 * first SAKER_IOV_MAX entries) in the first SAKER_MSG_IOV_ARRAY bytes, then the slots, of
 * SAKER_MSG_IOV_SLOT bytes each.
 */
#define SAKER_CAP_MSG_IOV_IN 14
#define SAKER_CAP_MSG_IOV_OUT 15
/*
 * An ioctl's argument at args[arg]: _IOC_SIZE(args[len_arg]) bytes, for a request without a
 * direction (the old numbering) cap_size bytes. This and the SAKER_CAP_MEM* kinds copy up to
 * the end of the page where the memory ends sooner.
 */
#define SAKER_CAP_IOC 16
/* A bit mask of args[len_arg] bits at args[arg], in 64-bit words (NUMA node masks). */
#define SAKER_CAP_MEM_BITS 17
/* What the call filled at args[arg]: cap_size times the __u32 at args[len_arg] then, in bytes. */
#define SAKER_CAP_MEM_LEN_AT 18
/*
 * The array a struct at args[arg] points to (a sock_fprog's filter, a msghdr's control data,
 * clone_args' set_tid): the pointer is the __u64 at byte cap_size >> 8 of the struct, the
 * element count the integer at byte cap_len_arg, of 2 << (cap_size >> 6 & 3) bytes (2, 4 or
 * 8), the element size cap_size & 63.
 */
#define SAKER_CAP_MEM_DEREF 19
#define SAKER_MSG_IOV_ARRAY (SAKER_IOV_MAX * 16)
#define SAKER_MSG_IOV_SLOT ((SAKER_BLOB_MAX - SAKER_MSG_IOV_ARRAY) / SAKER_IOV_MAX)

/* saker_syscall_spec.aux_kind: small fixed-size results copied into saker_event.aux */
#define SAKER_AUX_NONE 0
#define SAKER_AUX_INT_PAIR 1 /* int[2] at args[aux_arg] when ret == 0 (pipe, socketpair) */
#define SAKER_AUX_OPEN_HOW 2 /* struct open_how at args[aux_arg]: aux[0]=flags aux[1]=mode */
/*
 * A tracer's in/out value: the aux_size bytes (at most 16) at args[aux_arg] as they were at
 * the call's entry (a socklen_t the call rewrites, a timeout it updates), kept by
 * syscall_enter and carried in aux with SAKER_EVF_ENTRY_MEM.
 */
#define SAKER_AUX_ENTRY 3

/* saker_syscall_spec.flags */
#define SAKER_SPEC_INTERESTING 1
/* execve/execveat: a success is reported by the exec record, only failures here. */
#define SAKER_SPEC_FAILURES_ONLY 2
/* measure the time from sys_enter (needs a dispatcher's enter program attached) */
#define SAKER_SPEC_TIMED 4
/*
 * A tracer's socket data call (sendto, recvmsg, ...): look up whether args[0] is a netlink
 * socket. Its messages are decoded whatever -s says, so their data is copied whole (up to
 * SAKER_BLOB_MAX), and the protocol goes in saker_event.netlink for the decoder, which cannot
 * ask /proc once a short-lived tracee is gone.
 */
#define SAKER_SPEC_SOCKET_FD 8

/* One entry of the syscall_specs array, indexed by syscall number, filled from user space. */
struct saker_syscall_spec {
	__u8 flags;
	__u8 aux_kind;
	__u8 aux_arg;
	__u8 aux_size; /* SAKER_AUX_ENTRY's byte count */
	__u8 cap_kind[SAKER_BLOBS];
	__u8 cap_arg[SAKER_BLOBS];
	__u8 cap_len_arg[SAKER_BLOBS];
	__u16 cap_size[SAKER_BLOBS]; /* element size of the SAKER_CAP_MEM* kinds */
}; /* 24 bytes */

/* saker_event.flags */
#define SAKER_EVF_BLOB0_TRUNCATED 1
#define SAKER_EVF_BLOB1_TRUNCATED 2
#define SAKER_EVF_BLOB0_FAULT 4
#define SAKER_EVF_BLOB1_FAULT 8
/* SAKER_EV_EXEC: args[3..5] hold the capability sets (older objects leave them 0) */
#define SAKER_EVF_EXEC_CAPS 16
/* SAKER_EV_EXEC: ret holds bprm->envc, the number of environment variables */
#define SAKER_EVF_EXEC_ENVC 32
/* SAKER_EV_SYSCALL: aux holds the entry-time bytes of a SAKER_AUX_ENTRY spec */
#define SAKER_EVF_ENTRY_MEM 64
/* An exec record's duration_ns holds the envp pointer the caller passed (a tracer's capture). */
#define SAKER_EVF_EXEC_ENVP 128

/* exec_flags of an exec record: the executable is in an overlayfs upper layer (a file a
 * container wrote or changed, Falco's proc.is_exe_upper_layer). */
#define SAKER_EXEC_UPPER_LAYER 1

/*
 * Every ring-buffer record starts with this header; blobs 0 to SAKER_BLOBS - 1 follow it, back
 * to back (only 0 and 1 carry the _TRUNCATED and _FAULT flags).
 * For SAKER_EV_FORK: args[0]=child tid, args[1]=child tgid, args[2]=child vtid, args[3]=child vpid.
 * For SAKER_EV_EXEC: args[0]=old tid, args[1]=vtid, args[2]=vpid, args[3]=cap_permitted,
 *   args[4]=cap_effective, args[5]=cap_inheritable (with SAKER_EVF_EXEC_CAPS), aux[0]=loginuid,
 *   aux[1]=tty (major << 32 | minor, 0 = none), ret=envc (with SAKER_EVF_EXEC_ENVC),
 *   duration_ns=the caller's envp (with SAKER_EVF_EXEC_ENVP), exec_flags=SAKER_EXEC_*;
 *   blob0=filename, blob1=argv area.
 * For SAKER_EV_EXIT: args[0]=exit_code (wait status), args[1]=1 if the thread group is dead.
 * For SAKER_EV_SIGNAL: args[0]=signal number; blob0=the kernel_siginfo (SAKER_CAP_SIGINFO).
 */
struct saker_event {
	__u64 ts_boot_ns;  /* bpf_ktime_get_boot_ns() */
	__u64 cgroup_id;   /* cgroup v2 id of current */
	__u64 args[6];     /* syscall arguments as the registers held them */
	__s64 ret;         /* syscall return value */
	__u64 aux[2];      /* see SAKER_AUX_* and the kinds above */
	__u64 duration_ns; /* sys_enter to sys_exit when timed, else 0 */
	__u64 off_cpu_ns;  /* of duration_ns, the time off the CPU (with dispatch_switch), else 0 */
	__u32 kind;
	__s32 nr;   /* syscall number, -1 when none */
	__u32 tid;  /* task->pid */
	__u32 pid;  /* task->tgid */
	__u32 ppid; /* task->real_parent->tgid */
	__u32 uid;
	__u32 gid;
	__u32 euid;
	__u32 egid;
	__u32 total_len; /* header + the blobs */
	__u16 blob_len[SAKER_BLOBS];
	__u8 blob_kind[SAKER_BLOBS];
	__u8 flags;
	__u8 netlink; /* SAKER_SPEC_SOCKET_FD: the socket's netlink protocol + 1; 0: not netlink */
	__u8 exec_flags; /* SAKER_EV_EXEC: SAKER_EXEC_* */
	__u8 pad;
	char comm[SAKER_COMM_LEN];
}; /* 176 bytes */

/* One entry of the per-CPU syscall_counts array (saker trace --ebpf -c). */
struct saker_syscall_count {
	__u64 calls;
	__u64 errors;
	__u64 total_ns;
	__u64 sample_in; /* sampled timing: this syscall's calls on this CPU until the next sample */
};

/*
 * ---- Responses decided in the kernel (crates/response compiles them; docs/response.md) ----
 *
 * A rule whose whole condition the capture program can decide at an exec or an open gets one
 * slot per disjunct (up to SAKER_KILL_SLOTS). Each test narrows a 64-bit mask of the slots
 * still matching: the slots of the event type, then those whose program-name and path tests
 * pass (one hash and one LPM-trie lookup), then access mode, result and container tests.
 */
#define SAKER_KILL_SLOTS 64
#define SAKER_KILL_PATH_MAX 256
#define SAKER_KILL_NAME_MAX 128 /* a cgroup directory name */
#define SAKER_CONTAINER_ID_LEN 64
#define SAKER_SHORT_ID_LEN 12

/* Indexes of saker_kill_settings.type_slots: the event types a slot can match. */
#define SAKER_KILL_EXECVE 0
#define SAKER_KILL_EXECVEAT 1
#define SAKER_KILL_OPEN 2
#define SAKER_KILL_OPENAT 3
#define SAKER_KILL_OPENAT2 4
#define SAKER_KILL_CREAT 5
#define SAKER_KILL_TYPES 8

/* The one entry of the kill_settings array, written by user space. All zero: nothing acts. */
struct saker_kill_settings {
	__u64 type_slots[SAKER_KILL_TYPES];
	__u64 comm_slots;       /* need proc.name in the slot's allow set (kill_comm) */
	__u64 path_slots;       /* test the path (allow or deny): need a path the kernel can read as
				 * user space will (absolute, normalized, shorter than PATH_MAX) */
	__u64 path_allow_slots; /* need the path in the slot's allow set (kill_path) */
	__u64 container_slots;  /* need the process in a container */
	__u64 read_slots;       /* open: evt.is_open_read */
	__u64 write_slots;      /* open: evt.is_open_write */
	__u64 file_slots;       /* open: fd.typechar = f (no O_DIRECTORY) */
	__u64 success_slots;    /* open: the call succeeded */
	__u64 stop_slots;       /* SIGSTOP instead of SIGKILL: user space kills the whole tree */
	/*
	 * A cheap first test for the path_allow_slots of opens: bit c is set when some path those
	 * slots accept has c as its second byte (after the leading '/'); all bits when one is "/".
	 * An open of a path elsewhere costs two loads, not a copy and a trie lookup.
	 */
	__u64 path_second_byte[4];
	__u64 rate_window_ns;
	__u32 rate_per_slot;    /* actions per slot per window; 0: no limit */
	__u32 rate_global;      /* actions of all slots per window; 0: no limit */
	__u32 guard_tgid;       /* Saker: never acted on, nor anything it started */
	__u32 generation;       /* copied into reports: which table a slot number refers to */
	__u8 allow_host;        /* 1: processes outside containers may be acted on */
	__u8 dry_run;           /* 1: report what would be done, send nothing */
	__u8 protected_ids;     /* 1: kill_protected_ids has entries */
	__u8 wake;              /* 1: some kill_comm entries have SAKER_KILL_COMM_WAKE */
	__u8 pad[4];
}; /* 200 bytes */

/*
 * ---- Opens no rule needs, dropped in the kernel (crates/source/src/open_filter.rs decides) ----
 *
 * `saker run` keeps an open when it failed, when the fd is not a regular file (directories are
 * dirfds and fchdir targets the state resolves paths against), when its path is not absolute
 * and plainly normalized, or when its access class meets `all_paths` or a keep_paths entry.
 * Any other open is not reported, and its fd is marked in the process's dropped_fds so that its
 * close is not reported either; a reported record returning that fd number clears the mark.
 */
#define SAKER_OPEN_CLASS_READ 1  /* rules that need read access (evt.is_open_read) */
#define SAKER_OPEN_CLASS_WRITE 2 /* rules that need write access (evt.is_open_write) */
#define SAKER_OPEN_CLASS_ANY 4   /* rules that need neither */
#define SAKER_DROPPED_FD_WORDS 16 /* fds 0..1023 are tracked; a higher one's close is reported */

/* The one entry of the open_filter array. All zero: every open is reported. */
struct saker_open_filter {
	/* Same test as saker_kill_settings.path_second_byte, over the keep_paths entries. */
	__u64 path_second_byte[4];
	__u8 enabled;   /* 1: drop the opens no class and path keeps */
	__u8 all_paths; /* SAKER_OPEN_CLASS_* bits for which every path is kept */
	__u8 used;      /* 1 once enabled: dropped_fds marks may exist (never reset) */
	__u8 pad[5];
}; /* 40 bytes */
/* keep_paths: an LPM trie with saker_kill_path_key keys; the value is the classes an entry
 * keeps, with those of every shorter entry that is a prefix of it. */

/* kill_comm values (key: the 16-byte comm, NUL-padded). */
#define SAKER_KILL_COMM_PROTECTED 1 /* never act on a process of this name */
/* An exec of this name wakes the reader at once: user space decides a kill on it. */
#define SAKER_KILL_COMM_WAKE 2
struct saker_kill_comm {
	__u64 allow; /* slots whose proc.name set holds this name */
	__u64 deny;  /* slots that exclude this name */
	__u32 flags;
	__u32 pad;
};

/* kill_path: an LPM trie over path bytes. An entry for a whole path includes its NUL. Each
 * value already holds the masks of every shorter entry that is a prefix of it. */
struct saker_kill_path_key {
	__u32 prefixlen; /* bits */
	__u8 data[SAKER_KILL_PATH_MAX];
};
struct saker_kill_path {
	__u64 allow;
	__u64 deny;
};

/* saker_kill_report.outcome */
#define SAKER_KILL_SENT 1          /* SIGKILL sent to the thread group */
#define SAKER_KILL_STOPPED 2       /* SIGSTOP sent; user space kills the tree */
#define SAKER_KILL_SEND_FAILED 3   /* bpf_send_signal failed: error holds its result */
#define SAKER_KILL_DRY_RUN 4       /* would have acted */
#define SAKER_KILL_REFUSED_PID1 5
#define SAKER_KILL_REFUSED_KTHREAD 6
#define SAKER_KILL_REFUSED_GUARD 7 /* Saker itself or one of its descendants */
#define SAKER_KILL_REFUSED_HOST 8
#define SAKER_KILL_REFUSED_PROGRAM 9   /* a protected program name */
#define SAKER_KILL_REFUSED_CONTAINER 10 /* a protected container */
#define SAKER_KILL_RATE_SLOT 11
#define SAKER_KILL_RATE_GLOBAL 12

/* One record of the kill_reports ring: what the kernel did (or refused) and to whom. */
struct saker_kill_report {
	__u64 ts_boot_ns;    /* when the signal was sent (or refused) */
	__u64 event_boot_ns; /* the event's own time: the start of the capture program */
	__u64 cgroup_id;
	__u32 tid;
	__u32 pid;
	__u32 ppid;
	__u32 vpid;
	__u32 generation;
	__s32 error;   /* bpf_send_signal's result */
	__u16 slot;
	__u8 outcome;  /* SAKER_KILL_* */
	__u8 type;     /* SAKER_KILL_EXECVE ... */
	__u32 uid;
	char comm[SAKER_COMM_LEN];
	char container_id[SAKER_CONTAINER_ID_LEN]; /* empty on the host */
	char path[SAKER_KILL_PATH_MAX];            /* the exec'd file or the opened path */
}; /* 392 bytes */

#endif
