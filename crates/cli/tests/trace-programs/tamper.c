/* Syscall tampering: five chdir("/") calls and a getpid, each result printed to stdout so a
 * test sees what the program saw; a SIGUSR1 handler counts injected signals. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t usr1;

static void on_usr1(int sig) { (void)sig; usr1++; }

int main(void) {
    signal(SIGUSR1, on_usr1);
    for (int i = 1; i <= 5; i++) {
        long rc = syscall(SYS_chdir, "/");
        printf("chdir %d: %ld %s\n", i, rc, rc < 0 ? strerror(errno) : "ok");
    }
    printf("getpid: %s\n", syscall(SYS_getpid) == getpid() ? "real" : "injected");
    char path[] = "/nonexistent-saker-dir";
    long rc = syscall(SYS_chdir, path);
    /* poke_enter rewrites the path before the kernel reads it. */
    printf("poked chdir: %ld, path now \"%s\"\n", rc, path);
    printf("signals: %d\n", (int)usr1);
    return 0;
}
