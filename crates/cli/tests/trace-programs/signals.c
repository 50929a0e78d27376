/* Gets a handled SIGUSR1, stops itself with SIGSTOP, is continued by its child's SIGCONT,
 * then gets SIGCHLD when that child exits. A pipe orders the child's exit after the parent
 * has resumed, so the signals always arrive in the same order. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

static int is_stopped(pid_t pid) {
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *end = strrchr(buf, ')');
    return end && (end[2] == 'T' || end[2] == 't');
}

int main(void) {
    int resumed[2];
    pipe(resumed);
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        char byte;
        while (!is_stopped(parent)) usleep(1000);
        kill(parent, SIGCONT);
        read(resumed[0], &byte, 1);
        _exit(0);
    }
    raise(SIGSTOP);
    write(resumed[1], "x", 1);
    int status;
    while (waitpid(child, &status, 0) < 0) {}
    return 0;
}
