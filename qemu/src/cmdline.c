/* cmdline.c: the kernel command line (QEMU's -append), from the PVH start
   info. It is copied out at boot, before the heap takes the RAM it sits in;
   the platform's commandLine() hands it to JS, and kernel/args.ts parses it. */
#include <string.h>
#include "mote.h"
#include "param.h"

#define PVH_MAGIC 0x336ec578

struct pvh_start_head {               /* the start of hvm_start_info (memmap.c has all of it) */
    uint32_t magic, version, flags, nr_modules;
    uint64_t modlist_paddr, cmdline_paddr;
};

static char line[CMDLINE_MAX + 1];
static size_t len;

void cmdline_read(uint32_t start_info)
{
    const struct pvh_start_head *si = (const struct pvh_start_head *)(uintptr_t)start_info;
    if (!si || si->magic != PVH_MAGIC || !si->cmdline_paddr)
        return;                                  /* memmap_read has judged the start info */
    const char *s = (const char *)(uintptr_t)si->cmdline_paddr;
    len = strnlen(s, CMDLINE_MAX + 1);
    if (len > CMDLINE_MAX)
        mote_fatal(MOTE_EXIT_BAD_BOOT, "the kernel command line is longer than %d bytes", CMDLINE_MAX);
    memcpy(line, s, len);
}

const char *cmdline(size_t *n)
{
    *n = len;
    return line;
}
