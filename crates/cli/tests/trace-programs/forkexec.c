/* fork + exec chain: the parent forks, the child execs this program again with "child",
 * which forks a grandchild that exits 7; everyone waits.
 * SIGCHLD stays blocked from before each fork until the child is reaped, so its delivery
 * always comes after wait4 returns: a child that exits before its parent reaches wait4 would
 * otherwise put the signal first, and the order would depend on scheduling. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int run_and_wait(char *self, char *role) {
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        char *args[] = {self, role, NULL};
        char *env[] = {NULL};
        execve(self, args, env);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    return WEXITSTATUS(status);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "grandchild") == 0) return 7;
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return run_and_wait(argv[0], "grandchild") == 7 ? 0 : 1;
    return run_and_wait(argv[0], "child");
}
