/* Calls whose argument memory `--ebpf` copies beyond the plain cases, against ptrace: a third
 * and fourth memory argument (mount's data, setxattr's value, add_key's payload, move_pages'
 * status, process_vm_writev's remote iovecs, rt_sigtimedwait's timeout), a name that runs
 * into an unmapped page, a path cut at PATH_MAX, a write longer than -s, getsockopt's value
 * as long as optlen, a node mask, mincore's vector, fsconfig's binary value with garbage in
 * the upper half of its 32-bit length, keyctl's strings and prctl's fifth argument; arrays
 * that a struct points to (a seccomp filter, a msghdr's name and control data, clone3's
 * set_tid); and in/out lengths, shown as the call found them and as it left them
 * (`[110 => 2]`). */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *two = mmap(0, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + page, page);
    mount("none", "/nonexistent/saker-mnt", "tmpfs", MS_RDONLY, "size=1m");
    setxattr("/nonexistent/saker-x", "user.saker", "va\0lue", 6, XATTR_CREATE);
    fsetxattr(-1, "user.saker", "value", 5, 0);
    syscall(SYS_add_key, 0, 0, "payload", 7, 0);
    void *pages[1] = {two};
    int nodes[1] = {0}, status[1] = {-1};
    two[0] = 1;
    syscall(SYS_move_pages, 0, 1, pages, nodes, status, 0);
    /* A path without its NUL in PATH_MAX bytes, then a name that ends at the unmapped page. */
    memset(two, 'p', page);
    chdir(two);
    memset(two + page - 40, 'n', 40);
    syscall(SYS_memfd_create, two + page - 40, 0);
    int p[2];
    pipe(p);
    write(p[1], "0123456789012345678901234567890123456789", 40);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct linger lg;
    socklen_t len = sizeof lg;
    getsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, &len);
    int type;
    len = sizeof type + 1;
    getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len);
    struct sockaddr_storage name;
    len = 110;
    getsockname(sv[0], (struct sockaddr *)&name, &len);
    unsigned char vec[1];
    mincore(two, page, vec);
    int mode;
    unsigned long mask[2] = {0};
    syscall(SYS_get_mempolicy, &mode, mask, 128, 0, 0);
    char local[8] = "abcdefg", remote[8];
    struct iovec l = {local, sizeof local}, r = {remote, sizeof remote};
    process_vm_writev(0, &l, 1, &r, 1, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    struct timespec t = {0, 1000};
    sigtimedwait(&set, 0, &t);
    syscall(SYS_fsconfig, -1, 2 /* FSCONFIG_SET_BINARY */, "key", "bin\0ary",
            0xdefaced00000007UL);
    syscall(SYS_keyctl, 10 /* KEYCTL_SEARCH */, 0, "user", "saker", 0);
    prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0, 1, "anon-name");
    /* Flags the kernel refuses: nothing is installed or cloned. */
    struct sock_filter insns[2] = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
                                   BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_fprog prog = {2, insns};
    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0x80000000U, &prog);
    pid_t tids[2] = {7, 8};
    struct clone_args ca = {0};
    ca.flags = 1ULL << 62;
    ca.set_tid = (unsigned long)tids;
    ca.set_tid_size = 2;
    syscall(SYS_clone3, &ca, sizeof ca);
    struct sockaddr_in to = {0};
    to.sin_family = AF_INET;
    to.sin_port = htons(9);
    to.sin_addr.s_addr = htonl(0x7f000001);
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } control = {0};
    control.h.cmsg_len = CMSG_LEN(sizeof(int));
    control.h.cmsg_level = SOL_SOCKET;
    control.h.cmsg_type = SCM_RIGHTS;
    memset(CMSG_DATA(&control.h), 0, sizeof(int));
    struct msghdr mh = {0};
    mh.msg_name = &to;
    mh.msg_namelen = sizeof to;
    mh.msg_control = control.buf;
    mh.msg_controllen = sizeof control.buf;
    sendmsg(-1, &mh, 0);
    return 0;
}
