/* fork + exec chain: the parent forks, the child execs this program again with "child",
 * which forks a grandchild that exits 7; everyone waits. */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "grandchild") == 0) return 7;
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        pid_t pid = fork();
        if (pid == 0) {
            char *args[] = {argv[0], "grandchild", NULL};
            char *env[] = {NULL};
            execve(argv[0], args, env);
            _exit(127);
        }
        int status;
        waitpid(pid, &status, 0);
        return WEXITSTATUS(status) == 7 ? 0 : 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        char *args[] = {argv[0], "child", NULL};
        char *env[] = {NULL};
        execve(argv[0], args, env);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
}
