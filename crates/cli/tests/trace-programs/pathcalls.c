/* Calls whose fds are inside structures, for -P: poll and select on an fd of /dev/null,
 * plus a plain write that -P must also show. */
#include <fcntl.h>
#include <poll.h>
#include <sys/select.h>
#include <unistd.h>

int main(void) {
    int other = open("/dev/zero", O_RDONLY);
    int fd = open("/dev/null", O_WRONLY);
    struct pollfd pfd[2] = {{other, POLLIN, 0}, {fd, POLLOUT, 0}};
    poll(pfd, 2, 0);
    struct pollfd only_other = {other, POLLIN, 0};
    poll(&only_other, 1, 0);
    fd_set writable;
    FD_ZERO(&writable);
    FD_SET(fd, &writable);
    struct timeval now = {0, 0};
    select(fd + 1, NULL, &writable, NULL, &now);
    write(fd, "x", 1);
    return 0;
}
