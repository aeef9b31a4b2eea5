/* boot_step.h: bench/boot-steps.ts times the start-up step by step on
   variants built with -DMOTE_BOOT_STOP=N (make boot-steps): each powers off
   as step N ends. `opaque` is a test the compiler cannot decide, so that
   the code after the stop stays linked: a variant carries, and checks,
   the same code as the boot layer. Every other build has no stop. */
#ifndef BOOT_STEP_H
#define BOOT_STEP_H
#include "mote.h"

#ifdef MOTE_BOOT_STOP
#define BOOT_STEP(n, opaque) do { if (MOTE_BOOT_STOP == (n) && (opaque)) power_off(MOTE_EXIT_OK); } while (0)
#else
#define BOOT_STEP(n, opaque) do { } while (0)
#endif

#endif
