/* Fds that --ebpf names without /proc, as ptrace names them while the program runs: this
 * program and its directory are gone before a tracer that prints after the fact shows its
 * lines. The working directory after chdir, a directory opened as ".", anonymous-inode fds
 * (eventfd, timerfd, pidfd, clone's CLONE_PIDFD) and a fd taken from a pidfd (strace's
 * faccessat-y, pidfd_open-yy, pidfd_getfd-yy, clone-flags tests). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define DIR "/tmp/saker-gonefds"

int main(void) {
    rmdir(DIR "/sub");
    rmdir(DIR);
    if (mkdir(DIR, 0700) || mkdir(DIR "/sub", 0700) || chdir(DIR) || chdir("sub"))
        return 1;
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    faccessat(AT_FDCWD, "missing", F_OK, 0);
    faccessat(dir, "missing", F_OK, 0);
    int event = eventfd(0, 0);
    int timer = timerfd_create(CLOCK_MONOTONIC, 0);
    int self = syscall(SYS_pidfd_open, getpid(), 0);
    int copy = syscall(SYS_pidfd_getfd, self, dir, 0);
    int child_fd = -1;
    if (syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &child_fd, 0, 0) == 0)
        _exit(0);
    close(child_fd);
    fsync(event);
    close(timer);
    close(copy);
    if (chdir("/") || rmdir(DIR "/sub") || rmdir(DIR))
        return 1;
    return 0;
}
