/* A socketpair and a TCP connection on 127.0.0.1, for -y / -yy. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    int pair[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    write(pair[0], "ping", 4);
    char buf[8];
    read(pair[1], buf, sizeof buf);
    int srv = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(srv, (struct sockaddr *)&addr, sizeof addr);
    listen(srv, 1);
    socklen_t len = sizeof addr;
    getsockname(srv, (struct sockaddr *)&addr, &len);
    int cli = socket(AF_INET, SOCK_STREAM, 0);
    connect(cli, (struct sockaddr *)&addr, sizeof addr);
    int conn = accept(srv, NULL, NULL);
    write(cli, "hello", 5);
    read(conn, buf, sizeof buf);
    close(conn);
    close(cli);
    close(srv);
    return 0;
}
