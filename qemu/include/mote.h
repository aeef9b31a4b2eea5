/*
 * mote.h: the boot layer's contract, shared by every C file in qemu/ and
 * mirrored for JavaScript by kernel/platform.ts (keep the two in step; a test
 * compares the exit statuses).
 *
 * Errors: functions here return a negative value or NULL on failure unless the
 * comment says they do not return. Fatal conditions go through mote_fatal(),
 * which prints one line and powers off with one of the statuses below.
 */
#ifndef MOTE_H
#define MOTE_H

#include <stddef.h>
#include <stdint.h>

#define MOTE_PLATFORM_ABI     5   /* bump with kernel/platform.ts */
#define MOTE_FORMAT_VERSION   2   /* image format, docs/ARCHITECTURE.md */

/* Exit statuses (docs/ARCHITECTURE.md). 0..99 belong to the app. */
#define MOTE_EXIT_OK                 0
#define MOTE_EXIT_APP_MAX           99
#define MOTE_EXIT_UNCAUGHT         100
#define MOTE_EXIT_OUT_OF_MEMORY    101
#define MOTE_EXIT_PAYLOAD_CORRUPT  102
#define MOTE_EXIT_PAYLOAD_TRUNCATED 103
#define MOTE_EXIT_NO_ENTRY         104
#define MOTE_EXIT_CPU_EXCEPTION    105
#define MOTE_EXIT_SYSCALL          106
#define MOTE_EXIT_TOO_LITTLE_MEMORY 107
#define MOTE_EXIT_FORMAT_VERSION   108
#define MOTE_EXIT_BAD_BOOT         109
#define MOTE_EXIT_APP_FAILED       111   /* the kernel's: a permanent application failed */
/* Written to the debug console (port 0xe9) just before a status-0 power-off:
   QEMU ends with 0 for that and for a triple fault alike, and the runner
   (builder/qemu.ts, EXIT_MARK) tells them apart by this line. */
#define MOTE_EXIT_MARK "mote: clean power-off\n"

/* The payload header at the start of the payload segment (image format v2).
   The builder checks boot_crc32 and the reserved bytes (builder/image.ts). */
struct mote_payload_header {
    char     magic[8];        /* "MOTEIMG\0" */
    uint32_t version;         /* MOTE_FORMAT_VERSION */
    uint32_t header_size;     /* sizeof(struct mote_payload_header) */
    uint64_t tar_size;        /* bytes of ustar archive after the header */
    uint32_t tar_crc32;       /* CRC-32 (IEEE) of those bytes */
    uint32_t boot_crc32;      /* CRC-32 of the image file's bytes before this header */
    uint8_t  reserved[32];    /* zero */
};
_Static_assert(sizeof(struct mote_payload_header) == 64, "payload header is 64 bytes");

/* A region of usable RAM from the boot memory map. */
struct mote_region { uintptr_t start, end; };

/* console.c: the 16550 serial port. */
void console_init(void);
void console_write(const char *s, size_t n);
void console_puts(const char *s);
int  console_read(char *buf, size_t n);          /* bytes read, 0 if none waiting */

/* console_in.c: COM1's receive interrupt through the IOAPIC, after cpu_init. */
void console_in_init(void);
int  console_in_interrupts(void);                /* 1 if a received byte wakes the CPU */

/* power.c */
_Noreturn void power_off(int status);
_Noreturn void mote_fatal(int status, const char *fmt, ...);

/* memmap.c: RAM from the PVH start info. Returns the region count. */
int  memmap_read(uint32_t start_info, struct mote_region *out, int max, uint64_t *total_ram);

/* cmdline.c: the kernel command line (QEMU's -append), copied at boot. */
void        cmdline_read(uint32_t start_info);     /* before the heap; too long is fatal */
const char *cmdline(size_t *n);                    /* "" if none; not NUL-terminated */

/* alloc.c: the heap, over every region above the image. */
void   heap_add_region(uintptr_t start, uintptr_t end);
void  *heap_alloc(size_t n);
void  *heap_realloc(void *p, size_t n);
void   heap_free(void *p);
size_t heap_usable_size(const void *p);
size_t heap_capacity(void);      /* bytes the heap can hand out in all */
size_t heap_used(void);          /* bytes handed out now, headers included */

/* clock.c: monotonic (TSC calibrated on the PIT) and wall (CMOS RTC) time. */
void     clock_init(void);
uint64_t clock_ns(void);          /* since clock_init */
int64_t  clock_wall_ms(void);     /* since the Unix epoch */
void     clock_wait_until(uint64_t deadline_ns);  /* halt until then or an interrupt */
extern uint64_t clock_halts;              /* how many times it halted (tests) */

/* cpu.c: TSS/IDT, exceptions, the system-call trap, the LAPIC timer. */
#define MOTE_VEC_NET 0x21                     /* the network's interrupt vector (isr.S: isr_net) */
#define MOTE_VEC_CONSOLE 0x22                 /* COM1's receive interrupt: only wakes the CPU (isr_wake) */
void cpu_init(void);
void cpu_unmap_null_page(void);               /* and the stack guard; after the start info is read */
uint32_t lapic_id(void);

/* ioapic.c: device interrupts to the network vector. */
int  ioapic_count(void);                      /* 0, 1, or 2 (microvm with ACPI) */
int  ioapic_route(int gsi, uint8_t vector);   /* unmask `gsi`, edge-triggered; 0 if routed */

/* entropy.c: secret random bytes (RDSEED, RDRAND or virtio-rng); -1 if the machine has none.
   virtio_rng.c: the device it falls back on. */
int entropy_fill(void *buf, size_t len);
int vrng_init(void);                          /* 0 if a virtio-rng device is there and set up */
int vrng_read(uint8_t *out, size_t len);      /* -1 if it stops answering */

/* payload.c: the ustar archive in the payload segment. */
void        payload_init(uintptr_t limit);                    /* validates or dies; the archive must end by limit */
const char *payload_find(const char *name, size_t *size);     /* NULL if absent */
uintptr_t   payload_end(void);                                /* first byte after it */
void        boot_layer_check(void);                           /* boot_check.c: its own code as built, or dies */

/* host.c: QuickJS, the platform object and the event loop. */
_Noreturn void host_run(uint64_t total_ram);    /* metal: host_start, then host_turn for ever */
void host_start(uint64_t total_ram);            /* the engine, the manifest, the entry module */
int  host_turn(uint64_t *deadline);             /* one turn of the loop; 0: sleep until *deadline */
void *host_net_alloc(size_t n);               /* counted with the JS heap; NULL past its limit */
void  host_net_free(void *p);

#endif
