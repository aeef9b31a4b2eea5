/* net_random.c: lwIP's random numbers on metal (ports, DHCP xid, initial
   sequence numbers); the wasm target takes them from Node (wasm/devices.c). */
#include <stdint.h>
#include "io.h"

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
