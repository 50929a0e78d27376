/* Calls cut by the process's death: a thread blocked in poll when main exits. strace prints
 * `poll([...], 1, -1 <unfinished ...>`, `exit_group(0) = ?` whole, then
 * `<... poll resumed> <unfinished ...>) = ?` (poll's events would come at exit). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static volatile pid_t poller_tid;

static void *poller(void *arg) {
    struct pollfd p = {.fd = fds[0], .events = POLLIN};
    (void)arg;
    poller_tid = gettid();
    poll(&p, 1, -1);
    return NULL;
}

/* Whether the thread is inside poll (syscall 7), from /proc/self/task/TID/syscall. */
static int in_poll(void) {
    char path[64], text[16] = {0};
    if (poller_tid == 0) return 0;
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)poller_tid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    read(fd, text, sizeof text - 1);
    close(fd);
    return strncmp(text, "7 ", 2) == 0;
}

int main(void) {
    pthread_t t;
    struct timespec pause = {0, 10 * 1000 * 1000};
    pipe(fds);
    pthread_create(&t, NULL, poller, NULL);
    while (!in_poll()) nanosleep(&pause, NULL);
    /* Let the tracer print the poll entry before the exit. */
    pause.tv_nsec = 50 * 1000 * 1000;
    nanosleep(&pause, NULL);
    _exit(0);
}
