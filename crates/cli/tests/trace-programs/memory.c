/* mmap / mprotect / munmap with symbolic flags. */
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
    void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(p, 4096, PROT_READ);
    mprotect(p, 4096, PROT_READ | PROT_EXEC);
    munmap(p, 8192);
    mmap(NULL, 4096, PROT_READ, MAP_SHARED, -1, 0); /* EBADF */
    return 0;
}
