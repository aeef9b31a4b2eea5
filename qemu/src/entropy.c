/* entropy.c: random bytes a program can keep secrets with (the platform's
   random(), under crypto.getRandomValues), on metal. RDSEED, else RDRAND
   (CPU instructions, retried as Intel advises), else a virtio-rng device,
   which mote boot attaches (QEMU's TCG CPUs have neither instruction).
   With none of them there is nothing secret to give: entropy_fill fails and
   random() throws, rather than hand out guessable bytes (net_random.c's TSC
   mix is fine for port numbers, not for keys). */
#include <string.h>
#include "mote.h"

enum source { SOURCE_UNKNOWN, SOURCE_RDSEED, SOURCE_RDRAND, SOURCE_VIRTIO, SOURCE_NONE };
static enum source source;

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c)
{
    uint32_t d;
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(d) : "a"(leaf), "c"(0));
}

static enum source pick(void)
{
    uint32_t max, b, c;
    cpuid(0, &max, &b, &c);
    if (max >= 7) {
        uint32_t a;
        cpuid(7, &a, &b, &c);
        if (b & (1u << 18))
            return SOURCE_RDSEED;
    }
    uint32_t a;
    cpuid(1, &a, &b, &c);
    if (c & (1u << 30))
        return SOURCE_RDRAND;
    return vrng_init() == 0 ? SOURCE_VIRTIO : SOURCE_NONE;
}

/* One 64-bit word from RDSEED or RDRAND: both may run dry for a moment. */
static int hardware_word(int seed, uint64_t *v)
{
    for (int tries = 0; tries < 100; tries++) {
        unsigned char ok;
        if (seed)
            __asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
        else
            __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
        if (ok)
            return 0;
        __asm__ volatile("pause");
    }
    return -1;
}

int entropy_fill(void *buf, size_t len)
{
    if (source == SOURCE_UNKNOWN)
        source = pick();
    if (source == SOURCE_NONE)
        return -1;
    if (source == SOURCE_VIRTIO)
        return vrng_read(buf, len);
    uint8_t *p = buf;
    while (len) {
        uint64_t v;
        /* RDSEED running dry is normal under load: RDRAND's DRBG, reseeded from the same source, takes over. */
        if (hardware_word(source == SOURCE_RDSEED, &v) < 0 && hardware_word(0, &v) < 0)
            return -1;
        size_t n = len < sizeof v ? len : sizeof v;
        memcpy(p, &v, n);
        p += n;
        len -= n;
    }
    return 0;
}
