/* An fd on a file whose name is not UTF-8 (bytes 0xff 0x80): -y must show the name's bytes
 * as strace does (\377\200), not replacement characters (strace's tests/fsync-y.c); then
 * one whose name itself ends in " (deleted)", unlinked (strace's tests/fchmod-y.c). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char name[4096];
	int fd;

	if (argc < 2)
		return 2;
	snprintf(name, sizeof name, "%s/\xff\x80", argv[1]);
	fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd < 0)
		return 1;
	fsync(fd);
	unlink(name);
	fsync(fd);
	snprintf(name, sizeof name, "%s/\xff\x80 (deleted)", argv[1]);
	fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd < 0)
		return 1;
	unlink(name);
	fsync(fd);
	return 0;
}
