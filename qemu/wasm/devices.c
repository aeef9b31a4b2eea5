/* devices.c: the wasm target's devices, imports that the Node driver
   (builder/hosted/wasm/devices.ts) implements: the console, the clocks and
   power-off. The network device is net_device.c. */
#include <string.h>
#include "mote.h"
#include "import.h"

IMPORT("write") void mote_write(uint32_t s, uint32_t n);
IMPORT("read") int mote_read(uint32_t buf, uint32_t n);      /* bytes of console input, 0 if none */
IMPORT("monotonic_ms") double mote_monotonic_ms(void);      /* since the run began */
IMPORT("wall_ms") double mote_wall_ms(void);
IMPORT("exit") void mote_exit(int status);                  /* throws in JS: never returns */
IMPORT("poll_stop") void mote_poll_stop(void);              /* throws if the run is to stop (timeout, Ctrl-C) */
IMPORT("random") unsigned int mote_random(void);             /* 32 random bits */

void console_init(void) {}
void console_write(const char *s, size_t n) { mote_write(wasm_addr(s), (uint32_t)n); }
void console_puts(const char *s) { console_write(s, strlen(s)); }
void console_flush(void) {}
int  console_read(char *buf, size_t n) { return mote_read(wasm_addr(buf), (uint32_t)n); }
int  console_in_interrupts(void) { return 1; }              /* input wakes the driver's sleep */

void     clock_init(void) {}
uint64_t clock_ns(void) { return (uint64_t)(mote_monotonic_ms() * 1e6); }
int64_t  clock_wall_ms(void) { return (int64_t)mote_wall_ms(); }

_Noreturn void power_off(int status)
{
    mote_exit(status);
    __builtin_unreachable();
}

void wasm_poll_stop(void) { mote_poll_stop(); }
