/* Runs until killed: a write to /dev/null every 20 ms, for -p attach / detach. */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    int fd = open("/dev/null", O_WRONLY);
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (;;) {
        write(fd, "tick", 4);
        nanosleep(&pause, NULL);
    }
}
