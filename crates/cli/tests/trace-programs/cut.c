/* Calls cut by the process's death: a thread blocked in poll and one in read when main
 * exits. strace prints the read as `read(3,  <unfinished ...>) = ?` (its buffer is an
 * output) and the poll as `poll([...], 1, -1 <unfinished ...>) = ?` (revents come at exit). */
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static int fds[2];

static void *poller(void *arg) {
    struct pollfd p = {.fd = fds[0], .events = POLLIN};
    (void)arg;
    poll(&p, 1, -1);
    return NULL;
}

int main(void) {
    pthread_t t;
    struct timespec pause = {0, 100 * 1000 * 1000};
    pipe(fds);
    pthread_create(&t, NULL, poller, NULL);
    nanosleep(&pause, NULL);
    _exit(0);
}
