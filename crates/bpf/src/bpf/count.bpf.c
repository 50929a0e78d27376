// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-kernel syscall counting for `saker trace --ebpf -c`, loaded by crates/bpf/src/counter.rs.
 * An object of its own, apart from capture.bpf.c: loading it relocates and creates only what
 * counting needs, which is most of `-c --ebpf`'s start-up (docs/capture-bpf.md, "Counting").
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "capture.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load (EbpfLoader::override_global). */
const volatile __u8 follow_forks = 1;  /* 1: children of counted tgids are counted too */

/*
 * Counting runs a program on every syscall of the host, so its path is kept to inlined array
 * loads (the verifier turns ARRAY lookups into pointer arithmetic, no helper call): which tgids
 * are counted is a bitmap indexed by tgid, and the enter time of a timed syscall sits in an
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
