/* tf_compare.c: long double comparisons for the wasm64 build. long double
   is IEEE quad on wasm, so musl's printf and strtod compare through these
   calls; clang-14 expects them to return int, but Debian's wasm64 builtins
   (libclang-rt-14-dev-wasm64) return long, and wasm-ld would link each
   call to a trap. Defined here with the types the calls have, they are
   found before the archive's. The values are libgcc's: 0 when equal, below
   zero when a < b, above when a > b; `unordered` when either is a NaN. */
#include <string.h>

typedef __int128 quad_bits;

static int compare(long double a, long double b, int unordered)
{
    quad_bits x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    const unsigned __int128 magnitude = ~((unsigned __int128)1 << 127);
    const unsigned __int128 infinity = (unsigned __int128)0x7fff000000000000ull << 64;
    unsigned __int128 mx = (unsigned __int128)x & magnitude, my = (unsigned __int128)y & magnitude;
    if (mx > infinity || my > infinity)
        return unordered;
    if ((mx | my) == 0)
        return 0;                                 /* +0 and -0 */
    if ((x & y) >= 0)                             /* not both negative: the bits order as the values */
        return x < y ? -1 : x > y;
    return x > y ? -1 : x < y;                    /* both negative: the larger bits, the smaller value */
}

int __eqtf2(long double a, long double b) { return compare(a, b, 1); }
int __netf2(long double a, long double b) { return compare(a, b, 1); }
int __lttf2(long double a, long double b) { return compare(a, b, 1); }
int __letf2(long double a, long double b) { return compare(a, b, 1); }
int __gttf2(long double a, long double b) { return compare(a, b, -1); }
int __getf2(long double a, long double b) { return compare(a, b, -1); }
int __unordtf2(long double a, long double b)
{
    return compare(a, b, 2) == 2;
}
