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
/* QuickJS's stack check sees only wasm's shadow stack in linear memory (the
   interpreter's frames and locals whose address is taken); the rest of each
   C frame lives on V8's own stack. A JS call takes about half the shadow
   stack it takes of metal's stack, so the limit is that share of metal's,
   and JS recursion stops at the same depth on both hosts (tests/platform/
   cases.ts, "stack overflow"). */
#define JS_STACK_LIMIT (109 * 1024 + 160)
#endif
