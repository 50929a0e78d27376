/* Calls this kernel does not implement (no modules, no dcookies): their sys_exit_
 * tracepoints do not exist, and strace still shows them failing with ENOSYS. */
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    syscall(SYS_lookup_dcookie, 1, 2, 3);
    syscall(SYS_getuid);
    return 0;
}
