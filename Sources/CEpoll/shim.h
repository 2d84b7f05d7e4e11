// Linux readiness APIs that Glibc's Swift module does not export: epoll, eventfd, accept4.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
