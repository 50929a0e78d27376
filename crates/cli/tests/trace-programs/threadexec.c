/* A thread other than the leader calls execve: the thread takes over the leader's pid
 * (strace's `<pid changed to ...>` and `+++ superseded by execve +++`). */
#include <pthread.h>
#include <unistd.h>

static char *self;

static void *run(void *arg) {
    (void)arg;
    char *argv[] = {self, "done", NULL};
    char *envp[] = {NULL};
    execve(self, argv, envp);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1)
        return 0;
    self = argv[0];
    pthread_t thread;
    pthread_create(&thread, NULL, run, NULL);
    for (;;)
        pause();
}
