/* Calls many syscalls deterministically, for comparing saker's decoders with strace 6.1.
 * Built and traced by tests/against_strace.rs. Single process, single thread. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <spawn.h>

extern char **environ;

static void *thread_main(void *arg) { return arg; }

static void handler(int sig) { (void)sig; }

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[256], path2[256];
    snprintf(path, sizeof path, "%s/file.txt", dir);
    snprintf(path2, sizeof path2, "%s/renamed.txt", dir);

    /* files */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "hello\nworld\t\"quoted\" \\ \001\0020\377 end of a long line of text here", 60);
    struct iovec iov[2] = {{"abc", 3}, {"defgh", 5}};
    writev(fd, iov, 2);
    pwrite(fd, "xyz", 3, 100);
    fsync(fd);
    ftruncate(fd, 50);
    close(fd);
    fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    char buf[4096];
    read(fd, buf, 10);
    read(fd, buf, sizeof buf);
    pread(fd, buf, 5, 2);
    lseek(fd, 0, SEEK_SET);
    char a[4], b[8];
    struct iovec riov[2] = {{a, 4}, {b, 8}};
    readv(fd, riov, 2);
    struct stat st;
    fstat(fd, &st);
    stat(path, &st);
    lstat("/nonexistent/x", &st);
    fstatat(AT_FDCWD, "/dev/null", &st, 0);
    fstatat(fd, "", &st, AT_EMPTY_PATH);
    statx(AT_FDCWD, "/", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, (struct statx *)buf);
    fcntl(fd, F_GETFD);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    int fd2 = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    dup2(fd2, 20);
    dup3(20, 21, O_CLOEXEC);
    close(21);
    close(20);
    close(fd2);
    ioctl(fd, TCGETS, buf);
    close(fd);
    close(999);
    access(path, R_OK | W_OK);
    access("/nonexistent", F_OK);
    faccessat(AT_FDCWD, path, X_OK, 0);
    rename(path, path2);
    chmod(path2, 0600);
    truncate(path2, 3);
    unlink(path2);
    unlink(path2);
    snprintf(path, sizeof path, "%s/sub", dir);
    mkdir(path, 0755);
    chdir(path);
    getcwd(buf, sizeof buf);
    chdir("/");
    rmdir(path);
    readlink("/proc/self/exe", buf, sizeof buf);
    symlink("/target/of/link", path);
    readlinkat(AT_FDCWD, path, buf, 4);
    unlinkat(AT_FDCWD, path, 0);
    umask(022);
    fd = open("/", O_RDONLY | O_DIRECTORY);
    syscall(SYS_getdents64, fd, buf, sizeof buf);
    close(fd);

    /* memory */
    void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(p, 4096, PROT_READ);
    madvise(p, 8192, MADV_DONTNEED);
    void *q = mremap(p, 8192, 16384, MREMAP_MAYMOVE);
    munmap(q, 16384);
    mmap((void *)0x1000, 4096, PROT_NONE, MAP_SHARED | MAP_FIXED, 77, 0x2000);
    syscall(SYS_brk, 0);

    /* process info */
    getpid();
    getppid();
    getuid();
    geteuid();
    getgid();
    getegid();
    syscall(SYS_gettid);
    struct utsname u;
    uname(&u);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    prlimit(0, RLIMIT_STACK, NULL, &rl);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    struct tms tm;
    times(&tm);
    getrandom(buf, 8, GRND_NONBLOCK);
    prctl(PR_SET_NAME, "exercise");
    prctl(PR_GET_NAME, buf);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    gid_t groups[4];
    getgroups(0, NULL);
    getgroups(4, groups);

    /* signals */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGTERM);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTTOU);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigfillset(&set);
    sigdelset(&set, SIGRTMIN);
    sigprocmask(SIG_SETMASK, &set, &set);
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    kill(getpid(), SIGUSR1);
    struct timespec ts = {0, 1000};
    nanosleep(&ts, NULL);
    clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);

    /* pipes, poll, select, epoll, eventfd */
    int pfd[2];
    pipe2(pfd, O_CLOEXEC);
    write(pfd[1], "x", 1);
    struct pollfd pl[2] = {{pfd[0], POLLIN, 0}, {pfd[1], POLLOUT, 0}};
    poll(pl, 2, 100);
    fd_set rfds;
    FD_ZERO(&rfds);
    FD_SET(pfd[0], &rfds);
    struct timeval tv = {1, 0};
    select(pfd[0] + 1, &rfds, NULL, NULL, &tv);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 7};
    epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &ev);
    struct epoll_event evs[4];
    epoll_wait(ep, evs, 4, 0);
    close(ep);
    int efd = eventfd(0, EFD_NONBLOCK);
    close(efd);
    read(pfd[0], buf, 1);
    poll(pl, 1, 0);
    close(pfd[0]);
    close(pfd[1]);

    /* sockets */
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(0)};
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(s, (struct sockaddr *)&sin, sizeof sin);
    listen(s, 5);
    socklen_t slen = sizeof sin;
    getsockname(s, (struct sockaddr *)&sin, &slen);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&sin, sizeof sin);
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    int acc = accept4(s, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
    sendto(c, "ping", 4, MSG_NOSIGNAL, NULL, 0);
    recvfrom(acc, buf, sizeof buf, 0, NULL, NULL);
    int err = 0;
    socklen_t elen = sizeof err;
    getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &elen);
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct msghdr mh = {0};
    struct iovec miov = {"message", 7};
    mh.msg_iov = &miov;
    mh.msg_iovlen = 1;
    sendmsg(c, &mh, 0);
    struct iovec riov2 = {buf, 100};
    mh.msg_iov = &riov2;
    recvmsg(acc, &mh, 0);
    shutdown(c, SHUT_WR);
    close(acc);
    close(c);
    close(s);
    int sp[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
    close(sp[0]);
    close(sp[1]);
    int us = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    strcpy(sun.sun_path, "/nonexistent/sock");
    connect(us, (struct sockaddr *)&sun, sizeof sun);
    close(us);
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(53)};
    inet_pton(AF_INET6, "::1", &sin6.sin6_addr);
    connect(s6, (struct sockaddr *)&sin6, sizeof sin6);
    close(s6);

    /* children: SIGCHLD stays blocked until the child is reaped, so the order is fixed */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    pid_t pid = fork();
    if (pid == 0) _exit(3);
    int status;
    wait4(pid, &status, 0, NULL);
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    syscall(SYS_arch_prctl, 0x3001, buf);
    syscall(436, 1000, 2000, 0);
    syscall(1000, 1, 2, 3);
    sysinfo((struct sysinfo *)buf);

    /* a thread (clone3 with CLONE_SETTLS etc.) and a spawned program (clone3 CLONE_VFORK) */
    pthread_t th;
    pthread_create(&th, NULL, thread_main, NULL);
    pthread_join(th, NULL);
    char *spawn_argv[] = {"/bin/true", "arg with space", NULL};
    pid_t child;
    sigprocmask(SIG_BLOCK, &chld, NULL);
    posix_spawn(&child, "/bin/true", NULL, NULL, spawn_argv, environ);
    waitpid(child, &status, 0);

    /* Last: closing a ring queues kernel work that later interrupts the task once with
     * TIF_NOTIFY_SIGNAL, so a blocking call made after it (a wait4) may show a transparent
     * ERESTARTSYS, or not, depending on when the work runs. */
    struct io_uring_params iup;
    memset(&iup, 0, sizeof iup);
    int ring = syscall(SYS_io_uring_setup, 4, &iup);
    close(ring);
    return 0;
}
