/* clone(CLONE_PARENT): the child is the tracer's child. The program waits until it is gone,
 * which only happens if the tracer reaps it (strace does). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static int child(void *arg) { (void)arg; return 42; }

int main(void) {
    static char stack[65536];
    pid_t pid = clone(child, stack + sizeof stack, CLONE_PARENT | SIGCHLD, NULL);
    if (pid < 0)
        return 1;
    while (kill(pid, 0) == 0)
        usleep(1000);
    return errno == ESRCH ? 0 : 2;
}
