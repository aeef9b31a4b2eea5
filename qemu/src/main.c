/* main.c: the boot order, one step a line. entry.S calls kmain in long mode. */
#include "mote.h"
#include "param.h"
#include "boot_step.h"

extern char __image_start[];
void tls_init(void);

_Noreturn void kmain(uint32_t start_info, uint32_t loader_magic)
{
    (void)loader_magic;                           /* qboot leaves multiboot's here; PVH is checked below */
    struct mote_region ram[MAX_REGIONS];
    uint64_t total_ram;

    tls_init();                                   /* %fs for musl: canary, errno, locale */
    console_init();                               /* COM1, 115200 8N1 */
    cpu_init();                                   /* TSS, IDT, syscall trap, LAPIC */
    console_in_init();                            /* COM1's receive interrupt, via the IOAPIC */
    int n = memmap_read(start_info, ram, MAX_REGIONS, &total_ram);
    cmdline_read(start_info);                     /* -append, copied before the heap covers it */
    cpu_unmap_null_page();                        /* NULL faults from here on */
    BOOT_STEP(1, total_ram > 1);
    boot_layer_check();                           /* its own code as built, or stop */
    BOOT_STEP(2, total_ram > 1);
    uintptr_t ram_top = 0;                        /* the end of the RAM the image was loaded into */
    for (int i = 0; i < n; i++)
        if (ram[i].start <= (uintptr_t)__image_start && (uintptr_t)__image_start < ram[i].end)
            ram_top = ram[i].end;
    payload_init(ram_top);                        /* validate the archive or stop */
    BOOT_STEP(3, total_ram > 1);
    uintptr_t image_end = (payload_end() + 4095) & ~(uintptr_t)4095;
    for (int i = 0; i < n; i++) {                 /* the heap is all RAM but the image */
        uintptr_t s = ram[i].start, e = ram[i].end;
        if (e <= (uintptr_t)__image_start || s >= image_end) {
            heap_add_region(s, e);
        } else {
            heap_add_region(s, (uintptr_t)__image_start);
            heap_add_region(image_end, e);
        }
    }
    if (heap_capacity() < MIN_HEAP)
        mote_fatal(MOTE_EXIT_TOO_LITTLE_MEMORY, "refusing to boot: %lu KiB of RAM, %lu KiB free for the heap, %u KiB needed",
                   total_ram / 1024, heap_capacity() / 1024, MIN_HEAP / 1024);
    clock_init();                                 /* RTC; TSC and LAPIC timer against the PIT, until first read */
    BOOT_STEP(4, total_ram > 1);
    host_run(total_ram);                          /* QuickJS, the payload, the event loop */
}
