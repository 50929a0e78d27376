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
 *   floor-tracer CMD [ARG...]      exits with CMD's status
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
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

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: floor-tracer CMD [ARG...]\n");
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
		} else if (WSTOPSIG(status) != SIGTRAP && WSTOPSIG(status) != SIGSTOP) {
			sig = WSTOPSIG(status); /* a signal for the tracee: delivered */
		}
		ptrace(PTRACE_SYSCALL, pid, 0, sig);
	}
	return exit_code;
}
