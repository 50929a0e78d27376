/* Killed by SIGKILL: the tracer must report it and die the same way. */
#include <signal.h>
#include <unistd.h>

int main(void) {
    write(1, "", 0);
    kill(getpid(), SIGKILL);
    return 0;
}
