/* start.c: the native target's main. `mote-native IMAGE [--ram SIZE]
   [--cmdline TEXT]` reads a mote image, finds its payload segment as the
   builder does (the last loadable segment of the ELF file), and gives the
   host core the heap metal would have at that RAM (builder/hosted/ram-model.ts:
   the RAM QEMU rounds to 8 KiB, less the firmware holes, the image and the
   boot layer's own losses), then runs the event loop on Linux. */
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mote.h"
#include "param.h"

#define QEMU_RAM_ALIGN  8192
#define FIRMWARE_HOLES  394240          /* ram-model.ts: what the memory map leaves out below 1 MiB */
#define BOOT_HEAP_LOSS  4128            /* ram-model.ts: the null page and the region sentinels */
#define SENTINEL        16              /* alloc.c's end-of-region block, in the region, not the heap */
#define PAGE            4096
#define DEFAULT_RAM     (64u << 20)

const struct mote_payload_header *native_payload;   /* payload.c reads it (the Makefile's -D) */
void *heap_memory;                                   /* extern, kept: LeakSanitizer sees it held */
static char command_line[CMDLINE_MAX];
static size_t command_line_len;

const char *cmdline(size_t *n)
{
    *n = command_line_len;
    return command_line;
}

static _Noreturn void usage(const char *why)
{
    fprintf(stderr, "mote-native: %s\nusage: mote-native IMAGE [--ram SIZE (e.g. 8M, 8192K)] [--cmdline TEXT]\n", why);
    exit(MOTE_EXIT_BAD_BOOT);
}

/* "8M", "1500K", "1G" or bytes. */
static uint64_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    uint64_t unit = 1;
    if (*end == 'K' || *end == 'k')
        unit = 1 << 10, end++;
    else if (*end == 'M' || *end == 'm')
        unit = 1 << 20, end++;
    else if (*end == 'G' || *end == 'g')
        unit = 1 << 30, end++;
    if (errno || end == s || *end || n == 0 || n > (1ull << 40) / unit)
        usage("--ram takes a size such as 8M, 8192K or 1G");
    return n * unit;
}

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mote-native: cannot open %s: %s\n", path, strerror(errno));
        exit(MOTE_EXIT_BAD_BOOT);
    }
    size_t cap = 1 << 20, n = 0;
    unsigned char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0)
        if ((n += r) == cap)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    if (!buf)
        mote_fatal(MOTE_EXIT_OUT_OF_MEMORY, "out of memory reading the image");
    *size = n;
    return buf;
}

struct layout { uint64_t load_address, payload_address, payload_offset; };

/* The lowest load address, and the payload segment: the last PT_LOAD by file offset. */
static struct layout elf_layout(const unsigned char *img, size_t size)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
    if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_machine != EM_X86_64)
        mote_fatal(MOTE_EXIT_PAYLOAD_CORRUPT, "payload: not a mote image (no x86-64 ELF header)");
    if (eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size)
        mote_fatal(MOTE_EXIT_PAYLOAD_TRUNCATED, "payload: the program headers run past the end of the file");
    struct layout l = { UINT64_MAX, 0, 0 };
    int found = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, img + eh->e_phoff + (size_t)i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD)
            continue;
        if (ph.p_vaddr < l.load_address)
            l.load_address = ph.p_vaddr;
        if (!found || ph.p_offset > l.payload_offset) {
            l.payload_offset = ph.p_offset;
            l.payload_address = ph.p_vaddr;
            found = 1;
        }
    }
    if (!found)
        mote_fatal(MOTE_EXIT_PAYLOAD_CORRUPT, "payload: not a mote image (no loadable segment)");
    if (l.payload_offset + sizeof(struct mote_payload_header) > size)
        mote_fatal(MOTE_EXIT_PAYLOAD_TRUNCATED, "payload: the image ends before its payload header");
    return l;
}

#ifndef __SANITIZE_ADDRESS__
/* What metal reports as a CPU exception (cpu.c), with its status. */
static void fault(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    char line[128];
    int n = snprintf(line, sizeof line, "mote: CPU exception (signal %d, %s) at address %p\n", sig, strsignal(sig), info->si_addr);
    console_write(line, n > 0 ? (size_t)n : 0);
    _exit(MOTE_EXIT_CPU_EXCEPTION);
}

static void catch_faults(void)
{
    static char alt[64 * 1024];
    stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
    sigaltstack(&ss, NULL);
    struct sigaction sa = { .sa_sigaction = fault, .sa_flags = SA_SIGINFO | SA_ONSTACK };
    int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}
#else
static void catch_faults(void) {}              /* ASan reports them itself */
#endif

int main(int argc, char **argv)
{
    const char *path = NULL;
    uint64_t ram = DEFAULT_RAM;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--ram") && i + 1 < argc)
            ram = parse_size(argv[++i]);
        else if (!strcmp(argv[i], "--cmdline") && i + 1 < argc) {
            size_t n = strlen(argv[++i]);
            if (n > CMDLINE_MAX)
                usage("the command line is longer than the kernel takes (4096 bytes)");
            memcpy(command_line, argv[i], n);
            command_line_len = n;
        } else if (argv[i][0] == '-' || path)
            usage(argv[i][0] == '-' ? "unknown option or missing value" : "one image only");
        else
            path = argv[i];
    }
    if (!path)
        usage("no image given");
    catch_faults();
    clock_init();

    size_t size;
    unsigned char *img = read_file(path, &size);
    struct layout l = elf_layout(img, size);
    size_t segment = size - l.payload_offset;         /* header and tar; payload_init checks the tar's length */
    struct mote_payload_header *hdr = aligned_alloc(16, (segment + 15) & ~(size_t)15);
    if (!hdr)
        mote_fatal(MOTE_EXIT_OUT_OF_MEMORY, "out of memory loading the image");
    memcpy(hdr, img + l.payload_offset, segment);
    free(img);
    native_payload = hdr;
    payload_init((uintptr_t)hdr + segment);           /* validate the archive or stop */

    uint64_t image_end = l.payload_address + sizeof *hdr + hdr->tar_size;
    if (ram < image_end + PAGE) {
        fprintf(stdout, "mote: refusing to boot: the image needs %lu KiB of RAM to load (itself and a page above it), %lu KiB given\n",
                (unsigned long)((image_end + PAGE + 1023) / 1024), (unsigned long)(ram / 1024));
        return MOTE_EXIT_TOO_LITTLE_MEMORY;
    }
    uint64_t total_ram = (ram + QEMU_RAM_ALIGN - 1) / QEMU_RAM_ALIGN * QEMU_RAM_ALIGN - FIRMWARE_HOLES;
    uint64_t reserved = (image_end + PAGE - 1) / PAGE * PAGE - l.load_address + BOOT_HEAP_LOSS;
    uint64_t heap_bytes = total_ram > reserved ? total_ram - reserved + SENTINEL : 0;
    if (heap_bytes) {
        heap_memory = aligned_alloc(PAGE, (heap_bytes + PAGE - 1) & ~(uint64_t)(PAGE - 1));
        if (!heap_memory)
            mote_fatal(MOTE_EXIT_TOO_LITTLE_MEMORY, "cannot take %lu KiB from Linux for the heap", (unsigned long)(heap_bytes / 1024));
        heap_add_region((uintptr_t)heap_memory, (uintptr_t)heap_memory + heap_bytes);
    }
    if (heap_capacity() < MIN_HEAP)
        mote_fatal(MOTE_EXIT_TOO_LITTLE_MEMORY, "refusing to boot: %lu KiB of RAM, %lu KiB free for the heap, %u KiB needed",
                   (unsigned long)(total_ram / 1024), heap_capacity() / 1024, MIN_HEAP / 1024);
    host_run(total_ram);
}
