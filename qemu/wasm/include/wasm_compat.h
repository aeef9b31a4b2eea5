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
/* QuickJS's stack check sees only wasm's shadow stack in linear memory: a
   JS call's frame keeps its values there (8-byte values on wasm32, 16 on
   x86-64), so it takes about half of metal's, and the limit is that share
   of metal's 224 KiB: JS recursion stops at the same depth on both hosts
   (tests/platform/cases.ts, "deep recursion"). A C frame keeps little there
   and the rest in V8's own stack, so each check of a C recursion charges
   its frame WASM_C_FRAME_CHARGE bytes more (patches/2025-04-26/
   quickjs-wasm-stack-charge.patch): JSON.stringify of nested arrays then
   throws near metal's depth, where it ran out of V8's stack first, a trap. */
#define JS_STACK_LIMIT (112 * 1024 + 256)
#define WASM_C_FRAME_CHARGE 110
#ifdef __wasm64__                /* wasm64 (wasm/wasm64.mk): a JS call's shadow frame nearly doubles */
#undef JS_STACK_LIMIT
#define JS_STACK_LIMIT (201 * 1024)
/* With the limit, C recursion goes deeper: each check charges 169 bytes,
   so 10,000 nested arrays stringify 977 deep (metal 944). The parsers'
   checks (next_token) keep 127 KiB more free: their frames keep much in
   V8's stack, which ran out (105) with less. Only they: a JS recursion with
   a check outside a call at its bottom (JSON.stringify, await, yield*)
   stops near metal's depth (324/328, 155/163, 135/148), where a margin at
   every check stopped it at 121, 62, 55. A C function's call is charged
   too: a recursion through Array.prototype.map stops at 99 (metal 95),
   where it went 112 deep uncharged. The limit was 206 KiB + 768 and the
   charge 190 until metal's interpreter frame grew (plain recursion 387
   hosted against metal's 376): the limit alone, 200 KiB + 896, matched
   plain recursion but left yield* 132 deep (11% under), and a charge of
   164 took nested arrays to 1,058 (12% over). */
#undef WASM_C_FRAME_CHARGE
#define WASM_C_FRAME_CHARGE 169
#define WASM_C_STACK_MORE (127 * 1024)
#endif
#endif
