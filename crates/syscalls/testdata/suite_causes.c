/* Calls that strace 6.1's own test suite showed Saker decoding differently from strace
 * (issue 13), one group per cause. Each call is made with raw syscall() so that the exact
 * register values reach the kernel. Single process; every call is harmless (it fails, or
 * changes nothing). Compared line by line with the machine's strace by
 * tests/against_strace.rs, also under -X raw and -X verbose. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Garbage in the upper half of a 64-bit register. */
#define HIGH 0xdefaced00000000ULL

int main(void)
{
	/* Cause 6: arguments the kernel declares int/unsigned int use their low half only. */
	syscall(SYS_epoll_ctl, HIGH | (uint32_t)-1, 0xffffffff00000001ULL, HIGH | (uint32_t)-1, 0);
	syscall(SYS_pidfd_open, HIGH | 0, HIGH);
	syscall(SYS_dup3, HIGH | (uint32_t)-2, HIGH | (uint32_t)-1, HIGH | O_CLOEXEC);
	syscall(SYS_lseek, HIGH | (uint32_t)-1, -1L, HIGH | SEEK_END);
	syscall(SYS_flock, HIGH | (uint32_t)-1, HIGH | 2);
	syscall(SYS_kill, HIGH | 0x7fffffff, HIGH | 0);
	syscall(SYS_fchmod, HIGH | (uint32_t)-1, HIGH | 0644);
	syscall(SYS_creat, "/nonexistent/saker-suite-causes", 0xffff0000ULL | 0600);

	/* Cause 10: uid_t and gid_t print unsigned, (uid_t) -1 as -1. */
	syscall(SYS_fchown, -1, 4294901760U, -1);
	syscall(SYS_chown, "/nonexistent/saker-suite-causes", 4294901760U, 4294901761U);
	syscall(SYS_setresuid, -1, -1, -1);
	syscall(SYS_setresgid, HIGH | (uint32_t)-1, -1, -1);

	/* Cause 10: memory that cannot be read prints as its address, never as made-up
	 * content. The page after `page` is PROT_NONE. */
	char *page = mmap(0, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	mprotect(page + 4096, 4096, PROT_NONE);
	char *last = page + 4095;
	*last = '\377'; /* a string with no NUL before the unreadable page */
	syscall(SYS_faccessat, -1, last, F_OK);
	syscall(SYS_chdir, last);
	syscall(SYS_accept4, -1, page, page + 4096, SOCK_CLOEXEC);
	syscall(SYS_getsockname, -1, page, page + 4096);

	/* Cause 10: tv_nsec and tv_usec print unsigned. */
	struct timespec bad = { .tv_sec = -1, .tv_nsec = -2 };
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, 0);

	/* -X: named constants and flags as numbers or with comments. */
	syscall(SYS_openat, AT_FDCWD, "/nonexistent/saker-suite-causes", O_RDWR | O_CLOEXEC);
	syscall(SYS_openat, AT_FDCWD, "/nonexistent/saker-suite-causes", O_RDONLY);
	syscall(SYS_mprotect, page, 4096, PROT_READ | PROT_WRITE);
	syscall(SYS_mprotect, page, 4096, PROT_NONE);
	syscall(SYS_mprotect, page, 4096, 0x80000000U);
	syscall(SYS_lseek, -1, 0, SEEK_SET);
	syscall(SYS_lseek, -1, 0, 7);
	return 0;
}
