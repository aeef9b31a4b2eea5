/* boot_sum.h: the boot layer's checksum of its own code, shared by the boot
   layer (src/boot_check.c) and the build's stamp (tools/boot-sum.c).
   Fletcher's two running sums over 64-bit words (mod 2^64): any changed byte
   changes the first, a moved one the second. It is not the image header's
   boot_crc32, which covers file bytes QEMU never loads (the ELF headers, the
   padding) and that the builder rewrites per image.
   Under TCG each instruction run costs, so the words are summed two at a
   time in SSE2 lanes (x86-64 always has it; other targets get the same
   arithmetic from the compiler): lane l sums the words 2m+l into s[l] and
   the running s[l] into t[l], and since b is each word times the count of
   words from it to the end, b = 2 t[0] + 2 t[1] - s[1]. About 0.3
   instructions a byte (580 KiB: ~0.16M instructions; the payload's CRC-32
   takes over 4 a byte). */
#ifndef MOTE_BOOT_SUM_H
#define MOTE_BOOT_SUM_H
#include <stdint.h>

typedef uint64_t boot_sum_v2 __attribute__((vector_size(16)));

static inline void boot_sum(const uint8_t *p, uint64_t n, uint64_t out[2])
{
    boot_sum_v2 s = { 0, 0 }, t = { 0, 0 }, v0, v1;
    for (const uint8_t *end = p + (n & ~(uint64_t)31); p != end; p += 32) {
        __builtin_memcpy(&v0, p, 16);         /* little endian on both targets; inlined */
        __builtin_memcpy(&v1, p + 16, 16);
        s += v0; t += s;
        s += v1; t += s;
    }
    uint64_t a = s[0] + s[1], b = 2 * (t[0] + t[1]) - s[1];
    for (n &= 31; n; p++, n--) {              /* the last bytes, one at a time */
        a += *p;
        b += a;
    }
    out[0] = a;
    out[1] = b;
}
#endif
