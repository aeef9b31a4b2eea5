/* wasm_compat.h: included first in every file of the wasm32 build. What
   wasi-libc (2022) leaves out that the shared sources name: directed
   rounding modes (QuickJS rounds toFixed and toPrecision ties through them;
   libc_wasm.c implements them for its two printf formats) and
   malloc_usable_size (libc.c defines it over alloc.c). */
#ifndef MOTE_WASM_COMPAT_H
#define MOTE_WASM_COMPAT_H
#include <stddef.h>
#define FE_DOWNWARD 0x400
#define FE_UPWARD   0x800
size_t malloc_usable_size(void *p);
#endif
