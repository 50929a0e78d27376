/*
 * The floor of a ptrace tracer that reports what strace reports, for bench/trace.sh: it runs
 * a command with `-f` semantics and, at each syscall stop, does only what any such tracer
 * must: wait for the stop, read the syscall's number, arguments or return value
 * (PTRACE_GET_SYSCALL_INFO: one call per stop), resume it (PTRACE_SYSCALL). It reads no
 * memory of the tracee and prints nothing, so `saker trace` and strace, which also read the
 * buffers and paths they print, cannot be faster than this on the same machine.
 *
 * It waits for a stop as saker_ptrace does (crates/ptrace/src/tracer.rs, poll_for_stop):
 * wait4(WNOHANG) with sched_yield between, for up to 50 us, then a blocking wait4, so the
 * comparison is of the work per stop and not of the waiting strategy.
 *
 * With -r it also reads, with one process_vm_readv each, the tracee memory that strace's
 * default output shows for the calls of bench/trace.sh's workloads: the first 32 bytes of
 * read/write data, paths (up to 256 bytes, not past their page), the stat buffer of the stat
 * family and the entries getdents64 returned. That is the floor of a tracer that prints what
 * strace prints; it still formats and writes nothing.
 *
 *   floor-tracer [-r] CMD [ARG...]      exits with CMD's status
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SPIN_NS 50000L

static long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* The next stop of any tracee: polled for SPIN_NS, then waited for. */
static pid_t wait_stop(int *status)
{
	long started = 0;
	for (;;) {
		pid_t pid = waitpid(-1, status, __WALL | WNOHANG);
		if (pid != 0)
			return pid;
		if (!started)
			started = now_ns();
		else if (now_ns() - started >= SPIN_NS)
			return waitpid(-1, status, __WALL);
		sched_yield();
	}
}

static char scratch[65536];

/* One process_vm_readv of len bytes at addr (capped at the scratch size), like a tracer's. */
static void read_memory(pid_t pid, unsigned long addr, unsigned long len)
{
	if (len > sizeof(scratch))
		len = sizeof(scratch);
	if (!addr || !len)
		return;
	struct iovec local = {scratch, len}, remote = {(void *)addr, len};
	process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

/* A path: up to 256 bytes, not past the end of its page (where a NUL-terminated read stops). */
static void read_path(pid_t pid, unsigned long addr)
{
	unsigned long to_page_end = 4096 - (addr & 4095);
	read_memory(pid, addr, to_page_end < 256 ? to_page_end : 256);
}

/* The entry's arguments of each tracee's call in progress, for what is read at its exit. */
#define SLOTS 4096
static __uint64_t entry_args[SLOTS][6];
static long entry_nr[SLOTS];

static void read_at_entry(pid_t pid, const struct __ptrace_syscall_info *info)
{
	const __uint64_t *a = info->entry.args;
	memcpy(entry_args[pid % SLOTS], a, sizeof(entry_args[0]));
	switch (info->entry.nr) {
	case SYS_write:
	case SYS_pwrite64:
		read_memory(pid, a[1], a[2] < 32 ? a[2] : 32);
		break;
	case SYS_open:
	case SYS_stat:
	case SYS_lstat:
	case SYS_access:
	case SYS_execve:
		read_path(pid, a[0]);
		break;
	case SYS_openat:
	case SYS_newfstatat:
	case SYS_faccessat:
	case SYS_faccessat2:
	case SYS_readlinkat:
		read_path(pid, a[1]);
		break;
	}
}

static void read_at_exit(pid_t pid, const struct __ptrace_syscall_info *info, long nr)
{
	const __uint64_t *a = entry_args[pid % SLOTS];
	long ret = info->exit.rval;
	if (ret < 0)
		return;
	switch (nr) {
	case SYS_read:
	case SYS_pread64:
		read_memory(pid, a[1], ret < 32 ? ret : 32);
		break;
	case SYS_getdents64:
		read_memory(pid, a[1], ret);
		break;
	case SYS_stat:
	case SYS_lstat:
	case SYS_fstat:
		read_memory(pid, a[1], sizeof(struct stat));
		break;
	case SYS_newfstatat:
		read_memory(pid, a[2], sizeof(struct stat));
		break;
	}
}

int main(int argc, char **argv)
{
	int read_shown = argc > 1 && strcmp(argv[1], "-r") == 0;
	argv += read_shown;
	argc -= read_shown;
	if (argc < 2) {
		fprintf(stderr, "usage: floor-tracer [-r] CMD [ARG...]\n");
		return 2;
	}
	pid_t child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	int status;
	if (waitpid(child, &status, 0) < 0 || !WIFSTOPPED(status)) {
		fprintf(stderr, "floor-tracer: the command did not stop\n");
		return 1;
	}
	ptrace(PTRACE_SETOPTIONS, child, 0,
	       PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACECLONE |
		       PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC);
	ptrace(PTRACE_SYSCALL, child, 0, 0);
	int exit_code = 0;
	for (;;) {
		pid_t pid = wait_stop(&status);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: no tracee left */
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == child)
				exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			continue;
		}
		int sig = 0;
		if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
			struct __ptrace_syscall_info info;
			ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info);
			if (read_shown && info.op == PTRACE_SYSCALL_INFO_ENTRY) {
				entry_nr[pid % SLOTS] = info.entry.nr;
				read_at_entry(pid, &info);
			} else if (read_shown && info.op == PTRACE_SYSCALL_INFO_EXIT) {
				read_at_exit(pid, &info, entry_nr[pid % SLOTS]);
			}
		} else if (WSTOPSIG(status) != SIGTRAP && WSTOPSIG(status) != SIGSTOP) {
			sig = WSTOPSIG(status); /* a signal for the tracee: delivered */
		}
		ptrace(PTRACE_SYSCALL, pid, 0, sig);
	}
	return exit_code;
}
