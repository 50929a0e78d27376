/* More syscalls for the decoder comparison (see exercise.c). Single process. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/sendfile.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <linux/openat2.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <linux/bpf.h>

static sigjmp_buf jump;
static void on_segv(int sig) { (void)sig; siglongjmp(jump, 1); }
static void on_usr1(int sig) { (void)sig; }

static void on_alarm(int sig) { (void)sig; }

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[256], path2[256], buf[256];
    snprintf(path, sizeof path, "%s/f2", dir);
    snprintf(path2, sizeof path2, "%s/f2link", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    write(fd, "0123456789", 10);
    flock(fd, LOCK_EX | LOCK_NB);
    fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 4096);
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    struct statfs sfs;
    fstatfs(fd, &sfs);
    statfs("/nonexistent", &sfs);
    fsetxattr(fd, "user.k", "v", 1, 0);
    fgetxattr(fd, "user.k", buf, sizeof buf);
    linkat(AT_FDCWD, path, AT_FDCWD, path2, 0);
    renameat2(AT_FDCWD, path2, AT_FDCWD, path2, RENAME_NOREPLACE);
    fchmodat(AT_FDCWD, path, 0640, 0);
    fchownat(AT_FDCWD, path, 0, 0, AT_SYMLINK_NOFOLLOW);
    utimensat(AT_FDCWD, path, NULL, 0);
    mknodat(AT_FDCWD, path2, S_IFCHR | 0600, makedev(1, 3));
    unlinkat(AT_FDCWD, path2, 0);
    int out = open("/dev/null", O_WRONLY);
    off_t off = 2;
    lseek(fd, 0, SEEK_SET);
    sendfile(out, fd, &off, 4);
    sendfile(out, fd, NULL, 4);
    char a[3], b[3];
    struct iovec iov[2] = {{a, 3}, {b, 3}};
    preadv(fd, iov, 2, 1);
    pwritev(fd, iov, 2, 20);
    lseek(fd, 0, SEEK_END);
    close(out);

    /* memory */
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    msync(p, 4096, MS_SYNC);
    mlock(p, 4096);
    munlock(p, 4096);
    unsigned char vec[1];
    mincore(p, 4096, vec);
    munmap(p, 4096);
    close(fd);
    unlink(path);
    int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    void *sp = shmat(shm, NULL, SHM_RDONLY);
    shmdt(sp);
    shmctl(shm, IPC_RMID, NULL);
    int sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    semctl(sem, 0, IPC_RMID);
    int mq = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    msgctl(mq, IPC_RMID, NULL);

    /* ids, limits, time */
    uid_t r, e, s;
    getresuid(&r, &e, &s);
    getresgid(&r, &e, &s);
    setpgid(0, 0);
    getpgid(0);
    getsid(0);
    getpriority(PRIO_PROCESS, 0);
    cpu_set_t cpus;
    sched_getaffinity(0, sizeof cpus, &cpus);
    sched_getscheduler(0);
    struct sched_param prm;
    sched_getparam(0, &prm);
    sched_get_priority_max(SCHED_FIFO);
    struct rlimit rl = {1024, 4096};
    setrlimit(RLIMIT_NOFILE, &rl);
    syscall(SYS_getrlimit, RLIMIT_CORE, &rl);
    struct timespec ts;
    syscall(SYS_clock_gettime, CLOCK_BOOTTIME, &ts);
    syscall(SYS_clock_getres, CLOCK_MONOTONIC, &ts);
    struct itimerval itv = {{0, 0}, {0, 500000}};
    setitimer(ITIMER_REAL, &itv, NULL);
    getitimer(ITIMER_VIRTUAL, &itv);
    itv.it_value.tv_usec = 0;
    setitimer(ITIMER_REAL, &itv, NULL);
    prctl(PR_GET_DUMPABLE);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    int sig;
    prctl(PR_GET_PDEATHSIG, &sig);
    prctl(PR_CAPBSET_READ, 21);

    /* signals */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    pause();
    alarm(0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    union sigval v = {.sival_int = 42};
    sigqueue(getpid(), SIGUSR2, v);
    siginfo_t si;
    struct timespec zero = {0, 0};
    sigtimedwait(&set, &si, &zero);
    sigpending(&set);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    close(sfd);
    syscall(SYS_tgkill, getpid(), getpid(), 0);
    stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536, .ss_flags = 0};
    sigaltstack(&ss, NULL);

    /* signal kinds: SI_TKILL, SI_TIMER, SEGV_MAPERR */
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    timer_t timer;
    struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
    sev.sigev_value.sival_int = 7;
    timer_create(CLOCK_MONOTONIC, &sev, &timer);
    struct itimerspec tit = {{0, 0}, {0, 50000000}};
    timer_settime(timer, 0, &tit, NULL);
    pause();
    timer_delete(timer);
    signal(SIGSEGV, on_segv);
    if (sigsetjmp(jump, 1) == 0)
        *(volatile int *)8 = 1;

    /* fds */
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    struct itimerspec its = {{0, 0}, {10, 0}};
    timerfd_settime(tfd, 0, &its, NULL);
    timerfd_gettime(tfd, &its);
    close(tfd);
    int in = inotify_init1(IN_CLOEXEC);
    int w = inotify_add_watch(in, "/tmp", IN_CREATE | IN_DELETE);
    inotify_rm_watch(in, w);
    close(in);
    int mfd = memfd_create("saker", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    close(mfd);
    int pp[2];
    pipe(pp);
    struct pollfd pfd = {pp[0], POLLIN, 0};
    struct timespec pts = {0, 1000};
    ppoll(&pfd, 1, &pts, NULL);
    int ep = epoll_create(1);
    struct epoll_event ee[2];
    epoll_pwait(ep, ee, 2, 0, &set);
    close(ep);
    close(pp[0]);
    close(pp[1]);

    /* sockets with addresses */
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET};
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(u, (struct sockaddr *)&sin, sizeof sin);
    socklen_t len = sizeof sin;
    getsockname(u, (struct sockaddr *)&sin, &len);
    sendto(u, "dgram", 5, 0, (struct sockaddr *)&sin, sizeof sin);
    struct sockaddr_in from;
    socklen_t flen = 64;
    recvfrom(u, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
    getpeername(u, (struct sockaddr *)&from, &flen);
    int rcv;
    socklen_t rl2 = sizeof rcv;
    getsockopt(u, SOL_SOCKET, SO_RCVBUF, &rcv, &rl2);
    close(u);

    /* a pseudo-terminal: TIOCGPTN, TIOCSPTLCK, TCGETS, TCSETS, TIOCGWINSZ */
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(master);
    unlockpt(master);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    struct termios tio;
    tcgetattr(slave, &tio);
    cfmakeraw(&tio);
    tcsetattr(slave, TCSANOW, &tio);
    tcgetattr(slave, &tio);
    struct winsize ws;
    ioctl(slave, TIOCGWINSZ, &ws);
    close(slave);
    close(master);

    /* bpf: a hash map and its element operations, a trivial socket filter */
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.map_type = BPF_MAP_TYPE_HASH;
    attr.key_size = 4;
    attr.value_size = 8;
    attr.max_entries = 16;
    strcpy(attr.map_name, "saker_map");
    int map = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, 72);
    int key = 1;
    long value = 2;
    memset(&attr, 0, sizeof attr);
    attr.map_fd = map;
    attr.key = (unsigned long)&key;
    attr.value = (unsigned long)&value;
    attr.flags = BPF_NOEXIST;
    syscall(SYS_bpf, BPF_MAP_UPDATE_ELEM, &attr, 32);
    attr.flags = 0;
    syscall(SYS_bpf, BPF_MAP_LOOKUP_ELEM, &attr, 32);
    attr.value = 0;
    attr.flags = 7; /* beyond what DELETE_ELEM reads: strace shows it as extra data */
    syscall(SYS_bpf, BPF_MAP_DELETE_ELEM, &attr, 32);
    attr.key = 0;
    attr.next_key = (unsigned long)&key;
    syscall(SYS_bpf, BPF_MAP_GET_NEXT_KEY, &attr, 24);
    struct bpf_map_info minfo;
    memset(&attr, 0, sizeof attr);
    attr.info.bpf_fd = map;
    attr.info.info_len = sizeof minfo;
    attr.info.info = (unsigned long)&minfo;
    syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr, 16);
    struct bpf_insn insns[2] = {{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0}, {.code = BPF_JMP | BPF_EXIT}};
    memset(&attr, 0, sizeof attr);
    attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
    attr.insn_cnt = 2;
    attr.insns = (unsigned long)insns;
    attr.license = (unsigned long)"GPL";
    strcpy(attr.prog_name, "saker_prog");
    int prog = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, 116);
    syscall(SYS_bpf, BPF_PROG_LOAD, &attr, 64);
    close(prog);
    close(map);

    /* children; SIGCHLD blocked so its report comes after waitid, deterministically */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        raise(SIGKILL);
        _exit(0);
    }
    siginfo_t info;
    waitid(P_PID, pid, &info, WEXITED);

    /* capabilities, seccomp, namespaces (all harmless to the rest of the system) */
    struct __user_cap_header_struct ch = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct cd[2];
    syscall(SYS_capget, &ch, cd);
    cd[0].effective &= ~(1u << CAP_NET_RAW);
    cd[0].inheritable = 0;
    cd[1].inheritable = 0;
    syscall(SYS_capset, &ch, cd);
    ch.version = _LINUX_CAPABILITY_VERSION_1;
    syscall(SYS_capget, &ch, cd);
    syscall(SYS_capget, &ch, NULL);
    struct sock_filter allow[1] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_fprog fprog = {1, allow};
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog);
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog);
    unsigned int action = SECCOMP_RET_LOG;
    syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action);
    unshare(CLONE_NEWUTS | CLONE_NEWNS);
    sethostname("box", 3);

    /* ioctl numbers with and without names */
    int nul = open("/dev/null", O_RDONLY);
    int one = 1;
    ioctl(nul, _IOR(0x99, 1, int), &one);
    ioctl(nul, 0x1234, 5);
    ioctl(nul, _IO(0x99, 2));
    ioctl(nul, _IOWR(0x99, 3, long), &one);
    ioctl(nul, FIONBIO, &one);
    ioctl(nul, FIOCLEX);
    ioctl(nul, FIONREAD, &one);
    ioctl(nul, TIOCGPGRP, &one);
    ioctl(nul, TIOCSCTTY, 0);
    ioctl(nul, TIOCNOTTY);
    close(nul);

    /* newer descriptor calls */
    syscall(SYS_close_range, 100, ~0U, 0);
    syscall(SYS_close_range, 100, 200, 4);
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH};
    syscall(SYS_openat2, AT_FDCWD, "/etc/hostname", &how, sizeof how);
    how.resolve = 0;
    int o2 = syscall(SYS_openat2, AT_FDCWD, "/etc/hostname", &how, sizeof how);
    close(o2);
    return 0;
}
