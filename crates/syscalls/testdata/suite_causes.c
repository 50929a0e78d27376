/* Calls that strace 6.1's own test suite showed Saker decoding differently from strace
 * (issue 13), one group per cause. Each call is made with raw syscall() so that the exact
 * register values reach the kernel. Single process; every call is harmless (it fails, or
 * changes nothing). Compared line by line with the machine's strace by
 * tests/against_strace.rs, also under -X raw and -X verbose. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
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

	/* Cause 9: calls that had no decoder. */
	/* pid 0 (ESRCH): the comparison must not depend on pid values. */
	pid_t self = 0;
	syscall(SYS_kcmp, self, self, 0 /* KCMP_FILE */, 0, 0);
	syscall(SYS_kcmp, self, self, 1 /* KCMP_VM */, 0, 0);
	syscall(SYS_kcmp, self, self, 0xbad, 0x1234, 0x5678);
	syscall(SYS_kcmp, self, self, 7 /* KCMP_EPOLL_TFD */, -1, 0);
	syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0);
	syscall(SYS_ioprio_get, 0xbad, 0);
	syscall(SYS_ioprio_set, 0xbad, 0, (2 << 13) | 4);
	syscall(SYS_landlock_create_ruleset, 0, 0, 1 /* VERSION */);
	uint64_t handled[2] = { 3, 0 };
	syscall(SYS_landlock_create_ruleset, handled, 8, 0xf0);
	syscall(SYS_landlock_create_ruleset, handled, 16, 0);
	struct __attribute__((packed)) { uint64_t access; int32_t fd; } beneath = { 5, -1 };
	syscall(SYS_landlock_add_rule, -1, 1 /* PATH_BENEATH */, &beneath, 0);
	syscall(SYS_landlock_add_rule, -1, 2, &beneath, 0);
	syscall(SYS_landlock_restrict_self, -1, HIGH | 1);
	syscall(SYS_fanotify_init, 0xffffffff, O_RDWR | O_CLOEXEC);
	syscall(SYS_reboot, 0, 0, 0, 0);
	syscall(SYS_reboot, 0xfee1dead, 672274793, 0xbadc0de, 0);
	syscall(SYS_swapon, "/nonexistent/saker-suite-causes", 0x8000 | 5);
	syscall(SYS_swapon, "/nonexistent/saker-suite-causes", 0);
	syscall(SYS_delete_module, "saker-no-such-module", O_NONBLOCK | O_TRUNC | 1);
	syscall(SYS_init_module, 0, 0, "");
	syscall(SYS_finit_module, -1, "", 7);
	syscall(SYS_process_mrelease, -1, 0);
	syscall(SYS_mlock2, page, 4096, 0xffffffff);
	syscall(SYS_pkey_alloc, 0xbad, 0x1f);
	syscall(SYS_pkey_free, -1);
	syscall(SYS_memfd_secret, 0xff);
	syscall(SYS_set_mempolicy_home_node, 0, 0, 0xbad, 0xbad);
	syscall(SYS_iopl, 4);
	syscall(SYS_sync_file_range, -1, -1, 4096, 7);

	unsigned long nodes[2] = { 1, 0 };
	syscall(SYS_mbind, page, 4096, 2 /* MPOL_BIND */, nodes, 65, 0xf0);
	syscall(SYS_migrate_pages, 0, 0, 0, 0);
	void *pages[2] = { page, 0 };
	int status[2] = { 7, 7 };
	syscall(SYS_move_pages, 0, 2, pages, 0, status, 0);
	syscall(SYS_get_mempolicy, 0, nodes, 129, 0, 0);

	/* Cause 9: socket options decoded by level and name. */
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		int value = 0;
		socklen_t len = sizeof(value);
		struct { int onoff, linger; } linger = { 1, 5 };
		syscall(SYS_setsockopt, sv[0], SOL_SOCKET, SO_LINGER, &linger, sizeof(linger));
		len = sizeof(linger);
		syscall(SYS_getsockopt, sv[0], SOL_SOCKET, SO_LINGER, &linger, &len);
		len = sizeof(value);
		syscall(SYS_getsockopt, sv[0], SOL_SOCKET, SO_ERROR, &value, &len);
		len = 3;
		syscall(SYS_getsockopt, sv[0], SOL_SOCKET, SO_DEBUG, &value, &len);
		len = sizeof(value);
		syscall(SYS_getsockopt, sv[0], SOL_SOCKET, SO_SNDBUF, &value, page + 4096);
		close(sv[0]);
		close(sv[1]);
	}
	unsigned char mreq[16] = { 224, 0, 0, 3, 127, 0, 0, 1 };
	syscall(SYS_setsockopt, -1, 0 /* SOL_IP */, 35 /* IP_ADD_MEMBERSHIP */, mreq, 8);
	syscall(SYS_setsockopt, -1, 263 /* SOL_PACKET */, 5 /* PACKET_RX_RING */, mreq, 16);
	syscall(SYS_setsockopt, -1, 263 /* SOL_PACKET */, 1 /* PACKET_ADD_MEMBERSHIP */, mreq, 16);
	syscall(SYS_setsockopt, -1, 263 /* SOL_PACKET */, 0xff, 0, 0);
	uint32_t icmp = 1 << 8;
	syscall(SYS_setsockopt, -1, 255 /* SOL_RAW */, 1 /* ICMP_FILTER */, &icmp, 4);
	icmp = ~icmp;
	syscall(SYS_setsockopt, -1, 255 /* SOL_RAW */, 1 /* ICMP_FILTER */, &icmp, 4);
	syscall(SYS_setsockopt, -1, 270 /* SOL_NETLINK */, 1, &icmp, 4);

	struct iovec local = { page, 8 }, remote = { page + 8, 8 };
	syscall(SYS_process_vm_readv, 0, &local, 1, &remote, 1, 0);
	syscall(SYS_process_vm_writev, 0, &local, 1, &remote, 1, 0);
	void *robust_head;
	size_t robust_len;
	syscall(SYS_get_robust_list, 0, &robust_head, &robust_len);

	syscall(SYS_memfd_create, 0, 0x7 | (30U << 26));
	syscall(SYS_memfd_create, 0, 0xfffffff8U);
	syscall(SYS_openat2, -1, "/nonexistent/saker-suite-causes", 0, 0);

	syscall(SYS_fsopen, "saker-no-such-fs", 0xff);
	syscall(SYS_fsmount, -1, 1, 0x9f);
	syscall(SYS_fspick, AT_FDCWD, "/nonexistent/saker-suite-causes", 0xf);
	syscall(SYS_move_mount, -1, "", AT_FDCWD, "/nonexistent/saker-suite-causes", 0x177);
	syscall(SYS_open_tree, AT_FDCWD, "/nonexistent/saker-suite-causes", 0x9901);

	syscall(SYS_fanotify_mark, -1, 0x11, 0x4000003fULL, -1, 0);
	syscall(SYS_fanotify_mark, -1, 0x1, 0x1, AT_FDCWD, "/nonexistent/saker-suite-causes");
	syscall(SYS_remap_file_pages, 0, 0, PROT_READ, 0, MAP_PRIVATE | MAP_NONBLOCK);
	syscall(SYS_process_madvise, -1, &local, 1, 20 /* MADV_COLD */, 0);
	syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_HUGETLB | (21U << 26), -1, 0);

	struct { long flags, maxmsg, msgsize, curmsgs; } mq_attr = { 0, 1, 8, 0 };
	long mq = syscall(SYS_mq_open, "/saker-suite-causes", O_CREAT | O_RDWR, 0600, &mq_attr);
	if (mq >= 0) {
		syscall(SYS_mq_timedsend, mq, "message", 7, 3, 0);
		unsigned int prio = 0;
		char message[8];
		syscall(SYS_mq_timedreceive, mq, message, sizeof(message), &prio, 0);
		syscall(SYS_mq_getsetattr, mq, 0, &mq_attr);
		close(mq);
		syscall(SYS_mq_unlink, "/saker-suite-causes");
	}

	/* Cause 10: values printed differently. */
	/* argv and envp running into the unreadable page, with no NULL. */
	char **unterminated = (char **)(page + 4096 - 2 * sizeof(char *));
	unterminated[0] = "first";
	unterminated[1] = "second";
	syscall(SYS_execveat, AT_FDCWD, "/nonexistent/saker-suite-causes", unterminated, unterminated, 0);
	long long off_in = -2, off_out = 7;
	syscall(SYS_copy_file_range, -1, &off_in, -2, &off_out, 16, 0);
	struct pollfd ignored[2] = { { -1, POLLIN, 0 }, { -3, POLLOUT, 0 } };
	syscall(SYS_poll, ignored, 2, 0);
	struct timespec forever = { -1, -1 };
	syscall(SYS_epoll_pwait2, -1, page, 3, &forever, page, 8);
	syscall(SYS_wait4, -1, 0, WUNTRACED | WNOHANG, 0);
	syscall(SYS_mmap, 0, 4096, PROT_READ, 0, -1, 0);
	syscall(SYS_dup3, -2, -1, O_TRUNC);
	syscall(SYS_pidfd_open, 0, O_NONBLOCK);
	syscall(SYS_seccomp, 2 /* SECCOMP_GET_ACTION_AVAIL */, 0xcafef00d, 0);
	syscall(SYS_epoll_ctl, -1, EPOLL_CTL_DEL, -1, page);
	syscall(SYS_setns, -1, 0x81fdff7f);
	syscall(SYS_fadvise64, -1, 0, -1L, 0);
	gid_t groups[1] = { (gid_t)-1 };
	syscall(SYS_setgroups, 1, groups);
	off_t offset = 5;
	syscall(SYS_sendfile, -1, -1, &offset, 1);
	syscall(SYS_pidfd_getfd, -1, 0, 0xbadc0ded);

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
