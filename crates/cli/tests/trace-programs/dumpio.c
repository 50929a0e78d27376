/* Data for -e read= and -e write=: a write and a writev into a pipe, a read and a readv
 * back out of it. */
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    write(fds[1], "hello, world\n0123456789", 23);
    struct iovec out[2] = {{"abc", 3}, {"defgh", 5}};
    writev(fds[1], out, 2);
    char buf[23];
    read(fds[0], buf, sizeof buf);
    char a[4], b[8];
    struct iovec in[2] = {{a, sizeof a}, {b, sizeof b}};
    readv(fds[0], in, 2);
    return 0;
}
