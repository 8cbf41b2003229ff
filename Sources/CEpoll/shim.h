// epoll(7): the event-loop connection model (Linux only; Glibc's Swift module does not export it).
#include <sys/epoll.h>
