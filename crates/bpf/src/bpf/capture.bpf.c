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
 * [2] records queued (the loader reads [0] and [2]: events captured/dropped per CPU).
 */
#define DROPS_SLOT_DROPPED 0
#define DROPS_SLOT_PENDING 1
#define DROPS_SLOT_SUBMITTED 2
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

#define SCRATCH_SIZE (sizeof(struct saker_event) + 2 * SAKER_BLOB_MAX)
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

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SAKER_MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, struct saker_syscall_count);
} syscall_counts SEC(".maps");

/*
 * Enter time of the current syscall, stored in the task itself: a task-storage lookup is a
 * pointer walk, where a hash update per syscall costs several times more (see the counting
 * figures in docs/capture-bpf.md), and the slot is freed with the task.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
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
	ev->blob_len[0] = 0;
	ev->blob_len[1] = 0;
	ev->blob_kind[0] = 0;
	ev->blob_kind[1] = 0;
	ev->flags = 0;
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
static __always_inline void submit(struct saker_event *ev, __u32 blob0, __u32 blob1, int urgent)
{
	__u64 size = sizeof(struct saker_event) + (__u64)blob0 + (__u64)blob1;
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
 * SAKER_CAP_IOV_*: iov i's first bytes (at most snaplen) in slot i, after their __u32 length.
 * Fixed slots keep each iteration's state independent of the others, so the verifier prunes
 * the unrolled loop. Returns the blob's length: up to the end of the last slot filled.
 */
static __always_inline long read_iov_data(__u8 *dst, __u64 iov, __u64 count, __u32 slot)
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
		want = v.len > snaplen ? snaplen : (__u32)v.len;
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
 * Copies blob `which` (0 or 1) of a syscall record, as described by the spec, to `offset` bytes
 * after the header, and returns its length. A noinline subprogram so the verifier checks it
 * once, not once per blob per program.
 */
static __noinline __u32 capture_blob(struct saker_event *ev, const struct saker_syscall_spec *spec,
				     __u32 which, __u32 offset)
{
	__u8 kind, trunc_flag, fault_flag;
	__u64 ptr, len_or_ptr, want = 0;
	__s64 ret;
	__u8 *dst;
	long n = 0;
	int ulen = 0;

	if (!ev || !spec || which > 1 || offset > SAKER_BLOB_MAX)
		return 0;
	kind = spec->cap_kind[which & 1];
	ptr = arg_value(ev->args, spec->cap_arg[which & 1]);
	len_or_ptr = arg_value(ev->args, spec->cap_len_arg[which & 1]);
	trunc_flag = which ? SAKER_EVF_BLOB1_TRUNCATED : SAKER_EVF_BLOB0_TRUNCATED;
	fault_flag = which ? SAKER_EVF_BLOB1_FAULT : SAKER_EVF_BLOB0_FAULT;
	ret = ev->ret;
	dst = (__u8 *)ev + sizeof(struct saker_event) + offset;
	if (ptr == 0)
		return 0;
	switch (kind) {
	case SAKER_CAP_STR:
		n = bpf_probe_read_user_str(dst, SAKER_BLOB_MAX, (const void *)ptr);
		if (n == SAKER_BLOB_MAX)
			ev->flags |= trunc_flag;
		break;
	case SAKER_CAP_SOCKADDR_IN:
		n = read_user_clamped(ev, dst, ptr, len_or_ptr, SAKER_SOCKADDR_MAX, 0);
		break;
	case SAKER_CAP_SOCKADDR_OUT:
		if (ret < 0 || len_or_ptr == 0)
			return 0;
		if (bpf_probe_read_user(&ulen, sizeof(ulen), (const void *)len_or_ptr))
			return 0;
		n = read_user_clamped(ev, dst, ptr, (__u32)ulen, SAKER_SOCKADDR_MAX, 0);
		break;
	case SAKER_CAP_DATA_RET:
	case SAKER_CAP_DATA_LEN:
		/* What a failed write was given is still worth showing; a failed read filled nothing. */
		if (kind == SAKER_CAP_DATA_RET ? ret <= 0 : ret < -4095)
			return 0;
		want = kind == SAKER_CAP_DATA_RET ? (__u64)ret : len_or_ptr;
		if (want > snaplen) {
			want = snaplen;
			ev->flags |= trunc_flag;
		}
		n = read_user_clamped(ev, dst, ptr, want, SAKER_BLOB_MAX, trunc_flag);
		break;
	case SAKER_CAP_MEM:
	case SAKER_CAP_MEM_COUNT:
	case SAKER_CAP_MEM_RET:
		want = spec->cap_size[which & 1];
		if (kind == SAKER_CAP_MEM_COUNT) {
			if (len_or_ptr > SAKER_BLOB_MAX) /* also keeps the product from overflowing */
				len_or_ptr = SAKER_BLOB_MAX;
			want *= len_or_ptr;
		} else if (kind == SAKER_CAP_MEM_RET) {
			if (ret <= 0)
				return 0;
			want *= ret > SAKER_BLOB_MAX ? SAKER_BLOB_MAX : (__u64)ret;
		}
		n = read_user_clamped(ev, dst, ptr, want, SAKER_BLOB_MAX, trunc_flag);
		break;
	case SAKER_CAP_IOV_IN:
	case SAKER_CAP_IOV_OUT:
		if (kind == SAKER_CAP_IOV_OUT && ret <= 0)
			return 0;
		n = read_iov_data(dst, ptr, len_or_ptr, SAKER_IOV_SLOT);
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
							(__u64)mh.msg_iov, count, SAKER_MSG_IOV_SLOT);
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
	} else if (kind == SAKER_AUX_USER_U32) {
		if (!bpf_probe_read_user(&ev->aux[0], sizeof(__u32), (const void *)ptr))
			ev->flags |= SAKER_EVF_AUX_COPIED;
	} else if (kind == SAKER_AUX_USER_STR16) {
		if (bpf_probe_read_user_str(&ev->aux[0], sizeof(ev->aux), (const void *)ptr) > 0)
			ev->flags |= SAKER_EVF_AUX_COPIED;
	}
}

/*
 * The shared body of every syscall-exit program. regs must be a BTF pointer (the tp_btf
 * argument or bpf_task_pt_regs()), so the argument loads are direct.
 */
static __noinline int handle_sys_exit(struct pt_regs *regs, long nr, long ret)
{
	struct saker_syscall_spec *spec;
	struct saker_event *ev;
	__u32 key, len0, len1;
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
		__u64 *start = bpf_task_storage_get(&task_enter_ts, bpf_get_current_task_btf(), 0, 0);
		if (start && *start) {
			ev->duration_ns = ev->ts_boot_ns - *start;
			*start = 0;
		}
	}
	capture_aux(ev, spec->aux_kind, arg_value(ev->args, spec->aux_arg));
	if (nr == 15) /* rt_sigreturn: the signal mask it restored, which strace shows */
		ev->aux[0] = bpf_get_current_task_btf()->blocked.sig[0];

	len0 = capture_blob(ev, spec, 0, 0);
	if (len0 > SAKER_BLOB_MAX)
		len0 = SAKER_BLOB_MAX;
	len1 = capture_blob(ev, spec, 1, len0);
	if (len1 > SAKER_BLOB_MAX)
		len1 = SAKER_BLOB_MAX;
	ev->blob_len[0] = len0;
	ev->blob_len[1] = len1;
	ev->blob_kind[0] = len0 ? spec->cap_kind[0] : 0;
	ev->blob_kind[1] = len1 ? spec->cap_kind[1] : 0;
	submit(ev, len0, len1, 0);
	return 0;
}

/* Records the enter time of a timed syscall (dispatcher modes only). */
static __always_inline int handle_sys_enter(long nr)
{
	struct saker_syscall_spec *spec;
	__u64 *start;
	__u32 key;

	if (nr < 0 || nr >= SAKER_MAX_SYSCALLS)
		return 0;
	key = (__u32)nr;
	spec = bpf_map_lookup_elem(&syscall_specs, &key);
	if (!spec || !(spec->flags & SAKER_SPEC_TIMED))
		return 0;
	if (!tgid_wanted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	start = bpf_task_storage_get(&task_enter_ts, bpf_get_current_task_btf(), 0,
				     BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (start)
		*start = bpf_ktime_get_boot_ns();
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
	submit(ev, 0, 0, 0);
	return 0;
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
	/* strace shows execve's envp as "N vars"; the pointer itself is gone by now. */
	ev->ret = BPF_CORE_READ(bprm, envc);
	ev->flags |= SAKER_EVF_EXEC_ENVC;

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
	submit(ev, n0, n1, 0);
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
	submit(ev, 0, 0, 0);
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
	submit(ev, len, 0, 1);
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
	submit(ev, len, 0, 1);
	return 0;
}

/* ---- in-kernel syscall counting (saker trace --ebpf -c) ---- */

/*
 * Counting runs a program on every syscall of the host, so its path is kept to inlined array
 * loads (the verifier turns ARRAY lookups into pointer arithmetic, no helper call): which tgids
 * are counted is a bitmap indexed by tgid, and the enter time of a timed syscall sits in an
 * array indexed by tid. The loader sizes both from /proc/sys/kernel/pid_max; a task with a
 * larger id (pid_max raised later) is not counted. A hash lookup or task storage per syscall
 * cost 0.3-0.7x more on dd bs=1 (docs/capture-bpf.md, "Counting").
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* resized by the loader: pid_max / 64 words */
	__type(key, __u32);
	__type(value, __u64);
} count_tgid_bits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* resized by the loader: pid_max */
	__type(key, __u32);
	__type(value, __u64);
} count_enter_ns SEC(".maps");

static __always_inline __u64 *tgid_word(__u32 tgid)
{
	__u32 word = tgid >> 6;
	return bpf_map_lookup_elem(&count_tgid_bits, &word);
}

static __always_inline int tgid_counted(__u32 tgid)
{
	__u64 *w = tgid_word(tgid);
	return w && (*w & (1ULL << (tgid & 63)));
}

static __always_inline struct saker_syscall_count *count_slot(struct pt_regs *regs)
{
	__u32 nr = (__u32)regs->orig_ax;

	if (nr >= SAKER_MAX_SYSCALLS)
		return 0;
	return bpf_map_lookup_elem(&syscall_counts, &nr);
}

static __always_inline void count_result(struct saker_syscall_count *c, long ret)
{
	c->calls += 1;
	if (ret < 0 && ret >= -4095)
		c->errors += 1;
}

/* Timed counting (strace -c -w): enter stores the time, exit adds it. */
SEC("tp_btf/sys_enter")
int BPF_PROG(count_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	__u64 *start;

	if (!tgid_counted(pid_tgid >> 32))
		return 0;
	start = bpf_map_lookup_elem(&count_enter_ns, &tid);
	if (start)
		*start = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(count_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct saker_syscall_count *c;
	__u64 *start, now;

	if (!tgid_counted(pid_tgid >> 32))
		return 0;
	/* No start time: the syscall was already running when the pid was added; skipped. */
	start = bpf_map_lookup_elem(&count_enter_ns, &tid);
	if (!start || !*start)
		return 0;
	now = bpf_ktime_get_ns();
	c = count_slot(regs);
	if (c) {
		count_result(c, ret);
		c->total_ns += now - *start;
	}
	*start = 0;
	return 0;
}

/* Untimed counting (calls and errors only): one exit program, no clock reads. */
SEC("tp_btf/sys_exit")
int BPF_PROG(count_exit_untimed, struct pt_regs *regs, long ret)
{
	struct saker_syscall_count *c;

	if (!tgid_counted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	c = count_slot(regs);
	if (c)
		count_result(c, ret);
	return 0;
}

/* Children of counted processes are counted (follow_forks); a new thread starts untimed. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(count_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = bpf_get_current_pid_tgid() >> 32;
	__u32 ctgid = child->tgid;
	__u32 ctid = child->pid;
	__u64 *start, *w;

	if (!tgid_counted(ptgid))
		return 0;
	/* A slot left by a thread that died inside a syscall (exit_group) must not be reused. */
	start = bpf_map_lookup_elem(&count_enter_ns, &ctid);
	if (start)
		*start = 0;
	if (follow_forks && ctgid != ptgid) {
		w = tgid_word(ctgid);
		if (w)
			__sync_fetch_and_or(w, 1ULL << (ctgid & 63));
	}
	return 0;
}

/* A dead process leaves the set, so a later process reusing its pid is not counted. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(count_task_exit, struct task_struct *p)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u64 *w;

	if (task->signal->live.counter != 0 || !tgid_counted(tgid))
		return 0;
	w = tgid_word(tgid);
	if (w)
		__sync_fetch_and_and(w, ~(1ULL << (tgid & 63)));
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
