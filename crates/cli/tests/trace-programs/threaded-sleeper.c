/* Three threads that each write to /dev/null every 20 ms until killed: -f -p attaches them all. */
#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static int out;

static void *loop(void *arg) {
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (;;) {
        write(out, arg, 1);
        nanosleep(&pause, NULL);
    }
    return NULL;
}

int main(void) {
    pthread_t a, b;
    out = open("/dev/null", O_WRONLY);
    pthread_create(&a, NULL, loop, "a");
    pthread_create(&b, NULL, loop, "b");
    loop("m");
}
