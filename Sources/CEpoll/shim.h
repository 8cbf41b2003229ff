// epoll(7) and eventfd(2): the event-loop connection model (Linux only; Glibc's Swift module exports neither).
#include <sys/epoll.h>
#include <sys/eventfd.h>
