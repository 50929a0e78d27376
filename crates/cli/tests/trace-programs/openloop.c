/* open/read/close in a loop (the benchmark's workload b); N iterations from argv[1]. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000;
    char buf[64];
    for (long i = 0; i < n; i++) {
        int fd = open("/etc/hostname", O_RDONLY);
        read(fd, buf, sizeof buf);
        close(fd);
    }
    return 0;
}
