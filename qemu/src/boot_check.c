/* boot_check.c: the boot layer checks its own code before it runs anything
   of the image. The build stamps boot_layer_sum with the checksum of the
   text segment as linked (code, read-only data, the PVH note; include/
   boot_sum.h, tools/boot-sum.c), and QEMU loads that segment byte for byte,
   so a changed byte of boot-layer code stops the boot with one line and 102
   (corrupt image) where it would otherwise fault or fail an assertion deep
   in the engine. What runs before this check (entry.S, the console, the
   CPU's tables) it cannot protect; the ELF headers and the padding between
   segments, which QEMU does not load, are the builder's image reader's to
   check (the header's boot_crc32). */
#include "mote.h"
#include "boot_sum.h"

extern const uint8_t __image_start[], __text_end[];   /* link.ld: the text segment */

/* In .data, not .bss, so that the stamp has file bytes to go in; all zero is
   "not stamped" (a link without the Makefile's stamp step). */
__attribute__((section(".data.boot_layer_sum"), used))
volatile uint64_t boot_layer_sum[2] = { 0, 0 };

void boot_layer_check(void)
{
    uint64_t want[2] = { boot_layer_sum[0], boot_layer_sum[1] }, got[2];
    if (want[0] == 0 && want[1] == 0)
        mote_fatal(MOTE_EXIT_PAYLOAD_CORRUPT, "boot layer: no checksum stamped (linked without tools/stamp-boot-sum.sh)");
    boot_sum(__image_start, (uint64_t)(__text_end - __image_start), got);
    if (got[0] != want[0] || got[1] != want[1])
        mote_fatal(MOTE_EXIT_PAYLOAD_CORRUPT, "boot layer: checksum mismatch (corrupt image: its code is not as built)");
}
