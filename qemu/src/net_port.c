/* net_port.c: what lwIP needs from the boot layer beyond libc: the time
   (sys_now), its memory (counted with the JS heap, host.c) and what a
   failed assertion does. Random numbers are the device's (net_random.c). */
#include <string.h>
#include "lwip/arch.h"
#include "lwip/sys.h"
#include "mote.h"

u32_t sys_now(void)
{
    return (u32_t)(clock_ns() / 1000000);
}

void *net_mem_malloc(size_t n) { return host_net_alloc(n); }
void  net_mem_free(void *p) { host_net_free(p); }

void *net_mem_calloc(size_t count, size_t n)
{
    if (n && count > (size_t)-1 / n)
        return NULL;
    void *p = host_net_alloc(count * n);
    if (p)
        memset(p, 0, count * n);
    return p;
}

_Noreturn void net_assert_failed(const char *msg, const char *file, int line)
{
    mote_fatal(MOTE_EXIT_UNCAUGHT, "assertion failed in lwIP: %s (%s:%d)", msg, file, line);
}
