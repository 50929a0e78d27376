/* Runs its arguments with SIGCHLD ignored (as strace's tests/set_sigign does). */
#include <signal.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    signal(SIGCHLD, SIG_IGN);
    execvp(argv[1], argv + 1);
    return 127;
}
