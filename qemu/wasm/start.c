/* start.c: the wasm target's kmain, called by the Node driver
   (builder/hosted/wasm/). Memory is laid out as metal's RAM is: the
   module's own data and stack (its "image"), then the payload the driver
   copied in at mote_payload_at(), then the heap. */
#include <math.h>
#include "mote.h"
#include "param.h"
#include "import.h"

extern unsigned char __heap_base[];              /* wasm-ld: the first byte after data and stack */
const struct mote_payload_header *wasm_payload;  /* payload.c reads it from here */
static char command_line[CMDLINE_MAX];
static size_t command_line_len;

/* Where the driver must put the payload segment (header and tar). */
EXPORT("mote_payload_at") uintptr_t mote_payload_at(void)
{
    return ((uintptr_t)__heap_base + 15) & ~(uintptr_t)15;
}

/* Where the driver writes the command line, at most CMDLINE_MAX bytes. */
EXPORT("mote_cmdline_at") uintptr_t mote_cmdline_at(void)
{
    return (uintptr_t)command_line;
}

/* The command line as metal's cmdline.c gives it (QEMU's -append there). */
const char *cmdline(size_t *n)
{
    *n = command_line_len;
    return command_line;
}

/* The boot: take the command line (`cmdline_len` bytes written, as the
   driver was given it), check the payload, make the heap `heap_bytes` long after it
   (the driver has grown the memory to hold it; below `min_heap`, the
   image's boot layer's minimum, it refuses as main.c does), start QuickJS
   and run the entry module. `total_ram` is what memory() reports, as metal would;
   `track_rejections` 0 lets unhandled rejections pass (metal always stops). */
EXPORT("mote_boot") void mote_boot(double total_ram, double heap_bytes, double cmdline_len, double min_heap, int track_rejections)
{
    extern int host_track_rejections;            /* host.c */
    host_track_rejections = track_rejections;
    if (cmdline_len > CMDLINE_MAX)
        mote_fatal(MOTE_EXIT_BAD_BOOT, "the kernel command line is longer than %d bytes", CMDLINE_MAX);
    command_line_len = (size_t)cmdline_len;
    wasm_payload = (const struct mote_payload_header *)mote_payload_at();
    payload_init((uintptr_t)__builtin_wasm_memory_size(0) * 65536);   /* validate the archive or stop */
    uintptr_t start = (payload_end() + 15) & ~(uintptr_t)15;
    uintptr_t end = (uintptr_t)__builtin_wasm_memory_size(0) * 65536;
    if (heap_bytes < (double)(end - start))
        end = heap_bytes > 0 ? start + (uintptr_t)heap_bytes : start;
    if (end > start)
        heap_add_region(start, end);
    if (min_heap < MIN_HEAP)
        min_heap = MIN_HEAP;
    if (heap_capacity() < min_heap)
        mote_fatal(MOTE_EXIT_TOO_LITTLE_MEMORY, "refusing to boot: %lu KiB of RAM, %lu KiB free for the heap, %lu KiB needed",
                   (unsigned long)(total_ram / 1024), heap_capacity() / 1024, (unsigned long)(min_heap / 1024));
    host_start((uint64_t)total_ram);
}

/* One turn of the event loop: -1 when it ran something (turn again), else
   the monotonic time in ms to sleep until (Infinity: only input or the
   network can wake it). Power-off ends the run inside the exit import. */
EXPORT("mote_turn") double mote_turn(void)
{
    uint64_t deadline;
    if (host_turn(&deadline))
        return -1;
    return deadline == UINT64_MAX ? INFINITY : (double)deadline / 1e6;
}

/* Bytes the heap hands out now, headers included: the driver's peak. */
EXPORT("mote_heap_used") double mote_heap_used(void)
{
    return (double)heap_used();
}
