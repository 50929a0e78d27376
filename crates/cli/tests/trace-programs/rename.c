/* -Y: the process renames itself with prctl (not traced), then calls getpid; the name
 * has characters that -Y escapes. */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    prctl(PR_SET_NAME, "re<name>d");
    syscall(SYS_getpid);
    return 0;
}
