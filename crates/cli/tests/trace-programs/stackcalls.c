/* Known frames for -k: main -> f0 -> f1 -> f2 -> chdir. */
#include <unistd.h>

__attribute__((noinline)) int f2(void) { return chdir("/"); }
__attribute__((noinline)) int f1(void) { return f2() + 1; }
__attribute__((noinline)) int f0(void) { return f1() + 1; }

int main(void) { return f0() == 2 ? 0 : 1; }
