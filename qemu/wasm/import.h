/* import.h: how the wasm target's C meets its Node driver
   (builder/hosted/wasm/). An import takes addresses and lengths as 32-bit
   numbers on wasm32 and wasm64 alike, so the driver's functions get plain
   JS numbers on both (a 64-bit one would arrive as a BigInt): the memory
   the driver gives is at most the hosted runs' 2032M, so every address
   fits. An export that returns an address returns it whole. */
#ifndef MOTE_WASM_IMPORT_H
#define MOTE_WASM_IMPORT_H
#include <stdint.h>

#define IMPORT(name) __attribute__((import_module("mote"), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

static inline uint32_t wasm_addr(const void *p) { return (uint32_t)(uintptr_t)p; }
#endif
