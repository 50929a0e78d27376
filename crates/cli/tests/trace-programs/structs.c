/* Calls whose arguments are structs, arrays and signals, for `--ebpf` against ptrace:
 * sigaction, timespec, rlimit, utsname, sockaddr, fd pairs, pollfd, a handled signal with
 * its rt_sigreturn, a child's SIGCHLD and wait status, getcwd, writev/readv and sendmsg/recvmsg data, three out-pointers (getresuid), mount's
 * three strings, and ioctl arguments sized by their request, one of them (an int where the
 * request says long) right before an unmapped page. */
#define _GNU_SOURCE /* getresuid */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

int main(void) {
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, 0);
    struct timespec ts = {0, 1000};
    nanosleep(&ts, 0);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    struct utsname u;
    uname(&u);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(1);
    a.sin_addr.s_addr = htonl(0x7f000001);
    connect(s, (struct sockaddr *)&a, sizeof a);
    int p[2];
    pipe(p);
    struct pollfd pf = {p[0], POLLIN, 0};
    poll(&pf, 1, 0);
    kill(getpid(), SIGUSR1);
    pid_t child = fork();
    if (child == 0) _exit(7);
    int status;
    wait4(child, &status, 0, 0);
    char cwd[256];
    getcwd(cwd, sizeof cwd);
    struct iovec out[2] = {{"through ", 8}, {"a pipe\n", 7}};
    writev(p[1], out, 2);
    char head[4], tail[32];
    struct iovec in[2] = {{head, sizeof head}, {tail, sizeof tail}};
    readv(p[0], in, 2);
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    struct msghdr sent = {0};
    sent.msg_iov = out;
    sent.msg_iovlen = 2;
    sendmsg(sv[0], &sent, 0);
    struct msghdr got = {0};
    got.msg_iov = in;
    got.msg_iovlen = 2;
    recvmsg(sv[1], &got, 0);
    uid_t ruid, euid, suid;
    getresuid(&ruid, &euid, &suid);
    mount("none", "/nonexistent/saker-mnt", "tmpfs", 0, 0);
    long page = sysconf(_SC_PAGESIZE);
    char *two = mmap(0, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + page, page);
    int *attr = (int *)(two + page - sizeof(int));
    *attr = FS_NODUMP_FL | FS_NOATIME_FL;
    ioctl(-1, FS_IOC_SETFLAGS, attr);
    struct fiemap *map = (struct fiemap *)(two + page - sizeof(struct fiemap));
    map->fm_start = 4096;
    map->fm_length = 8192;
    map->fm_flags = FIEMAP_FLAG_SYNC;
    map->fm_extent_count = 0;
    ioctl(-1, FS_IOC_FIEMAP, map);
    return 0;
}
