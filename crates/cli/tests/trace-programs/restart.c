/* A child stopped and continued in the middle of a sleep resumes it with restart_syscall,
 * which strace shows as `restart_syscall(<... resuming interrupted clock_nanosleep ...>)`.
 * The parent sleeps with poll and blocks SIGCHLD so that only the child's sleep is
 * interrupted. Also calls getrandom, whose buffer strace always prints in hex. */
#include <poll.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    char bytes[8];
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    getrandom(bytes, sizeof bytes, GRND_NONBLOCK);
    pid_t child = fork();
    if (child == 0) {
        struct timespec nap = {0, 400 * 1000 * 1000};
        nanosleep(&nap, NULL);
        _exit(0);
    }
    poll(NULL, 0, 100);
    kill(child, SIGSTOP);
    poll(NULL, 0, 100);
    kill(child, SIGCONT);
    int status;
    while (waitpid(child, &status, 0) < 0) {}
    return 0;
}
