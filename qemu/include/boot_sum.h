/* boot_sum.h: the boot layer's checksum of its own code, shared by the boot
   layer (src/boot_check.c) and the build's stamp (tools/boot-sum.c).
   Fletcher's two running sums over 64-bit words (mod 2^64): any changed byte
   changes the first, a moved one the second. About 0.5 instructions a byte,
   where the payload's CRC-32 takes over 4: under TCG the check of 580 KiB
   costs ~0.3M instructions, not ~2.5M (10% of hello's own boot). It is not
   the image header's boot_crc32, which covers file bytes QEMU never loads
   (the ELF headers, the padding) and that the builder rewrites per image. */
#ifndef MOTE_BOOT_SUM_H
#define MOTE_BOOT_SUM_H
#include <stdint.h>

static inline void boot_sum(const uint8_t *p, uint64_t n, uint64_t out[2])
{
    uint64_t a = 0, b = 0, w[4];
    for (; n >= sizeof w; p += sizeof w, n -= sizeof w) {
        __builtin_memcpy(w, p, sizeof w);     /* little endian on both targets; inlined */
        a += w[0]; b += a;
        a += w[1]; b += a;
        a += w[2]; b += a;
        a += w[3]; b += a;
    }
    for (; n; p++, n--) {
        a += *p;
        b += a;
    }
    out[0] = a;
    out[1] = b;
}
#endif
