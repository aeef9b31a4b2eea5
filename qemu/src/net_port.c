/* net_port.c: what lwIP needs from the boot layer beyond libc: the time
   (sys_now), random numbers, its memory (counted with the JS heap, host.c)
   and what a failed assertion does. */
#include <string.h>
#include "lwip/arch.h"
#include "lwip/sys.h"
#include "mote.h"
#include "io.h"

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

static int has_rdrand(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    return (c >> 30) & 1;
}

/* RDRAND where the CPU has it (QEMU's TCG models mostly do not), else the
   TSC's low bits stirred through splitmix64: not secret, but never the same
   ports, DHCP xid and initial sequence numbers from one boot to the next. */
unsigned int net_random(void)
{
    static int rdrand = -1;
    static uint64_t state;
    if (rdrand < 0)
        rdrand = has_rdrand();
    if (rdrand) {
        uint64_t v;
        unsigned char ok;
        for (int tries = 0; tries < 10; tries++) {
            __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
            if (ok)
                return (unsigned int)v;
        }
    }
    state += 0x9e3779b97f4a7c15ull ^ rdtsc();
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (unsigned int)(z ^ (z >> 31));
}

_Noreturn void net_assert_failed(const char *msg, const char *file, int line)
{
    mote_fatal(MOTE_EXIT_UNCAUGHT, "assertion failed in lwIP: %s (%s:%d)", msg, file, line);
}
