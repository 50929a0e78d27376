/* Gets a handled SIGUSR1, stops itself with SIGSTOP (the test continues it with SIGCONT once
 * the trace shows the stop), then gets SIGCHLD from a child that exits at once. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

int main(void) {
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    raise(SIGSTOP);
    pid_t child = fork();
    if (child == 0) _exit(0);
    int status;
    while (waitpid(child, &status, 0) < 0) {}
    return 0;
}
