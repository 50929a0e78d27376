/* Two threads each write once to /dev/null; traced with -ff so each thread has its own file. */
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

static int out;

static void *worker(void *arg) {
    write(out, arg, 7);
    return NULL;
}

int main(void) {
    pthread_t a, b;
    out = open("/dev/null", O_WRONLY);
    pthread_create(&a, NULL, worker, "thread1");
    pthread_join(a, NULL);
    pthread_create(&b, NULL, worker, "thread2");
    pthread_join(b, NULL);
    write(out, "main", 4);
    return 0;
}
