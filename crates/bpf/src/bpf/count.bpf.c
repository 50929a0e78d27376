// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-kernel syscall counting for `saker trace --ebpf -c`, loaded by crates/bpf/src/counter.rs
 * through crates/bpf/src/loader.rs, not aya's EbpfLoader.
 *
 * Nothing here needs the kernel's BTF, so loading never parses /sys/kernel/btf/vmlinux (5 MB,
 * most of the old start-up; docs/capture-bpf.md, "Counting"):
 * - raw tracepoints only (raw_tp: the tracepoint's arguments as u64s), no tp_btf;
 * - no vmlinux.h: its types carry preserve_access_index, so any member access would become a
 *   CO-RE relocation; the few types needed are declared here, and the one kernel structure
 *   read, the syscall's saved registers, has a uapi (ABI) layout;
 * - no .rodata: the loader's setting lives in the count_state array.
 * crates/bpf/tests/object.rs checks that the object has no CO-RE relocation and only raw_tp
 * programs.
 */

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

#include <bpf/bpf_helpers.h>
#include "capture.h"

char LICENSE[] SEC("license") = "GPL";

/* include/uapi/linux/bpf.h */
#define BPF_MAP_TYPE_HASH 1
#define BPF_MAP_TYPE_ARRAY 2
#define BPF_MAP_TYPE_PERCPU_ARRAY 6
#define BPF_NOEXIST 1
#define BPF_F_NO_PREALLOC 1

/*
 * The registers a syscall saved, as x86_64's uapi lays them out (arch/x86/include/uapi/asm/
 * ptrace.h; PTRACE_GETREGS copies this layout, and ptrace-abi.h's ORIG_RAX is 120): an ABI, so
 * no relocation is needed to read orig_rax.
 */
struct user_pt_regs {
	__u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	__u64 rax, rcx, rdx, rsi, rdi, orig_rax;
	__u64 rip, cs, eflags, rsp, ss;
};
_Static_assert(__builtin_offsetof(struct user_pt_regs, orig_rax) == 120,
	       "orig_rax is at ORIG_RAX (arch/x86/include/uapi/asm/ptrace-abi.h)");

/*
 * Counting runs a program on every syscall of the host, so its path is kept to inlined array
 * loads (the verifier turns ARRAY lookups into pointer arithmetic, no helper call): which tgids
 * are counted is a bitmap indexed by tgid, and the enter stamp of a timed syscall sits in an
 * array indexed by tid. The loader sizes both from /proc/sys/kernel/pid_max; a task with a
 * larger id (pid_max raised later) is not counted. A hash lookup or task storage per syscall
 * cost 0.3-0.7x more on dd bs=1 (docs/capture-bpf.md, "Counting").
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SAKER_MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, struct saker_syscall_count);
} syscall_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* resized by the loader: pid_max / 64 words */
	__type(key, __u32);
	__type(value, __u64);
} count_tgid_bits SEC(".maps");

/* 0, or the enter stamp of the syscall in progress (enter_stamp). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* resized by the loader: pid_max */
	__type(key, __u32);
	__type(value, __u64);
} count_enter_ns SEC(".maps");

/* count_state indexes (mirrored in counter.rs). */
#define COUNT_PENDING 0      /* entries in count_new_tasks (kernel-written) */
#define COUNT_FOLLOW_FORKS 1 /* 1: children of counted tgids are counted too (loader-written) */
#define COUNT_SWITCHED_OUT 2 /* entries in count_switched_out (kernel-written) */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} count_state SEC(".maps");

/*
 * Tasks forked by counted processes that have not yet returned to user space, by task_struct
 * address. Without BTF the fork tracepoint's child is an opaque pointer: its tid is learnt in
 * its own context, at the first sys_exit it passes (the fork returning 0, before any syscall
 * of its own), where bpf_get_current_task() gives the same address. A task forked while the map
 * is full is neither followed nor reset (8192 forks pending at once, not a workload).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, __u8);
} count_new_tasks SEC(".maps");

static __always_inline __u64 *state(__u32 index)
{
	return bpf_map_lookup_elem(&count_state, &index);
}

/*
 * count_new_tasks and count_switched_out keep their number of entries in count_state[index],
 * so that the programs on every syscall or switch look them up only while they hold any.
 */
static __always_inline int has_entries(__u32 index)
{
	__u64 *entries = state(index);
	return entries && *entries;
}

static __always_inline void add_entry(void *map, __u64 *key, void *value, __u32 index)
{
	__u64 *entries;

	/* BPF_NOEXIST: an entry is counted once. */
	if (bpf_map_update_elem(map, key, value, BPF_NOEXIST) != 0)
		return;
	entries = state(index);
	if (entries)
		__sync_fetch_and_add(entries, 1);
}

/* Removes the entry of `key`; 1 when there was one. */
static __always_inline int remove_entry(void *map, __u64 *key, __u32 index)
{
	__u64 *entries;

	if (bpf_map_delete_elem(map, key) != 0)
		return 0;
	entries = state(index);
	if (entries)
		__sync_fetch_and_add(entries, -1);
	return 1;
}

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

static __always_inline void count_result(__u32 nr, long ret, __u64 ns)
{
	struct saker_syscall_count *c;

	if (nr >= SAKER_MAX_SYSCALLS)
		return;
	c = bpf_map_lookup_elem(&syscall_counts, &nr);
	if (!c)
		return;
	c->calls += 1;
	if (ret < 0 && ret >= -4095)
		c->errors += 1;
	c->total_ns += ns;
}

/*
 * The enter stamp of a timed syscall: the clock in the upper 54 bits, nr + 1 (never 0, so a
 * stamp is never 0) in the lower 10. The exit takes the number from here instead of reading
 * the saved registers (a helper call). The clock loses its top 10 bits, so durations are taken
 * modulo 2^54 ns (208 days), which is exact for any syscall shorter than that.
 */
#define STAMP_NR_BITS 10
#define STAMP_NR_MASK ((1ULL << STAMP_NR_BITS) - 1)
#define STAMP_NS_MASK ((1ULL << (64 - STAMP_NR_BITS)) - 1)
_Static_assert(SAKER_MAX_SYSCALLS < STAMP_NR_MASK, "nr + 1 fits the stamp");

static __always_inline __u64 enter_stamp(__u64 now, __u64 nr)
{
	return now << STAMP_NR_BITS | (nr + 1);
}

/*
 * rt_sigreturn restores the registers of the interrupted code and sets orig_ax to -1, so at
 * its exit no syscall number is left; it is the only call that does (as capture.bpf.c's
 * exit_nr).
 */
static __always_inline __u32 exit_nr(__u64 ctx_regs)
{
	struct user_pt_regs *regs = (struct user_pt_regs *)ctx_regs;
	long nr = -1;

	bpf_probe_read_kernel(&nr, sizeof(nr), &regs->orig_rax);
	return nr == -1 ? 15 /* __NR_rt_sigreturn */ : (__u32)nr;
}

/*
 * Runs at every sys_exit while forks are pending: if the current task is a new one forked by a
 * counted process, this is its first return to user space. Its enter slot is reset (a slot
 * left by an earlier thread with this tid, dead inside a syscall, must not be taken for its
 * own), and a new process is added to the counted set when following forks. So a new thread
 * starts untimed. Returns 1 then: this return is the fork's in the child, which strace does not
 * count (the parent's return already counted the call).
 */
static __always_inline int new_task_returns(void)
{
	__u64 task = bpf_get_current_task();
	__u64 pid_tgid, *start, *follow, *w;
	__u32 tid, tgid;

	if (!remove_entry(&count_new_tasks, &task, COUNT_PENDING))
		return 0;
	pid_tgid = bpf_get_current_pid_tgid();
	tid = (__u32)pid_tgid;
	tgid = pid_tgid >> 32;
	start = bpf_map_lookup_elem(&count_enter_ns, &tid);
	if (start)
		*start = 0;
	follow = state(COUNT_FOLLOW_FORKS);
	if (tid == tgid && follow && *follow) {
		w = tgid_word(tgid);
		if (w)
			__sync_fetch_and_or(w, 1ULL << (tgid & 63));
	}
	return 1;
}

/* Timed counting (strace -c -w): enter stores the stamp, exit adds the time. */
SEC("raw_tp/sys_enter")
int count_enter(__u64 *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	__u64 nr = ctx[1], *start;

	if (!tgid_counted(pid_tgid >> 32))
		return 0;
	start = bpf_map_lookup_elem(&count_enter_ns, &tid);
	if (start)
		*start = nr < SAKER_MAX_SYSCALLS ? enter_stamp(bpf_ktime_get_ns(), nr) : 0;
	return 0;
}

/*
 * At a sys_exit: learns a new task's first return, then takes (and clears) the current task's
 * enter stamp. 0 when the task is not counted or has no stamp (its syscall was already running
 * when its pid was added, or it is the fork's return in a new task).
 */
static __always_inline __u64 take_stamp(void)
{
	__u64 pid_tgid, stamp, *start;
	__u32 tid;

	if (has_entries(COUNT_PENDING))
		new_task_returns();
	pid_tgid = bpf_get_current_pid_tgid();
	tid = (__u32)pid_tgid;
	if (!tgid_counted(pid_tgid >> 32))
		return 0;
	start = bpf_map_lookup_elem(&count_enter_ns, &tid);
	if (!start)
		return 0;
	stamp = *start;
	*start = 0;
	return stamp;
}

SEC("raw_tp/sys_exit")
int count_exit(__u64 *ctx)
{
	__u64 stamp = take_stamp();

	if (stamp)
		count_result((stamp & STAMP_NR_MASK) - 1, ctx[1],
			     (bpf_ktime_get_ns() - (stamp >> STAMP_NR_BITS)) & STAMP_NS_MASK);
	return 0;
}

/*
 * System time (strace -c without -w: the CPU time spent in each call, not its waits;
 * counter.rs Timing::SystemTime), estimated at about the cost of untimed counting. Timing
 * every call reads the precise clock (bpf_ktime_get_ns: the TSC) twice per syscall, most of
 * the wall-clock counter's overhead (docs/capture-bpf.md, "Counting"). A call runs on the CPU
 * from its entry to its first switch-out (sched_switch inside the call: it blocked or was
 * preempted), and from each switch-in to the next switch-out or its exit:
 * - the first stretch is measured for the first ALWAYS_TIMED calls of each syscall on each CPU
 *   (so a short run is exact), then for 1 call in SAMPLE_ONE_IN on average, counted
 *   SAMPLE_ONE_IN-fold: an unbiased estimate. The sampled calls come at random intervals
 *   (sample_in, drawn from 1 to 2 * SAMPLE_ONE_IN - 1), so that a periodic pattern of calls
 *   cannot line up with them;
 * - the stretches after a switch-in are measured for every call (count_switch); a blocked
 *   call's wait is not system time, and is not counted.
 * dd bs=1 thus reads the clock on 1 call in 16, a call that blocks on every stretch after its
 * first.
 *
 * The stamp: clock (51 bits) << STAMP_TIME_SHIFT | flags | nr + 1.
 */
#define ALWAYS_TIMED 64
#define SAMPLE_SHIFT 4
#define SAMPLE_ONE_IN (1U << SAMPLE_SHIFT)
#define STAMP_TIMED (1ULL << 10)    /* the clock is when this stretch on the CPU began */
#define STAMP_SAMPLED (1ULL << 11)  /* with TIMED: counts SAMPLE_ONE_IN-fold */
#define STAMP_SWITCHED (1ULL << 12) /* off the CPU inside the call, no clock */
#define STAMP_TIME_SHIFT 13
#define STAMP_TIME_MASK ((1ULL << (64 - STAMP_TIME_SHIFT)) - 1)

/*
 * Counted tasks switched out inside a call, by task_struct address: sched_switch's next task
 * is only a pointer without BTF, so its tid is remembered here until it runs again. A task
 * switched out while the map is full has the rest of its call left out (16384 tasks asleep in
 * calls at once).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, __u32);
} count_switched_out SEC(".maps");

/* The time of a timed stretch that ends now, weighted. */
static __always_inline __u64 stretch_ns(__u64 now, __u64 stamp)
{
	__u64 ns = (now - (stamp >> STAMP_TIME_SHIFT)) & STAMP_TIME_MASK;
	return stamp & STAMP_SAMPLED ? ns << SAMPLE_SHIFT : ns;
}

SEC("raw_tp/sys_enter")
int count_enter_sys(__u64 *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, nr32;
	__u64 nr = ctx[1], *start;
	struct saker_syscall_count *c;

	if (!tgid_counted(pid_tgid >> 32))
		return 0;
	start = bpf_map_lookup_elem(&count_enter_ns, &tid);
	if (!start)
		return 0;
	if (nr >= SAKER_MAX_SYSCALLS) {
		*start = 0;
		return 0;
	}
	nr32 = nr;
	c = bpf_map_lookup_elem(&syscall_counts, &nr32);
	if (!c)
		return 0;
	if (c->calls < ALWAYS_TIMED) {
		*start = bpf_ktime_get_ns() << STAMP_TIME_SHIFT | STAMP_TIMED | (nr + 1);
	} else if (c->sample_in > 1) {
		/* The common path: no helper call, no clock. */
		c->sample_in -= 1;
		*start = nr + 1;
	} else {
		c->sample_in = 1 + bpf_get_prandom_u32() % (2 * SAMPLE_ONE_IN - 1);
		*start = bpf_ktime_get_ns() << STAMP_TIME_SHIFT | STAMP_TIMED | STAMP_SAMPLED |
			 (nr + 1);
	}
	return 0;
}

SEC("raw_tp/sys_exit")
int count_exit_sys(__u64 *ctx)
{
	__u64 stamp = take_stamp(), ns = 0;

	if (!stamp)
		return 0;
	if (stamp & STAMP_TIMED)
		ns = stretch_ns(bpf_ktime_get_ns(), stamp);
	count_result((stamp & STAMP_NR_MASK) - 1, ctx[1], ns);
	return 0;
}

/* The task leaving the CPU (the current one): a counted task inside a call. */
static __always_inline void switched_out(void)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), stamp, task, *start;
	__u32 tid = (__u32)pid_tgid, nr;
	struct saker_syscall_count *c;

	if (!tgid_counted(pid_tgid >> 32))
		return;
	start = bpf_map_lookup_elem(&count_enter_ns, &tid);
	if (!start)
		return;
	stamp = *start;
	if (!stamp || (stamp & STAMP_SWITCHED))
		return;
	if (stamp & STAMP_TIMED) {
		nr = (stamp & STAMP_NR_MASK) - 1;
		c = bpf_map_lookup_elem(&syscall_counts, &nr);
		if (c)
			c->total_ns += stretch_ns(bpf_ktime_get_ns(), stamp);
	}
	*start = STAMP_SWITCHED | (stamp & STAMP_NR_MASK);
	task = bpf_get_current_task();
	add_entry(&count_switched_out, &task, &tid, COUNT_SWITCHED_OUT);
}

/* The task coming onto the CPU: one switched out inside a call starts a measured stretch. */
static __always_inline void switched_in(__u64 next)
{
	__u64 stamp, *start;
	__u32 *found, tid;

	if (!has_entries(COUNT_SWITCHED_OUT))
		return;
	found = bpf_map_lookup_elem(&count_switched_out, &next);
	if (!found)
		return;
	tid = *found;
	if (!remove_entry(&count_switched_out, &next, COUNT_SWITCHED_OUT))
		return;
	start = bpf_map_lookup_elem(&count_enter_ns, &tid);
	if (!start)
		return;
	stamp = *start;
	if (stamp & STAMP_SWITCHED)
		*start = bpf_ktime_get_ns() << STAMP_TIME_SHIFT | STAMP_TIMED |
			 (stamp & STAMP_NR_MASK);
}

/*
 * sched_switch(preempt, prev, next, prev_state), in prev's context with preemption off (so
 * never inside the enter or exit program of either task).
 */
SEC("raw_tp/sched_switch")
int count_switch(__u64 *ctx)
{
	switched_out();
	switched_in(ctx[2]);
	return 0;
}

/* Untimed counting (calls and errors only): one exit program, no clock reads. */
SEC("raw_tp/sys_exit")
int count_exit_untimed(__u64 *ctx)
{
	if (has_entries(COUNT_PENDING) && new_task_returns())
		return 0;
	if (!tgid_counted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	count_result(exit_nr(ctx[0]), ctx[1], 0);
	return 0;
}

/*
 * sched_process_fork(parent, child), in the parent's context, before the child can run: a
 * child of a counted process is remembered until its first sys_exit (new_task_returns).
 */
SEC("raw_tp/sched_process_fork")
int count_fork(__u64 *ctx)
{
	__u64 child = ctx[1];
	__u8 one = 1;

	if (tgid_counted(bpf_get_current_pid_tgid() >> 32))
		add_entry(&count_new_tasks, &child, &one, COUNT_PENDING);
	return 0;
}

/* At a task's exit: a new task that dies before it ever ran is forgotten. */
static __always_inline void forget_new_task(void)
{
	__u64 task;

	if (!has_entries(COUNT_PENDING))
		return;
	task = bpf_get_current_task();
	remove_entry(&count_new_tasks, &task, COUNT_PENDING);
}

/* A dead process leaves the set, so a later process reusing its pid is not counted. */
static __always_inline void leave_set(__u32 tgid)
{
	__u64 *w;

	if (!tgid_counted(tgid))
		return;
	w = tgid_word(tgid);
	if (w)
		__sync_fetch_and_and(w, ~(1ULL << (tgid & 63)));
}

/*
 * sched_process_exit(task, group_dead) (Linux 6.16+; the loader checks the tracepoint's
 * format), in the exiting thread's context: the process leaves the set with its last thread.
 */
SEC("raw_tp/sched_process_exit")
int count_task_exit(__u64 *ctx)
{
	forget_new_task();
	if (ctx[1])
		leave_set(bpf_get_current_pid_tgid() >> 32);
	return 0;
}

/*
 * Before Linux 6.16 sched_process_exit has no group_dead: the leader's exit stands for the
 * process's end. A process whose leader exits before its other threads (pthread_exit in main)
 * is no longer counted from then on.
 */
SEC("raw_tp/sched_process_exit")
int count_leader_exit(__u64 *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	forget_new_task();
	if ((__u32)pid_tgid == pid_tgid >> 32)
		leave_set(pid_tgid >> 32);
	return 0;
}
