/* --pidns-translation: a child in a new PID namespace (it is pid 1 there) calls getpid and
 * getppid; the tracer must say which of its own pids these are. Exits 77 when the kernel
 * refuses a new PID namespace. */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    if (unshare(CLONE_NEWPID) != 0)
        return 77;
    pid_t child = fork();
    if (child < 0)
        return 1;
    if (child == 0) {
        syscall(SYS_getpid);
        return 0;
    }
    int status;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
