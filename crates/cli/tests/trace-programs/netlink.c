/* Netlink requests from a program that exits at once: by the time a tracer that prints after
 * the fact (--ebpf) shows the calls, the sockets are gone from /proc. A message longer than
 * the default -s 32, sent with sendto and sendmsg on a bound route socket; and 8 bytes, less
 * than a netlink header, on a socket the send itself binds (strace shows them in hex). */
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

struct request {
    struct nlmsghdr header;
    struct ifinfomsg link;
    struct rtattr name;
    char ifname[8];
};

int main(void) {
    struct request req;
    memset(&req, 0, sizeof(req));
    req.header.nlmsg_len = sizeof(req);
    req.header.nlmsg_type = RTM_GETLINK;
    req.header.nlmsg_flags = NLM_F_REQUEST;
    req.header.nlmsg_seq = 7;
    req.link.ifi_family = AF_UNSPEC;
    req.name.rta_len = RTA_LENGTH(3);
    req.name.rta_type = IFLA_IFNAME;
    memcpy(req.ifname, "lo", 3);

    int autobound = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    struct sockaddr_nl local = {.nl_family = AF_NETLINK};
    if (autobound < 0 || fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)))
        return 1;
    sendto(fd, &req, sizeof(req), MSG_DONTWAIT, NULL, 0);
    struct iovec iov = {.iov_base = &req, .iov_len = sizeof(req)};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    req.header.nlmsg_seq = 8;
    sendmsg(fd, &msg, MSG_DONTWAIT);
    sendto(autobound, "\x14\0\0\0\x12\0\x01\0", 8, MSG_DONTWAIT, NULL, 0);
    return 0;
}
