/* Uses the fd it was started with, then a copy of it, and ends at once: for -y/-P on a
 * program that is gone before an eBPF tracer prints its lines. */
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    struct stat st;
    int copy = dup(0);
    fstat(copy, &st);
    close(copy);
    return 0;
}
