/* setjmp.h for the wasm32 build: wasi-libc (2022) has none, and QuickJS
   2025-04-26's dtoa.c includes it without using it. Empty on purpose: a
   source that did call setjmp would fail to compile, not fail at run time. */
#ifndef MOTE_WASM_SETJMP_H
#define MOTE_WASM_SETJMP_H
#endif
