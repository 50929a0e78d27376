/* A thread other than the leader calls execve: the thread takes over the leader's pid
 * (strace's `<pid changed to ...>` and `+++ superseded by execve +++`). */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static char *self;

/* Whether the leader sleeps in pause(): its state is S (not t, a tracer's stop at the
 * call's entry) and its current call is pause. Under a loaded machine the thread could
 * otherwise exec before the leader's pause line was ever printed. */
static int leader_sleeps_in_pause(void) {
    char path[64], line[256];
    int sleeping = 0, in_pause = 0;
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", getpid());
    FILE *stat = fopen(path, "r");
    if (stat) {
        if (fgets(line, sizeof line, stat)) {
            char *end = line;
            for (char *p = line; *p; p++)
                if (*p == ')')
                    end = p;
            sleeping = end[1] == ' ' && end[2] == 'S';
        }
        fclose(stat);
    }
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", getpid());
    FILE *call = fopen(path, "r");
    if (call) {
        long nr = -1;
        in_pause = fscanf(call, "%ld", &nr) == 1 && nr == SYS_pause;
        fclose(call);
    }
    return sleeping && in_pause;
}

static void *run(void *arg) {
    (void)arg;
    struct timespec millisecond = {0, 1000000};
    while (!leader_sleeps_in_pause())
        nanosleep(&millisecond, NULL);
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
