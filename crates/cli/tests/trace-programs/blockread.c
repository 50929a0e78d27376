/* Blocks in read(0) until its stdin is closed: a call that is in progress when the tracer
 * detaches. */
#include <unistd.h>

int main(void) {
    char c;
    while (read(0, &c, 1) > 0)
        ;
    return 0;
}
