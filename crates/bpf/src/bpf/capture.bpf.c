// SPDX-License-Identifier: GPL-2.0-only
/*
 * Saker's capture programs. One translation unit, loaded by crates/bpf/src/capture.rs with aya.
 *
 * Design (numbers in docs/capture-bpf.md): a syscall that no rule needs must cost as little as
 * the kernel allows, so the default mode attaches one syscalls/sys_exit_<name> tracepoint per
 * needed syscall instead of a program on every syscall. The generic dispatchers (tp_btf, raw_tp
 * and tracepoint on raw_syscalls) run the same handler for `-A` and `saker trace --ebpf`.
 * Arguments are read from the task's saved user registers at exit, like Falco's modern probe,
 * so no enter program and no per-thread map is needed; user memory (paths, sockaddrs) is read
 * at exit too, which a racing thread can change in between (documented TOCTOU, as in Falco).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "capture.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load (EbpfLoader::override_global). */
const volatile __u32 saker_tgid = 0;   /* Saker's own process: never captured */
const volatile __u8 filter_pids = 0;   /* 1: only tgids in pid_filter */
const volatile __u8 follow_forks = 1;  /* 1: children of filtered tgids join pid_filter */
const volatile __u32 snaplen = 256;    /* bytes of read/write data copied */
const volatile __u8 signals = 0;       /* 1: the signal_deliver program reports (trace) */
/*
 * 0: no in-kernel kill checks (a tracer). A load-time constant, so the verifier drops the kill
 * code instead of checking it: that is most of the dispatcher's load time (0.4 of 0.7 s).
 */
const volatile __u8 kill_checks = 1;
/*
 * Wake the reader only once this many bytes wait in the ring buffer (0: on every record). A
 * wakeup per record costs more than the record itself on an open/close loop; the reader polls
 * with a timeout, which bounds the latency instead.
 */
const volatile __u32 wakeup_bytes = 0; /* per CPU */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* resized by the loader */
} events SEC(".maps");

/*
 * Per CPU: [0] records dropped because the ring buffer was full, [1] bytes since last wakeup,
 * [2] records queued, [3] opens and closes the open filter left out (the loader reads [0],
 * [2] and [3]).
 */
#define DROPS_SLOT_DROPPED 0
#define DROPS_SLOT_PENDING 1
#define DROPS_SLOT_SUBMITTED 2
#define DROPS_SLOT_FILTERED 3
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

#define SCRATCH_SIZE (sizeof(struct saker_event) + SAKER_BLOBS * SAKER_BLOB_MAX)
struct scratch {
	__u8 buf[SCRATCH_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SAKER_MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, struct saker_syscall_spec);
} syscall_specs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u8);
} pid_filter SEC(".maps");

/*
 * The clock of the current syscall, stored in the task itself: a task-storage lookup is a
 * pointer walk, where a hash update per syscall costs several times more (see the counting
 * figures in docs/capture-bpf.md), and the slot is freed with the task. `off_at` and `off_ns`
 * are kept by dispatch_switch, attached only when system time is wanted (strace -C without
 * -w): the call's waits off the CPU, which its system time leaves out.
 */
struct call_clock {
	__u64 start;  /* bpf_ktime_get_boot_ns() at sys_enter; 0 when no call is timed */
	__u64 off_at; /* when the task left the CPU inside the call; 0 while it runs */
	__u64 off_ns; /* time off the CPU inside the call, up to off_at */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct call_clock);
} task_enter_ts SEC(".maps");

static __always_inline struct pt_regs *current_regs(void)
{
	return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
}

/* Returns 1 when the current thread group is one we capture. */
static __always_inline int tgid_wanted(__u32 tgid)
{
	if (tgid == saker_tgid)
		return 0;
	if (filter_pids && !bpf_map_lookup_elem(&pid_filter, &tgid))
		return 0;
	return 1;
}

/* Adds one to a slot of this CPU's `drops` entry (a per-CPU array: no atomics needed). */
static __always_inline void count_record(__u32 slot)
{
	__u64 *d = bpf_map_lookup_elem(&drops, &slot);
	if (d)
		*d += 1;
}

static __always_inline void fill_header(struct saker_event *ev, __u32 kind, __u64 pid_tgid)
{
	/* A BTF pointer: plain loads below compile to cheap probe-mem loads, not helper calls. */
	struct task_struct *task = bpf_get_current_task_btf();
	const struct cred *cred = task->cred;
	__u64 uid_gid = bpf_get_current_uid_gid();

	ev->ts_boot_ns = bpf_ktime_get_boot_ns();
	ev->cgroup_id = bpf_get_current_cgroup_id();
	ev->kind = kind;
	ev->nr = -1;
	ev->tid = (__u32)pid_tgid;
	ev->pid = pid_tgid >> 32;
	ev->ppid = task->real_parent->tgid;
	ev->uid = (__u32)uid_gid;
	ev->gid = uid_gid >> 32;
	ev->euid = cred->euid.val;
	ev->egid = cred->egid.val;
	ev->ret = 0;
	ev->aux[0] = 0;
	ev->aux[1] = 0;
	ev->duration_ns = 0;
	ev->off_cpu_ns = 0;
	for (int i = 0; i < SAKER_BLOBS; i++) {
		ev->blob_len[i] = 0;
		ev->blob_kind[i] = 0;
	}
	ev->flags = 0;
	ev->netlink = 0;
	ev->exec_flags = 0;
	ev->pad = 0;
	for (int i = 0; i < 6; i++)
		ev->args[i] = 0;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
}

static __always_inline struct saker_event *scratch_event(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch_map, &zero);
}

/*
 * Queues a record. An `urgent` record wakes the reader at once even when wakeup_bytes batches
 * wakeups. The lifecycle programs do not ask for it: an exec record carries what user space
 * used to read from /proc (capabilities; the container comes from the header's cgroup id), so
 * nothing needs the reader before a short-lived process is gone, and on this 2-CPU VM a
 * wakeup of the idle reader CPU per fork/exec/exit cost more than the records (bench/run.sh
 * (c): 1.49x -> see docs/capture-bpf.md, "Wakeups").
 */
static __always_inline void submit(struct saker_event *ev, __u32 blobs, int urgent)
{
	__u64 size = sizeof(struct saker_event) + (__u64)blobs;
	ev->total_len = size;
	if (size > SCRATCH_SIZE)
		return;
	__u64 flags = 0;
	if (wakeup_bytes && urgent) {
		__u32 one = DROPS_SLOT_PENDING;
		__u64 *pending = bpf_map_lookup_elem(&drops, &one);
		if (pending)
			*pending = 0;
		flags = BPF_RB_FORCE_WAKEUP;
	} else if (wakeup_bytes) {
		/*
		 * Counted per CPU rather than bpf_ringbuf_query(AVAIL_DATA): the query reads the
		 * consumer position, a cache line the reader's CPU keeps writing (2.8% of an
		 * open/close loop in perf).
		 */
		__u32 one = DROPS_SLOT_PENDING;
		__u64 *pending = bpf_map_lookup_elem(&drops, &one);
		flags = BPF_RB_NO_WAKEUP;
		if (pending) {
			*pending += size;
			if (*pending >= wakeup_bytes) {
				*pending = 0;
				flags = BPF_RB_FORCE_WAKEUP;
			}
		}
	}
	if (bpf_ringbuf_output(&events, ev, size, flags))
		count_record(DROPS_SLOT_DROPPED);
	else
		count_record(DROPS_SLOT_SUBMITTED);
}

static __always_inline __u64 arg_value(const __u64 *args, __u8 idx)
{
	switch (idx) {
	case 0: return args[0];
	case 1: return args[1];
	case 2: return args[2];
	case 3: return args[3];
	case 4: return args[4];
	default: return args[5];
	}
}

/* Reads `want` bytes of user memory, at most `max` (beyond it the record gets `trunc_flag`). */
static __always_inline long read_user_clamped(struct saker_event *ev, __u8 *dst, __u64 ptr,
					      __u64 want, __u64 max, __u8 trunc_flag)
{
	if (want > max) {
		want = max;
		ev->flags |= trunc_flag;
	}
	if (want == 0)
		return 0;
	return bpf_probe_read_user(dst, want, (const void *)ptr) ? -1 : (long)want;
}

/*
 * A struct of `want` bytes, or what there is of it up to the end of its page when the memory
 * stops sooner: a decoder's size can be larger than what the caller passes (FS_IOC_SETFLAGS
 * says long, takes an int; a select fd_set is as long as nfds needs), and programs put small
 * arguments right before an unmapped page. The decoder then reads what it needs of it.
 */
static __always_inline long read_user_to_page_end(struct saker_event *ev, __u8 *dst, __u64 ptr,
						  __u64 want, __u8 trunc_flag)
{
	long n = read_user_clamped(ev, dst, ptr, want, SAKER_BLOB_MAX, trunc_flag);
	__u64 rest = 4096 - (ptr & 4095);

	if (n < 0 && rest < want)
		n = read_user_clamped(ev, dst, ptr, rest, SAKER_BLOB_MAX, 0);
	return n;
}

/* How much of a data buffer to copy: a netlink message whole, for its decoder; else snaplen. */
static __always_inline __u32 data_limit(const struct saker_event *ev)
{
	return ev->netlink ? SAKER_BLOB_MAX : snaplen;
}

#define S_IFMT_ 0170000
#define S_IFSOCK_ 0140000
#define AF_NETLINK_ 16

/*
 * The current task's open file `fd`, or 0. The fd table is walked with direct BTF loads; only
 * the slot (a variable index) needs a helper read, and the file it returns is a plain pointer
 * (read its fields with BPF_CORE_READ).
 */
static __always_inline struct file *current_fd_file(__u64 fd)
{
	struct fdtable *fdt = bpf_get_current_task_btf()->files->fdt;
	struct file *file = 0;

	if (!fdt || fd >= fdt->max_fds)
		return 0;
	if (bpf_probe_read_kernel(&file, sizeof(file), (void *)((unsigned long)fdt->fd + fd * 8)))
		return 0;
	return file;
}

/* The netlink protocol + 1 of the current task's fd `fd`; 0 when it is not a bound netlink socket. */
static __noinline __u8 netlink_protocol_of(__u64 fd)
{
	struct file *file = current_fd_file(fd);
	struct socket *sock;
	struct sock *sk;

	if (!file)
		return 0;
	if ((BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT_) != S_IFSOCK_)
		return 0;
	sock = BPF_CORE_READ(file, private_data);
	sk = BPF_CORE_READ(sock, sk);
	if (!sk || BPF_CORE_READ(sk, __sk_common.skc_family) != AF_NETLINK_)
		return 0;
	/* strace names the protocol from sock_diag, which lists bound sockets only. */
	if (!BPF_CORE_READ((struct netlink_sock *)sk, portid))
		return 0;
	return (__u8)(BPF_CORE_READ(sk, sk_protocol) + 1);
}

/*
 * SAKER_CAP_IOV_*: iov i's first bytes (at most snaplen) in slot i, after their __u32 length.
 * Fixed slots keep each iteration's state independent of the others, so the verifier prunes
 * the unrolled loop. Returns the blob's length: up to the end of the last slot filled.
 */
static __always_inline long read_iov_data(__u8 *dst, __u64 iov, __u64 count, __u32 slot,
					  __u32 limit)
{
	long n = 0;

#pragma unroll
	for (int i = 0; i < SAKER_IOV_MAX; i++) {
		struct { __u64 base, len; } v;
		__u32 want;

		if (i >= count)
			break;
		if (bpf_probe_read_user(&v, sizeof(v), (const void *)(iov + i * sizeof(v))))
			break;
		want = v.len > limit ? limit : (__u32)v.len;
		if (want > slot - 4)
			want = slot - 4;
		/* An unreadable iov_base ends the copy: it and the rest print as addresses. */
		if (want && bpf_probe_read_user(dst + i * slot + 4, want, (const void *)v.base))
			break;
		__builtin_memcpy(dst + i * slot, &want, sizeof(want));
		n = i * slot + 4 + want;
	}
	return n;
}

/*
 * Copies blob `which` (0 to SAKER_BLOBS - 1) of a syscall record, as described by the spec, to
 * `offset` bytes after the header, and returns its length. A global function, so the verifier
 * checks it once on its own, whatever the callers' states.
 */
__noinline __u32 capture_blob(struct scratch *record, const struct saker_syscall_spec *spec,
			      __u32 which, __u32 offset)
{
	struct saker_event *ev = (struct saker_event *)record;
	__u8 kind, trunc_flag, fault_flag;
	__u64 slot, at;
	__u64 ptr, len_or_ptr, want = 0;
	__s64 ret;
	__u8 *dst;
	long n = 0;
	int ulen = 0;

	/* Blob i starts after the i before it, each at most SAKER_BLOB_MAX. */
	at = offset;
	asm volatile("" : "+r"(at));
	if (!ev || !spec || which >= SAKER_BLOBS || at > (SAKER_BLOBS - 1) * SAKER_BLOB_MAX)
		return 0;
	/* The verifier knows nothing of a global function's arguments: bound the index in the
	 * register it indexes with (clang would otherwise drop the mask after the check). */
	slot = which & (SAKER_BLOBS - 1);
	asm volatile("%0 &= 3" : "+r"(slot));
	kind = spec->cap_kind[slot];
	ptr = arg_value(ev->args, spec->cap_arg[slot]);
	len_or_ptr = arg_value(ev->args, spec->cap_len_arg[slot]);
	/* Only the rules' blobs (0 and 1: data, paths) say they were cut or unreadable. */
	trunc_flag = slot == 0 ? SAKER_EVF_BLOB0_TRUNCATED : slot == 1 ? SAKER_EVF_BLOB1_TRUNCATED : 0;
	fault_flag = slot == 0 ? SAKER_EVF_BLOB0_FAULT : slot == 1 ? SAKER_EVF_BLOB1_FAULT : 0;
	ret = ev->ret;
	dst = (__u8 *)ev + sizeof(struct saker_event) + at;
	if (ptr == 0)
		return 0;
	switch (kind) {
	case SAKER_CAP_STR:
		n = bpf_probe_read_user_str(dst, SAKER_BLOB_MAX, (const void *)ptr);
		/*
		 * Cut at the limit, the copy ends in a NUL the helper wrote: put back the byte
		 * that was there, so that user space sees a string without its end (strace's
		 * "..." after a PATH_MAX - 1 path).
		 */
		if (n == SAKER_BLOB_MAX) {
			ev->flags |= trunc_flag;
			bpf_probe_read_user(dst + SAKER_BLOB_MAX - 1, 1,
					    (const void *)(ptr + SAKER_BLOB_MAX - 1));
		}
		/*
		 * A string that runs into an unmapped page without a NUL fails as a whole; strace
		 * shows what there is of it up to the page end (with "..."), so copy that.
		 */
		if (n < 0) {
			n = read_user_clamped(ev, dst, ptr, 4096 - (ptr & 4095), SAKER_BLOB_MAX, 0);
			if (n > 0)
				ev->flags |= trunc_flag;
		}
		break;
	case SAKER_CAP_SOCKADDR_IN:
		n = read_user_clamped(ev, dst, ptr, len_or_ptr, SAKER_SOCKADDR_MAX, 0);
		break;
	case SAKER_CAP_SOCKADDR_OUT:
		if (ret < 0 || len_or_ptr == 0)
			return 0;
		if (bpf_probe_read_user(&ulen, sizeof(ulen), (const void *)len_or_ptr))
			return 0;
		want = (__u32)ulen;
		if (want > SAKER_SOCKADDR_MAX)
			want = SAKER_SOCKADDR_MAX;
		/* The kernel's length can be more than the caller's buffer, which may end a page. */
		n = read_user_to_page_end(ev, dst, ptr, want, 0);
		break;
	case SAKER_CAP_DATA_RET:
	case SAKER_CAP_DATA_LEN:
		/* What a failed write was given is still worth showing; a failed read filled nothing. */
		if (kind == SAKER_CAP_DATA_RET ? ret <= 0 : ret < -4095)
			return 0;
		want = kind == SAKER_CAP_DATA_RET ? (__u64)ret : len_or_ptr;
		if (want > data_limit(ev)) {
			want = data_limit(ev);
			ev->flags |= trunc_flag;
		}
		/*
		 * Up to the page end when the rest is unmapped: the length may be a 32-bit
		 * argument whose upper half is garbage (fsconfig's aux), which the kernel and
		 * the decoders ignore; a decoder that needs more shows the address.
		 */
		n = read_user_to_page_end(ev, dst, ptr, want, trunc_flag);
		break;
	case SAKER_CAP_MEM:
	case SAKER_CAP_MEM_COUNT:
	case SAKER_CAP_MEM_RET:
		want = spec->cap_size[slot];
		if (kind == SAKER_CAP_MEM_COUNT) {
			if (len_or_ptr > SAKER_BLOB_MAX) /* also keeps the product from overflowing */
				len_or_ptr = SAKER_BLOB_MAX;
			want *= len_or_ptr;
		} else if (kind == SAKER_CAP_MEM_RET) {
			if (ret <= 0)
				return 0;
			want *= ret > SAKER_BLOB_MAX ? SAKER_BLOB_MAX : (__u64)ret;
		}
		n = read_user_to_page_end(ev, dst, ptr, want, trunc_flag);
		break;
	case SAKER_CAP_MEM_BITS:
		if (len_or_ptr > SAKER_BLOB_MAX * 8)
			len_or_ptr = SAKER_BLOB_MAX * 8;
		n = read_user_to_page_end(ev, dst, ptr, (len_or_ptr + 63) / 64 * 8, trunc_flag);
		break;
	case SAKER_CAP_MEM_LEN_AT:
		if (len_or_ptr == 0 || bpf_probe_read_user(&ulen, sizeof(ulen), (const void *)len_or_ptr))
			return 0;
		want = (__u32)ulen;
		if (want > SAKER_BLOB_MAX) /* also keeps the product from overflowing */
			want = SAKER_BLOB_MAX;
		n = read_user_to_page_end(ev, dst, ptr, want * spec->cap_size[slot], trunc_flag);
		break;
	case SAKER_CAP_MEM_DEREF: {
		__u16 how = spec->cap_size[slot];
		__u8 at = spec->cap_len_arg[slot];
		__u64 target = 0, count = 0;
		long err;

		if (bpf_probe_read_user(&target, sizeof(target), (const void *)(ptr + (how >> 8))))
			return 0;
		ptr += at;
		switch (how >> 6 & 3) {
		case 0: err = bpf_probe_read_user(&count, 2, (const void *)ptr); break;
		case 1: err = bpf_probe_read_user(&count, 4, (const void *)ptr); break;
		default: err = bpf_probe_read_user(&count, 8, (const void *)ptr); break;
		}
		if (err || target == 0)
			return 0;
		if (count > SAKER_BLOB_MAX) /* also keeps the product from overflowing */
			count = SAKER_BLOB_MAX;
		n = read_user_to_page_end(ev, dst, target, count * (how & 63), trunc_flag);
		break;
	}
	case SAKER_CAP_IOC:
		/* x86's _IOC layout: 2 direction bits on top, then 14 size bits. */
		want = len_or_ptr >> 30 & 3 ? len_or_ptr >> 16 & 0x3fff : spec->cap_size[slot];
		n = read_user_to_page_end(ev, dst, ptr, want, trunc_flag);
		break;
	case SAKER_CAP_IOV_IN:
	case SAKER_CAP_IOV_OUT:
		if (kind == SAKER_CAP_IOV_OUT && ret <= 0)
			return 0;
		n = read_iov_data(dst, ptr, len_or_ptr, SAKER_IOV_SLOT, data_limit(ev));
		break;
	case SAKER_CAP_MSG_IOV_IN:
	case SAKER_CAP_MSG_IOV_OUT: {
		struct user_msghdr mh;
		__u64 count;

		if (kind == SAKER_CAP_MSG_IOV_OUT && ret <= 0)
			return 0;
		if (bpf_probe_read_user(&mh, sizeof(mh), (const void *)ptr))
			return 0;
		count = mh.msg_iovlen;
		/* Keep clang from re-reading the field after the clamp: the verifier needs the
		 * clamped register for the read's size. */
		asm volatile("" : "+r"(count));
		if (count > SAKER_IOV_MAX)
			count = SAKER_IOV_MAX;
		if (count == 0 || bpf_probe_read_user(dst, count * 16, (const void *)mh.msg_iov))
			return 0;
		n = SAKER_MSG_IOV_ARRAY + read_iov_data(dst + SAKER_MSG_IOV_ARRAY,
							(__u64)mh.msg_iov, count, SAKER_MSG_IOV_SLOT,
							data_limit(ev));
		break;
	}
	default:
		return 0;
	}
	if (n < 0) {
		ev->flags |= fault_flag;
		return 0;
	}
	if (n > SAKER_BLOB_MAX)
		n = SAKER_BLOB_MAX;
	return (__u32)n;
}

static __always_inline void capture_aux(struct saker_event *ev, __u8 kind, __u64 ptr)
{
	if (ptr == 0)
		return;
	if (kind == SAKER_AUX_INT_PAIR && ev->ret == 0) {
		bpf_probe_read_user(&ev->aux[0], sizeof(int) * 2, (const void *)ptr);
	} else if (kind == SAKER_AUX_OPEN_HOW) {
		struct open_how how = {};
		if (!bpf_probe_read_user(&how, sizeof(how), (const void *)ptr)) {
			ev->aux[0] = how.flags;
			ev->aux[1] = how.mode;
		}
	}
}

/*
 * The entry-time bytes of a SAKER_AUX_ENTRY call in flight, by task: syscall_enter keeps them,
 * the exit of the same call takes them into its record.
 */
struct entry_mem {
	__s32 nr; /* the call they belong to, -1 when none */
	__u32 len;
	__u8 bytes[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct entry_mem);
} entry_mem SEC(".maps");

/* Keeps the bytes of a SAKER_AUX_ENTRY call's in/out value as the caller passed them. */
static __always_inline void keep_entry_value(const struct saker_syscall_spec *spec, __u32 nr)
{
	struct pt_regs *regs = current_regs();
	struct entry_mem *m;
	__u64 args[6], ptr;
	__u32 len;

	m = bpf_task_storage_get(&entry_mem, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!m)
		return;
	m->nr = -1;
	args[0] = regs->di;
	args[1] = regs->si;
	args[2] = regs->dx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
	ptr = arg_value(args, spec->aux_arg);
	len = spec->aux_size;
	if (len > sizeof(m->bytes))
		len = sizeof(m->bytes);
	/* A pointer the program cannot read now shows as the exit saw it. */
	if (ptr && len && !bpf_probe_read_user(m->bytes, len, (const void *)ptr)) {
		m->nr = nr;
		m->len = len;
	}
}

/* A task's pid and tgid as its own pid namespace numbers them. */
static __always_inline __u32 task_vnr(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid up = {};

	bpf_probe_read_kernel(&up, sizeof(up), &pid->numbers[level & 31]);
	return up.nr;
}

static __always_inline __u32 task_vtgid(struct task_struct *task)
{
	return task_vnr(BPF_CORE_READ(task, group_leader));
}

/* ---- responses decided in the kernel (see capture.h; compiled by crates/response) ---- */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct saker_kill_settings);
} kill_settings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, char[SAKER_COMM_LEN]);
	__type(value, struct saker_kill_comm);
} kill_comm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct saker_kill_path_key);
	__type(value, struct saker_kill_path);
} kill_path SEC(".maps");

/* Protected containers by their 12-character short id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, char[SAKER_SHORT_ID_LEN]);
	__type(value, __u8);
} kill_protected_ids SEC(".maps");

/* Per slot, then one global entry at SAKER_KILL_SLOTS: the current window and its count. */
struct kill_rate {
	__u64 window_start;
	__u64 count;
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SAKER_KILL_SLOTS + 1);
	__type(key, __u32);
	__type(value, struct kill_rate);
} kill_rates SEC(".maps");

/* Reports are rare (one per match): a small ring the responder drains on its own. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 << 10);
} kill_reports SEC(".maps");

/* A cgroup directory name, and the container id found in it. */
struct cgroup_name {
	char name[SAKER_KILL_NAME_MAX];
	char id[SAKER_CONTAINER_ID_LEN];
};

struct kill_scratch {
	struct saker_kill_path_key key;
	struct saker_kill_report report;
	struct cgroup_name cgroup;
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kill_scratch);
} kill_scratch_map SEC(".maps");

#define O_ACCMODE_ 3
#define O_DIRECTORY_ 0200000
#define O_CREAT_WRONLY_TRUNC 01101 /* what creat() opens with */
#define PF_KTHREAD_ 0x00200000
#define SIGKILL_ 9
#define SIGSTOP_ 19

static __always_inline struct saker_kill_settings *kill_settings_get(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&kill_settings, &zero);
}

/* The SAKER_KILL_* type of a syscall number that can carry a kill slot, or -1. */
static __always_inline int kill_type_of(long nr)
{
	switch (nr) {
	case 59: return SAKER_KILL_EXECVE;
	case 322: return SAKER_KILL_EXECVEAT;
	case 2: return SAKER_KILL_OPEN;
	case 257: return SAKER_KILL_OPENAT;
	case 437: return SAKER_KILL_OPENAT2;
	case 85: return SAKER_KILL_CREAT;
	default: return -1;
	}
}

static __always_inline int is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static __always_inline int head_is(const char *name, long len, const char *want, long want_len)
{
	if (len != want_len)
		return 0;
	for (int i = 0; i < 16; i++) {
		if (i >= want_len)
			break;
		if (name[i & (SAKER_KILL_NAME_MAX - 1)] != want[i])
			return 0;
	}
	return 1;
}

/*
 * One cgroup directory name (`len` bytes in cg->name), as saker_proc::cgroup::id_in_component
 * reads it: a 64-hex id, bare, after a runtime's prefix (`libpod-<id>.scope`, `docker-<id>`,
 * ...), or after `:cri-containerd:`/`:crio:`/`:docker:`. Copies the id to cg->id and returns
 * 1 when it is one. A global function: the verifier checks it once, not once per caller state.
 */
__noinline int cgroup_name_is_container(struct cgroup_name *cg, long len)
{
	long end = len, start;
	const char *name;
	int scoped = 0;

	if (!cg || len <= 0 || len >= SAKER_KILL_NAME_MAX)
		return 0;
	name = cg->name;
	if (len > 6 && name[(len - 6) & 127] == '.' && name[(len - 5) & 127] == 's' &&
	    name[(len - 4) & 127] == 'c' && name[(len - 3) & 127] == 'o' &&
	    name[(len - 2) & 127] == 'p' && name[(len - 1) & 127] == 'e') {
		end = len - 6;
		scoped = 1;
	}
	if (end < SAKER_CONTAINER_ID_LEN)
		return 0;
	start = end - SAKER_CONTAINER_ID_LEN;
	for (int i = 0; i < SAKER_CONTAINER_ID_LEN; i++) {
		if (!is_lower_hex(name[(start + i) & 127]))
			return 0;
	}
	if (start == 0) {
		if (scoped)
			return 0;
	} else if (!head_is(name, start, "docker-", 7) && !head_is(name, start, "libpod-", 7) &&
		   !head_is(name, start, "cri-containerd-", 15) && !head_is(name, start, "crio-", 5) &&
		   !head_is(name, start, "nerdctl-", 8)) {
		/* `<slice>:cri-containerd:<id>`, `...:crio:<id>`, `...:docker:<id>` (not scoped) */
		if (scoped || name[(start - 1) & 127] != ':')
			return 0;
		if (!(start >= 16 && head_is(name + ((start - 16) & 63), 16, ":cri-containerd:", 16)) &&
		    !(start >= 6 && head_is(name + ((start - 6) & 63), 6, ":crio:", 6)) &&
		    !(start >= 8 && head_is(name + ((start - 8) & 63), 8, ":docker:", 8)))
			return 0;
	}
	for (int i = 0; i < SAKER_CONTAINER_ID_LEN; i++)
		cg->id[i] = name[(start + i) & 127];
	return 1;
}

/*
 * Whether current runs in a container, decided as user space decides it: the innermost of the
 * cgroup v2 path's components (up to 8, as crates/state walks) that names a container. The
 * id goes to cg->id.
 */
static __noinline int current_container(struct cgroup_name *cg)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct kernfs_node *kn;
	long len;

	if (!cg)
		return 0;
	kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
	for (int level = 0; level < 8; level++) {
		if (!kn)
			return 0;
		len = bpf_probe_read_kernel_str(cg->name, SAKER_KILL_NAME_MAX, BPF_CORE_READ(kn, name));
		if (len > 1 && cgroup_name_is_container(cg, len - 1))
			return 1;
		kn = BPF_CORE_READ(kn, __parent);
	}
	return 0;
}

/* The state of a path scan: what the last characters were. */
#define PATH_AFTER_SLASH 0
#define PATH_AFTER_SLASH_DOT 1
#define PATH_IN_NAME 2
#define PATH_BAD -1

struct path_scan {
	const __u8 *path;
	int state;
	int result; /* 1: decidable */
};

/* One character of path_is_decidable (a bpf_loop callback, so the verifier checks it once). */
static long path_step(__u64 index, void *ctx)
{
	struct path_scan *scan = ctx;
	__u64 i = index + 1;
	__u8 c;

	if (i >= SAKER_KILL_PATH_MAX)
		return 1;
	c = scan->path[i & (SAKER_KILL_PATH_MAX - 1)];
	if (c == 0) { /* no trailing "/" or "/." (a lone "/" is fine) */
		scan->result = i == 1 || scan->state == PATH_IN_NAME;
		return 1;
	}
	if (c == '/') {
		if (scan->state != PATH_IN_NAME) { /* "//" or "/./" */
			scan->state = PATH_BAD;
			return 1;
		}
		scan->state = PATH_AFTER_SLASH;
	} else if (c == '.' && scan->state == PATH_AFTER_SLASH) {
		scan->state = PATH_AFTER_SLASH_DOT;
	} else if (c == '.' && scan->state == PATH_AFTER_SLASH_DOT) {
		scan->state = PATH_BAD; /* "/.." anywhere, as path.rs treats it */
		return 1;
	} else {
		scan->state = PATH_IN_NAME;
	}
	return 0;
}

/*
 * True when `path` (a copy of SAKER_KILL_PATH_MAX bytes) is what user space will call the
 * file: absolute, already normalized (crates/state/src/path.rs) and NUL-terminated within the
 * copy, so the kernel's answer equals the rule's. Anything else is left to user space.
 */
static __noinline int path_is_decidable(const __u8 *path)
{
	struct path_scan scan = {.path = path, .state = PATH_AFTER_SLASH, .result = 0};

	if (!path || path[0] != '/')
		return 0;
	bpf_loop(SAKER_KILL_PATH_MAX - 1, path_step, &scan, 0);
	return scan.result;
}

/* Counts one action against `key`'s window; 1 when the limit was already reached. */
static __always_inline int rate_limited(__u32 key, __u32 limit, __u64 window, __u64 now)
{
	struct kill_rate *r;

	if (!limit)
		return 0;
	r = bpf_map_lookup_elem(&kill_rates, &key);
	if (!r)
		return 0;
	/* Races between CPUs at a window's turn cost at most a few extra actions. */
	if (now - r->window_start >= window) {
		r->window_start = now;
		r->count = 0;
	}
	if (r->count >= limit)
		return 1;
	__sync_fetch_and_add(&r->count, 1);
	return 0;
}

/* True when current is `guard` or one of its descendants (looking 16 generations up). */
static __always_inline int descends_from(__u32 guard)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if (!guard)
		return 0;
	for (int i = 0; i < 16; i++) {
		__u32 tgid = BPF_CORE_READ(task, tgid);
		if (tgid == guard)
			return 1;
		if (tgid <= 1)
			return 0;
		task = BPF_CORE_READ(task, real_parent);
		if (!task)
			return 0;
	}
	return 0;
}

/*
 * The end of a decision: the safety checks, the rate limits, the signal, and the report. The
 * report is queued before the event's own record, so the responder, draining reports first,
 * knows about the kill before it sees the alert.
 */
static __noinline int kill_act(struct saker_kill_settings *set, __u64 slots, int in_container,
			       struct kill_scratch *ks, int type)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct saker_kill_report *rep;
	struct saker_kill_comm *comm_entry;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 now = bpf_ktime_get_boot_ns();
	__u32 tgid = pid_tgid >> 32, slot = 0;
	__u8 outcome;
	long err = 0;

	if (!set || !ks || !slots)
		return 0;
	/* The first rule in load order wins, as rule_matching: first. */
	slot = __builtin_ctzll(slots) & (SAKER_KILL_SLOTS - 1);
	rep = &ks->report;
	rep->ts_boot_ns = now; /* event_boot_ns: set by the caller */
	rep->cgroup_id = bpf_get_current_cgroup_id();
	rep->tid = (__u32)pid_tgid;
	rep->pid = tgid;
	rep->ppid = BPF_CORE_READ(task, real_parent, tgid);
	rep->vpid = task_vtgid(task);
	rep->uid = (__u32)bpf_get_current_uid_gid();
	rep->generation = set->generation;
	rep->slot = slot;
	rep->type = type;
	bpf_get_current_comm(rep->comm, sizeof(rep->comm));
	comm_entry = bpf_map_lookup_elem(&kill_comm, rep->comm);

	if (tgid == 1)
		outcome = SAKER_KILL_REFUSED_PID1;
	else if (BPF_CORE_READ(task, flags) & PF_KTHREAD_)
		outcome = SAKER_KILL_REFUSED_KTHREAD;
	else if (descends_from(set->guard_tgid))
		outcome = SAKER_KILL_REFUSED_GUARD;
	else if (!in_container && !set->allow_host)
		outcome = SAKER_KILL_REFUSED_HOST;
	else if (comm_entry && (comm_entry->flags & SAKER_KILL_COMM_PROTECTED))
		outcome = SAKER_KILL_REFUSED_PROGRAM;
	else if (in_container && set->protected_ids &&
		 bpf_map_lookup_elem(&kill_protected_ids, rep->container_id))
		outcome = SAKER_KILL_REFUSED_CONTAINER;
	else if (rate_limited(SAKER_KILL_SLOTS, set->rate_global, set->rate_window_ns, now))
		outcome = SAKER_KILL_RATE_GLOBAL;
	else if (rate_limited(slot, set->rate_per_slot, set->rate_window_ns, now))
		outcome = SAKER_KILL_RATE_SLOT;
	else if (set->dry_run)
		outcome = SAKER_KILL_DRY_RUN;
	else if (set->stop_slots & (1ULL << slot)) {
		err = bpf_send_signal(SIGSTOP_);
		outcome = err ? SAKER_KILL_SEND_FAILED : SAKER_KILL_STOPPED;
	} else {
		err = bpf_send_signal(SIGKILL_);
		outcome = err ? SAKER_KILL_SEND_FAILED : SAKER_KILL_SENT;
	}
	rep->outcome = outcome;
	rep->error = err;
	bpf_ringbuf_output(&kill_reports, rep, sizeof(*rep), BPF_RB_FORCE_WAKEUP);
	return outcome == SAKER_KILL_SENT || outcome == SAKER_KILL_STOPPED;
}

/*
 * The slots whose name and path tests pass; path-testing slots drop out when the kernel
 * cannot read the path as user space will. `path` is a NUL-terminated copy, `path_len` bytes
 * with the NUL.
 */
static __always_inline __u64 kill_match_names(struct saker_kill_settings *set, __u64 slots,
					      const char *comm, struct kill_scratch *ks,
					      const __u8 *path, long path_len)
{
	struct saker_kill_comm *c;
	struct saker_kill_path *p;
	__u64 tested;

	c = bpf_map_lookup_elem(&kill_comm, comm);
	slots &= c ? (c->allow | ~set->comm_slots) & ~c->deny : ~set->comm_slots;
	if (!(slots & set->path_slots))
		return slots;
	if (path_len <= 0 || path_len > SAKER_KILL_PATH_MAX)
		return slots & ~set->path_slots;
	/* No need to clear the rest: an entry never matches across the path's NUL. */
	if (bpf_probe_read_kernel(ks->key.data, path_len & (SAKER_KILL_PATH_MAX * 2 - 1), path))
		return slots & ~set->path_slots;
	ks->key.prefixlen = SAKER_KILL_PATH_MAX * 8;
	p = bpf_map_lookup_elem(&kill_path, &ks->key);
	slots &= p ? (p->allow | ~set->path_allow_slots) & ~p->deny : ~set->path_allow_slots;
	/* Only a path that can still match needs the (longer) check that it reads as user space
	 * will: an unmatched one already failed every slot that needs it. */
	tested = slots & set->path_slots;
	if (tested && !path_is_decidable(ks->key.data))
		slots &= ~tested;
	return slots;
}

static __always_inline struct kill_scratch *kill_scratch_get(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&kill_scratch_map, &zero);
}

/* Narrows `slots` by the container test, filling the report's container id. */
static __always_inline __u64 kill_match_container(struct saker_kill_settings *set, __u64 slots,
						  struct kill_scratch *ks, int *in_container)
{
	__builtin_memset(ks->report.container_id, 0, sizeof(ks->report.container_id));
	*in_container = current_container(&ks->cgroup);
	if (*in_container)
		__builtin_memcpy(ks->report.container_id, ks->cgroup.id, SAKER_CONTAINER_ID_LEN);
	else
		slots &= ~set->container_slots;
	return slots;
}

static __always_inline void kill_copy_path(struct kill_scratch *ks)
{
	__builtin_memcpy(ks->report.path, ks->key.data, sizeof(ks->report.path));
	ks->report.path[SAKER_KILL_PATH_MAX - 1] = 0;
}

/*
 * The checks an exec and an open share once their kind of call has candidate slots: the
 * names, then the container; a match is acted on, with the path in the report (an exec's
 * file name read from the kernel when the names left none).
 */
static __always_inline int kill_match_and_act(struct saker_kill_settings *set, __u64 slots,
					      struct saker_event *ev, const __u8 *path, long len,
					      int type)
{
	struct kill_scratch *ks = kill_scratch_get();
	int in_container = 0;

	if (!ks)
		return 0;
	ks->key.data[0] = 0;
	slots = kill_match_names(set, slots, ev->comm, ks, path, len);
	if (!slots)
		return 0;
	slots = kill_match_container(set, slots, ks, &in_container);
	if (!slots)
		return 0;
	kill_copy_path(ks);
	if (type <= SAKER_KILL_EXECVEAT && !ks->report.path[0] && path)
		bpf_probe_read_kernel_str(ks->report.path, sizeof(ks->report.path), path);
	ks->report.event_boot_ns = ev->ts_boot_ns;
	return kill_act(set, slots, in_container, ks, type);
}

/* sched_process_exec: the new image is in place and has not run an instruction yet. */
static __noinline int kill_check_exec(struct saker_event *ev, const __u8 *filename, long len)
{
	struct saker_kill_settings *set = kill_settings_get();
	__u64 slots;
	int type;

	if (!set || !ev)
		return 0;
	type = ev->nr == 322 ? SAKER_KILL_EXECVEAT : SAKER_KILL_EXECVE;
	slots = set->type_slots[type & 7];
	if (!slots)
		return 0;
	return kill_match_and_act(set, slots, ev, filename, len, type);
}

/* An open family call at its exit: the file is open, the caller has not seen the fd. */
static __noinline int kill_check_open(struct saker_event *ev, int type, const __u8 *path,
				      long len)
{
	struct saker_kill_settings *set = kill_settings_get();
	__u64 slots, flags;

	if (!set || !ev || type < SAKER_KILL_OPEN || type > SAKER_KILL_CREAT)
		return 0;
	slots = set->type_slots[type & 7];
	if (!slots)
		return 0;
	switch (type) {
	case SAKER_KILL_OPEN: flags = ev->args[1]; break;
	case SAKER_KILL_OPENAT: flags = ev->args[2]; break;
	case SAKER_KILL_OPENAT2: flags = ev->aux[0]; break;
	default: flags = O_CREAT_WRONLY_TRUNC; break;
	}
	/* As crates/state: read for O_RDONLY and O_RDWR, write for O_WRONLY and O_RDWR. */
	if ((flags & O_ACCMODE_) == 1)
		slots &= ~set->read_slots;
	if ((flags & O_ACCMODE_) == 0)
		slots &= ~set->write_slots;
	if (flags & O_DIRECTORY_)
		slots &= ~set->file_slots;
	if (ev->ret < 0) /* no fd: fd.* has no value, and the path is only user space's */
		slots &= ~(set->success_slots | set->file_slots | set->path_slots);
	/* The second byte of the path against those of the accepted paths (see capture.h). */
	if (slots & set->path_allow_slots) {
		__u8 second = len > 1 && path ? path[1] : 0;
		if (!(set->path_second_byte[(second >> 6) & 3] & (1ULL << (second & 63))))
			slots &= ~set->path_allow_slots;
	}
	if (!slots)
		return 0;
	return kill_match_and_act(set, slots, ev, path, len, type);
}

/* ---- opens no rule needs (see capture.h; the table comes from crates/source) ---- */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct saker_open_filter);
} open_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct saker_kill_path_key);
	__type(value, __u8);
} keep_paths SEC(".maps");

/* The fds of a process whose open was dropped, in its group leader's task storage (threads
 * share the fd table, and the leader's task outlives them). */
struct dropped_fds {
	__u64 words[SAKER_DROPPED_FD_WORDS];
};
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct dropped_fds);
} dropped_fds SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct saker_kill_path_key);
} open_path_scratch SEC(".maps");

#define S_IFREG_ 0100000
#define ONE_BYTES 0x0101010101010101ULL
#define LOW7_BYTES 0x7f7f7f7f7f7f7f7fULL

static __always_inline struct saker_open_filter *open_filter_get(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&open_filter, &zero);
}

static __always_inline struct dropped_fds *dropped_fds_of_current(int create)
{
	struct task_struct *leader = bpf_get_current_task_btf()->group_leader;

	return bpf_task_storage_get(&dropped_fds, leader, 0,
				    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
}

/* The high bit of each byte of `w` that equals `c`, and no other bit. */
static __always_inline __u64 bytes_equal(__u64 w, __u8 c)
{
	__u64 x = w ^ (ONE_BYTES * c);

	return ~(((x & LOW7_BYTES) + LOW7_BYTES) | x | LOW7_BYTES);
}

/*
 * True when the `len`-byte string (with its NUL) at `path` is absolute and has no "//", no
 * "/." and no ".." anywhere, so it is the name user space will give the file
 * (crates/state/src/path.rs changes only paths with empty, "." or ".." components). Hidden
 * files ("/.x") fail too, and are kept: the test only has to be cheap and never wrong. The
 * rules analysis counts on every path holding ".." being reported (a `fd.nameraw contains
 * "../"` test needs no keys: crates/source/src/open_filter.rs). Eight bytes per step.
 */
static __always_inline int path_is_plain(const __u8 *path, long len)
{
	if (path[0] != '/')
		return 0;
	for (int i = 0; i < SAKER_KILL_PATH_MAX / 8; i++) {
		long rest = len - 1 - i * 8; /* pairs starting in this word that end by the NUL */
		__u64 w, next, pairs;

		if (rest <= 0)
			break;
		w = *(const __u64 *)(path + i * 8);
		next = i + 1 < SAKER_KILL_PATH_MAX / 8 ? *(const __u64 *)(path + i * 8 + 8) : 0;
		next = (w >> 8) | (next << 56);
		pairs = (bytes_equal(w, '/') & (bytes_equal(next, '/') | bytes_equal(next, '.'))) |
			(bytes_equal(w, '.') & bytes_equal(next, '.'));
		if (rest < 8)
			pairs &= (1ULL << (rest * 8)) - 1;
		if (pairs)
			return 0;
	}
	return 1;
}

/* The SAKER_OPEN_CLASS_* bits an open of these flags can match. */
static __always_inline __u8 open_classes(__u64 flags)
{
	switch (flags & 3) {
	case 0: return SAKER_OPEN_CLASS_READ | SAKER_OPEN_CLASS_ANY;
	case 1: return SAKER_OPEN_CLASS_WRITE | SAKER_OPEN_CLASS_ANY;
	default: return SAKER_OPEN_CLASS_READ | SAKER_OPEN_CLASS_WRITE | SAKER_OPEN_CLASS_ANY;
	}
}

/* True when `fd` of the current task is a regular file. */
static __always_inline int fd_is_regular_file(long fd)
{
	struct file *file = fd < 0 ? 0 : current_fd_file(fd);

	return file && (BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT_) == S_IFREG_;
}

/* True when an open that returned `fd` with `flags` of the path at `user_path` is one no
 * rule needs. */
static __noinline int open_not_needed(struct saker_open_filter *filter, __u64 user_path,
				      __u64 flags, long fd)
{
	struct saker_kill_path_key *key;
	__u8 classes = open_classes(flags), *kept;
	__u32 zero = 0;
	long len;

	if (!filter || (filter->all_paths & classes) || !fd_is_regular_file(fd))
		return 0;
	key = bpf_map_lookup_elem(&open_path_scratch, &zero);
	if (!key)
		return 0;
	len = bpf_probe_read_user_str(key->data, SAKER_KILL_PATH_MAX, (const void *)user_path);
	if (len <= 1 || len >= SAKER_KILL_PATH_MAX || !path_is_plain(key->data, len))
		return 0;
	/* No entry starts with this second byte: no trie lookup needed. */
	__u8 second = key->data[1];
	if (!(filter->path_second_byte[(second >> 6) & 3] & (1ULL << (second & 63))))
		return 1;
	key->prefixlen = SAKER_KILL_PATH_MAX * 8;
	kept = bpf_map_lookup_elem(&keep_paths, key);
	return !(kept && (*kept & classes));
}

/*
 * 1 when this open or close is left out: an open no rule needs (its fd is marked), or the
 * close of a marked fd (the mark is cleared). The open's flags and path are read from the
 * registers as the call left them.
 */
static __always_inline int open_or_close_filtered(struct saker_open_filter *filter,
						  struct pt_regs *regs, long nr, long ret)
{
	struct dropped_fds *marks;
	__u64 path, flags = 0, bit;

	if (!filter || !filter->used)
		return 0;
	if (nr == 3 /* close */) {
		__u64 fd = regs->di;

		if (fd >= SAKER_DROPPED_FD_WORDS * 64)
			return 0;
		marks = dropped_fds_of_current(0);
		bit = 1ULL << (fd & 63);
		if (!marks || !(marks->words[fd / 64] & bit))
			return 0;
		__sync_fetch_and_and(&marks->words[fd / 64], ~bit);
		return 1;
	}
	if (!filter->enabled || ret < 0)
		return 0;
	switch (nr) {
	case 2: path = regs->di; flags = regs->si; break;     /* open */
	case 85: path = regs->di; flags = 1; break;            /* creat: O_WRONLY */
	case 257: path = regs->si; flags = regs->dx; break;   /* openat */
	case 437:                                              /* openat2: how->flags */
		path = regs->si;
		if (bpf_probe_read_user(&flags, sizeof(flags), (const void *)regs->dx))
			return 0;
		break;
	default: return 0;
	}
	if (!open_not_needed(filter, path, flags, ret))
		return 0;
	if (ret < SAKER_DROPPED_FD_WORDS * 64) {
		marks = dropped_fds_of_current(1);
		if (marks)
			__sync_fetch_and_or(&marks->words[(ret / 64) & (SAKER_DROPPED_FD_WORDS - 1)],
					    1ULL << (ret & 63));
	}
	return 1;
}

/*
 * A reported record tells user space about fd `ret` (an open, socket, dup, accept...): its
 * close must be reported again. Clearing for calls whose result is not an fd costs only an
 * extra close record later. pipe, pipe2 and socketpair write their fds to memory: all marks go.
 */
static __always_inline void unmark_reported_fd(struct saker_open_filter *filter, long nr,
					       long ret)
{
	struct dropped_fds *marks;

	if (!filter || !filter->used || ret < 0)
		return;
	marks = dropped_fds_of_current(0);
	if (!marks)
		return;
	if (nr == 22 || nr == 293 || nr == 53) {
		for (int i = 0; i < SAKER_DROPPED_FD_WORDS; i++)
			marks->words[i] = 0;
	} else if (ret < SAKER_DROPPED_FD_WORDS * 64) {
		__sync_fetch_and_and(&marks->words[(ret / 64) & (SAKER_DROPPED_FD_WORDS - 1)],
				     ~(1ULL << (ret & 63)));
	}
}

/*
 * The shared body of every syscall-exit program. regs must be a BTF pointer (the tp_btf
 * argument or bpf_task_pt_regs()), so the argument loads are direct.
 */
static __noinline int handle_sys_exit(struct pt_regs *regs, long nr, long ret)
{
	struct saker_open_filter *filter;
	struct saker_syscall_spec *spec;
	struct saker_event *ev;
	__u32 key, len0, len1, len2 = 0, len3 = 0;
	__u64 pid_tgid;

	if (nr < 0 || nr >= SAKER_MAX_SYSCALLS)
		return 0;
	key = (__u32)nr;
	spec = bpf_map_lookup_elem(&syscall_specs, &key);
	if (!spec || !(spec->flags & SAKER_SPEC_INTERESTING))
		return 0;
	if ((spec->flags & SAKER_SPEC_FAILURES_ONLY) && ret >= 0)
		return 0;
	pid_tgid = bpf_get_current_pid_tgid();
	if (!tgid_wanted(pid_tgid >> 32))
		return 0;
	filter = open_filter_get();
	if ((nr == 3 || kill_type_of(nr) >= SAKER_KILL_OPEN) &&
	    open_or_close_filtered(filter, regs, nr, ret)) {
		count_record(DROPS_SLOT_FILTERED);
		return 0;
	}
	unmark_reported_fd(filter, nr, ret);
	ev = scratch_event();
	if (!ev)
		return 0;
	fill_header(ev, SAKER_EV_SYSCALL, pid_tgid);
	ev->nr = nr;
	ev->ret = ret;
	ev->args[0] = regs->di;
	ev->args[1] = regs->si;
	ev->args[2] = regs->dx;
	ev->args[3] = regs->r10;
	ev->args[4] = regs->r8;
	ev->args[5] = regs->r9;
	if (spec->flags & SAKER_SPEC_TIMED) {
		struct call_clock *clock =
			bpf_task_storage_get(&task_enter_ts, bpf_get_current_task_btf(), 0, 0);
		if (clock && clock->start) {
			ev->duration_ns = ev->ts_boot_ns - clock->start;
			ev->off_cpu_ns = clock->off_ns;
			clock->start = 0;
		}
	}
	capture_aux(ev, spec->aux_kind, arg_value(ev->args, spec->aux_arg));
	if (spec->aux_kind == SAKER_AUX_ENTRY) {
		struct entry_mem *m =
			bpf_task_storage_get(&entry_mem, bpf_get_current_task_btf(), 0, 0);

		if (m && m->nr == nr) {
			__builtin_memcpy(ev->aux, m->bytes, sizeof(ev->aux));
			ev->flags |= SAKER_EVF_ENTRY_MEM;
			m->nr = -1;
		}
	}
	if (spec->flags & SAKER_SPEC_SOCKET_FD)
		ev->netlink = netlink_protocol_of(ev->args[0]);
	if (nr == 15) /* rt_sigreturn: the signal mask it restored, which strace shows */
		ev->aux[0] = bpf_get_current_task_btf()->blocked.sig[0];

	len0 = capture_blob((struct scratch *)ev, spec, 0, 0);
	if (len0 > SAKER_BLOB_MAX)
		len0 = SAKER_BLOB_MAX;
	len1 = capture_blob((struct scratch *)ev, spec, 1, len0);
	if (len1 > SAKER_BLOB_MAX)
		len1 = SAKER_BLOB_MAX;
	/* A tracer's third and fourth memory arguments; the rules' specs have none. */
	if (spec->cap_kind[2]) {
		len2 = capture_blob((struct scratch *)ev, spec, 2, len0 + len1);
		if (len2 > SAKER_BLOB_MAX)
			len2 = SAKER_BLOB_MAX;
		ev->blob_len[2] = len2;
		ev->blob_kind[2] = len2 ? spec->cap_kind[2] : 0;
	}
	if (spec->cap_kind[3]) {
		len3 = capture_blob((struct scratch *)ev, spec, 3, len0 + len1 + len2);
		if (len3 > SAKER_BLOB_MAX)
			len3 = SAKER_BLOB_MAX;
		ev->blob_len[3] = len3;
		ev->blob_kind[3] = len3 ? spec->cap_kind[3] : 0;
	}
	ev->blob_len[0] = len0;
	ev->blob_len[1] = len1;
	ev->blob_kind[0] = len0 ? spec->cap_kind[0] : 0;
	ev->blob_kind[1] = len1 ? spec->cap_kind[1] : 0;
	if (kill_checks && ev->blob_kind[0] == SAKER_CAP_STR) {
		int kill_type = kill_type_of(nr);

		if (kill_type >= SAKER_KILL_OPEN)
			kill_check_open(ev, kill_type, (__u8 *)ev + sizeof(struct saker_event), len0);
	}
	submit(ev, len0 + len1 + len2 + len3, 0);
	return 0;
}

/* Records the enter time of a timed syscall (dispatcher modes only). */
static __always_inline int handle_sys_enter(long nr)
{
	struct saker_syscall_spec *spec;
	struct call_clock *clock;
	__u32 key;

	if (nr < 0 || nr >= SAKER_MAX_SYSCALLS)
		return 0;
	key = (__u32)nr;
	spec = bpf_map_lookup_elem(&syscall_specs, &key);
	if (!spec || !(spec->flags & SAKER_SPEC_TIMED))
		return 0;
	if (!tgid_wanted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	clock = bpf_task_storage_get(&task_enter_ts, bpf_get_current_task_btf(), 0,
				     BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (clock) {
		clock->start = bpf_ktime_get_boot_ns();
		clock->off_at = 0;
		clock->off_ns = 0;
	}
	return 0;
}

/*
 * sched_switch (system time, strace -C without -w): a task leaving the CPU inside a timed
 * call notes when, and on its return the time away is added to the call's waits. Tasks with
 * no call timed have no slot, or one with start 0, and cost a lookup each.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(dispatch_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct call_clock *clock;
	__u64 now = 0;

	clock = bpf_task_storage_get(&task_enter_ts, prev, 0, 0);
	if (clock && clock->start) {
		now = bpf_ktime_get_boot_ns();
		clock->off_at = now;
	}
	clock = bpf_task_storage_get(&task_enter_ts, next, 0, 0);
	if (clock && clock->start && clock->off_at) {
		if (!now)
			now = bpf_ktime_get_boot_ns();
		clock->off_ns += now - clock->off_at;
		clock->off_at = 0;
	}
	return 0;
}

/* ---- dispatchers: one program on every syscall ---- */

SEC("tp_btf/sys_enter")
int BPF_PROG(dispatch_enter_btf, struct pt_regs *regs, long id)
{
	return handle_sys_enter(id);
}

/*
 * rt_sigreturn restores the registers of the interrupted code and sets orig_ax to -1 (no
 * syscall restart), so at its exit no syscall number is left; it is the only call that does.
 */
static __always_inline long exit_nr(long nr)
{
	return nr == -1 ? 15 /* __NR_rt_sigreturn */ : nr;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(dispatch_exit_btf, struct pt_regs *regs, long ret)
{
	return handle_sys_exit(regs, exit_nr(regs->orig_ax), ret);
}

/*
 * raw_tp context: the tracepoint's arguments as u64s. Not struct bpf_raw_tracepoint_args: its
 * flexible array makes a CO-RE access string that aya 0.14 rejects ("array index out of bounds").
 */
SEC("raw_tp/sys_enter")
int dispatch_enter_raw(__u64 *ctx)
{
	return handle_sys_enter(ctx[1]);
}

SEC("raw_tp/sys_exit")
int dispatch_exit_raw(__u64 *ctx)
{
	struct pt_regs *regs = current_regs();
	return handle_sys_exit(regs, exit_nr(regs->orig_ax), ctx[1]);
}

SEC("tracepoint/raw_syscalls/sys_enter")
int dispatch_enter_tp(struct trace_event_raw_sys_enter *ctx)
{
	return handle_sys_enter(ctx->id);
}

SEC("tracepoint/raw_syscalls/sys_exit")
int dispatch_exit_tp(struct trace_event_raw_sys_exit *ctx)
{
	return handle_sys_exit(current_regs(), exit_nr(ctx->id), ctx->ret);
}

/* ---- per-syscall exit tracepoints: only the needed ones are attached ---- */

/* Layout of syscalls/sys_exit_<name> (tracefs events/syscalls/sys_exit_openat/format). */
struct syscalls_exit_ctx {
	__u64 common;
	__s32 nr;
	__s32 pad;
	__s64 ret;
};

/*
 * Every syscalls/sys_exit_<name> tracepoint has the same layout, so one program serves all of
 * them: the loader attaches it once per needed syscall. The section name is only a label.
 */
SEC("tracepoint/syscalls/sys_exit_any")
int syscall_exit(struct syscalls_exit_ctx *ctx)
{
	return handle_sys_exit(current_regs(), ctx->nr, ctx->ret);
}

/* ---- process lifecycle (sched tracepoints: not on the syscall path) ---- */

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 ptgid = pid_tgid >> 32;
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	struct saker_event *ev;

	if (ptgid == saker_tgid)
		return 0;
	if (filter_pids) {
		if (!bpf_map_lookup_elem(&pid_filter, &ptgid))
			return 0;
		if (follow_forks && ctgid != ptgid) {
			__u8 one = 1;
			bpf_map_update_elem(&pid_filter, &ctgid, &one, BPF_ANY);
		}
	}
	ev = scratch_event();
	if (!ev)
		return 0;
	fill_header(ev, SAKER_EV_FORK, pid_tgid);
	ev->args[0] = BPF_CORE_READ(child, pid);
	ev->args[1] = ctgid;
	ev->args[2] = task_vnr(child);
	ev->args[3] = task_vtgid(child);
	submit(ev, 0, 0);
	return 0;
}

/* 1 when user space wants this exec at once (a kill it decides may follow): see
 * SAKER_KILL_COMM_WAKE. */
static __always_inline int exec_wakes(struct saker_event *ev)
{
	struct saker_kill_settings *set = kill_settings_get();
	struct saker_kill_comm *c;

	if (!set || !set->wake)
		return 0;
	c = bpf_map_lookup_elem(&kill_comm, ev->comm);
	return c && (c->flags & SAKER_KILL_COMM_WAKE);
}

/*
 * The envp pointer of an execve or execveat in flight, by task, for the exec record: by
 * sched_process_exec the new image has replaced the registers that held it (a tracer's
 * capture attaches tracer_enter; strace shows the pointer).
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} exec_envp SEC(".maps");

static __always_inline int keep_envp(__u64 pointer)
{
	__u64 *envp;

	if (!tgid_wanted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	envp = bpf_task_storage_get(&exec_envp, bpf_get_current_task_btf(), 0,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (envp)
		*envp = pointer;
	return 0;
}

/*
 * On every syscall's entry (a tracer's capture): keeps execve's envp (rdx) and execveat's
 * (r10), and the in/out value of a SAKER_AUX_ENTRY call as the caller passed it (accept's
 * address length, ppoll's timeout). Not the syscalls/sys_enter_<name> tracepoints: those
 * are perf events, and closing each one waits for an RCU grace period (about 70 ms here),
 * which every `saker trace --ebpf` paid at exit; a tp_btf link detaches without waiting.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(tracer_enter, struct pt_regs *regs, long id)
{
	struct saker_syscall_spec *spec;
	__u32 key;

	if (id == 59 /* __NR_execve */)
		return keep_envp(regs->dx);
	if (id == 322 /* __NR_execveat */)
		return keep_envp(regs->r10);
	if (id < 0 || id >= SAKER_MAX_SYSCALLS)
		return 0;
	key = (__u32)id;
	spec = bpf_map_lookup_elem(&syscall_specs, &key);
	if (spec && spec->aux_kind == SAKER_AUX_ENTRY &&
	    tgid_wanted(bpf_get_current_pid_tgid() >> 32))
		keep_entry_value(spec, key);
	return 0;
}

#define OVERLAYFS_SUPER_MAGIC 0x794c7630

/* The overlayfs inode around a VFS inode: only the two fields read, relocated by name. */
struct ovl_inode___saker {
	struct inode vfs_inode;
	struct dentry *__upperdentry;
} __attribute__((preserve_access_index));

/*
 * SAKER_EXEC_UPPER_LAYER when the new image's file is on overlayfs and has an upper dentry:
 * the container wrote or changed it (Falco's modern probe reads the same pointer).
 */
static __always_inline __u8 exec_layer_flags(struct linux_binprm *bprm)
{
	struct inode *inode = BPF_CORE_READ(bprm, file, f_inode);
	struct ovl_inode___saker *ovl;

	if (!inode || BPF_CORE_READ(inode, i_sb, s_magic) != OVERLAYFS_SUPER_MAGIC)
		return 0;
	ovl = (void *)inode - bpf_core_field_offset(struct ovl_inode___saker, vfs_inode);
	return BPF_CORE_READ(ovl, __upperdentry) ? SAKER_EXEC_UPPER_LAYER : 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct saker_event *ev;
	struct tty_struct *tty;
	unsigned long arg_start, arg_end, want;
	long n0, n1 = 0;
	__u64 *envp;

	if (!tgid_wanted(pid_tgid >> 32))
		return 0;
	ev = scratch_event();
	if (!ev)
		return 0;
	fill_header(ev, SAKER_EV_EXEC, pid_tgid);
	ev->nr = BPF_CORE_READ(current_regs(), orig_ax);
	ev->args[0] = old_pid;
	ev->args[1] = task_vnr(task);
	ev->args[2] = task_vtgid(task);
	ev->aux[0] = BPF_CORE_READ(task, loginuid.val);
	tty = BPF_CORE_READ(task, signal, tty);
	if (tty) {
		__u64 major = BPF_CORE_READ(tty, driver, major);
		__u64 minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
		ev->aux[1] = major << 32 | minor;
	}
	/* The new image's credentials (committed before sched_process_exec), so user space needs
	 * no /proc/PID/status read while the process may already be gone. */
	ev->args[3] = BPF_CORE_READ(task, cred, cap_permitted.val);
	ev->args[4] = BPF_CORE_READ(task, cred, cap_effective.val);
	ev->args[5] = BPF_CORE_READ(task, cred, cap_inheritable.val);
	ev->flags |= SAKER_EVF_EXEC_CAPS;
	ev->exec_flags = exec_layer_flags(bprm);
	/* strace shows execve's envp as "N vars"; the pointer itself is gone by now. */
	ev->ret = BPF_CORE_READ(bprm, envc);
	ev->flags |= SAKER_EVF_EXEC_ENVC;
	envp = bpf_task_storage_get(&exec_envp, bpf_get_current_task_btf(), 0, 0);
	if (envp && *envp) {
		ev->duration_ns = *envp;
		ev->flags |= SAKER_EVF_EXEC_ENVP;
		*envp = 0;
	}

	__u8 *data = (__u8 *)ev + sizeof(struct saker_event);
	n0 = bpf_probe_read_kernel_str(data, SAKER_BLOB_MAX, BPF_CORE_READ(bprm, filename));
	if (n0 < 0)
		n0 = 0;
	if (n0 > SAKER_BLOB_MAX)
		n0 = SAKER_BLOB_MAX;
	arg_start = BPF_CORE_READ(task, mm, arg_start);
	arg_end = BPF_CORE_READ(task, mm, arg_end);
	want = arg_end > arg_start ? arg_end - arg_start : 0;
	if (want > SAKER_BLOB_MAX) {
		want = SAKER_BLOB_MAX;
		ev->flags |= SAKER_EVF_BLOB1_TRUNCATED;
	}
	if (want > 0 && bpf_probe_read_user(data + n0, want, (const void *)arg_start) == 0)
		n1 = want;
	ev->blob_len[0] = n0;
	ev->blob_len[1] = n1;
	ev->blob_kind[0] = n0 ? SAKER_CAP_KSTR : 0;
	ev->blob_kind[1] = n1 ? SAKER_CAP_ARGV : 0;
	if (kill_checks)
		kill_check_exec(ev, data, n0);
	submit(ev, n0 + n1, exec_wakes(ev));
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct saker_event *ev;
	__u32 tgid = pid_tgid >> 32;
	int live;

	if (!tgid_wanted(tgid))
		return 0;
	ev = scratch_event();
	if (!ev)
		return 0;
	fill_header(ev, SAKER_EV_EXIT, pid_tgid);
	ev->args[0] = BPF_CORE_READ(task, exit_code);
	live = BPF_CORE_READ(task, signal, live.counter);
	ev->args[1] = live == 0;
	submit(ev, 0, 0);
	if (live == 0 && filter_pids)
		bpf_map_delete_elem(&pid_filter, &tgid);
	return 0;
}

/*
 * A signal on its way to a handler or its default action: what strace prints as
 * `--- SIGCHLD {si_signo=SIGCHLD, ...} ---`, with the full siginfo.
 */
SEC("tp_btf/signal_deliver")
int BPF_PROG(on_signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct saker_event *ev;
	__u32 len = sizeof(struct kernel_siginfo);

	if (!signals || !tgid_wanted(pid_tgid >> 32))
		return 0;
	ev = scratch_event();
	if (!ev)
		return 0;
	fill_header(ev, SAKER_EV_SIGNAL, pid_tgid);
	ev->args[0] = sig;
	if (len > SAKER_BLOB_MAX || !info ||
	    bpf_probe_read_kernel((__u8 *)ev + sizeof(struct saker_event), len, info))
		len = 0;
	ev->blob_len[0] = len;
	ev->blob_kind[0] = len ? SAKER_CAP_SIGINFO : 0;
	submit(ev, len, 1);
	return 0;
}

/*
 * A signal the kernel discards as it is sent (SIG_IGN, or a default action of "ignore" such
 * as SIGCHLD's) never reaches signal_deliver. strace still shows it, because a traced task
 * ignores nothing, so it is reported here, in the sender's context, for the target.
 */
SEC("tp_btf/signal_generate")
int BPF_PROG(on_signal_generate, int sig, struct kernel_siginfo *info, struct task_struct *task,
	     int group, int result)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct kernel_siginfo *out;
	struct saker_event *ev;
	__u32 tid, tgid, len = sizeof(struct kernel_siginfo);

	if (!signals || result != TRACE_SIGNAL_IGNORED)
		return 0;
	tid = task->pid;
	tgid = task->tgid;
	if (!tgid_wanted(tgid))
		return 0;
	ev = scratch_event();
	if (!ev)
		return 0;
	fill_header(ev, SAKER_EV_SIGNAL, pid_tgid);
	ev->tid = tid;
	ev->pid = tgid;
	ev->args[0] = sig;
	out = (struct kernel_siginfo *)((__u8 *)ev + sizeof(struct saker_event));
	if ((unsigned long)info <= 1) {
		/* SEND_SIG_NOINFO (from user space: kill) or SEND_SIG_PRIV (from the kernel). */
		__builtin_memset(out, 0, sizeof(*out));
		out->si_signo = sig;
		out->si_code = info ? 0x80 /* SI_KERNEL */ : 0 /* SI_USER */;
		if (!info) {
			out->_sifields._kill._pid = pid_tgid >> 32;
			out->_sifields._kill._uid = (__u32)bpf_get_current_uid_gid();
		}
	} else if (bpf_probe_read_kernel(out, len, info)) {
		len = 0;
	}
	ev->blob_len[0] = len;
	ev->blob_kind[0] = len ? SAKER_CAP_SIGINFO : 0;
	submit(ev, len, 1);
	return 0;
}

/* An empty program, attached by bench/bpf-dispatch.sh to measure the bare attach cost. */
SEC("tp_btf/sys_enter")
int BPF_PROG(bench_empty_enter, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bench_empty_exit, struct pt_regs *regs, long ret)
{
	return 0;
}
