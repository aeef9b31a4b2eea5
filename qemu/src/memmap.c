/* memmap.c: usable RAM, from the PVH start info's memory map (or, where the
   loader gave none, from the CMOS memory size that QEMU's firmware sets). */
#include "mote.h"
#include "io.h"

#define PVH_MAGIC        0x336ec578
#define E820_RAM         1
#define MAPPED_LIMIT     0x100000000ull  /* entry.S maps the first 4 GiB */
#define LOWEST_USABLE    0x1000          /* page 0 stays unmapped */
#define CMOS_INDEX       0x70
#define CMOS_DATA        0x71

struct hvm_start_info {
    uint32_t magic, version, flags, nr_modules;
    uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
    uint64_t memmap_paddr;       /* version 1 and later */
    uint32_t memmap_entries, reserved;
};

struct hvm_memmap_entry {
    uint64_t addr, size;
    uint32_t type, reserved;
};

static uint8_t cmos(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static int add(struct mote_region *out, int n, int max, uint64_t start, uint64_t end)
{
    if (start < LOWEST_USABLE)
        start = LOWEST_USABLE;
    if (end > MAPPED_LIMIT)
        end = MAPPED_LIMIT;
    if (end <= start || n == max)
        return n;
    out[n].start = (uintptr_t)start;
    out[n].end = (uintptr_t)end;
    return n + 1;
}

/* QEMU's CMOS: 0x30/0x31 = KiB above 1 MiB (to 64 MiB), 0x34/0x35 = 64 KiB units above 16 MiB. */
static int from_cmos(struct mote_region *out, int max, uint64_t *total)
{
    uint64_t ext_kb = cmos(0x30) | (uint64_t)cmos(0x31) << 8;
    uint64_t high = (cmos(0x34) | (uint64_t)cmos(0x35) << 8) << 16;
    uint64_t end = high ? 16 * 1024 * 1024 + high : 0x100000 + ext_kb * 1024;
    int n = add(out, 0, max, 0, 0x9f000);
    n = add(out, n, max, 0x100000, end);
    *total = end;
    return n;
}

int memmap_read(uint32_t start_info, struct mote_region *out, int max, uint64_t *total_ram)
{
    const struct hvm_start_info *si = (const struct hvm_start_info *)(uintptr_t)start_info;
    if (start_info == 0 || si->magic != PVH_MAGIC)
        mote_fatal(MOTE_EXIT_BAD_BOOT, "boot: no PVH start info (entered by a loader that is not PVH)");
    if (si->version < 1 || si->memmap_entries == 0)
        return from_cmos(out, max, total_ram);

    const struct hvm_memmap_entry *e = (const struct hvm_memmap_entry *)(uintptr_t)si->memmap_paddr;
    uint64_t total = 0;
    int n = 0;
    for (uint32_t i = 0; i < si->memmap_entries; i++) {
        if (e[i].type != E820_RAM)
            continue;
        total += e[i].size;
        n = add(out, n, max, e[i].addr, e[i].addr + e[i].size);
    }
    if (n == 0)
        mote_fatal(MOTE_EXIT_BAD_BOOT, "boot: the memory map lists no usable RAM");
    *total_ram = total;
    return n;
}
