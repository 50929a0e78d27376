/* File calls with and without errors; exits 3 so the tracer's exit status can be checked. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    char buf[16];
    int fd = open("/nonexistent/saker-test", O_RDONLY);
    (void)fd;
    fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
    read(fd, buf, sizeof buf);
    close(fd);
    fd = open("/dev/null", O_WRONLY);
    write(fd, "hello, tracer\n", 14);
    struct stat st;
    fstat(fd, &st);
    close(fd);
    close(-1);
    access("/nonexistent", F_OK);
    unlink("/nonexistent/saker-file");
    mkdir("/proc/saker-test", 0755);
    return 3;
}
